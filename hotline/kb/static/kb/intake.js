// "Answer with this article" beside the intake form: fill the answer box with the article's
// text and name the article and revision in hidden fields (the answer event records them).
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-kb-answer]");
  if (!button) return;
  const form = document.getElementById("intake-form");
  const answer = document.getElementById("id_answer_text");
  if (!form || !answer) return;
  for (const [name, value] of [["kb_article", button.dataset.article], ["kb_revision", button.dataset.revision]]) {
    let input = form.querySelector(`input[name="${name}"]`);
    if (!input) {
      input = document.createElement("input");
      input.type = "hidden";
      input.name = name;
      form.appendChild(input);
    }
    input.value = value;
  }
  answer.value = button.dataset.text;
  const details = answer.closest("details");
  if (details) details.open = true;
  answer.focus();
});

// The suggestions' request sends only the start of the title and the description: a long
// description passed gunicorn's request line (414) and the suggestions froze. How much of each
// field: the box's data-kb-limits, rendered from hotline.kb.assist.SUGGEST_FIELD_CHARS.
document.addEventListener("htmx:configRequest", (event) => {
  if (event.detail.elt.id !== "kb-suggestions") return;
  const limits = JSON.parse(event.detail.elt.dataset.kbLimits || "{}");
  for (const [name, limit] of Object.entries(limits)) {
    const value = event.detail.parameters[name];
    if (typeof value === "string" && value.length > limit) {
      event.detail.parameters[name] = value.slice(0, limit);
    }
  }
});
