// The organizers' scheduler (templates/sessions_app/scheduler.html): day tabs, one column per room,
// a time grid, and an "Unscheduled" pane. Sessions are placed with the pointer (pointer events, so
// mouse, pen and touch alike) or the keyboard; every change is one PATCH of /v1/sessions/<id> (the
// same service as every other write). A refused change puts the card back and says why; the last
// changes can be undone (button or Ctrl+Z), each with the inverse PATCH.
//
// Conflicts (sessions_app/services/conflicts.py) are drawn on the cards and listed in the pane;
// after the changes in flight have landed the page asks for the whole event's conflicts again (one
// request). A stale change (409: someone else changed the session) reloads that session. Breaks
// and other blocks (/v1/schedule-blocks) are placed like sessions; rooms are added from a dialog
// (/v1/microlocations) and reordered by dragging their headers or with their move buttons.
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
  const roomIndex = new Map();
  const indexRooms = () => {
    roomIndex.clear();
    rooms.forEach((room, index) => roomIndex.set(room.id, index));
  };
  indexRooms();
  const days = data.days.map((day) => ({ ...day, startMs: Date.parse(day.start) }));
  const conflictMap = (raw) => new Map(Object.entries(raw || {}).map(([id, list]) => [Number(id), list]));
  let conflicts = conflictMap(data.conflicts);
  // The breaks and other blocks, by id: times as epoch milliseconds; room null: across all rooms.
  const blocks = new Map();
  const toBlock = (raw) => ({ ...raw, start: Date.parse(raw.starts_at), end: Date.parse(raw.ends_at) });
  for (const raw of data.blocks || []) blocks.set(raw.id, toBlock(raw));
  const kindLabels = new Map((data.block_kinds || []).map((kind) => [kind.value, kind.label]));

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
    clear: root.querySelector("[data-clear-overlaps]"),
    openBlock: root.querySelector("[data-open-block]"),
    openRoom: root.querySelector("[data-open-room]"),
    blockDialog: root.querySelector("[data-block-dialog]"),
    roomDialog: root.querySelector("[data-room-dialog]"),
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
    const count = (conflicts.get(session.id) || []).length;
    return `${session.title}${speakers}${where}${count ? `, ${plural(count, "conflict")}` : ""}`;
  };

  const meta = (session, track) => {
    const notes = [track?.name, session.state === "pending" ? "pending" : null];
    // A time but no room on the grid (none, or one hidden from the scheduler): said on the card.
    if (session.start !== null && !isPlaced(session)) notes.push(`${time(session.start)}, no room shown`);
    return notes.filter(Boolean).join(" · ");
  };

  // A card's conflicts: errors and warnings told apart by words and a sign, not only by colour.
  const plural = (count, word) => `${count} ${word}${count === 1 ? "" : "s"}`;
  const badge = (list) => {
    const errors = list.filter((conflict) => conflict.severity === "error").length;
    const warnings = list.length - errors;
    const parts = [errors ? `✖ ${plural(errors, "error")}` : null, warnings ? `⚠ ${plural(warnings, "warning")}` : null];
    return el("span", {
      class: `sched-card__warning${errors ? " sched-card__warning--error" : ""}`,
      "data-conflict-badge": errors ? "error" : "warning",
      title: list.map((conflict) => conflict.message).join("\n"),
      text: parts.filter(Boolean).join(" "),
    });
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
      list.length ? badge(list) : null,
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

  // ``room`` null (a block across all rooms): the whole width of the grid.
  const position = (node, session) => {
    const day = days[dayIndex];
    const top = (session.start - day.startMs) / MINUTE;
    const height = Math.max((session.end - session.start) / MINUTE, MIN_MINUTES_SHOWN);
    const across = session.room === null;
    node.style.left = `${across ? 0 : roomIndex.get(session.room) * COLUMN_WIDTH}px`;
    node.style.top = `${top * PX_PER_MINUTE}px`;
    node.style.height = `${height * PX_PER_MINUTE}px`;
    node.style.width = `${(across ? rooms.length : 1) * COLUMN_WIDTH}px`;
  };

  // --- blocks (breaks, lunch…) --------------------------------------------------------------------
  const blockShown = (block) => block.room === null || roomIndex.has(block.room);
  const blockLabel = (block) => {
    const where = block.room === null ? "all rooms" : rooms[roomIndex.get(block.room)]?.name || "a hidden room";
    return `${block.title} (${kindLabels.get(block.kind) || block.kind}), ${where}, ${time(block.start)}–${time(block.end)}`;
  };
  const blockNode = (block) => {
    const node = el(
      "div",
      { class: `sched-block sched-block--${block.kind}`, tabindex: "0", "data-block": block.id, "aria-label": blockLabel(block), role: "group" },
      el("span", { class: "sched-block__title", text: block.title }),
      el("span", { class: "sched-block__time", text: `${time(block.start)}–${time(block.end)}${block.room === null ? " · all rooms" : ""}` }),
      el("button", { type: "button", class: "sched-block__delete", "data-delete-block": "", "aria-label": `Delete ${block.title}`, text: "×" }),
      el("span", { class: "sched-block__resize", "data-resize": "", "aria-hidden": "true" }),
    );
    position(node, block);
    return node;
  };
  const refreshBlock = (block) => {
    canvas?.querySelector(`[data-block="${block.id}"]`)?.remove();
    if (canvas && blocks.has(block.id) && dayOf(block.start) === dayIndex && blockShown(block)) canvas.append(blockNode(block));
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
    rooms.forEach((room, index) => {
      const cell = el(
        "li",
        { class: "sched-grid__room", "data-room": room.id, title: room.allows_parallel ? `${room.name} (parallel sessions allowed)` : room.name },
        el("span", { class: "sched-grid__room-name", text: room.name }),
        el("button", { type: "button", class: "sched-grid__move", "data-move-room": "-1", "aria-label": `Move ${room.name} left`, disabled: index === 0 }),
        el("button", { type: "button", class: "sched-grid__move", "data-move-room": "1", "aria-label": `Move ${room.name} right`, disabled: index === rooms.length - 1 }),
      );
      cell.style.width = `${COLUMN_WIDTH}px`;
      head.append(cell);
    });
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
    for (const block of blocks.values()) {
      if (dayOf(block.start) === dayIndex && blockShown(block)) fragment.append(blockNode(block));
    }
    for (const session of sessions.values()) {
      if (isPlaced(session) && dayOf(session.start) === dayIndex) fragment.append(card(session));
    }
    canvas.append(fragment);
    const body = el("div", { class: "sched-grid__body" }, times, canvas);
    ui.grid.replaceChildren(el("div", { class: "sched-grid", role: "region", "aria-label": `Schedule of ${day.label}` }, el("div", { class: "sched-grid__corner" }), head, body));
  };

  // The shown day's exports (sessions_app/day_export_views.py).
  const exportLinks = root.querySelectorAll("[data-export]");
  const renderExports = () => {
    const day = days[dayIndex];
    for (const link of exportLinks) {
      link.hidden = !day;
      if (day) link.href = `${data.urls.day}${day.date}.${link.dataset.export}`;
    }
  };

  const showDay = (index) => {
    dayIndex = index;
    renderTabs();
    renderGrid();
    renderExports();
  };

  const severityWord = { error: "Error", warning: "Warning" };
  const renderConflicts = () => {
    const items = [];
    for (const [id, list] of conflicts) {
      const session = sessions.get(id);
      if (!session) continue;
      for (const conflict of list) {
        const button = el("button", {
          type: "button",
          class: `scheduler__conflict scheduler__conflict--${conflict.severity}`,
          "data-conflict-of": id,
          text: `${severityWord[conflict.severity] || conflict.severity}: ${session.title}: ${conflict.message}`,
        });
        items.push(el("li", {}, button));
      }
    }
    ui.conflictsList.replaceChildren(...items);
    ui.conflictsSection.hidden = !items.length;
  };
  // A conflict in the list shows its session: its day, its card focused.
  ui.conflictsList.addEventListener("click", (event) => {
    const button = event.target.closest("[data-conflict-of]");
    const session = button && sessions.get(Number(button.dataset.conflictOf));
    if (!session) return;
    if (isPlaced(session) && dayOf(session.start) !== dayIndex) showDay(dayOf(session.start));
    const node = root.querySelector(`[data-session="${session.id}"]`);
    node?.scrollIntoView({ block: "center", inline: "center" });
    node?.focus();
  });

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
  const headers = () => ({ "Content-Type": JSONAPI, Accept: JSONAPI, "X-CSRFToken": csrfToken() });
  const send = (url, method, body) =>
    fetch(url, { method, credentials: "same-origin", headers: headers(), body: body ? JSON.stringify(body) : undefined });

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
  };

  const patch = (session, place) =>
    send(`${data.urls.api}${session.id}`, "PATCH", {
      data: {
        type: "session",
        id: String(session.id),
        attributes: {
          "starts-at": iso(place.start),
          "ends-at": iso(place.end),
          // The optimistic-concurrency precondition: the version this change was made against
          // (a session changed since is refused with 409).
          "last-modified-at": session.last_modified_at,
        },
        relationships: { microlocation: { data: place.room ? { type: "microlocation", id: String(place.room) } : null } },
      },
    });

  const reload = async (session) => {
    const response = await fetch(`${data.urls.api}${session.id}`, { headers: { Accept: JSONAPI }, credentials: "same-origin" });
    if (response.ok) adopt(session, await response.json());
    return response.ok;
  };

  // Changes are sent one after another (a held arrow key sends several), each against the answer
  // of the one before.
  let queue = Promise.resolve();
  let saving = 0;
  let conflictsStale = false;
  const setSaving = (change) => {
    saving += change;
    root.dataset.saving = String(saving); // read by the tests and the bench: 0 when all changes landed
    root.setAttribute("aria-busy", saving ? "true" : "false");
  };
  setSaving(0);

  // The whole event's conflicts, in one request; only the cards whose conflicts changed are rebuilt.
  const refreshConflicts = async () => {
    let fresh;
    try {
      const response = await fetch(data.urls.conflicts, { headers: { Accept: "application/json" }, credentials: "same-origin" });
      if (!response.ok) return;
      fresh = conflictMap(await response.json());
    } catch {
      return; // the next change asks again
    }
    const changed = new Set();
    for (const id of new Set([...conflicts.keys(), ...fresh.keys()])) {
      if (JSON.stringify(conflicts.get(id) || []) !== JSON.stringify(fresh.get(id) || [])) changed.add(id);
    }
    conflicts = fresh;
    let paneChanged = false;
    for (const id of changed) {
      const session = sessions.get(id);
      if (session && !isPlaced(session)) paneChanged = true;
      if (session && canvas && isPlaced(session) && dayOf(session.start) === dayIndex) {
        canvas.querySelector(`[data-session="${id}"]`)?.remove();
        canvas.append(card(session));
      }
    }
    if (paneChanged) renderPane();
    renderConflicts();
    if (focusWanted !== null) focusCard(focusWanted);
  };

  // Queue ``task`` (an async function); when the last change in flight has landed and a session
  // changed, the conflicts are asked for again before the page says it is idle.
  const enqueue = (task) => {
    setSaving(1);
    const run = queue.then(async () => {
      let result = false;
      try {
        result = await task();
      } finally {
        if (saving === 1 && conflictsStale) {
          conflictsStale = false;
          await refreshConflicts();
        }
        setSaving(-1);
      }
      return result;
    });
    queue = run.catch(() => false);
    return run;
  };

  const remember = (entry) => {
    undoStack.push(entry);
    if (undoStack.length > UNDO_DEPTH) undoStack.shift();
    ui.undo.disabled = !undoStack.length;
  };

  // Move ``session`` to ``place``; ``record`` receives the undo entry of a change that landed
  // (default: the undo stack; null: not undoable). Resolves to whether it landed.
  const apply = (session, place, { record = remember } = {}) => {
    const before = placeOf(session);
    Object.assign(session, place);
    fail("");
    refresh(session);
    focusCard(session.id);
    return enqueue(async () => {
      let response;
      try {
        response = await patch(session, place);
      } catch {
        response = null;
      }
      const ok = Boolean(response && response.ok);
      if (ok) {
        adopt(session, await response.json());
        conflictsStale = true;
        record?.({ id: session.id, before });
        say(`Saved: ${label(session)}.`);
      } else if (response && response.status === 409) {
        // A stale change (someone else changed the session): shown as the server has it now.
        Object.assign(session, before);
        await reload(session);
        conflictsStale = true;
        fail(`“${session.title}” was changed by someone else; reloaded. Nothing of this change was saved.`);
        say("");
      } else {
        const message = response ? await errorText(response) : "The server could not be reached; nothing was saved.";
        Object.assign(session, before);
        fail(`“${session.title}” was not moved: ${message}`);
        say("");
      }
      refresh(session);
      focusCard(session.id);
      return ok;
    });
  };

  // A room's flag for parallel sessions, set through the API (in the queue).
  const setParallel = (roomId, value) =>
    enqueue(async () => {
      const response = await send(`${data.urls.rooms}/${roomId}`, "PATCH", {
        data: { type: "microlocation", id: String(roomId), attributes: { "allows-parallel": value } },
      });
      if (!response.ok) fail(`The room's parallel sessions flag was not changed: ${await errorText(response)}`);
      return response.ok;
    });

  const undoEntry = (entry) => {
    if (entry.group) {
      // The overlaps Clear overlaps removed cannot be booked again while their rooms refuse double
      // bookings: the rooms allow parallel sessions for the restore, then refuse them again (as
      // before: overlapping sessions in a room that does not allow them, shown as conflicts).
      for (const roomId of entry.reopen || []) setParallel(roomId, true);
      for (const part of entry.group) undoEntry(part);
      for (const roomId of entry.reopen || []) setParallel(roomId, false);
      return;
    }
    if (entry.block !== undefined) {
      const block = blocks.get(entry.block);
      if (block) moveBlock(block, entry.before, { record: null });
      return;
    }
    const session = sessions.get(entry.id);
    if (session) apply(session, entry.before, { record: null });
  };
  const undo = () => {
    const last = undoStack.pop();
    ui.undo.disabled = !undoStack.length;
    if (last) undoEntry(last);
  };
  ui.undo.addEventListener("click", undo);

  // --- clear overlaps ---------------------------------------------------------------------------
  // In each room, its sessions with a room conflict by start (ties: the lower id, the older one):
  // the first stays, and so does each one that overlaps none of those that stay; every other one
  // (it overlaps a session placed earlier in its room) is unscheduled, each with its own PATCH.
  // One Undo puts them all back (see ``undoEntry``).
  const overlapping = () => {
    const byRoom = new Map();
    for (const [id, list] of conflicts) {
      const session = sessions.get(id);
      if (!session || session.start === null || !list.some((conflict) => conflict.kind === "room")) continue;
      if (!byRoom.has(session.room)) byRoom.set(session.room, []);
      byRoom.get(session.room).push(session);
    }
    const cleared = [];
    for (const group of byRoom.values()) {
      group.sort((a, b) => a.start - b.start || a.id - b.id);
      const kept = [];
      for (const session of group) {
        if (kept.some((other) => other.start < session.end && session.start < other.end)) cleared.push(session);
        else kept.push(session);
      }
    }
    return cleared;
  };
  ui.clear.addEventListener("click", async () => {
    const cleared = overlapping();
    if (!cleared.length) {
      say("No room is double-booked: nothing to clear.");
      return;
    }
    const titles = cleared.map((session) => `“${session.title}”`).join(", ");
    if (!window.confirm(`Unschedule ${plural(cleared.length, "session")} that ${cleared.length === 1 ? "overlaps an earlier session in its" : "overlap an earlier session in their"} room? ${titles}`)) return;
    const group = [];
    const results = await Promise.all(
      cleared.map((session) => apply(session, { start: null, end: null, room: null }, { record: (entry) => group.push(entry) })),
    );
    const reopen = [...new Set(group.map((entry) => entry.before.room).filter(Boolean))];
    if (group.length) remember({ group, reopen });
    const done = results.filter(Boolean).length;
    say(`Unscheduled ${plural(done, "overlapping session")}${done < cleared.length ? ` (${cleared.length - done} refused)` : ""}; Undo puts them back.`);
  });
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
  // A focused block: up and down by one step, left and right by one room (a block across all
  // rooms only up and down), within the shown day.
  root.addEventListener("keydown", (event) => {
    const node = event.target.closest?.("[data-block]");
    if (!node || event.target.closest("button") || event.ctrlKey || event.metaKey || event.altKey) return;
    const block = blocks.get(Number(node.dataset.block));
    const moves = { ArrowUp: [-step, 0], ArrowDown: [step, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1] };
    const move = block && moves[event.key];
    if (!move) return;
    event.preventDefault();
    const [minutes, columns] = move;
    let room = block.room;
    if (columns) {
      const column = room === null ? -1 : roomIndex.get(room) + columns;
      if (column < 0 || column >= rooms.length) return;
      room = rooms[column].id;
    }
    const day = days[dayIndex];
    const start = block.start + minutes * MINUTE;
    const end = block.end + minutes * MINUTE;
    if (start < day.startMs || end > day.startMs + day.minutes * MINUTE) return;
    moveBlock(block, { start, end, room });
  });

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
  // ``drag.item`` is a session or a block (``drag.block`` true); both move and resize alike, but a
  // block never goes to the pane, and one across all rooms stays across all rooms.
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
    if (event.button !== 0 || event.target.closest("button")) return;
    const node = event.target.closest("[data-session], [data-block]");
    if (!node) return;
    const isBlock = node.hasAttribute("data-block");
    const item = isBlock ? blocks.get(Number(node.dataset.block)) : sessions.get(Number(node.dataset.session));
    if (!item) return;
    const box = node.getBoundingClientRect();
    drag = {
      item,
      block: isBlock,
      node,
      resize: Boolean(event.target.closest("[data-resize]")),
      x: event.clientX,
      y: event.clientY,
      grabY: isBlock || isPlaced(item) ? event.clientY - box.top : 0,
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
    const { item } = drag;
    const placed = drag.block || isPlaced(item);
    if (drag.resize) {
      const box = canvas.getBoundingClientRect();
      const day = days[dayIndex];
      const minute = snap((event.clientY - box.top) / PX_PER_MINUTE);
      const end = Math.min(day.startMs + minute * MINUTE, day.startMs + day.minutes * MINUTE);
      return { start: item.start, end: Math.max(end, item.start + step * MINUTE), room: item.room };
    }
    const spot = target(event);
    if (!spot) return null;
    if (spot.pane) return !drag.block && placed ? { start: null, end: null, room: null } : null;
    const length = placed ? item.end - item.start : lengthOf(item) * MINUTE;
    return { start: spot.start, end: spot.start + length, room: drag.block && item.room === null ? null : spot.room };
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
    const { item } = current;
    if (place.start === item.start && place.end === item.end && place.room === item.room) return;
    if (current.block) {
      moveBlock(item, place);
      return;
    }
    focusWanted = item.id;
    apply(item, place);
  });

  document.addEventListener("pointercancel", () => {
    if (!drag) return;
    drag.ghost?.remove();
    drag.node.classList.remove("sched-card--dragging");
    drag = null;
  });

  // --- blocks: add, move, delete ------------------------------------------------------------------
  const blockBody = (block, place) => ({
    data: {
      type: "schedule-block",
      ...(block ? { id: String(block.id) } : {}),
      attributes: { "starts-at": iso(place.start), "ends-at": iso(place.end), ...(place.title ? { title: place.title, kind: place.kind } : {}) },
      relationships: {
        microlocation: { data: place.room ? { type: "microlocation", id: String(place.room) } : null },
        ...(block ? {} : { event: { data: { type: "event", id: String(data.event.id) } } }),
      },
    },
  });

  const moveBlock = (block, place, { record = remember } = {}) => {
    const before = { start: block.start, end: block.end, room: block.room };
    Object.assign(block, place);
    fail("");
    refreshBlock(block);
    root.querySelector(`[data-block="${block.id}"]`)?.focus();
    return enqueue(async () => {
      let response;
      try {
        response = await send(`${data.urls.blocks}/${block.id}`, "PATCH", blockBody(block, place));
      } catch {
        response = null;
      }
      const ok = Boolean(response && response.ok);
      if (ok) {
        record?.({ block: block.id, before });
        say(`Saved: ${blockLabel(block)}.`);
      } else {
        const message = response ? await errorText(response) : "The server could not be reached; nothing was saved.";
        Object.assign(block, before);
        fail(`“${block.title}” was not moved: ${message}`);
        say("");
      }
      refreshBlock(block);
      root.querySelector(`[data-block="${block.id}"]`)?.focus();
      return ok;
    });
  };

  root.addEventListener("click", (event) => {
    const button = event.target.closest("[data-delete-block]");
    if (!button) return;
    const block = blocks.get(Number(button.closest("[data-block]").dataset.block));
    if (!block) return;
    enqueue(async () => {
      const response = await send(`${data.urls.blocks}/${block.id}`, "DELETE");
      if (response.ok) {
        blocks.delete(block.id);
        refreshBlock(block);
        for (const entry of undoStack) if (entry.block === block.id) entry.block = null;
        say(`Deleted “${block.title}”.`);
      } else {
        fail(`“${block.title}” was not deleted: ${await errorText(response)}`);
      }
      return response.ok;
    });
  });

  // A dialog's form: its error line, closing by its Cancel button, submitting through ``submit``
  // (an async function of the form's data answering an error text or null).
  const dialogForm = (dialog, submit) => {
    const form = dialog.querySelector("form");
    const error = dialog.querySelector("[data-dialog-error]");
    dialog.querySelector("[data-close]").addEventListener("click", () => dialog.close());
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      error.textContent = "";
      const problem = await submit(new FormData(form));
      if (problem) error.textContent = problem;
      else dialog.close();
    });
    return { form, error };
  };

  const blockForm = dialogForm(ui.blockDialog, async (values) => {
    const day = days[dayIndex];
    const [hours, minutes] = String(values.get("time")).split(":").map(Number);
    const [firstHours, firstMinutes] = time(day.startMs).split(":").map(Number);
    const start = day.startMs + ((hours - firstHours) * 60 + (minutes - firstMinutes)) * MINUTE;
    const length = Number(values.get("minutes")) || data.default_minutes;
    const place = {
      start,
      end: start + length * MINUTE,
      room: Number(values.get("room")) || null,
      title: String(values.get("title")).trim(),
      kind: values.get("kind"),
    };
    let response;
    try {
      response = await send(data.urls.blocks, "POST", blockBody(null, place));
    } catch {
      return "The server could not be reached; nothing was saved.";
    }
    if (!response.ok) return errorText(response);
    const doc = await response.json();
    const block = { id: Number(doc.data.id), title: place.title, kind: place.kind, room: place.room, start: place.start, end: place.end };
    blocks.set(block.id, block);
    if (dayOf(block.start) !== dayIndex && dayOf(block.start) >= 0) showDay(dayOf(block.start));
    else refreshBlock(block);
    say(`Added: ${blockLabel(block)}. Drag it to move it, its bottom edge to resize it.`);
    return null;
  });
  ui.openBlock.addEventListener("click", () => {
    const day = days[dayIndex];
    if (!day) return;
    const kinds = blockForm.form.querySelector("[data-block-kinds]");
    kinds.replaceChildren(...(data.block_kinds || []).map((kind) => el("option", { value: kind.value, text: kind.label })));
    const roomSelect = blockForm.form.querySelector("[data-block-rooms]");
    roomSelect.replaceChildren(el("option", { value: "", text: "All rooms" }), ...rooms.map((room) => el("option", { value: room.id, text: room.name })));
    const eventStart = Date.parse(data.event.starts_at);
    blockForm.form.elements.time.value = time(Math.max(day.startMs, eventStart));
    blockForm.error.textContent = "";
    ui.blockDialog.showModal();
  });

  // --- rooms: add, reorder ------------------------------------------------------------------------
  const roomForm = dialogForm(ui.roomDialog, async (values) => {
    const name = String(values.get("name")).trim();
    const parallel = values.get("allows_parallel") === "on";
    const last = rooms.reduce((most, room) => Math.max(most, room.position ?? 0), -1);
    let response;
    try {
      response = await send(data.urls.rooms, "POST", {
        data: {
          type: "microlocation",
          attributes: { name, "allows-parallel": parallel, position: last + 1 },
          relationships: { event: { data: { type: "event", id: String(data.event.id) } } },
        },
      });
    } catch {
      return "The server could not be reached; nothing was saved.";
    }
    if (!response.ok) return errorText(response);
    const doc = await response.json();
    rooms.push({ id: Number(doc.data.id), name, position: last + 1, allows_parallel: parallel });
    indexRooms();
    renderGrid();
    say(`Added the room “${name}”.`);
    return null;
  });
  ui.openRoom.addEventListener("click", () => {
    roomForm.form.reset();
    roomForm.error.textContent = "";
    ui.roomDialog.showModal();
  });

  // The rooms keep the positions they had between them, in the new order (hidden rooms keep theirs).
  const moveRoom = (from, to) => {
    if (to < 0 || to >= rooms.length || from === to) return;
    const slots = rooms.map((room) => room.position ?? 0).sort((a, b) => a - b);
    for (let index = 1; index < slots.length; index += 1) slots[index] = Math.max(slots[index], slots[index - 1] + 1);
    const [moved] = rooms.splice(from, 1);
    rooms.splice(to, 0, moved);
    indexRooms();
    renderGrid();
    root.querySelector(`[data-room="${moved.id}"] [data-move-room="${to > from ? 1 : -1}"]:not([disabled])`)?.focus();
    rooms.forEach((room, index) => {
      if (room.position === slots[index]) return;
      const position = slots[index];
      enqueue(async () => {
        const response = await send(`${data.urls.rooms}/${room.id}`, "PATCH", {
          data: { type: "microlocation", id: String(room.id), attributes: { position } },
        });
        if (response.ok) room.position = position;
        else fail(`The order of “${room.name}” was not saved: ${await errorText(response)}`);
        return response.ok;
      });
    });
    say(`Moved “${moved.name}” to place ${to + 1} of ${rooms.length}.`);
  };
  root.addEventListener("click", (event) => {
    const button = event.target.closest("[data-move-room]");
    if (!button) return;
    const from = roomIndex.get(Number(button.closest("[data-room]").dataset.room));
    moveRoom(from, from + Number(button.dataset.moveRoom));
  });

  // Dragging a room's header: dropped over another header, it takes that one's place.
  let roomDrag = null;
  const headerIndex = (event) => {
    const head = ui.grid.querySelector(".sched-grid__head");
    if (!head) return null;
    const box = head.getBoundingClientRect();
    return Math.max(0, Math.min(rooms.length - 1, Math.floor((event.clientX - box.left) / COLUMN_WIDTH)));
  };
  ui.grid.addEventListener("pointerdown", (event) => {
    const cell = event.target.closest("[data-room]");
    if (event.button !== 0 || !cell || event.target.closest("button")) return;
    event.preventDefault();
    roomDrag = { from: roomIndex.get(Number(cell.dataset.room)), cell, x: event.clientX, moving: false };
  });
  document.addEventListener("pointermove", (event) => {
    if (!roomDrag) return;
    if (!roomDrag.moving && Math.abs(event.clientX - roomDrag.x) < DRAG_THRESHOLD) return;
    roomDrag.moving = true;
    roomDrag.cell.classList.add("sched-grid__room--dragging");
    const to = headerIndex(event);
    ui.grid.querySelectorAll(".sched-grid__room").forEach((cell, index) => cell.classList.toggle("sched-grid__room--target", index === to));
  });
  document.addEventListener("pointerup", (event) => {
    if (!roomDrag) return;
    const current = roomDrag;
    roomDrag = null;
    ui.grid.querySelectorAll(".sched-grid__room").forEach((cell) => cell.classList.remove("sched-grid__room--target", "sched-grid__room--dragging"));
    if (current.moving) moveRoom(current.from, headerIndex(event));
  });

  ui.step.addEventListener("change", () => {
    step = Number(ui.step.value) || 15;
    renderGrid();
  });

  // Open on the first day that has a session (the earliest placed one, whatever its id), else the first day.
  const firstPlaced = [...sessions.values()].filter(isPlaced).reduce((a, b) => (a && a.start <= b.start ? a : b), null);
  dayIndex = firstPlaced ? dayOf(firstPlaced.start) : 0;
  renderTabs();
  renderExports();
  redraw();
  root.dataset.ready = "true";
  // Exposed for the bench and tests: when the grid was painted (ms since navigation start).
  requestAnimationFrame(() => {
    root.dataset.paintedAt = String(Math.round(performance.now()));
  });
}
