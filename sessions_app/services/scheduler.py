"""What the organizers' scheduler page works on: one JSON-ready dict (rendered into the page with
``json_script``) holding the event's days and hours in its timezone, its rooms in order, tracks,
session types and every session the page can place.

The page then changes sessions one PATCH at a time through ``/v1/sessions/<id>`` (the same
``update_session`` as every other write); nothing here writes.

The size of the dict is linear in the program: each session, room, track and type appears once,
and sessions refer to the others by id. Its queries are constant: rooms, tracks, types, sessions
and their speakers' names (one prefetch), the schedule's blocks (breaks) and the conflicts of every
scheduled session (``conflicts.event_conflicts``: two queries).
"""
import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.db.models.functions import Lower

from ..models import ScheduleBlock, Session, Speaker
from .conflicts import event_conflicts

State = Session.State

#: Sessions the scheduler places on the grid. Pending proposals come too, shown in the
#: unscheduled pane only when the organizer ticks "Pending too" (planning before accepting).
SCHEDULED_STATES = (State.ACCEPTED, State.CONFIRMED)
SCHEDULER_STATES = (*SCHEDULED_STATES, State.PENDING)
#: A session type without a readable length places a session for this long.
DEFAULT_MINUTES = 30
MINUTES_PER_HOUR = 60
ONE_DAY = datetime.timedelta(days=1)
UTC = datetime.UTC


def type_minutes(length):
    """A session type's ``"HH:MM"`` length in minutes; None when it is unreadable or zero."""
    hours, _, minutes = (length or "").partition(":")
    if not (hours.isdigit() and minutes.isdigit()):
        return None
    total = int(hours) * MINUTES_PER_HOUR + int(minutes)
    return total or None


def event_zone(event):
    try:
        return ZoneInfo(event.timezone or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def _floor_hour(moment):
    return moment.replace(minute=0, second=0, microsecond=0)


def _ceil_hour(moment):
    floor = _floor_hour(moment)
    return floor if floor == moment else floor + datetime.timedelta(hours=1)


def _daily_window(start, end):
    """The hours shown every day, as (start, end) times of day, when the event keeps the same
    hours every day (ends later in the day than it starts, on another day); else None (each day
    runs from midnight to midnight, cut to the event)."""
    if start.date() == end.date() or end.time() <= start.time():
        return None
    return _floor_hour(start).time(), _ceil_hour(end).time()


def schedule_days(event, sessions=()):
    """The event's days in its timezone: for each, its date, the first instant of its grid and the
    grid's length in minutes. A day's grid covers the event's hours that day (whole hours), widened
    to the sessions already placed on it outside those hours (``sessions``: rows with ``starts_at``
    and ``ends_at``)."""
    zone = event_zone(event)
    start, end = event.starts_at.astimezone(zone), event.ends_at.astimezone(zone)
    window = _daily_window(start, end)
    days = []
    day = start.date()
    while day <= end.date():
        midnight = datetime.datetime.combine(day, datetime.time(), zone)
        if window:
            first = datetime.datetime.combine(day, window[0], zone)
            last = datetime.datetime.combine(day, window[1], zone)
        else:
            first = max(midnight, _floor_hour(start))
            last = min((midnight + ONE_DAY).astimezone(zone), _ceil_hour(end))
        days.append({"date": day, "first": first, "last": last, "midnight": midnight})
        day += ONE_DAY
    for session in sessions:
        if session["starts_at"] is None or session["ends_at"] is None:
            continue
        local = session["starts_at"].astimezone(zone)
        for entry in days:
            if entry["date"] == local.date():
                entry["first"] = min(entry["first"], _floor_hour(local))
                entry["last"] = max(entry["last"], _ceil_hour(session["ends_at"].astimezone(zone)))
    return [
        {
            "date": entry["date"].isoformat(),
            "label": f"{entry['date']:%a} {entry['date'].day} {entry['date']:%b}",
            "start": entry["first"].isoformat(),
            # Elapsed minutes (in UTC: a day that changes its clocks is an hour shorter or longer).
            "minutes": int((entry["last"].astimezone(UTC) - entry["first"].astimezone(UTC)).total_seconds()
                           // MINUTES_PER_HOUR),
        }
        for entry in days
        if entry["last"] > entry["first"]
    ]


def scheduler_sessions(event):
    """The sessions the scheduler shows, as plain rows (dicts: no model instances, for speed),
    each with its live speakers' names in alphabetical order. Two queries: the sessions, and the
    session-speaker links with the speakers' names."""
    rows = list(
        Session.objects.filter(event=event, state__in=SCHEDULER_STATES)
        .order_by(Lower("title"), "id")
        .values("id", "title", "state", "track_id", "session_type_id", "microlocation_id", "starts_at", "ends_at",
                "last_modified_at")
    )  # fmt: skip
    names = {}
    links = (
        Speaker.sessions.through.objects.filter(
            session__event=event, session__state__in=SCHEDULER_STATES, speaker__deleted_at__isnull=True
        )
        .order_by(Lower("speaker__name"), "speaker_id")
        .values_list("session_id", "speaker__name")
    )
    for session_id, name in links:
        names.setdefault(session_id, []).append(name)
    for row in rows:
        row["speakers"] = names.get(row["id"], [])
    return rows


def _iso(moment):
    return moment.isoformat() if moment else None


def conflicts_json(event):
    """{session id (a string): [conflict as JSON, …]} for every session of ``event`` with a
    conflict (``event_conflicts``). Two queries."""
    return {str(pk): [item.as_json() for item in found] for pk, found in event_conflicts(event).items()}


def scheduler_blocks(event):
    """The breaks and other blocks of ``event``'s work in progress, by start; ``room`` None: across
    all rooms. One query."""
    rows = ScheduleBlock.objects.filter(event=event).order_by("starts_at", "id")
    return [
        {"id": row.pk, "title": row.title, "kind": row.kind, "room": row.microlocation_id,
         "starts_at": _iso(row.starts_at), "ends_at": _iso(row.ends_at)}
        for row in rows
    ]  # fmt: skip


def scheduler_data(event):
    """Everything the scheduler page draws, as plain JSON-ready data."""
    rooms = [{"id": room.pk, "name": room.name, "position": room.position, "allows_parallel": room.allows_parallel}
             for room in event.microlocations.filter(hidden_in_scheduler=False)]  # fmt: skip
    tracks = [{"id": track.pk, "name": track.name, "color": track.color, "font_color": track.font_color}
              for track in event.tracks.all()]  # fmt: skip
    types = [{"id": kind.pk, "name": kind.name, "minutes": type_minutes(kind.length)}
             for kind in event.session_types.all()]  # fmt: skip
    sessions = list(scheduler_sessions(event))
    return {
        "event": {
            "identifier": event.identifier,
            "name": event.name,
            "timezone": str(event_zone(event)),
            "starts_at": _iso(event.starts_at),
            "ends_at": _iso(event.ends_at),
        },
        "days": schedule_days(event, sessions),
        "rooms": rooms,
        "tracks": tracks,
        "types": types,
        "default_minutes": DEFAULT_MINUTES,
        "sessions": [
            {
                "id": row["id"],
                "title": row["title"],
                "state": row["state"],
                "track": row["track_id"],
                "type": row["session_type_id"],
                "room": row["microlocation_id"],
                "starts_at": _iso(row["starts_at"]),
                "ends_at": _iso(row["ends_at"]),
                "speakers": row["speakers"],
                "last_modified_at": _iso(row["last_modified_at"]),
            }
            for row in sessions
        ],
        # session id -> [{"kind", "severity", "message", "other-session"}, …] (the conflicts service)
        "conflicts": conflicts_json(event),
        "blocks": scheduler_blocks(event),
        "block_kinds": [{"value": value, "label": label} for value, label in ScheduleBlock.Kind.choices],
    }
