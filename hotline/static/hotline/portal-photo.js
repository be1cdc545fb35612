// Portal submit form: a photo over the limit is refused in the browser, before a long upload
// that the server would drop anyway. The input says its limit and message in data-max-bytes and
// data-too-large (hotline/portal/forms.py); the server checks again. An external file because
// the Content-Security-Policy forbids inline scripts.
(function () {
  "use strict";
  function messageFor(input) {
    var id = input.id + "-size";
    var note = document.getElementById(id);
    if (!note) {
      note = document.createElement("ul");
      note.id = id;
      note.className = "errorlist";
      note.setAttribute("data-testid", "photo-size");
      note.setAttribute("role", "alert");
      input.insertAdjacentElement("afterend", note);
    }
    return note;
  }
  function check(input) {
    var max = parseInt(input.getAttribute("data-max-bytes"), 10);
    var file = input.files && input.files[0];
    var tooLarge = Boolean(file && max && file.size > max);
    var note = messageFor(input);
    note.textContent = "";
    if (tooLarge) {
      var item = document.createElement("li");
      item.textContent = input.getAttribute("data-too-large");
      note.appendChild(item);
      input.value = ""; // keep the rest of the form sendable; nothing big goes up
    }
    input.closest(".field").classList.toggle("invalid", tooLarge);
    return !tooLarge;
  }
  document.addEventListener("change", function (e) {
    if (e.target.matches && e.target.matches("input[type=file][data-max-bytes]")) check(e.target);
  });
})();
