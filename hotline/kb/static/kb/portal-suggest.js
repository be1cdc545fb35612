// The portal's submit form: as the citizen describes the request, show public articles that may
// already answer it ("your question may already be answered"); sending the form goes on as usual.
(() => {
  const box = document.querySelector("[data-kb-suggest]");
  const form = box && box.closest("form");
  if (!form) return;
  // Only the start of each field goes into the URL. The search reads the first 500 characters
  // anyway, and a Chinese character takes nine in a URL: a long description passed gunicorn's
  // 4,094-byte request line, got 414, and the box never updated again.
  const LIMITS = { title: 100, description: 300 };
  let timer = null;
  let last = "";
  const refresh = async () => {
    const params = new URLSearchParams();
    for (const name of ["title", "description"]) {
      const field = form.elements.namedItem(name);
      if (field && field.value) params.set(name, field.value.slice(0, LIMITS[name]));
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
