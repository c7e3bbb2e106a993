// Forms builder: one row per field with Include / Require / Public toggles, reorder by dragging or
// with Move up / Move down, add and delete custom fields, and one "Save form" that posts the whole
// form as JSON. Without JavaScript the page keeps its read-only table.
const root = document.getElementById("forms-builder");
const dataNode = document.getElementById("forms-builder-data");

if (root && dataNode) {
  const data = JSON.parse(dataNode.textContent);
  const typeLabels = Object.fromEntries(data.types.map((type) => [type.value, type.label]));
  // Row keys for the DOM only (crypto.randomUUID needs a secure context; plain-HTTP dev has none).
  let keyCount = 0;
  const newKey = () => `builder-row-${(keyCount += 1)}`;
  let fields = data.fields.map((field) => ({ ...field, key: newKey() }));
  let errors = {};
  let dirty = false;
  let dragKey = null;

  const el = (tag, attrs = {}, ...children) => {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs)) {
      if (value === false || value === null || value === undefined) continue;
      if (name === "text") node.textContent = value;
      else if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
      else node.setAttribute(name, value === true ? "" : value);
    }
    node.append(...children.filter(Boolean));
    return node;
  };

  // The page's own token, read before the read-only markup (which holds it) is replaced; the cookie
  // wins when present because it follows a rotation (log in elsewhere) without a reload.
  const pageToken = root.querySelector("[name=csrfmiddlewaretoken]")?.value;
  const csrfToken = () => {
    const cookie = document.cookie.split("; ").find((part) => part.startsWith("csrftoken="));
    return cookie ? decodeURIComponent(cookie.split("=")[1]) : pageToken;
  };

  const status = el("p", { class: "builder-status", role: "status", "aria-live": "polite" });
  const list = el("ol", { class: "builder-list", "aria-label": "Fields of the form" });
  const generalErrors = el("div", { class: "builder-errors", "aria-live": "polite" });

  const markDirty = () => {
    dirty = true;
    status.textContent = "You have unsaved changes.";
  };

  const focusRow = (key, selector) => {
    const row = list.querySelector(`[data-key="${key}"]`);
    (row?.querySelector(selector) || row?.querySelector("button:not([disabled])"))?.focus();
  };

  const move = (index, by, selector) => {
    const target = index + by;
    if (target < 0 || target >= fields.length) return;
    const [field] = fields.splice(index, 1);
    fields.splice(target, 0, field);
    errors = {};
    markDirty();
    render();
    focusRow(field.key, selector);
    status.textContent = `${field.name} moved to position ${target + 1} of ${fields.length}. You have unsaved changes.`;
  };

  const toggle = (field, name, label, hint) => {
    const id = `${field.key}-${name}`;
    const locked = field.is_fixed;
    const input = el("input", {
      type: "checkbox", id, checked: field[name], disabled: locked,
      "aria-describedby": locked ? `${field.key}-fixed` : null,
      onchange: (event) => {
        field[name] = event.target.checked;
        if (name === "is_required" && field.is_required) field.is_included = true;
        if (name === "is_included" && !field.is_included) field.is_required = false;
        markDirty();
        render();
        focusRow(field.key, `#${CSS.escape(id)}`);
      },
    });
    return el("label", { class: "builder-toggle", for: id, title: hint }, input, ` ${label}`,
      el("span", { class: "visually-hidden", text: ` ${field.name}` }));
  };

  const rowErrors = (index) =>
    Object.entries(errors).filter(([key]) => key.startsWith(`${index}.`)).map(([, message]) => message);

  // The bounds a custom field's answers must keep, as the services check them (texts: their length).
  const boundsText = (field) => {
    if (!field.is_complex || !boundedTypes.has(field.type)) return "";
    const { min, max } = field;
    const what = ["number", "year"].includes(field.type) ? "" : "Length ";
    const say = (text) => (what ? `${what}${text}` : text.charAt(0).toUpperCase() + text.slice(1));
    if (min != null && max != null) return say(`between ${min} and ${max}`);
    if (min != null) return say(`at least ${min}`);
    if (max != null) return say(`at most ${max}`);
    return "";
  };

  const renderRow = (field, index) => {
    const messages = rowErrors(index);
    const errorId = `${field.key}-errors`;
    const row = el("li", {
      class: `builder-row${messages.length ? " builder-row--error" : ""}`,
      "data-key": field.key, draggable: "true",
      "aria-describedby": messages.length ? errorId : null,
    });
    row.addEventListener("dragstart", (event) => {
      dragKey = field.key;
      event.dataTransfer.effectAllowed = "move";
      event.dataTransfer.setData("text/plain", field.key);
      row.classList.add("builder-row--dragging");
    });
    row.addEventListener("dragend", () => { dragKey = null; row.classList.remove("builder-row--dragging"); });
    row.addEventListener("dragover", (event) => { if (dragKey) event.preventDefault(); });
    row.addEventListener("drop", (event) => {
      event.preventDefault();
      const from = fields.findIndex((item) => item.key === dragKey);
      if (from < 0 || from === index) return;
      const [moved] = fields.splice(from, 1);
      fields.splice(index, 0, moved);
      errors = {};
      markDirty();
      render();
      status.textContent = `${moved.name} moved to position ${index + 1} of ${fields.length}. You have unsaved changes.`;
    });
    const title = el("div", { class: "builder-row__title" },
      el("span", { class: "builder-row__handle", "aria-hidden": "true", text: "⠿" }),
      el("strong", { text: field.name || "(no label)" }),
      el("span", { class: "muted", text: ` ${typeLabels[field.type] || field.type}` }),
      field.is_complex ? el("span", { class: "tag", text: "Custom" }) : null,
      field.is_fixed ? el("span", { class: "tag", text: "Fixed" }) : null,
    );
    if (field.is_complex && field.options?.length) {
      title.append(el("span", { class: "muted builder-row__options", text: `Choices: ${field.options.join(", ")}` }));
    }
    const bounds = boundsText(field);
    if (bounds) title.append(el("span", { class: "muted builder-row__options", text: bounds }));
    const toggles = el("div", { class: "builder-row__toggles" },
      toggle(field, "is_included", "Include", "Ask this field on the form"),
      toggle(field, "is_required", "Require", "Speakers must answer it (includes it)"),
      toggle(field, "is_public", "Public", "Shown on the public pages"),
    );
    const actions = el("div", { class: "builder-row__actions" },
      el("button", {
        type: "button", class: "button button--quiet", "data-move": "up", disabled: index === 0,
        "aria-label": `Move ${field.name} up`, text: "Move up",
        onclick: () => move(index, -1, '[data-move="up"]'),
      }),
      el("button", {
        type: "button", class: "button button--quiet", "data-move": "down", disabled: index === fields.length - 1,
        "aria-label": `Move ${field.name} down`, text: "Move down",
        onclick: () => move(index, 1, '[data-move="down"]'),
      }),
      field.is_complex ? el("button", {
        type: "button", class: "button button--quiet", "data-edit": "", "aria-label": `Edit ${field.name}`, text: "Edit",
        onclick: () => openDialog(field),
      }) : null,
      field.is_complex ? el("button", {
        type: "button", class: "button button--quiet", "aria-label": `Delete ${field.name}`, text: "Delete",
        onclick: () => {
          const text = `Delete the field “${field.name}”? Answers already given are kept and shown as archived answers.`;
          if (!window.confirm(text)) return;
          fields.splice(index, 1);
          errors = {};
          markDirty();
          render();
          status.textContent = `${field.name} will be deleted when you save the form.`;
          (list.querySelectorAll(".builder-row")[Math.min(index, fields.length - 1)]?.querySelector("button"))?.focus();
        },
      }) : null,
    );
    row.append(title, toggles, actions);
    if (field.is_fixed) {
      row.append(el("p", { id: `${field.key}-fixed`, class: "muted builder-row__note",
        text: "This field is always included and required." }));
    }
    if (messages.length) {
      row.append(el("ul", { id: errorId, class: "errorlist" }, ...messages.map((message) => el("li", { text: message }))));
    }
    return row;
  };

  const render = () => {
    list.replaceChildren(...fields.map(renderRow));
    const other = Object.entries(errors).filter(([key]) => !/^\d+\./.test(key)).map(([, message]) => message);
    generalErrors.replaceChildren(
      ...(other.length ? [el("ul", { class: "errorlist" }, ...other.map((message) => el("li", { text: message })))] : []),
    );
  };

  // --- adding or editing a custom field ----------------------------------------------------------
  const choiceTypes = new Set(data.choiceTypes);
  const boundedTypes = new Set(data.boundedTypes);
  const dialog = el("dialog", { class: "builder-dialog", "aria-labelledby": "builder-add-heading" });
  const addForm = el("form", { class: "form", method: "dialog" });
  const fieldBox = (id, label, control, hint) => el("div", { class: "field" },
    el("label", { for: id, text: label }), control, hint ? el("p", { class: "muted", id: `${id}-hint`, text: hint }) : null);
  const nameInput = el("input", { id: "builder-new-name", name: "name", required: true, maxlength: "255" });
  const typeSelect = el("select", { id: "builder-new-type", name: "type" },
    ...data.types.map((type) => el("option", { value: type.value, text: type.label })));
  const optionsInput = el("textarea", { id: "builder-new-options", name: "options", rows: "4",
    "aria-describedby": "builder-new-options-hint" });
  const helpInput = el("textarea", { id: "builder-new-help", name: "description", rows: "2", maxlength: "2000" });
  const minInput = el("input", { id: "builder-new-min", name: "min", type: "number", step: "1" });
  const maxInput = el("input", { id: "builder-new-max", name: "max", type: "number", step: "1" });
  const optionsBox = fieldBox("builder-new-options", "Choices", optionsInput, "One choice per line.");
  const boundsBox = el("div", { class: "form form--grid" },
    fieldBox("builder-new-min", "Minimum", minInput), fieldBox("builder-new-max", "Maximum", maxInput));
  const addError = el("p", { class: "errorlist", role: "alert" });
  const dialogHeading = el("h2", { id: "builder-add-heading", text: "Add a custom field" });
  const dialogSubmit = el("button", { type: "submit", class: "button", text: "Add field" });
  let editing = null; // the custom field the dialog changes, or null when it adds one
  const showTypeParts = () => {
    optionsBox.hidden = !choiceTypes.has(typeSelect.value);
    boundsBox.hidden = !boundedTypes.has(typeSelect.value);
  };
  typeSelect.addEventListener("change", showTypeParts);
  addForm.append(
    dialogHeading,
    fieldBox("builder-new-name", "Label", nameInput),
    fieldBox("builder-new-type", "Type", typeSelect),
    optionsBox, fieldBox("builder-new-help", "Help text", helpInput), boundsBox, addError,
    el("div", { class: "form-actions" },
      dialogSubmit,
      el("button", { type: "button", class: "button button--quiet", text: "Cancel", onclick: () => dialog.close() })),
  );
  dialog.append(addForm);
  addForm.addEventListener("submit", (event) => {
    event.preventDefault();
    const name = nameInput.value.trim();
    const options = optionsInput.value.split("\n").map((line) => line.trim()).filter(Boolean);
    if (!name) { addError.textContent = "Give the field a label."; nameInput.focus(); return; }
    if (choiceTypes.has(typeSelect.value) && !options.length) {
      addError.textContent = "Give at least one choice."; optionsInput.focus(); return;
    }
    const bound = (input) => (boundedTypes.has(typeSelect.value) && input.value !== "" ? Number(input.value) : null);
    const values = {
      name, type: typeSelect.value, description: helpInput.value.trim(), min: bound(minInput), max: bound(maxInput),
      options: choiceTypes.has(typeSelect.value) ? options : [],
    };
    markDirty();
    dialog.close();
    if (editing) {
      const index = fields.indexOf(editing);
      Object.assign(editing, values);
      // The row's refusals were about what was just changed: they go until the next save.
      errors = Object.fromEntries(Object.entries(errors).filter(([key]) => !key.startsWith(`${index}.`)));
      render();
      status.textContent = `${name} changed. You have unsaved changes.`;
      focusRow(editing.key, "[data-edit]");
      return;
    }
    const field = {
      key: newKey(), id: null, field_identifier: "", is_included: true, is_required: false, is_public: false,
      is_complex: true, is_fixed: false, ...values,
    };
    fields.push(field);
    render();
    status.textContent = `${name} added at the end of the form. You have unsaved changes.`;
    focusRow(field.key, '[data-move="up"]');
  });
  const openDialog = (field = null) => {
    editing = field;
    addForm.reset();
    addError.textContent = "";
    if (field) {
      nameInput.value = field.name;
      typeSelect.value = field.type;
      optionsInput.value = (field.options || []).join("\n");
      helpInput.value = field.description || "";
      minInput.value = field.min ?? "";
      maxInput.value = field.max ?? "";
    }
    dialogHeading.textContent = field ? `Edit the field “${field.name}”` : "Add a custom field";
    dialogSubmit.textContent = field ? "Save field" : "Add field";
    showTypeParts();
    dialog.showModal();
    nameInput.focus();
  };
  const addButton = el("button", {
    type: "button", class: "button button--quiet", text: "Add a custom field", onclick: () => openDialog(),
  });

  // --- saving --------------------------------------------------------------------------------------
  const saveButton = el("button", { type: "button", class: "button", text: "Save form" });
  const payload = () => fields.map(({ key, is_fixed, ...field }, index) => {
    const row = { ...field, position: index };
    if (row.id === null) {
      delete row.id;
      if (row.is_complex) delete row.field_identifier;
    }
    return row;
  });
  saveButton.addEventListener("click", async () => {
    saveButton.disabled = true;
    status.textContent = "Saving…";
    try {
      const response = await fetch(window.location.pathname, {
        method: "POST", credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken(), Accept: "application/json" },
        body: JSON.stringify({ fields: payload() }),
      });
      const body = await response.json().catch(() => ({}));
      if (response.ok) {
        fields = body.fields.map((field) => ({ ...field, key: newKey() }));
        errors = {};
        dirty = false;
        render();
        status.textContent = body.message || "The form is saved.";
      } else {
        errors = body.errors && Object.keys(body.errors).length ? body.errors : { fields: body.message || "The form could not be saved." };
        render();
        status.textContent = body.message || "The form could not be saved.";
        list.querySelector(".builder-row--error button")?.focus();
      }
    } catch {
      status.textContent = "The form could not be saved (no connection). Your changes are kept; try again.";
    } finally {
      saveButton.disabled = false;
    }
  });

  window.addEventListener("beforeunload", (event) => {
    if (!dirty) return;
    event.preventDefault();
    event.returnValue = "";
  });

  root.replaceChildren(
    el("div", { class: "builder-toolbar" }, addButton),
    generalErrors, list,
    el("div", { class: "form-actions builder-save" }, saveButton, status),
    dialog,
  );
  render();
}
