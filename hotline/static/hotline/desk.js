// Desks (hotline/templates/web/desk.html): keyboard shortcuts and keeping the person's place.
//   j / k   next / previous order      Enter  open it
//   d       dispatch it (dispatch desk: its page opens with the dispatch form)
//   s       sign for it (unit inbox, "To sign for": done here, the next order is selected)
//   ?       this list (a <dialog>; Esc closes it)
// The selected row is remembered by order number, so when the person pulls in new orders
// (the desk's "3 new orders" line) the same order stays selected. External file: the CSP
// forbids inline scripts.
(function () {
  "use strict";
  var selected = null;

  function desk() { return document.querySelector("[data-desk]"); }
  function rows() {
    return Array.prototype.slice.call(document.querySelectorAll("#order-table tbody tr[data-number]"));
  }
  function current() {
    return rows().filter(function (r) { return r.getAttribute("data-number") === selected; })[0] || null;
  }
  function select(row, keepScroll) {
    rows().forEach(function (r) { r.classList.remove("selected"); r.removeAttribute("aria-selected"); });
    selected = row ? row.getAttribute("data-number") : null;
    if (!row) return;
    row.classList.add("selected");
    row.setAttribute("aria-selected", "true");
    if (!keepScroll) row.scrollIntoView({ block: "nearest" });
  }
  function move(step) {
    var list = rows();
    if (!list.length) return;
    var i = list.indexOf(current());
    i = i < 0 ? (step > 0 ? 0 : list.length - 1) : Math.min(list.length - 1, Math.max(0, i + step));
    select(list[i]);
  }
  function open(row) {
    var link = row && row.querySelector("a[href]");
    if (link) window.location.href = link.href;
  }
  function csrfToken() {
    try { return JSON.parse(document.body.getAttribute("hx-headers"))["X-CSRFToken"]; }
    catch (e) { return ""; }
  }
  function signFor(row) {
    var link = row && row.querySelector("a[href]");
    if (!link) return;
    var body = new FormData();
    body.append("csrfmiddlewaretoken", csrfToken());
    fetch(link.getAttribute("href") + "act/accept", {
      method: "POST", body: body, credentials: "same-origin", headers: { "HX-Request": "true" }
    }).then(function (response) {
      if (!response.ok) { open(row); return; } // refused: the order page says why
      var list = rows();
      var next = list[list.indexOf(row) + 1] || list[list.indexOf(row) - 1] || null;
      row.remove();
      var count = document.getElementById("count-to_accept");
      if (count) count.textContent = String(Math.max(0, parseInt(count.textContent, 10) - 1));
      var badge = document.getElementById("badge-unit_inbox");
      if (badge) badge.textContent = String(Math.max(0, parseInt(badge.textContent, 10) - 1));
      select(next);
    });
  }
  function typing(target) {
    return target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName);
  }

  document.addEventListener("keydown", function (e) {
    var box = desk();
    if (!box || e.ctrlKey || e.metaKey || e.altKey || typing(e.target)) return;
    var help = document.getElementById("desk-help");
    if (help && help.open) {
      if (e.key === "?") { help.close(); e.preventDefault(); }
      return;
    }
    var row = current();
    if (e.key === "j") move(1);
    else if (e.key === "k") move(-1);
    else if (e.key === "Enter" && row) open(row);
    else if (e.key === "d" && row && box.hasAttribute("data-dispatch")) open(row);
    else if (e.key === "s" && row && box.hasAttribute("data-sign-for")) signFor(row);
    else if (e.key === "?" && help) help.showModal();
    else return;
    e.preventDefault();
  });
  document.addEventListener("click", function (e) {
    var button = e.target.closest && e.target.closest("[data-desk-help]");
    if (button) document.getElementById("desk-help").showModal();
  });
  // New orders pulled in: the same order stays selected (if it is still in the queue), and the
  // page does not jump. The poll's own swaps touch neither.
  document.addEventListener("htmx:afterSettle", function (e) {
    var table = e.detail.elt && e.detail.elt.id === "order-table";
    if (table && selected) select(current(), true);
  });
})();
