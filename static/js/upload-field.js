// Upload widget: every <input data-upload-field="image|file"> (a URL field of a form) gains a drop
// zone with a "Choose a file" button. The chosen or dropped file is checked here for its type and
// size (a courtesy: the server sniffs the content and decides), sent to the uploads API with the
// page's session and CSRF token while a progress bar fills, and the address the server answers
// becomes the field's value; an image is previewed. A refusal shows the server's JSON:API error
// text. Without JavaScript the field stays a plain URL input, and it stays editable with it.
//
// Images go to POST /v1/upload/image as {"data": "data:<type>;base64,…"}; other files to
// POST /v1/upload/files as multipart "file". Both answer {"url": …}.
//
// Keyboard: Tab reaches the file input (shown as the "Choose a file" button, its label); Space
// opens the browser's chooser (Chromium ignores Enter on file inputs). The status line is a live
// region, so progress, success and refusals are announced.

const ENDPOINTS = { image: "/v1/upload/image", file: "/v1/upload/files" };
const IMAGE_TYPES = ["image/png", "image/jpeg", "image/gif", "image/webp", "image/svg+xml"];
const PERCENT = 100;
const BYTES_PER_MB = 1024 * 1024;
let counter = 0;

function element(tag, properties = {}, attributes = {}) {
  const node = Object.assign(document.createElement(tag), properties);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  return node;
}

function csrfToken(input) {
  const cookie = document.cookie.split("; ").find((part) => part.startsWith("csrftoken="));
  if (cookie) return decodeURIComponent(cookie.split("=")[1]);
  return input.form?.querySelector("[name=csrfmiddlewaretoken]")?.value || "";
}

function megabytes(bytes) {
  return `${(bytes / BYTES_PER_MB).toFixed(1)} MB`;
}

// What is wrong with ``file`` before sending it, or "" (the server checks again, by content).
export function precheck(file, kind, maxBytes) {
  if (kind === "image" && file.type && !IMAGE_TYPES.includes(file.type)) {
    return `${file.name} is not an image; choose a PNG, JPEG, GIF, WebP or SVG file.`;
  }
  if (maxBytes && file.size > maxBytes) {
    return `${file.name} is ${megabytes(file.size)}; the limit is ${megabytes(maxBytes)}.`;
  }
  if (file.size === 0) return `${file.name} is empty.`;
  return "";
}

// The text of a JSON:API error answer (or a plain {"detail": …}), or a fallback sentence.
export function errorText(status, body) {
  const errors = body && Array.isArray(body.errors) ? body.errors : [];
  const details = errors.map((error) => error.detail || error.title).filter(Boolean);
  if (details.length) return details.join(" ");
  if (body && typeof body.detail === "string") return body.detail;
  return `The upload failed (HTTP ${status || "error"}).`;
}

function readAsDataURL(file) {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.addEventListener("load", () => resolve(reader.result));
    reader.addEventListener("error", () => reject(reader.error));
    reader.readAsDataURL(file);
  });
}

// POST with XMLHttpRequest, for its upload progress events; resolves to {status, body}.
function send(url, body, headers, token, onProgress) {
  return new Promise((resolve) => {
    const request = new XMLHttpRequest();
    request.open("POST", url);
    request.withCredentials = true;
    request.setRequestHeader("Accept", "application/vnd.api+json, application/json");
    request.setRequestHeader("X-CSRFToken", token);
    for (const [name, value] of Object.entries(headers)) request.setRequestHeader(name, value);
    request.upload.addEventListener("progress", (event) => {
      if (event.lengthComputable) onProgress(event.loaded / event.total);
    });
    request.addEventListener("load", () => {
      let parsed = null;
      try {
        parsed = JSON.parse(request.responseText);
      } catch {
        parsed = null;
      }
      resolve({ status: request.status, body: parsed });
    });
    request.addEventListener("error", () => resolve({ status: 0, body: null }));
    request.send(body);
  });
}

function enhance(input) {
  const kind = input.dataset.uploadField === "file" ? "file" : "image";
  const endpoint = input.dataset.uploadUrl || ENDPOINTS[kind];
  const maxBytes = Number(input.dataset.uploadMax) || 0;
  const id = input.id || `upload-field-${++counter}`;
  const label = input.id ? document.querySelector(`label[for="${CSS.escape(input.id)}"]`) : null;
  const labelText = label ? label.textContent.trim() : "";

  const zone = element("div", { className: "upload-field" }, { "data-upload-zone": "" });
  // The native file input stays focusable (visually hidden): Tab reaches it and Space opens the
  // browser's own chooser; its label is the visible "Choose a file" button.
  const picker = element(
    "input",
    { type: "file", id: `${id}-file`, className: "upload-field__file" },
    {
      ...(kind === "image" ? { accept: IMAGE_TYPES.join(",") } : {}),
      ...(labelText ? { "aria-label": `Choose a file: ${labelText}` } : {}),
    },
  );
  const choose = element("label", { htmlFor: picker.id, className: "button upload-field__choose", textContent: "Choose a file" });
  const hint = element("span", {
    className: "upload-field__hint",
    textContent: kind === "image" ? " or drop an image here" : " or drop a file here",
  });
  const progress = element("progress", { className: "upload-field__progress", max: PERCENT, value: 0, hidden: true }, {
    "aria-label": "Upload progress",
  });
  const status = element("p", { className: "upload-field__status" }, { role: "status", "aria-live": "polite" });
  const preview = element("img", { className: "upload-field__preview", alt: "Preview", hidden: true });
  zone.append(picker, choose, hint, progress, status, preview);
  input.after(zone);

  const showPreview = (url) => {
    if (kind !== "image" || !url) {
      preview.hidden = true;
      return;
    }
    preview.src = url;
    preview.hidden = false;
  };
  const say = (text, isError = false) => {
    status.textContent = text;
    status.classList.toggle("upload-field__status--error", isError);
  };
  showPreview(input.value);

  async function upload(file) {
    const problem = precheck(file, kind, maxBytes);
    if (problem) {
      say(problem, true);
      return;
    }
    say(`Uploading ${file.name}…`);
    progress.value = 0;
    progress.hidden = false;
    zone.setAttribute("aria-busy", "true");
    const onProgress = (fraction) => {
      progress.value = Math.round(fraction * PERCENT);
    };
    const token = csrfToken(input);
    let answer;
    if (kind === "image") {
      const data = await readAsDataURL(file);
      answer = await send(endpoint, JSON.stringify({ data }), { "Content-Type": "application/json" }, token, onProgress);
    } else {
      const form = new FormData();
      form.append("file", file);
      answer = await send(endpoint, form, {}, token, onProgress);
    }
    zone.removeAttribute("aria-busy");
    const url = answer.body && typeof answer.body.url === "string" ? answer.body.url : "";
    if (answer.status >= 200 && answer.status < 300 && url) {
      progress.value = PERCENT;
      input.value = url;
      input.dispatchEvent(new Event("input", { bubbles: true }));
      input.dispatchEvent(new Event("change", { bubbles: true }));
      showPreview(url);
      say(`Uploaded ${file.name}. Save the form to keep it.`);
    } else {
      progress.hidden = true;
      say(errorText(answer.status, answer.body), true);
    }
  }

  picker.addEventListener("change", () => {
    if (picker.files.length) upload(picker.files[0]);
    picker.value = "";
  });
  zone.addEventListener("dragover", (event) => {
    event.preventDefault();
    zone.classList.add("upload-field--over");
  });
  zone.addEventListener("dragleave", () => zone.classList.remove("upload-field--over"));
  zone.addEventListener("drop", (event) => {
    event.preventDefault();
    zone.classList.remove("upload-field--over");
    const file = event.dataTransfer?.files?.[0];
    if (file) upload(file);
  });
  input.addEventListener("change", () => showPreview(input.value));
}

document.querySelectorAll("input[data-upload-field]").forEach(enhance);
