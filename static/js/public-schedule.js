// The public site's pages: times in the visitor's time zone on request, and the schedule's
// search and filters answered live. Without JavaScript the server shows the event's zone and the
// filter form asks the server (?q=&day=&track=&room=&type=); the page holds every session, those
// left out marked hidden, so filtering here runs over all of them without a request.

// --- time zones ------------------------------------------------------------------------------------
const root = document.querySelector("[data-event-zone]");
const switcher = document.querySelector("[data-zone-switch]");
const FORMATS = {
  time: { hour: "2-digit", minute: "2-digit", hourCycle: "h23" },
  date: { weekday: "long", day: "numeric", month: "long", year: "numeric" },
  datetime: { weekday: "short", day: "numeric", month: "short", year: "numeric", hour: "2-digit", minute: "2-digit", hourCycle: "h23" },
};

function visitorZone() {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone;
  } catch {
    return "";
  }
}

function enableZoneSwitch(eventZone, zone) {
  const times = [...document.querySelectorAll("time[data-local]")];
  if (!times.length || !zone || zone === eventZone) return;
  const original = new Map(times.map((time) => [time, time.textContent]));
  const name = switcher.querySelector("[data-zone-name]");
  const button = switcher.querySelector("[data-zone-toggle]");
  const eventLabel = name.textContent;
  let local = false;
  button.addEventListener("click", () => {
    local = !local;
    for (const time of times) {
      if (!local) {
        time.textContent = original.get(time);
        continue;
      }
      const options = { ...(FORMATS[time.dataset.local] || FORMATS.datetime), timeZone: zone };
      const format = new Intl.DateTimeFormat(undefined, options);
      const start = format.format(new Date(time.dateTime));
      // A time range ("10:00–11:00") names its end in data-until.
      time.textContent = time.dataset.until ? `${start}–${format.format(new Date(time.dataset.until))}` : start;
    }
    name.textContent = local ? `your time zone (${zone})` : eventLabel;
    button.textContent = local ? "Show in the event's time zone" : "Show in my time zone";
  });
  switcher.hidden = false;
}

if (root && switcher) enableZoneSwitch(root.dataset.eventZone, visitorZone());

// --- live search and filters -------------------------------------------------------------------------
const form = document.querySelector("[data-schedule-filters]");
const FILTERS = ["day", "track", "room", "type"];

function enableLiveFilters(form) {
  // Everything a keystroke needs is read once: each card's lower-case text and its filter values.
  const cards = [...document.querySelectorAll("[data-session]")].map((element) => ({
    element,
    haystack: element.dataset.search || "",
    day: element.dataset.day,
    track: element.dataset.track,
    room: element.dataset.room,
    type: element.dataset.type,
    section: element.closest("[data-day-section]"),
    shown: !element.hidden,
  }));
  const sections = [...new Set(cards.map((card) => card.section).filter(Boolean))];
  const count = document.querySelector("[data-schedule-count]");
  const empty = document.querySelector("[data-no-results]");
  const total = cards.length;
  const controls = Object.fromEntries([...form.querySelectorAll("[data-filter]")].map((c) => [c.dataset.filter, c]));

  function apply() {
    const needle = (controls.q?.value || "").trim().toLowerCase();
    const wanted = FILTERS.map((key) => [key, controls[key]?.value || ""]).filter(([, value]) => value);
    const visible = new Set();
    let matches = 0;
    for (const card of cards) {
      const shown = (!needle || card.haystack.includes(needle)) && wanted.every(([key, value]) => card[key] === value);
      if (shown !== card.shown) {
        card.element.hidden = !shown;
        card.shown = shown;
      }
      if (shown) {
        matches += 1;
        visible.add(card.section);
      }
    }
    for (const section of sections) section.hidden = !visible.has(section);
    if (empty) empty.hidden = matches > 0 || total === 0;
    if (count) count.textContent = `${matches} of ${total} session${total === 1 ? "" : "s"}`;
    remember();
  }

  function remember() {
    const params = new URLSearchParams(new FormData(form));
    for (const [key, value] of [...params]) if (!value) params.delete(key);
    const query = params.toString();
    history.replaceState(null, "", query ? `?${query}` : location.pathname);
    for (const link of document.querySelectorAll(".schedule-views a[data-view]")) {
      const linked = new URLSearchParams(params);
      linked.set("view", link.dataset.view);
      link.href = `?${linked}`;
    }
  }

  form.addEventListener("input", apply);
  form.addEventListener("change", apply);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    apply();
  });
}

if (form) enableLiveFilters(form);
