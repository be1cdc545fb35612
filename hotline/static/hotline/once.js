// One-time form tokens (hotline/web/once.py) across Back. Going back to a registration form
// reloads it (its cached copy varies on the cookie), so it comes with a fresh token while the
// browser puts the typed text back. When it did put text back, this is the form that was
// already sent: give it the token it was sent with, and the server answers with that order
// instead of registering the call twice. A form opened afresh (nothing restored) keeps its new
// token. An external file: the Content-Security-Policy forbids inline scripts.
(function () {
  "use strict";
  var KEY = "hotline.once:";
  function restored(form) {
    return Array.prototype.some.call(form.elements, function (el) {
      if (el.type === "hidden" || el.type === "file" || el.type === "submit") return false;
      if (el.type === "checkbox" || el.type === "radio") return el.checked !== el.defaultChecked;
      if (el.tagName === "SELECT") {
        return Array.prototype.some.call(el.options, function (o) {
          return o.selected !== o.defaultSelected;
        });
      }
      return el.value !== el.defaultValue;
    });
  }
  // The browser puts typed text back late (after DOMContentLoaded in Chromium): look again
  // when the page is shown; the submit listener goes on once.
  function adopt() {
    document.querySelectorAll("form input[name=submission]").forEach(function (input) {
      var sent = sessionStorage.getItem(KEY + location.pathname);
      if (sent && restored(input.form)) input.value = sent;
    });
  }
  document.addEventListener("submit", function (e) {
    var input = e.target.querySelector && e.target.querySelector("input[name=submission]");
    if (input) sessionStorage.setItem(KEY + location.pathname, input.value);
  });
  document.addEventListener("DOMContentLoaded", adopt);
  window.addEventListener("pageshow", adopt);
})();
