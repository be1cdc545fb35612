// Small progressive enhancements; every page works without them.
(function () {
  "use strict";
  // Let HTMX swap validation (422) and conflict (409) responses: they carry the form with errors.
  document.addEventListener("htmx:beforeSwap", function (e) {
    var status = e.detail.xhr.status;
    if (status === 422 || status === 409 || status === 403 || status === 400) {
      e.detail.shouldSwap = true;
      e.detail.isError = false;
    }
  });
  // Intake: the gazetteer's street for the typed address fills the street box if it is empty.
  document.addEventListener("htmx:afterSwap", function (e) {
    var hint = e.detail.target.querySelector && e.detail.target.querySelector("[data-street]");
    var select = document.getElementById("id_street");
    if (hint && select && !select.value) select.value = hint.getAttribute("data-street");
  });
  // A <select data-autosubmit> submits its form when changed (the language switch); no inline
  // onchange= handlers: the Content-Security-Policy forbids them.
  document.addEventListener("change", function (e) {
    if (e.target.hasAttribute && e.target.hasAttribute("data-autosubmit") && e.target.form) {
      e.target.form.submit();
    }
  });
  // Ctrl+Enter submits the form being typed in (intake is keyboard-first).
  document.addEventListener("keydown", function (e) {
    if (e.key === "Enter" && (e.ctrlKey || e.metaKey) && e.target.form) {
      e.preventDefault();
      e.target.form.requestSubmit();
    }
  });
  // A portal page opened from a service hall's kiosk (body[data-idle-home]) goes back to the
  // kiosk when nobody touches it for a while: the next citizen at the kiosk must not find the
  // last one's request, its answer or a half-typed phone number there (replace: Back neither).
  var home = document.body.getAttribute("data-idle-home");
  if (home) {
    var idleSeconds = parseInt(document.body.getAttribute("data-idle-after"), 10) || 60;
    var idleTimer = null;
    var arm = function () {
      window.clearTimeout(idleTimer);
      idleTimer = window.setTimeout(function () { window.location.replace(home); }, idleSeconds * 1000);
    };
    ["pointerdown", "keydown", "input", "change"].forEach(function (name) {
      document.addEventListener(name, arm, true);
    });
    arm();
  }
  // A search box that filters the options of a <select> (category picker).
  document.addEventListener("input", function (e) {
    var id = e.target.getAttribute && e.target.getAttribute("data-filter-select");
    if (!id) return;
    var select = document.getElementById(id);
    var needle = e.target.value.trim().toLowerCase();
    var first = null;
    Array.prototype.forEach.call(select.options, function (option) {
      var show = !needle || option.text.toLowerCase().indexOf(needle) !== -1;
      option.hidden = !show;
      if (show && option.value && !first) first = option;
    });
    if (first && needle) select.value = first.value;
  });
})();
