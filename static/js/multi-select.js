// Searchable multi-select: every <select multiple data-multi-select="noun">
// (openevent.core.forms.SearchableSelectMultiple) becomes a list of chosen items, each with a ×
// button, and a combobox to find and add more (WAI-ARIA combobox with a listbox popup).
//
// The select stays in the form, hidden, and is what posts the choice: this module only ticks and
// unticks its options. Without JavaScript the native select is used as it is. The candidates are
// the select's own options (already in the page), so searching costs no request.
//
// Keyboard: type to filter; ↓/↑ move through the suggestions (Home/End to the ends); Enter adds
// the highlighted one (or the only match); Escape closes the list, a second Escape clears the
// text; Backspace in the empty box removes the last chosen item; on a chosen item's × button,
// Enter/Space, Delete or Backspace remove it.

const MAX_SUGGESTIONS = 50;
let counter = 0;

function fold(text) {
  return text.normalize("NFD").replace(/\p{M}/gu, "").toLocaleLowerCase();
}

function element(tag, properties = {}, attributes = {}) {
  const node = Object.assign(document.createElement(tag), properties);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  return node;
}

function enhance(select) {
  const noun = select.dataset.multiSelect || "item";
  const id = select.id || `multi-select-${++counter}`;
  const label = select.id ? document.querySelector(`label[for="${CSS.escape(select.id)}"]`) : null;
  const labelText = label ? label.textContent.trim() : noun;
  const hint = select.id ? document.getElementById(`${select.id}_helptext`) : null;

  const root = element("div", { className: "multi-select" });
  const chosen = element("ul", { className: "multi-select__chosen" }, { "aria-label": `Chosen: ${labelText}` });
  const search = element(
    "input",
    { type: "text", id: `${id}-search`, className: "multi-select__search", autocomplete: "off" },
    {
      role: "combobox",
      "aria-autocomplete": "list",
      "aria-expanded": "false",
      "aria-controls": `${id}-listbox`,
      placeholder: `Type to find a ${noun}`,
    },
  );
  const listbox = element(
    "ul",
    { id: `${id}-listbox`, className: "multi-select__listbox", hidden: true },
    { role: "listbox", "aria-label": `${labelText}: suggestions` },
  );
  const instructions = element("p", {
    id: `${id}-instructions`,
    className: "helptext multi-select__instructions",
    textContent:
      `Type part of a name, then pick a ${noun} with the arrow keys and Enter, or click it. ` +
      `Remove a ${noun} with its × button, or with Backspace in the empty box.`,
  });
  const status = element("p", { className: "visually-hidden" }, { role: "status", "aria-live": "polite" });

  const describedBy = [instructions.id, select.getAttribute("aria-describedby")].filter(Boolean).join(" ");
  search.setAttribute("aria-describedby", describedBy);
  if (select.getAttribute("aria-invalid")) search.setAttribute("aria-invalid", select.getAttribute("aria-invalid"));
  if (label) label.htmlFor = search.id;
  if (hint) hint.hidden = true; // "Hold Ctrl …" is about the native select.

  const box = element("div", { className: "multi-select__box" });
  box.append(search, listbox);
  select.before(root);
  root.append(chosen, box, instructions, status, select);
  select.hidden = true;
  select.tabIndex = -1;

  let active = -1; // index into the suggestions shown
  let shown = []; // <option>s listed in the listbox

  const options = () => [...select.options].filter((option) => option.value !== "");

  function announce(text) {
    status.textContent = "";
    // A fresh text node makes screen readers read the same message again.
    requestAnimationFrame(() => {
      status.textContent = text;
    });
  }

  function renderChosen() {
    chosen.replaceChildren();
    for (const option of options().filter((candidate) => candidate.selected)) {
      const item = element("li", { className: "multi-select__chip" });
      const name = element("span", { textContent: option.text });
      const remove = element(
        "button",
        { type: "button", className: "multi-select__remove", textContent: "×" },
        { "aria-label": `Remove ${noun} ${option.text}`, "data-value": option.value },
      );
      item.append(name, remove);
      chosen.append(item);
    }
    chosen.hidden = chosen.childElementCount === 0;
  }

  function close() {
    listbox.hidden = true;
    search.setAttribute("aria-expanded", "false");
    search.removeAttribute("aria-activedescendant");
    active = -1;
  }

  function highlight(index) {
    const items = [...listbox.querySelectorAll('[role="option"]')];
    active = items.length ? Math.max(0, Math.min(index, items.length - 1)) : -1;
    items.forEach((item, position) => item.setAttribute("aria-selected", String(position === active)));
    if (active >= 0) {
      search.setAttribute("aria-activedescendant", items[active].id);
      items[active].scrollIntoView({ block: "nearest" });
    } else {
      search.removeAttribute("aria-activedescendant");
    }
  }

  function open() {
    const query = fold(search.value.trim());
    const matches = options().filter((option) => !option.selected && fold(option.text).includes(query));
    shown = matches.slice(0, MAX_SUGGESTIONS);
    listbox.replaceChildren();
    shown.forEach((option, index) => {
      listbox.append(
        element(
          "li",
          { id: `${id}-option-${index}`, className: "multi-select__option", textContent: option.text },
          { role: "option", "aria-selected": "false", "data-index": String(index) },
        ),
      );
    });
    if (!shown.length) {
      const empty = options().length === options().filter((option) => option.selected).length;
      listbox.append(
        element("li", {
          className: "multi-select__empty",
          textContent: empty ? `Every ${noun} is chosen.` : `No ${noun} matches “${search.value.trim()}”.`,
        }),
      );
    } else if (matches.length > shown.length) {
      listbox.append(
        element("li", {
          className: "multi-select__empty",
          textContent: `${matches.length - shown.length} more; type more of the name.`,
        }),
      );
    }
    listbox.hidden = false;
    search.setAttribute("aria-expanded", "true");
    highlight(query && shown.length ? 0 : -1);
  }

  function add(option) {
    option.selected = true;
    select.dispatchEvent(new Event("change", { bubbles: true }));
    search.value = "";
    renderChosen();
    close();
    const count = options().filter((candidate) => candidate.selected).length;
    announce(`${option.text} added; ${count} chosen.`);
    search.focus();
  }

  function remove(value, button) {
    const option = options().find((candidate) => candidate.value === value);
    if (!option) return;
    const buttons = [...chosen.querySelectorAll("button")];
    const position = button ? buttons.indexOf(button) : buttons.length - 1;
    option.selected = false;
    select.dispatchEvent(new Event("change", { bubbles: true }));
    renderChosen();
    const count = options().filter((candidate) => candidate.selected).length;
    announce(`${option.text} removed; ${count} chosen.`);
    if (button) {
      // Focus stays near where it was: the next chosen item, else the previous, else the box.
      const rest = [...chosen.querySelectorAll("button")];
      (rest[position] || rest[position - 1] || search).focus();
    }
    if (!listbox.hidden) open();
  }

  search.addEventListener("input", open);
  search.addEventListener("focus", () => {
    if (search.value) open();
  });
  search.addEventListener("keydown", (event) => {
    const items = listbox.querySelectorAll('[role="option"]');
    switch (event.key) {
      case "ArrowDown":
        event.preventDefault();
        if (listbox.hidden) open();
        highlight(active + 1);
        break;
      case "ArrowUp":
        event.preventDefault();
        if (listbox.hidden) open();
        highlight(active < 0 ? items.length - 1 : active - 1);
        break;
      case "Home":
      case "End":
        if (!listbox.hidden && items.length) {
          event.preventDefault();
          highlight(event.key === "Home" ? 0 : items.length - 1);
        }
        break;
      case "Enter":
        if (!listbox.hidden && (active >= 0 || shown.length === 1)) {
          event.preventDefault();
          add(shown[Math.max(active, 0)]);
        } else if (search.value.trim()) {
          event.preventDefault(); // a half-typed name never submits the form
        }
        break;
      case "Escape":
        if (!listbox.hidden) {
          event.preventDefault();
          close();
        } else if (search.value) {
          event.preventDefault();
          search.value = "";
        }
        break;
      case "Backspace":
        if (search.value === "" && search.selectionStart === 0) {
          const last = options()
            .filter((option) => option.selected)
            .at(-1);
          if (last) {
            event.preventDefault();
            remove(last.value, null);
          }
        }
        break;
      default:
    }
  });

  // Keep the focus in the box while the pointer picks a suggestion.
  listbox.addEventListener("mousedown", (event) => event.preventDefault());
  listbox.addEventListener("click", (event) => {
    const item = event.target.closest('[role="option"]');
    if (item) add(shown[Number(item.dataset.index)]);
  });

  chosen.addEventListener("click", (event) => {
    const button = event.target.closest("button[data-value]");
    if (button) remove(button.dataset.value, button);
  });
  chosen.addEventListener("keydown", (event) => {
    const button = event.target.closest("button[data-value]");
    if (button && (event.key === "Delete" || event.key === "Backspace")) {
      event.preventDefault();
      remove(button.dataset.value, button);
    }
  });

  root.addEventListener("focusout", (event) => {
    if (!root.contains(event.relatedTarget)) close();
  });

  renderChosen();
}

for (const select of document.querySelectorAll("select[multiple][data-multi-select]")) enhance(select);
