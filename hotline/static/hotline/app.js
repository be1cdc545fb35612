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
  // The order panel is replaced whole by what any of its forms sends (the timeline, the
  // attachments and the actions open now all change): a reply half-typed in an open action box
  // was lost when the handler attached the photo for it or added a comment first, and a comment
  // typed beside it when an action was sent. What was typed in the panel's other forms (open
  // action boxes, the comment box) comes back into the new panel's same forms, where they are
  // still there; the form that was sent shows what the server answered.
  var drafts = null;
  var draftFields = function (form) {
    return Array.prototype.filter.call(form.querySelectorAll("input, textarea, select"), function (f) {
      return f.name && ["hidden", "file", "submit", "button"].indexOf(f.type) === -1;
    });
  };
  document.addEventListener("htmx:beforeSwap", function (e) {
    drafts = null;
    var panel = e.detail.target;
    if (!panel || panel.id !== "order-panel") return;
    var sent = e.detail.requestConfig && e.detail.requestConfig.elt;
    sent = sent && sent.closest ? sent.closest("form") : null;
    drafts = [];
    panel.querySelectorAll("details.action[open][data-action] form, form.comment-form").forEach(function (form) {
      if (form === sent) return;
      var box = form.closest("details.action");
      drafts.push({
        where: box ? 'details.action[data-action="' + box.getAttribute("data-action") + '"]' : "form.comment-form",
        fields: draftFields(form).map(function (f) {
          return {
            name: f.name, value: f.value, checked: f.checked, type: f.type,
            selected: f.multiple ? Array.prototype.filter.call(f.options, function (o) { return o.selected; }).map(function (o) { return o.value; }) : null
          };
        })
      });
    });
  });
  document.addEventListener("htmx:afterSwap", function () {
    var kept = drafts;
    drafts = null;
    if (!kept) return;
    kept.forEach(function (draft) {
      var place = document.querySelector("#order-panel " + draft.where);
      if (!place) return; // that action is no longer open to this person
      if (place.tagName === "DETAILS") place.open = true;
      var fields = draftFields(place);
      draft.fields.forEach(function (d) {
        fields.forEach(function (f) {
          if (f.name !== d.name) return;
          if (f.type === "radio" || f.type === "checkbox") {
            if (f.value === d.value) f.checked = d.checked;
          } else if (d.selected) {
            Array.prototype.forEach.call(f.options, function (o) { o.selected = d.selected.indexOf(o.value) !== -1; });
          } else {
            f.value = d.value;
          }
        });
      });
    });
  });
  // A refused action (422, 409 …): the focus goes to what must be put right, the first field
  // the server refused, else the refusal itself; it fell to the page's body, the top of the page
  // for a keyboard or a screen reader (h5, session 28: a reply pasted twice, on a phone).
  document.addEventListener("htmx:afterSwap", function (e) {
    if (e.detail.xhr.status < 400) return;
    var panel = document.getElementById("order-panel");
    if (!panel) return;
    var field = panel.querySelector("details.action[open] [aria-invalid=true], form.comment-form [aria-invalid=true]");
    var alert = panel.querySelector("details.action[open] [role=alert], .refused[role=alert], [role=alert]");
    var target = field || alert;
    if (!target) return;
    if (!field) target.setAttribute("tabindex", "-1");
    target.focus({ preventScroll: false });
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
