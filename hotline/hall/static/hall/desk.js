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
  // "No-show" waits for the hall's minutes since the call (or its recalls): the page says until
  // when and offers it at that moment, without a reload (the server still checks the rule).
  Array.prototype.forEach.call(document.querySelectorAll("[data-enable-in]"), function (hint) {
    var confirm = hint.parentNode.querySelector("[data-confirm=no_show]");
    if (!confirm) return;
    var ms = parseInt(hint.getAttribute("data-enable-in"), 10) * 1000 + 500;
    window.setTimeout(function () {
      hint.hidden = true;
      confirm.hidden = false;
    }, Math.max(ms, 0));
  });
  // Each desk action reloads the page with the focus on the next step's button (data-autofocus:
  // Call next after Finish, Start service after Call next, Finish after Start). A key held, or
  // Enter pressed twice, then did the next step too: finish and call the next citizen, who was
  // not meant to be called yet (review r1, L6). So the button the page focused takes no key
  // for a moment after the page comes (ARM_MS: a double press is well inside it, a clerk who
  // reads the new state and presses again is past it), and never a held key's repeats. A click
  // is never held back; the server still checks every step.
  //
  // This script gives the focus, after its guard is in place: an autofocus attribute focused
  // the button as soon as the page showed, and where this script came late (a slow server, a
  // cold cache) a second Enter 0.6 s after the first still called the next citizen (session 27).
  var ARM_MS = 700;
  var armed = false;
  window.setTimeout(function () {
    armed = true;
    document.body.setAttribute("data-desk-armed", "");
  }, ARM_MS);
  document.addEventListener("keydown", function (e) {
    if (e.key !== "Enter" && e.key !== " ") return;
    var target = e.target;
    if (!target || target.tagName !== "BUTTON" || !target.hasAttribute("data-autofocus")) return;
    if (e.repeat || !armed) e.preventDefault();
  }, true);
  document.addEventListener("keyup", function (e) {
    // Space acts when it is let go: a press begun before the page came does not count.
    if (e.key !== " " || armed) return;
    var target = e.target;
    if (target && target.tagName === "BUTTON" && target.hasAttribute("data-autofocus")) e.preventDefault();
  }, true);
  // Not where the clerk has already put the focus (a click or a tab before this script ran).
  var first = document.querySelector("button[data-autofocus]");
  var active = document.activeElement;
  if (first && (!active || active === document.body)) first.focus();
  document.addEventListener("htmx:beforeRequest", function (e) {
    var part = e.detail && e.detail.elt;
    if (part && part.hasAttribute && part.hasAttribute("data-keep-typed") && typing(part)) {
      e.preventDefault();
    }
  });
})();
