// The mail editors (an event's mail templates, mail to speakers): the placeholder buttons put
// `{name}` at the cursor of the subject or the text, and the preview beside the form follows what
// is typed. The preview is rendered by the server (POST of the whole form to data-preview-url,
// answered with JSON: subject, text, html, errors, and for mail to speakers a summary of the
// recipients), asked for at most every DELAY ms while typing; an answer that arrives after a newer
// one is dropped. The HTML mail goes into a frame with `sandbox` and no permission: it can run
// nothing and reach nothing. Without JavaScript the page shows the preview of what it was loaded
// with, and a "Preview" button asks the server for a new one.
const DELAY = 250;

for (const form of document.querySelectorAll("form[data-mail-editor]")) {
  enhance(form);
}

function enhance(form) {
  const panel = document.querySelector("[data-preview-panel]");
  const subject = form.elements.namedItem("subject");
  const body = form.elements.namedItem("body");
  let lastField = body;
  for (const field of [subject, body]) {
    field?.addEventListener("focus", () => {
      lastField = field;
    });
  }

  for (const button of form.querySelectorAll("button[data-placeholder]")) {
    // Keep the cursor where it was: a pressed button would take the focus first.
    button.addEventListener("mousedown", (event) => event.preventDefault());
    button.addEventListener("click", () => insert(lastField, `{${button.dataset.placeholder}}`));
  }
  for (const button of form.querySelectorAll("[data-no-js-only]")) button.remove();

  if (!panel || !form.dataset.previewUrl) return;
  let timer = null;
  let asked = 0;
  let shown = 0;
  const refresh = async () => {
    const ticket = ++asked;
    panel.setAttribute("aria-busy", "true");
    try {
      const response = await fetch(form.dataset.previewUrl, {
        method: "POST",
        body: new FormData(form),
        headers: { Accept: "application/json", "X-Requested-With": "fetch" },
        credentials: "same-origin",
      });
      if (!response.ok) throw new Error(`preview answered ${response.status}`);
      const preview = await response.json();
      if (ticket < shown) return;
      shown = ticket;
      show(panel, preview);
    } catch (error) {
      // The preview stays as it was; saving still works.
      console.warn("Mail preview failed:", error);
    } finally {
      if (ticket === asked) panel.removeAttribute("aria-busy");
    }
  };
  const later = () => {
    clearTimeout(timer);
    timer = setTimeout(refresh, DELAY);
  };
  form.addEventListener("input", later);
  form.addEventListener("change", later);
}

function insert(field, text) {
  if (!field) return;
  const start = field.selectionStart ?? field.value.length;
  const end = field.selectionEnd ?? start;
  field.setRangeText(text, start, end, "end");
  field.focus();
  field.dispatchEvent(new Event("input", { bubbles: true }));
}

function show(panel, preview) {
  const part = (name) => panel.querySelector(`[data-preview="${name}"]`);
  part("subject").textContent = preview.subject;
  part("text").textContent = preview.text;
  part("html").srcdoc = preview.html;
  const summary = part("summary");
  if (summary && preview.summary !== undefined) summary.textContent = preview.summary;
  const errors = part("errors");
  const messages = Object.values(preview.errors || {}).flat();
  const list = document.createElement("ul");
  list.className = "errorlist";
  for (const message of messages) {
    const item = document.createElement("li");
    item.textContent = message;
    list.append(item);
  }
  errors.replaceChildren(list);
  errors.hidden = messages.length === 0;
}
