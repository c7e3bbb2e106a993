// The organizers' scheduler (templates/sessions_app/scheduler.html): day tabs, one column per room,
// a time grid, and an "Unscheduled" pane. Sessions are placed with the pointer (pointer events, so
// mouse, pen and touch alike) or the keyboard; every change is one PATCH of /v1/sessions/<id> (the
// same service as every other write). A refused change puts the card back and says why; the last
// changes can be undone (button or Ctrl+Z), each with the inverse PATCH.
//
// Data: one JSON blob (#scheduler-data, sessions_app/services/scheduler.py). Only the shown day's
// cards are in the DOM, built in a DocumentFragment and placed absolutely from minutes.

const root = document.querySelector("[data-scheduler]");
const blob = document.getElementById("scheduler-data");

const PX_PER_MINUTE = 2;
const COLUMN_WIDTH = 176;
const MINUTE = 60000;
const DRAG_THRESHOLD = 4;
const MIN_MINUTES_SHOWN = 10;
const JSONAPI = "application/vnd.api+json";
const UNDO_DEPTH = 50;
const EDGE = 32;
const EDGE_STEP = 24;

const el = (tag, attrs = {}, ...children) => {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === false || value === null || value === undefined) continue;
    if (name === "text") node.textContent = value;
    else node.setAttribute(name, value === true ? "" : value);
  }
  node.append(...children.filter((child) => child !== null && child !== undefined));
  return node;
};

if (root && blob) {
  const data = JSON.parse(blob.textContent);
  const zone = data.event.timezone;
  const clock = new Intl.DateTimeFormat("en-GB", { timeZone: zone, hour: "2-digit", minute: "2-digit" });
  const time = (ms) => clock.format(new Date(ms));

  const tracks = new Map(data.tracks.map((track) => [track.id, track]));
  const types = new Map(data.types.map((kind) => [kind.id, kind]));
  const rooms = data.rooms;
  const roomIndex = new Map(rooms.map((room, index) => [room.id, index]));
  const days = data.days.map((day) => ({ ...day, startMs: Date.parse(day.start) }));
  const conflicts = new Map(Object.entries(data.conflicts || {}).map(([id, list]) => [Number(id), list]));

  // The sessions, by id: times as epoch milliseconds (null when unscheduled).
  const sessions = new Map();
  const toModel = (raw) => ({
    ...raw,
    start: raw.starts_at ? Date.parse(raw.starts_at) : null,
    end: raw.ends_at ? Date.parse(raw.ends_at) : null,
    search: [raw.title, ...raw.speakers, tracks.get(raw.track)?.name || ""].join(" ").toLowerCase(),
  });
  for (const raw of data.sessions) sessions.set(raw.id, toModel(raw));

  const ui = {
    tabs: root.querySelector(".scheduler__days"),
    step: root.querySelector("[data-step]"),
    undo: root.querySelector("[data-undo]"),
    status: root.querySelector("[data-status]"),
    error: root.querySelector("[data-error]"),
    pane: root.querySelector("[data-pane]"),
    list: root.querySelector("[data-list]"),
    count: root.querySelector("[data-unscheduled-count]"),
    search: root.querySelector("[data-search]"),
    trackFilter: root.querySelector("[data-track-filter]"),
    pending: root.querySelector("[data-pending]"),
    grid: root.querySelector("[data-grid]"),
    conflictsSection: root.querySelector("[data-conflicts-section]"),
    conflictsList: root.querySelector("[data-conflicts]"),
  };
  const pageToken = root.querySelector("[name=csrfmiddlewaretoken]")?.value;
  const csrfToken = () => {
    const cookie = document.cookie.split("; ").find((part) => part.startsWith("csrftoken="));
    return cookie ? decodeURIComponent(cookie.split("=")[1]) : pageToken;
  };

  let dayIndex = 0;
  let step = Number(ui.step.value) || 15;
  const undoStack = [];
  let canvas = null; // the shown day's positioned area (cards, slots)

  const dayOf = (ms) => days.findIndex((day) => ms >= day.startMs && ms < day.startMs + day.minutes * MINUTE);
  const isPlaced = (session) => session.start !== null && session.end !== null && roomIndex.has(session.room) && dayOf(session.start) >= 0;
  const lengthOf = (session) => types.get(session.type)?.minutes || data.default_minutes;

  const say = (text) => {
    ui.status.textContent = text;
  };
  const fail = (text) => {
    ui.error.textContent = text;
    ui.error.hidden = !text;
  };
  fail("");

  // --- cards ------------------------------------------------------------------------------------
  const label = (session) => {
    const speakers = session.speakers.length ? `, ${session.speakers.join(", ")}` : "";
    const where = isPlaced(session)
      ? `, ${rooms[roomIndex.get(session.room)].name}, ${time(session.start)}–${time(session.end)}`
      : ", unscheduled";
    return `${session.title}${speakers}${where}`;
  };

  const meta = (session, track) => {
    const notes = [track?.name, session.state === "pending" ? "pending" : null];
    // A time but no room on the grid (none, or one hidden from the scheduler): said on the card.
    if (session.start !== null && !isPlaced(session)) notes.push(`${time(session.start)}, no room shown`);
    return notes.filter(Boolean).join(" · ");
  };

  const card = (session) => {
    const track = tracks.get(session.track);
    const list = conflicts.get(session.id) || [];
    const node = el(
      "div",
      {
        class: `sched-card sched-card--${session.state}`,
        tabindex: "0",
        role: "button",
        "data-session": session.id,
        "aria-label": label(session),
        "aria-roledescription": "session card",
      },
      el("span", { class: "sched-card__title", text: session.title }),
      session.speakers.length ? el("span", { class: "sched-card__speakers", text: session.speakers.join(", ") }) : null,
      el("span", { class: "sched-card__meta", text: meta(session, track) }),
      list.length ? el("span", { class: "sched-card__warning", title: list.map((c) => c.message).join("\n"), text: `⚠ ${list.length}` }) : null,
    );
    if (track) node.style.setProperty("--track-color", track.color);
    if (isPlaced(session)) {
      node.classList.add("sched-card--placed");
      node.append(el("span", { class: "sched-card__time", text: `${time(session.start)}–${time(session.end)}` }));
      node.append(el("span", { class: "sched-card__resize", "data-resize": "", "aria-hidden": "true" }));
      position(node, session);
    }
    return node;
  };

  const position = (node, session) => {
    const day = days[dayIndex];
    const top = (session.start - day.startMs) / MINUTE;
    const height = Math.max((session.end - session.start) / MINUTE, MIN_MINUTES_SHOWN);
    node.style.left = `${roomIndex.get(session.room) * COLUMN_WIDTH}px`;
    node.style.top = `${top * PX_PER_MINUTE}px`;
    node.style.height = `${height * PX_PER_MINUTE}px`;
    node.style.width = `${COLUMN_WIDTH}px`;
  };

  // --- the pane ---------------------------------------------------------------------------------
  for (const track of data.tracks) ui.trackFilter.append(el("option", { value: track.id, text: track.name }));

  const renderPane = () => {
    const query = ui.search.value.trim().toLowerCase();
    const track = Number(ui.trackFilter.value) || null;
    const pending = ui.pending.checked;
    const fragment = document.createDocumentFragment();
    let shown = 0;
    for (const session of sessions.values()) {
      if (isPlaced(session)) continue;
      if (session.state === "pending" && !pending) continue;
      if (track && session.track !== track) continue;
      if (query && !session.search.includes(query)) continue;
      fragment.append(el("li", {}, card(session)));
      shown += 1;
    }
    ui.list.replaceChildren(fragment);
    ui.count.textContent = `(${shown})`;
    if (!shown) ui.list.append(el("li", { class: "muted", text: query || track ? "No matching sessions." : "Every session is scheduled." }));
  };
  ui.search.addEventListener("input", renderPane);
  ui.trackFilter.addEventListener("change", renderPane);
  ui.pending.addEventListener("change", renderPane);

  // --- the grid ---------------------------------------------------------------------------------
  const renderTabs = () => {
    ui.tabs.replaceChildren(
      ...days.map((day, index) => {
        const tab = el("button", {
          type: "button",
          role: "tab",
          class: "scheduler__tab",
          "aria-selected": index === dayIndex ? "true" : "false",
          tabindex: index === dayIndex ? "0" : "-1",
          text: day.label,
        });
        tab.addEventListener("click", () => showDay(index));
        return tab;
      }),
    );
  };

  const renderGrid = () => {
    const day = days[dayIndex];
    if (!day || !rooms.length) {
      ui.grid.replaceChildren(el("p", { class: "muted", text: rooms.length ? "The event has no days to schedule." : "Add a room (not hidden from the scheduler) to schedule sessions." }));
      canvas = null;
      return;
    }
    const height = day.minutes * PX_PER_MINUTE;
    const width = rooms.length * COLUMN_WIDTH;
    const head = el("ol", { class: "sched-grid__head", "aria-label": "Rooms" });
    head.style.width = `${width}px`;
    for (const room of rooms) {
      const cell = el("li", { class: "sched-grid__room", text: room.name });
      cell.style.width = `${COLUMN_WIDTH}px`;
      head.append(cell);
    }
    const times = el("div", { class: "sched-grid__times", "aria-hidden": "true" });
    times.style.height = `${height}px`;
    for (let minute = 0; minute < day.minutes; minute += 60) {
      const mark = el("span", { text: time(day.startMs + minute * MINUTE) });
      mark.style.top = `${minute * PX_PER_MINUTE}px`;
      times.append(mark);
    }
    canvas = el("div", { class: "sched-grid__canvas", "data-canvas": "" });
    canvas.style.width = `${width}px`;
    canvas.style.height = `${height}px`;
    canvas.style.setProperty("--column", `${COLUMN_WIDTH}px`);
    canvas.style.setProperty("--step", `${step * PX_PER_MINUTE}px`);
    canvas.style.setProperty("--hour", `${60 * PX_PER_MINUTE}px`);
    const fragment = document.createDocumentFragment();
    for (const block of data.blocks || []) {
      const start = Date.parse(block.starts_at);
      if (dayOf(start) !== dayIndex) continue;
      const columns = block.room === null ? rooms.map((room) => room.id) : [block.room];
      for (const roomId of columns) {
        if (!roomIndex.has(roomId)) continue;
        const node = el("div", { class: "sched-block", text: block.title });
        position(node, { room: roomId, start, end: Date.parse(block.ends_at) });
        fragment.append(node);
      }
    }
    for (const session of sessions.values()) {
      if (isPlaced(session) && dayOf(session.start) === dayIndex) fragment.append(card(session));
    }
    canvas.append(fragment);
    const body = el("div", { class: "sched-grid__body" }, times, canvas);
    ui.grid.replaceChildren(el("div", { class: "sched-grid", role: "region", "aria-label": `Schedule of ${day.label}` }, el("div", { class: "sched-grid__corner" }), head, body));
  };

  const showDay = (index) => {
    dayIndex = index;
    renderTabs();
    renderGrid();
  };

  const renderConflicts = () => {
    const items = [];
    for (const [id, list] of conflicts) {
      const session = sessions.get(id);
      if (!session) continue;
      for (const conflict of list) items.push(el("li", { text: `${session.title}: ${conflict.message}` }));
    }
    ui.conflictsList.replaceChildren(...items);
    ui.conflictsSection.hidden = !items.length;
  };

  const redraw = () => {
    renderGrid();
    renderPane();
    renderConflicts();
  };

  // After one session changed: only its card is rebuilt (and the pane, which is short).
  const refresh = (session) => {
    canvas?.querySelector(`[data-session="${session.id}"]`)?.remove();
    if (canvas && isPlaced(session) && dayOf(session.start) === dayIndex) canvas.append(card(session));
    renderPane();
    renderConflicts();
  };

  // --- saving -----------------------------------------------------------------------------------
  const iso = (ms) => (ms === null ? null : new Date(ms).toISOString());
  const placeOf = (session) => ({ start: session.start, end: session.end, room: session.room });

  const errorText = async (response) => {
    try {
      const body = await response.json();
      const details = (body.errors || []).map((error) => error.detail || error.title).filter(Boolean);
      if (details.length) return details.join(" ");
    } catch {
      // not JSON: the status says enough
    }
    return `The change was refused (${response.status}).`;
  };

  const adopt = (session, doc) => {
    const attributes = doc?.data?.attributes || {};
    if ("starts-at" in attributes) session.start = attributes["starts-at"] ? Date.parse(attributes["starts-at"]) : null;
    if ("ends-at" in attributes) session.end = attributes["ends-at"] ? Date.parse(attributes["ends-at"]) : null;
    if (attributes["last-modified-at"]) session.last_modified_at = attributes["last-modified-at"];
    const room = doc?.data?.relationships?.microlocation?.data;
    if (room !== undefined) session.room = room ? Number(room.id) : null;
    // The conflicts service may answer with the session's conflicts (meta); shown when it does.
    const found = doc?.meta?.conflicts ?? doc?.data?.meta?.conflicts;
    if (Array.isArray(found)) {
      if (found.length) conflicts.set(session.id, found);
      else conflicts.delete(session.id);
    }
  };

  const patch = (session, place) =>
    fetch(`${data.urls.api}${session.id}`, {
      method: "PATCH",
      credentials: "same-origin",
      headers: { "Content-Type": JSONAPI, Accept: JSONAPI, "X-CSRFToken": csrfToken() },
      body: JSON.stringify({
        data: {
          type: "session",
          id: String(session.id),
          attributes: { "starts-at": iso(place.start), "ends-at": iso(place.end) },
          relationships: { microlocation: { data: place.room ? { type: "microlocation", id: String(place.room) } : null } },
          // For the optimistic-concurrency check: the version this change was made against.
          meta: { "last-modified-at": session.last_modified_at },
        },
      }),
    });

  const reload = async (session) => {
    const response = await fetch(`${data.urls.api}${session.id}`, { headers: { Accept: JSONAPI }, credentials: "same-origin" });
    if (response.ok) adopt(session, await response.json());
  };

  // Changes are sent one after another (a held arrow key sends several), each against the answer
  // of the one before.
  let queue = Promise.resolve();
  let saving = 0;
  const setSaving = (change) => {
    saving += change;
    root.dataset.saving = String(saving); // read by the tests and the bench: 0 when all changes landed
    root.setAttribute("aria-busy", saving ? "true" : "false");
  };
  setSaving(0);

  const apply = (session, place, { undoable = true } = {}) => {
    const before = placeOf(session);
    Object.assign(session, place);
    fail("");
    refresh(session);
    focusCard(session.id);
    setSaving(1);
    queue = queue.then(async () => {
      let response;
      try {
        response = await patch(session, place);
      } catch {
        response = null;
      }
      if (response && response.ok) {
        adopt(session, await response.json());
        if (undoable) undoStack.push({ id: session.id, before });
        if (undoStack.length > UNDO_DEPTH) undoStack.shift();
        ui.undo.disabled = !undoStack.length;
        say(`Saved: ${label(session)}.`);
      } else {
        const message = response ? await errorText(response) : "The server could not be reached; nothing was saved.";
        Object.assign(session, before);
        // A stale change (someone else changed the session): show the session as it is now.
        if (response && response.status === 409) await reload(session);
        fail(`“${session.title}” was not moved: ${message}`);
        say("");
      }
      refresh(session);
      focusCard(session.id);
      setSaving(-1);
    });
    return queue;
  };

  const undo = () => {
    const last = undoStack.pop();
    ui.undo.disabled = !undoStack.length;
    if (!last) return;
    const session = sessions.get(last.id);
    if (session) apply(session, last.before, { undoable: false });
  };
  ui.undo.addEventListener("click", undo);
  document.addEventListener("keydown", (event) => {
    if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === "z" && !event.shiftKey) {
      if (event.target.closest("input, textarea, select, [contenteditable]")) return;
      event.preventDefault();
      undo();
    }
  });

  let focusWanted = null;
  const focusCard = (id) => {
    if (focusWanted !== id) return;
    root.querySelector(`[data-session="${id}"]`)?.focus();
  };

  // --- keyboard ---------------------------------------------------------------------------------
  root.addEventListener("keydown", (event) => {
    const node = event.target.closest?.("[data-session]");
    if (!node || event.ctrlKey || event.metaKey || event.altKey) return;
    const session = sessions.get(Number(node.dataset.session));
    if (event.key === "Enter") {
      event.preventDefault();
      window.location.assign(data.urls.edit.replace(/\/0\/edit$/, `/${session.id}/edit`));
      return;
    }
    if (!isPlaced(session)) return;
    const moves = { ArrowUp: [-step, 0], ArrowDown: [step, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1] };
    const move = moves[event.key];
    if (!move) return;
    event.preventDefault();
    const [minutes, columns] = move;
    const column = roomIndex.get(session.room) + columns;
    if (column < 0 || column >= rooms.length) return;
    const day = days[dayIndex];
    const start = session.start + minutes * MINUTE;
    const end = session.end + minutes * MINUTE;
    if (start < day.startMs || end > day.startMs + day.minutes * MINUTE) {
      say(`“${session.title}” stays within ${day.label}: to move it to another day, drop it on the Unscheduled pane, open that day and drag it in.`);
      return;
    }
    focusWanted = session.id;
    apply(session, { start, end, room: rooms[column].id });
  });
  root.addEventListener("focusin", (event) => {
    const node = event.target.closest?.("[data-session]");
    focusWanted = node ? Number(node.dataset.session) : null;
  });

  // --- pointer: drag, move, resize ----------------------------------------------------------------
  let drag = null;

  const snap = (minutes) => Math.round(minutes / step) * step;

  const target = (event) => {
    if (ui.pane.contains(document.elementFromPoint(event.clientX, event.clientY))) return { pane: true };
    if (!canvas) return null;
    const box = canvas.getBoundingClientRect();
    const x = event.clientX - box.left;
    const y = event.clientY - box.top - drag.grabY;
    if (x < 0 || x >= box.width || event.clientY < box.top || event.clientY > box.bottom) return null;
    const day = days[dayIndex];
    const minute = Math.max(0, Math.min(snap(y / PX_PER_MINUTE), day.minutes - step));
    return { room: rooms[Math.floor(x / COLUMN_WIDTH)].id, start: day.startMs + minute * MINUTE };
  };

  root.addEventListener("pointerdown", (event) => {
    if (event.button !== 0) return;
    const node = event.target.closest("[data-session]");
    if (!node) return;
    const session = sessions.get(Number(node.dataset.session));
    const box = node.getBoundingClientRect();
    drag = {
      session,
      node,
      resize: Boolean(event.target.closest("[data-resize]")),
      x: event.clientX,
      y: event.clientY,
      grabY: isPlaced(session) ? event.clientY - box.top : 0,
      moving: false,
      ghost: null,
    };
    event.preventDefault();
    node.focus();
  });

  // Near an edge of the grid's scrolling box, a drag scrolls it (60 rooms are wider than a screen).
  const edgeScroll = (event) => {
    const box = ui.grid.getBoundingClientRect();
    const nudge = (offset, size) => (offset < EDGE ? -EDGE_STEP : offset > size - EDGE ? EDGE_STEP : 0);
    if (event.clientX < box.left || event.clientX > box.right || event.clientY < box.top || event.clientY > box.bottom) return;
    ui.grid.scrollBy(nudge(event.clientX - box.left, box.width), nudge(event.clientY - box.top, box.height));
  };

  const ghostAt = (place) => {
    if (!drag.ghost) {
      drag.ghost = el("div", { class: "sched-ghost", "aria-hidden": "true" });
    }
    if (!place || !canvas) {
      drag.ghost.remove();
      return;
    }
    position(drag.ghost, place);
    drag.ghost.textContent = `${time(place.start)}–${time(place.end)}`;
    canvas.append(drag.ghost);
  };

  const dropPlace = (event) => {
    const { session } = drag;
    if (drag.resize) {
      const box = canvas.getBoundingClientRect();
      const day = days[dayIndex];
      const minute = snap((event.clientY - box.top) / PX_PER_MINUTE);
      const end = Math.min(day.startMs + minute * MINUTE, day.startMs + day.minutes * MINUTE);
      return { start: session.start, end: Math.max(end, session.start + step * MINUTE), room: session.room };
    }
    const spot = target(event);
    if (!spot) return null;
    if (spot.pane) return isPlaced(session) ? { start: null, end: null, room: null } : null;
    const length = isPlaced(session) ? session.end - session.start : lengthOf(session) * MINUTE;
    return { start: spot.start, end: spot.start + length, room: spot.room };
  };

  document.addEventListener("pointermove", (event) => {
    if (!drag) return;
    if (!drag.moving && Math.hypot(event.clientX - drag.x, event.clientY - drag.y) < DRAG_THRESHOLD) return;
    drag.moving = true;
    drag.node.classList.add("sched-card--dragging");
    edgeScroll(event);
    const place = dropPlace(event);
    ui.pane.classList.toggle("scheduler__pane--target", Boolean(place && place.start === null));
    ghostAt(place && place.start !== null ? place : null);
  });

  document.addEventListener("pointerup", (event) => {
    if (!drag) return;
    const current = drag;
    const place = current.moving ? dropPlace(event) : null;
    current.ghost?.remove();
    current.node.classList.remove("sched-card--dragging");
    ui.pane.classList.remove("scheduler__pane--target");
    drag = null;
    if (!place) return;
    const { session } = current;
    if (place.start === session.start && place.end === session.end && place.room === session.room) return;
    focusWanted = session.id;
    apply(session, place);
  });

  document.addEventListener("pointercancel", () => {
    if (!drag) return;
    drag.ghost?.remove();
    drag.node.classList.remove("sched-card--dragging");
    drag = null;
  });

  ui.step.addEventListener("change", () => {
    step = Number(ui.step.value) || 15;
    renderGrid();
  });

  // Open on the first day that has a session, else the first day.
  const firstPlaced = [...sessions.values()].find(isPlaced);
  dayIndex = firstPlaced ? dayOf(firstPlaced.start) : 0;
  renderTabs();
  redraw();
  root.dataset.ready = "true";
  // Exposed for the bench and tests: when the grid was painted (ms since navigation start).
  requestAnimationFrame(() => {
    root.dataset.paintedAt = String(Math.round(performance.now()));
  });
}
