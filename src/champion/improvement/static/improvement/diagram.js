// The driver diagram, edited in place. Without this file every box shows its small forms and
// each one posts and reloads the page. With it, a box's forms fold behind its Edit button;
// a form posts with fetch, the server answers the redrawn diagram (or 400 and a message,
// changing nothing), and focus returns to where the person was. Status goes to #dd-status.
(function () {
  "use strict";

  function root() { return document.getElementById("driver-diagram"); }
  function status() { return document.getElementById("dd-status"); }

  function enhance() {
    var dd = root();
    if (dd) dd.classList.add("js");
  }

  function say(text, ok) {
    var box = status();
    if (!box) return;
    box.textContent = text || "";
    box.classList.toggle("bad", !ok);
  }

  function editButton(node) { return node && node.querySelector(":scope > .node-edit-btn"); }

  function open(node, focusSelector) {
    var dd = root();
    dd.querySelectorAll(".node.editing").forEach(function (other) { if (other !== node) close(other, false); });
    node.classList.add("editing");
    var button = editButton(node);
    if (button) button.setAttribute("aria-expanded", "true");
    var target = (focusSelector && node.querySelector(focusSelector)) || node.querySelector(".node-form [name=text]");
    if (target && target.disabled) target = node.querySelector(".node-form [name=text]");
    if (target) {
      target.focus();
      if (target.select && target.name === "text") target.select();
    }
  }

  function close(node, focus) {
    node.classList.remove("editing");
    var form = node.querySelector(".node-form");
    if (form) form.reset();  // a cancelled edit puts the saved text back
    node.querySelectorAll("details[open]").forEach(function (d) { d.open = false; });
    var button = editButton(node);
    if (button) {
      button.setAttribute("aria-expanded", "false");
      if (focus) button.focus();
    }
  }

  // Where focus goes once the diagram is redrawn: [node id or null, selector inside it].
  function focusPlan(form, submitter) {
    var node = form.closest(".node");
    var op = (form.querySelector("[name=op]") || {}).value || "";
    if (op.indexOf("add_") === 0) return { id: form.querySelector("[name=text]").id };
    if (op.indexOf("delete_") === 0) {
      var branch = node.closest(".dd-branch");
      var owner = branch && node.parentElement === branch ? branch.parentElement.closest(".dd-branch") : branch;
      var parent = owner && owner.querySelector(":scope > .node");
      return parent && parent.id ? { id: parent.id, inside: ".node-edit-btn" } : { id: "diagram-h" };
    }
    if (op.indexOf("move_") === 0 && submitter && submitter.name === "dir") {
      return { id: node.id, reopen: "button[name=dir][value=" + submitter.value + "]" };
    }
    return { id: node.id, inside: ".node-edit-btn" };
  }

  function restore(plan) {
    var target = document.getElementById(plan.id);
    if (!target) target = document.getElementById("diagram-h");
    if (plan.reopen) { open(target, plan.reopen); return; }
    if (plan.inside) target = target.querySelector(":scope > " + plan.inside) || target;
    target.focus();
  }

  document.addEventListener("click", function (event) {
    var dd = root();
    if (!dd || !dd.contains(event.target)) return;
    var edit = event.target.closest(".node-edit-btn");
    if (edit) { open(edit.closest(".node")); return; }
    var cancel = event.target.closest(".node-cancel");
    if (cancel) close(cancel.closest(".node"), true);
  });

  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    var node = event.target.closest && event.target.closest("#driver-diagram .node.editing");
    if (node) { event.preventDefault(); close(node, true); }
  });

  document.addEventListener("submit", function (event) {
    var form = event.target;
    var dd = root();
    if (!dd || !dd.contains(form) || !form.hasAttribute("data-inline") || !window.fetch) return;
    event.preventDefault();
    if (dd.classList.contains("busy")) return;
    var submitter = event.submitter;
    var data = new FormData(form);
    if (submitter && submitter.name) data.append(submitter.name, submitter.value);
    var plan = focusPlan(form, submitter);
    dd.classList.add("busy");
    dd.setAttribute("aria-busy", "true");
    say("Saving…", true);
    fetch(form.action || window.location.href, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { "HX-Request": "true" },
    }).then(function (response) {
      return response.text().then(function (html) { return { status: response.status, html: html }; });
    }).then(function (answer) {
      dd.classList.remove("busy");
      dd.removeAttribute("aria-busy");
      if (answer.status !== 200 && answer.status !== 400) {
        say("Not saved: the server answered " + answer.status + ". Reload the page and try again.", false);
        return;
      }
      var holder = document.createElement("template");
      holder.innerHTML = answer.html.trim();
      var fresh = holder.content.firstElementChild;
      var message = fresh ? fresh.getAttribute("data-message") : "";
      if (answer.status === 400) {
        // Nothing changed on the server: keep what was typed, say why, stay in the field.
        say(message, false);
        var field = form.querySelector("[name=text]") || submitter;
        if (field) field.focus();
        return;
      }
      dd.replaceWith(fresh);
      enhance();
      say(message, true);
      restore(plan);
    }).catch(function () {
      dd.classList.remove("busy");
      dd.removeAttribute("aria-busy");
      say("Not saved: the connection failed. Your text is still here; try again.", false);
    });
  });

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", enhance);
  else enhance();
})();
