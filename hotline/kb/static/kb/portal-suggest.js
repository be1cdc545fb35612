// The portal's submit form: as the citizen describes the request, show public articles that may
// already answer it ("your question may already be answered"); sending the form goes on as usual.
(() => {
  const box = document.querySelector("[data-kb-suggest]");
  const form = box && box.closest("form");
  if (!form) return;
  // Only the start of each field goes into the URL: a long description passed gunicorn's request
  // line, got 414, and the box never updated again. How much of each field: the box's
  // data-kb-limits, rendered from hotline.kb.assist.SUGGEST_FIELD_CHARS.
  const LIMITS = JSON.parse(box.dataset.kbLimits || "{}");
  let timer = null;
  let last = "";
  const refresh = async () => {
    const params = new URLSearchParams();
    for (const name of ["title", "description"]) {
      const field = form.elements.namedItem(name);
      if (field && field.value) params.set(name, field.value.slice(0, LIMITS[name] ?? field.value.length));
    }
    const query = params.toString();
    if (query === last) return;
    last = query;
    try {
      const response = await fetch(`${box.dataset.kbSuggest}?${query}`, { credentials: "same-origin" });
      if (response.ok) box.innerHTML = await response.text();
    } catch (error) {
      // Offline or the server is busy: the form works without suggestions.
    }
  };
  form.addEventListener("input", (event) => {
    if (!["title", "description"].includes(event.target.name)) return;
    clearTimeout(timer);
    timer = setTimeout(refresh, 500);
  });
})();
