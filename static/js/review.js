// The review page, keyboard-fast: a digit key picks that score, Enter saves (the form is a plain
// form without this script). Keys typed into the comment stay text there.
const form = document.querySelector("[data-review-form]");

if (form) {
  const radios = [...form.querySelectorAll('input[name="score"]')];
  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    const target = event.target;
    const typing = target instanceof HTMLTextAreaElement || (target instanceof HTMLInputElement && target.type === "text");
    if (typing) return;
    if (/^[0-9]$/.test(event.key)) {
      const radio = radios.find((input) => input.value === event.key);
      if (radio) {
        radio.checked = true;
        radio.focus();
        event.preventDefault();
      }
    } else if (event.key === "Enter" && !(target instanceof HTMLButtonElement) && !(target instanceof HTMLAnchorElement)) {
      event.preventDefault();
      form.requestSubmit();
    }
  });
}
