// Create-event page: on a fresh form, preselect the visitor's own time zone instead of the
// default UTC. Without JavaScript the form works the same, starting from UTC.
const form = document.querySelector("form.event-form");
const select = form?.querySelector('select[name="timezone"]');
const fresh = form && !form.querySelector(".errorlist") && form.querySelector('input[name="name"]')?.value === "";
if (select && fresh && select.value === "UTC") {
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  if (zone && [...select.options].some((option) => option.value === zone)) {
    select.value = zone;
  }
}
