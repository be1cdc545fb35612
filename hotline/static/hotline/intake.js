// Intake: take a suggested category (hotline/templates/web/_category_suggestion.html) with a
// click or Alt+1 for the first one; the category box is set as if chosen by hand. External
// file: the Content-Security-Policy forbids inline scripts.
(function () {
  "use strict";
  function pick(button) {
    var select = document.getElementById("id_category");
    if (!select) return;
    var filter = document.getElementById("category-filter");
    if (filter && filter.value) {
      filter.value = "";
      filter.dispatchEvent(new Event("input", { bubbles: true })); // show every option again
    }
    select.value = button.getAttribute("data-pick-category");
    select.dispatchEvent(new Event("change", { bubbles: true }));
    document.querySelectorAll("[data-pick-category]").forEach(function (b) {
      b.setAttribute("aria-pressed", String(b === button));
    });
  }
  document.addEventListener("click", function (e) {
    var button = e.target.closest && e.target.closest("[data-pick-category]");
    if (button) pick(button);
  });
  document.addEventListener("keydown", function (e) {
    if (!e.altKey || (e.key !== "1" && e.code !== "Digit1")) return;
    var first = document.querySelector("[data-pick-category]");
    if (first) { e.preventDefault(); pick(first); }
  });
})();
