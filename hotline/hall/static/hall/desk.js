// The window desk. No inline scripts: the Content-Security-Policy forbids them.
(function () {
  "use strict";
  // A part of the page refreshed by polling (data-keep-typed: the waiting list) is not swapped
  // while the clerk is typing in it (a reason to call a ticket out of order) or has left text
  // there: the swap would wipe it. The next poll after they clear it or leave it refreshes it.
  function typing(part) {
    var active = document.activeElement;
    if (active && active !== part && part.contains(active) && active.tagName !== "BUTTON") return true;
    return Array.prototype.some.call(part.querySelectorAll("input, textarea, select"), function (el) {
      if (el.type === "hidden" || el.type === "submit" || el.type === "button") return false;
      if (el.type === "checkbox" || el.type === "radio") return el.checked !== el.defaultChecked;
      return el.value !== el.defaultValue;
    });
  }
  document.addEventListener("htmx:beforeRequest", function (e) {
    var part = e.detail && e.detail.elt;
    if (part && part.hasAttribute && part.hasAttribute("data-keep-typed") && typing(part)) {
      e.preventDefault();
    }
  });
})();
