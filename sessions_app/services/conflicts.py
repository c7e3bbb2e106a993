"""Schedule conflicts: what is wrong with where and when a session takes place.

One core (``_find``) reads a set of scheduled sessions and their speakers and lists, for each,
its conflicts; ``session_conflicts`` feeds it one session and the few sessions that could clash
with it, ``event_conflicts`` every scheduled session of an event (two queries whatever the size,
overlaps found by sorting by start per room and per speaker: O(n log n) plus the overlaps found).

The kinds:

- ``room``: another session in the same room at an overlapping time (error), unless the room
  allows parallel sessions (``Microlocation.allows_parallel``; exhibitions, poster halls).
- ``speaker``: a speaker in two places at once (warning): two overlapping sessions name the same
  speaker row, or speaker rows of the same user account (an event has one live row per e-mail
  address, so the same address is the same row).
- ``outside-event``: the session starts before the event begins or ends after it ends (error;
  an event's dates may move after sessions were placed).
- ``hidden-room``: the session's room is hidden from the scheduler (warning).
- ``duration``: the session is shorter or longer than its type's length (warning).

Times touch but do not overlap: a session ending at 10:00 and one starting at 10:00 are fine.

Which sessions count: only scheduled ones (a start and an end). Sessions that were withdrawn,
rejected or canceled, and sessions in the trash, hold no place in the schedule: they neither
clash with others nor have conflicts of their own. Drafts, pending, accepted and confirmed
sessions all hold their place (an organizer placing pending proposals plans with them).
"""
from collections import defaultdict
from dataclasses import dataclass
from datetime import timedelta
from zoneinfo import ZoneInfo

from django.db.models import Q

from ..models import Session

State = Session.State

#: States whose sessions hold their place in the schedule (see the module's docstring).
BLOCKING_STATES = (State.DRAFT, State.PENDING, State.ACCEPTED, State.CONFIRMED)
ERROR, WARNING = "error", "warning"
ROOM, SPEAKER, OUTSIDE_EVENT, HIDDEN_ROOM, DURATION = "room", "speaker", "outside-event", "hidden-room", "duration"
_SEVERITY_ORDER = {ERROR: 0, WARNING: 1}
_SESSION_COLUMNS = (
    "id", "title", "state", "starts_at", "ends_at", "event_id", "microlocation_id", "session_type_id",
    "microlocation__name", "microlocation__hidden_in_scheduler", "microlocation__allows_parallel",
    "microlocation__deleted_at", "session_type__name", "session_type__length", "session_type__deleted_at",
)  # fmt: skip
_MINUTES_PER_HOUR = 60


@dataclass(frozen=True)
class ScheduleConflict:
    """One conflict of one session. ``other_id``/``other_title`` name the session it clashes with
    (room and speaker conflicts), else None and ""."""

    kind: str
    severity: str
    message: str
    other_id: int | None = None
    other_title: str = ""

    @property
    def is_error(self):
        return self.severity == ERROR

    def as_json(self):
        other = None if self.other_id is None else {"id": str(self.other_id), "title": self.other_title}
        return {"kind": self.kind, "severity": self.severity, "message": self.message, "other-session": other}


def holds_place(session):
    """Does ``session`` take its room and its speakers' time (scheduled, live, in a blocking state)?"""
    return (
        session.starts_at is not None
        and session.ends_at is not None
        and session.deleted_at is None
        and session.state in BLOCKING_STATES
    )


def _scheduled(queryset):
    """The scheduled, live sessions of ``queryset`` that hold their place, with room and type."""
    return (
        queryset.filter(starts_at__isnull=False, ends_at__isnull=False, state__in=BLOCKING_STATES)
        .select_related("microlocation", "session_type")
        .only(*_SESSION_COLUMNS)
        .order_by("starts_at", "id")
    )


def _speaker_keys(session_ids=None, event=None):
    """session id -> {key: speaker name}; a key is ("row", speaker id) or ("user", user id). For
    the sessions ``session_ids``, or (``event``) for every scheduled session of the event: a join on
    the event, not a list of ids (SQLite plans a long ``IN`` list badly: 0.1–0.4 s for 600 ids, 4 ms
    by the event)."""
    if event is not None:
        where = {"session__event": event, "session__starts_at__isnull": False, "session__ends_at__isnull": False}
    else:
        where = {"session_id__in": session_ids}
    links = Session.speakers.through.objects.filter(**where, speaker__deleted_at__isnull=True).values_list(
        "session_id", "speaker_id", "speaker__user_id", "speaker__name"
    )
    keys = defaultdict(dict)
    for session_id, speaker_id, user_id, name in links:
        keys[session_id][("row", speaker_id)] = name
        if user_id is not None:
            keys[session_id][("user", user_id)] = name
    return keys


def session_conflicts(session):
    """The conflicts of ``session`` as stored (a list of ``ScheduleConflict``, errors first). Three
    queries: its speakers, the sessions that could clash with it, their speakers."""
    if not holds_place(session):
        return []
    own = _speaker_keys([session.pk]).get(session.pk, {})
    speaker_ids = [key[1] for key in own if key[0] == "row"]
    user_ids = [key[1] for key in own if key[0] == "user"]
    near = Q(starts_at__lt=session.ends_at, ends_at__gt=session.starts_at) & (
        Q(microlocation_id=session.microlocation_id, microlocation_id__isnull=False)
        | Q(speakers__in=speaker_ids, speakers__deleted_at__isnull=True)
        | Q(speakers__user_id__in=user_ids, speakers__deleted_at__isnull=True)
    )
    candidates = _scheduled(Session.objects.filter(event_id=session.event_id))
    pool = list(candidates.filter(Q(pk=session.pk) | near).distinct())
    if not any(row.pk == session.pk for row in pool):
        return []
    keys = _speaker_keys([row.pk for row in pool])
    return _find(session.event, pool, keys).get(session.pk, [])


def event_conflicts(event):
    """Every conflict of ``event``'s schedule: {session id: [ScheduleConflict, …]} for the sessions that
    have any. Two queries, whatever the number of sessions."""
    sessions = list(_scheduled(Session.objects.filter(event=event)))
    keys = _speaker_keys(event=event) if sessions else {}
    return _find(event, sessions, keys)


# --- the core -------------------------------------------------------------------------------------
def _find(event, sessions, keys):
    """{session id: [ScheduleConflict, …]} for ``sessions`` (scheduled, holding their place, room and type
    loaded) with their speakers' ``keys`` (``_speaker_keys``)."""
    found = defaultdict(list)
    tz = ZoneInfo(event.timezone)
    for session in sessions:
        found[session.pk].extend(_own_conflicts(event, session, tz))
    by_room = defaultdict(list)
    for session in sessions:
        room = _live_room(session)
        if room is not None and not room.allows_parallel:
            by_room[room.pk].append(session)
    for group in by_room.values():
        for first, second in _overlapping_pairs(group):
            found[first.pk].append(_room_conflict(first, second, tz))
            found[second.pk].append(_room_conflict(second, first, tz))
    by_speaker = defaultdict(list)
    names = {}
    for session in sessions:
        for key, name in keys.get(session.pk, {}).items():
            by_speaker[key].append(session)
            names[key] = name
    reported = set()
    for key, group in by_speaker.items():
        for first, second in _overlapping_pairs(group):
            if (first.pk, second.pk) not in reported:
                reported.add((first.pk, second.pk))
                found[first.pk].append(_speaker_conflict(first, second, names[key], tz))
                found[second.pk].append(_speaker_conflict(second, first, names[key], tz))
    return {pk: sorted(items, key=_order) for pk, items in found.items() if items}


def _order(conflict):
    return _SEVERITY_ORDER[conflict.severity], conflict.kind, conflict.other_id or 0


def _overlapping_pairs(group):
    """Each pair of sessions of ``group`` whose times overlap, once, the earlier first: a sweep
    over the sessions sorted by start, keeping those still running."""
    running = []
    for session in sorted(group, key=lambda row: (row.starts_at, row.pk)):
        running = [other for other in running if other.ends_at > session.starts_at]
        for other in running:
            yield other, session
        running.append(session)


def _live_room(session):
    room = session.microlocation if session.microlocation_id is not None else None
    return room if room is not None and room.deleted_at is None else None


def _when(session, tz):
    starts, ends = session.starts_at.astimezone(tz), session.ends_at.astimezone(tz)
    return f"{starts:%a %d %b %H:%M}–{ends:%H:%M}"


def _room_conflict(session, other, tz):
    room = session.microlocation.name
    message = f"{room} is also booked for “{other.title}” at that time ({_when(other, tz)})."
    return ScheduleConflict(ROOM, ERROR, message, other.pk, other.title)


def _speaker_conflict(session, other, name, tz):
    message = f"{name} also speaks in “{other.title}” at that time ({_when(other, tz)})."
    return ScheduleConflict(SPEAKER, WARNING, message, other.pk, other.title)


def _own_conflicts(event, session, tz):
    """The conflicts of a session on its own: outside the event, hidden room, duration."""
    if session.starts_at < event.starts_at:
        begins = event.starts_at.astimezone(tz)
        yield ScheduleConflict(OUTSIDE_EVENT, ERROR, f"It starts before the event begins ({begins:%a %d %b %H:%M}).")
    if session.ends_at > event.ends_at:
        ends = event.ends_at.astimezone(tz)
        yield ScheduleConflict(OUTSIDE_EVENT, ERROR, f"It ends after the event ends ({ends:%a %d %b %H:%M}).")
    room = _live_room(session)
    if room is not None and room.hidden_in_scheduler:
        yield ScheduleConflict(HIDDEN_ROOM, WARNING, f"Its room, {room.name}, is hidden from the scheduler.")
    kind = session.session_type if session.session_type_id is not None else None
    expected = type_length(kind) if kind is not None and kind.deleted_at is None else None
    if expected:
        actual = session.ends_at - session.starts_at
        if actual != expected:
            relation = "shorter" if actual < expected else "longer"
            message = (
                f"It lasts {_duration(actual)}, {relation} than a {kind.name} ({_duration(expected)})."
            )
            yield ScheduleConflict(DURATION, WARNING, message)


def type_length(session_type):
    """A session type's length ("HH:MM") as a timedelta; None when it is empty, zero or unreadable."""
    hours, _, minutes = (session_type.length or "").partition(":")
    if not (hours.isdigit() and minutes.isdigit()):
        return None
    length = timedelta(hours=int(hours), minutes=int(minutes))
    return length or None


def _duration(length):
    minutes = int(length.total_seconds()) // _MINUTES_PER_HOUR
    hours, minutes = divmod(minutes, _MINUTES_PER_HOUR)
    if hours and minutes:
        return f"{hours} h {minutes} min"
    return f"{hours} h" if hours else f"{minutes} min"
