// Spreadsheet keys in the data grid: Enter and the up/down arrows move between rows.
(function () {
  document.addEventListener("keydown", function (event) {
    var input = event.target;
    if (!(input instanceof HTMLInputElement) || !input.closest("table.grid-entry")) return;
    var down = event.key === "Enter" || event.key === "ArrowDown";
    var up = event.key === "ArrowUp";
    if (!down && !up) return;
    var cell = input.closest("td");
    var row = input.closest("tr");
    var target = up ? row.previousElementSibling : row.nextElementSibling;
    if (!target) { if (event.key === "Enter") return; else return; }
    var next = target.children[cell.cellIndex] && target.children[cell.cellIndex].querySelector("input");
    if (next) { event.preventDefault(); next.focus(); next.select(); }
  });
})();
// Start where the work is: the first row without a value (the new periods at the bottom).
(function () {
  function focusFirstEmpty() {
    var inputs = document.querySelectorAll("table.grid-entry input[name^='value-'], table.grid-entry input[name^='sub-0-']");
    for (var i = 0; i < inputs.length; i++) {
      if (!inputs[i].value) { inputs[i].focus({ preventScroll: false }); return; }
    }
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", focusFirstEmpty);
  else focusFirstEmpty();
})();
// Paste a block copied from a spreadsheet (tab-separated columns, one line per row) into
// the grid: it fills cells from the one pasted into, across and down, adding rows as
// needed. Nothing is saved until "Save all rows", where every row is checked as usual.
(function () {
  function addRow(tbody) {
    var last = tbody.lastElementChild;
    var row = last.cloneNode(true);
    var index = tbody.children.length;
    row.classList.remove("bad");
    row.querySelectorAll("input, label, span.row-error, span.period-words").forEach(function (el) {
      if (el.matches("span.row-error, span.period-words")) { el.remove(); return; }
      ["id", "name", "for"].forEach(function (attr) {
        var v = el.getAttribute(attr);
        if (v) el.setAttribute(attr, v.replace(/-\d+$/, "-" + index));
      });
      if (el.tagName === "LABEL") el.textContent = el.textContent.replace(/row \d+$/, "row " + (index + 1));
      if (el.tagName === "INPUT") {
        el.value = "";
        el.removeAttribute("aria-invalid");
        el.removeAttribute("aria-describedby");
      }
    });
    tbody.appendChild(row);
    var count = tbody.closest("form").querySelector("input[name='rows']");
    count.value = String(tbody.children.length);
    return row;
  }

  // A row's period in words ("November 2026") is the server's reading of the date: once the
  // date is changed it no longer holds until the grid is saved or redrawn.
  function staleWords(input) {
    var words = input.name && input.name.indexOf("period-") === 0 && input.parentNode.querySelector(".period-words");
    if (words) words.remove();
  }
  document.addEventListener("input", function (event) {
    if (event.target instanceof HTMLInputElement && event.target.closest("table.grid-entry")) staleWords(event.target);
  });

  document.addEventListener("paste", function (event) {
    var input = event.target;
    if (!(input instanceof HTMLInputElement) || !input.closest("table.grid-entry")) return;
    var text = (event.clipboardData || window.clipboardData).getData("text");
    if (!text || (text.indexOf("\t") < 0 && text.indexOf("\n") < 0)) return; // one cell: as usual
    event.preventDefault();
    var lines = text.replace(/\r\n?/g, "\n").replace(/\n+$/, "").split("\n");
    var tbody = input.closest("tbody");
    var row = input.closest("tr");
    var column = input.closest("td").cellIndex;
    var filled = 0;
    lines.forEach(function (line) {
      if (!row) row = addRow(tbody);
      line.split("\t").forEach(function (value, k) {
        var cell = row.children[column + k];
        var target = cell && cell.querySelector("input:not([type='hidden'])");
        if (target) { target.value = value.trim(); filled++; staleWords(target); }
      });
      row = row.nextElementSibling;
    });
    var status = document.getElementById("paste-status");
    if (status) status.textContent = "Pasted " + lines.length + " row" + (lines.length === 1 ? "" : "s") + " (" + filled + " cells). Check them, then save all rows.";
  });
})();
