// The dispatch dialog's unit picker: a search box over the unit tree for each
// <select data-unit-picker="one|many">. Type part of a name, its pinyin initials (jnl → 江宁路街道,
// fgj → 区房管局) or its code; the server puts each option's depth, parent, initials and keys on it. The select stays in the form
// (hidden) and carries the choice, so the page works the same without this script.
// Also: a click on a suggested unit chooses it as the lead unit of the open dispatch form.
(function () {
  "use strict";

  function text(select, name, fallback) {
    return select.getAttribute("data-" + name) || fallback;
  }

  function enhance(select) {
    if (select.getAttribute("data-enhanced")) return;
    select.setAttribute("data-enhanced", "1");
    var many = select.getAttribute("data-unit-picker") === "many";
    var options = Array.prototype.filter.call(select.options, function (o) { return o.value; });
    var byId = {};
    options.forEach(function (o) { byId[o.value] = o; });

    var box = document.createElement("div");
    box.className = "unit-picker";
    box.setAttribute("data-for", select.id);
    var chosen = document.createElement("div");
    chosen.className = "chosen";
    var search = document.createElement("input");
    search.type = "search";
    search.autocomplete = "off";
    search.placeholder = text(select, "placeholder", "");
    search.setAttribute("aria-label", text(select, "placeholder", ""));
    search.setAttribute("role", "combobox");
    var list = document.createElement("ul");
    list.setAttribute("role", "listbox");
    list.id = select.id + "_tree";
    search.setAttribute("aria-controls", list.id);
    if (many) list.setAttribute("aria-multiselectable", "true");
    // The hidden select keeps `required`; the browser cannot point at it, so its "choose one"
    // message shows here, under the search box, which takes the focus.
    var problem = document.createElement("p");
    problem.className = "picker-problem";
    problem.id = select.id + "_problem";
    problem.setAttribute("role", "alert");
    problem.hidden = true;
    box.appendChild(chosen);
    box.appendChild(search);
    box.appendChild(problem);
    box.appendChild(list);
    select.hidden = true;
    select.parentNode.insertBefore(box, select.nextSibling);
    var label = select.id && document.querySelector("label[for='" + select.id + "']");
    if (label) label.setAttribute("for", "");

    var active = -1;

    function ancestors(option) {
      var found = [];
      var parent = byId[option.getAttribute("data-parent")];
      while (parent) {
        found.unshift(parent);
        parent = byId[parent.getAttribute("data-parent")];
      }
      return found;
    }

    // The name anywhere; the initials, the initials without the leading place (fgj → 区房管局)
    // and the code (jnl-01) from their start.
    function matches(option, needle) {
      var keys = ((option.getAttribute("data-initials") || "") + " " +
        (option.getAttribute("data-keys") || "")).split(" ");
      return option.text.toLowerCase().indexOf(needle) !== -1 ||
        keys.some(function (key) { return key && key.indexOf(needle) === 0; });
    }

    function render() {
      var needle = search.value.trim().toLowerCase();
      var shown = {};
      var hits = {};
      options.forEach(function (o) {
        if (!needle || matches(o, needle)) {
          hits[o.value] = true;
          shown[o.value] = true;
          ancestors(o).forEach(function (a) { shown[a.value] = true; });
        }
      });
      list.innerHTML = "";
      options.forEach(function (o) {
        if (!shown[o.value]) return;
        var li = document.createElement("li");
        li.setAttribute("role", "option");
        li.setAttribute("data-value", o.value);
        li.setAttribute("data-depth", o.getAttribute("data-depth") || "0");
        li.setAttribute("aria-selected", o.selected ? "true" : "false");
        li.textContent = o.text;
        if (!hits[o.value]) li.className = "context";
        list.appendChild(li);
      });
      if (!list.children.length) {
        var none = document.createElement("li");
        none.className = "empty";
        none.textContent = text(select, "empty", "—");
        list.appendChild(none);
      }
      active = -1;
      if (needle) {
        var first = list.querySelector("li:not(.context):not(.empty)");
        if (first) setActive(Array.prototype.indexOf.call(list.children, first));
      }
      renderChosen();
    }

    function renderChosen() {
      chosen.innerHTML = "";
      Array.prototype.forEach.call(select.selectedOptions, function (o) {
        if (!o.value) return;
        var chip = document.createElement("span");
        chip.className = "chip";
        chip.setAttribute("data-value", o.value);
        chip.textContent = o.text;
        if (many) {
          var remove = document.createElement("button");
          remove.type = "button";
          remove.textContent = "×";
          remove.setAttribute("aria-label", text(select, "remove", "×") + " " + o.text);
          remove.addEventListener("click", function () { toggle(o.value); });
          chip.appendChild(remove);
        }
        chosen.appendChild(chip);
      });
    }

    function setActive(index) {
      var items = list.children;
      if (active >= 0 && items[active]) items[active].classList.remove("active");
      active = Math.max(0, Math.min(index, items.length - 1));
      if (items[active]) {
        items[active].classList.add("active");
        items[active].scrollIntoView({ block: "nearest" });
      }
    }

    function toggle(value) {
      var option = byId[value];
      if (!option) return;
      if (many) {
        option.selected = !option.selected;
      } else {
        select.value = value;
      }
      select.dispatchEvent(new Event("change", { bubbles: true }));
      if (!many) search.value = "";
      render();
      search.focus();
    }

    list.addEventListener("mousedown", function (e) { e.preventDefault(); });
    list.addEventListener("click", function (e) {
      var li = e.target.closest("li[data-value]");
      if (li) toggle(li.getAttribute("data-value"));
    });
    search.addEventListener("input", render);
    search.addEventListener("keydown", function (e) {
      if (e.key === "ArrowDown") { e.preventDefault(); setActive(active + 1); }
      else if (e.key === "ArrowUp") { e.preventDefault(); setActive(active - 1); }
      else if (e.key === "Enter" && !(e.ctrlKey || e.metaKey)) {
        // Enter picks the highlighted unit; it never submits the form by accident.
        e.preventDefault();
        var li = list.children[active];
        if (li && li.getAttribute("data-value")) toggle(li.getAttribute("data-value"));
      }
    });
    select.addEventListener("change", function (e) {
      if (e.target === select) { renderChosen(); markSelected(); clearProblem(); }
    });
    select.addEventListener("invalid", function (e) {
      e.preventDefault();
      problem.textContent = text(select, "required", select.validationMessage);
      problem.hidden = false;
      search.setAttribute("aria-invalid", "true");
      search.setAttribute("aria-describedby", problem.id);
      search.focus();
    });
    function clearProblem() {
      problem.hidden = true;
      search.removeAttribute("aria-invalid");
      search.removeAttribute("aria-describedby");
    }
    function markSelected() {
      Array.prototype.forEach.call(list.querySelectorAll("li[data-value]"), function (li) {
        li.setAttribute("aria-selected", byId[li.getAttribute("data-value")].selected ? "true" : "false");
      });
    }
    render();
  }

  function enhanceAll(root) {
    Array.prototype.forEach.call(
      (root || document).querySelectorAll("select[data-unit-picker]"), enhance
    );
  }

  document.addEventListener("click", function (e) {
    var pick = e.target.closest && e.target.closest("button.pick[data-unit-id]");
    if (!pick) return;
    var panel = pick.closest(".order-panel") || document;
    // A suggestion inside a form (the sub-units in "assign inside") fills that form's picker.
    var form = pick.closest("form");
    var open = (form && form.querySelector("select[data-unit-picker]")) ||
      panel.querySelector("details.action[open] select[name=lead_unit]") ||
      panel.querySelector("select[name=lead_unit]");
    if (!open) return;
    var details = open.closest("details");
    if (details) details.open = true;
    open.value = pick.getAttribute("data-unit-id");
    open.dispatchEvent(new Event("change", { bubbles: true }));
  });
  document.addEventListener("DOMContentLoaded", function () { enhanceAll(document); });
  document.addEventListener("htmx:afterSettle", function () { enhanceAll(document); });
})();
