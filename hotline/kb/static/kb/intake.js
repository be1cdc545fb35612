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
