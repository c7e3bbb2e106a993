// Rich text: every <textarea data-rich-text> (openevent.core.forms.RichTextarea) becomes the
// django-prose-editor editor (ProseMirror/Tiptap, installed with pip, served from our static
// files). The textarea stays the form's field: the editor writes its HTML into it on every
// change, so the form posts as before; without JavaScript the textarea is used as it is and the
// server turns its blank lines into paragraphs (openevent/core/html.py).
//
// Loaded on every page by base.html; the editor's code and styles are fetched only on pages that
// have such a field. Under the site's Content-Security-Policy (no inline scripts or styles) the
// package's own presets cannot be used: they need an inline import map and let Tiptap inject a
// <style> element. This module imports the editor by its URL (which the widget gives) and turns
// that injection off; the few base rules Tiptap would inject are in css/widgets.css.
//
// The extensions below are what openevent/core/html.py (ALLOWED_TAGS) keeps: paragraphs, line
// breaks, headings 2–4, lists, block quotes, bold, italic and links. Keep the two in step.

const SELECTOR = "textarea[data-rich-text]";

function stylesheet(href) {
  if (document.querySelector(`link[rel="stylesheet"][href="${href}"]`)) return Promise.resolve();
  return new Promise((resolve) => {
    const link = document.createElement("link");
    link.rel = "stylesheet";
    link.href = href;
    link.addEventListener("load", resolve);
    link.addEventListener("error", resolve);
    document.head.append(link);
  });
}

function extensions(editor) {
  return [
    editor.Document,
    editor.Text,
    editor.Paragraph,
    editor.HardBreak,
    editor.Heading.configure({ levels: [2, 3, 4] }),
    editor.BulletList,
    editor.OrderedList.configure({ enableListAttributes: false }),
    editor.ListItem,
    editor.Blockquote,
    editor.Bold,
    editor.Italic,
    editor.Link.configure({ enableTarget: false, protocols: ["http", "https", "mailto"] }),
    editor.History,
    editor.Dropcursor,
    editor.Gapcursor,
    editor.Menu,
  ];
}

// An empty document is written as "" (not "<p></p>"), as the package's own textarea editor does.
const EMPTY = /^<(\w+)(\s[^>]*)?><\/\1>$/i;

function enhance(editor, textarea) {
  if (textarea.closest(".prose-editor")) return;
  const wrapper = document.createElement("div");
  wrapper.className = "prose-editor rich-text";
  textarea.before(wrapper);
  wrapper.append(textarea);

  // The editable area takes over the textarea's label, description and error links.
  // The label now names the editable area (aria-labelledby), no longer the hidden textarea.
  const label = textarea.id ? document.querySelector(`label[for="${CSS.escape(textarea.id)}"]`) : null;
  if (label) {
    if (!label.id) label.id = `${textarea.id}-label`;
    label.removeAttribute("for");
  }
  const attributes = { role: "textbox", "aria-multiline": "true" };
  if (label) attributes["aria-labelledby"] = label.id;
  for (const name of ["aria-describedby", "aria-invalid", "aria-required"]) {
    if (textarea.hasAttribute(name)) attributes[name] = textarea.getAttribute(name);
  }

  const instance = new editor.Editor({
    element: wrapper,
    extensions: extensions(editor),
    content: textarea.value,
    editable: !textarea.disabled,
    injectCSS: false,
    editorProps: { attributes },
    onUpdate({ editor: current }) {
      const html = current.getHTML();
      textarea.value = EMPTY.test(html) ? "" : html;
      textarea.dispatchEvent(new Event("input", { bubbles: true }));
    },
  });
  label?.addEventListener("click", () => instance.commands.focus());
  textarea.dispatchEvent(new CustomEvent("rich-text:ready", { bubbles: true, detail: { editor: instance } }));
}

// The widget names the package's module and stylesheets by their static URLs (hashed names in
// production): data-rich-text and data-rich-text-styles.
async function start(textareas) {
  const { richText: module, richTextStyles: styles = "" } = textareas[0].dataset;
  await Promise.all(styles.split(" ").filter(Boolean).map(stylesheet));
  const editor = await import(module);
  for (const textarea of textareas) enhance(editor, textarea);
  document.documentElement.dataset.richText = "ready";
}

const textareas = document.querySelectorAll(SELECTOR);
if (textareas.length) start(textareas);
