/* Passkeys (WebAuthn): asks the browser to make a passkey (two-factor page) or to use one
   (second sign-in step). The server's options arrive in a <script type="application/json">
   element; the browser's answer goes back as JSON in the form's hidden "credential" field,
   and the form is posted as usual. No inline script (the CSP forbids it), no build step. */
(function () {
  "use strict";

  function toBytes(value) {
    var b64 = value.replace(/-/g, "+").replace(/_/g, "/");
    while (b64.length % 4) { b64 += "="; }
    var raw = atob(b64);
    var bytes = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) { bytes[i] = raw.charCodeAt(i); }
    return bytes.buffer;
  }

  function toText(buffer) {
    var bytes = new Uint8Array(buffer);
    var raw = "";
    for (var i = 0; i < bytes.length; i++) { raw += String.fromCharCode(bytes[i]); }
    return btoa(raw).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }

  function descriptors(list) {
    return (list || []).map(function (item) {
      return { type: item.type, id: toBytes(item.id), transports: item.transports };
    });
  }

  function creationOptions(json) {
    var options = Object.assign({}, json);
    options.challenge = toBytes(json.challenge);
    options.user = Object.assign({}, json.user, { id: toBytes(json.user.id) });
    options.excludeCredentials = descriptors(json.excludeCredentials);
    return { publicKey: options };
  }

  function requestOptions(json) {
    var options = Object.assign({}, json);
    options.challenge = toBytes(json.challenge);
    options.allowCredentials = descriptors(json.allowCredentials);
    return { publicKey: options };
  }

  function answer(credential) {
    var response = credential.response;
    var out = {
      id: credential.id,
      rawId: toText(credential.rawId),
      type: credential.type,
      clientExtensionResults: credential.getClientExtensionResults ? credential.getClientExtensionResults() : {},
      response: { clientDataJSON: toText(response.clientDataJSON) }
    };
    if (credential.authenticatorAttachment) { out.authenticatorAttachment = credential.authenticatorAttachment; }
    if (response.attestationObject) {
      out.response.attestationObject = toText(response.attestationObject);
      if (response.getTransports) { out.response.transports = response.getTransports(); }
    } else {
      out.response.authenticatorData = toText(response.authenticatorData);
      out.response.signature = toText(response.signature);
      if (response.userHandle) { out.response.userHandle = toText(response.userHandle); }
    }
    return JSON.stringify(out);
  }

  function say(form, text) {
    var status = form.querySelector("[data-passkey-status]");
    if (status) { status.textContent = text; }
  }

  function start(form) {
    var source = document.getElementById(form.getAttribute("data-passkey-options"));
    var json = JSON.parse(source.textContent);
    var creating = form.getAttribute("data-passkey") === "create";
    if (creating && !form.reportValidity()) { return; }
    say(form, "Follow your browser's or device's prompt.");
    var call = creating
      ? navigator.credentials.create(creationOptions(json))
      : navigator.credentials.get(requestOptions(json));
    call.then(function (credential) {
      form.querySelector("input[name=credential]").value = answer(credential);
      say(form, "Checking…");
      form.submit();
    }).catch(function () {
      say(form, "The passkey step did not finish (cancelled, or timed out). Try again, or reload the page.");
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var forms = document.querySelectorAll("form[data-passkey]");
    var supported = !!(window.PublicKeyCredential && navigator.credentials);
    forms.forEach(function (form) {
      var button = form.querySelector("button");
      if (!supported) {
        button.disabled = true;
        say(form, "This browser cannot use passkeys.");
        return;
      }
      form.addEventListener("submit", function (event) {
        event.preventDefault();
        start(form);
      });
    });
  });
})();
