"""The one read of an event's public schedule.

Every public page that shows sessions (the schedule, a session, the speakers, the tracks, the
rooms) asks ``public_schedule(event)`` and picks from its lists; none queries sessions itself. The
schedule is, for now, the live accepted and confirmed sessions that have a time; when schedule
releases arrive this function reads the released version instead, and ``version`` names that
release, so nothing else changes.

``version`` names what the schedule was built from, for cache keys: the event's
``program_version``, which every write to its program bumps (``events.versions``). It is known
without loading anything; the sessions are loaded (two queries: the sessions with their
track, room and type joined, and their speakers) only when first asked for, so a page answered
from the cache loads none, and a session's or a speaker's page loads only theirs.
"""
import datetime
from dataclasses import dataclass, field
from functools import cached_property
from urllib.parse import urlencode

from django.db.models import Prefetch

from events.templatetags.event_pages import excerpt, is_cut
from openevent.core.zones import time_zone

from .models import Session, Speaker

#: Abstracts on the schedule's cards are cut at this many characters ("more" links the rest).
ABSTRACT_LENGTH = 200


def _live(part):
    """A joined track, room or type, unless it is in the trash (the join sees trashed rows)."""
    return part if part is not None and part.deleted_at is None else None


def _by_position(parts):
    unique = {part.pk: part for part in parts if part is not None}
    return sorted(unique.values(), key=lambda part: (part.position, part.pk))


@dataclass
class PublicSchedule:
    event: object
    version: str
    blocks: list = field(default_factory=list)

    @cached_property
    def zone(self):
        return time_zone(self.event.timezone) or datetime.UTC

    @cached_property
    def sessions(self):
        """The schedule's sessions in time order (then room order), each with ``speakers_shown``
        (its live speakers by name), ``room``, ``track_shown``, ``type_shown`` (None when unset or
        trashed), ``local_start``/``local_end`` in the event's zone, ``day`` (its local date) and
        ``haystack`` (the lowercase text search looks in: title, speakers' names, positions and
        organisations), ``time_label`` ("10:00–11:00"), ``excerpt`` and ``is_cut`` (its abstract
        as plain text cut at ``ABSTRACT_LENGTH`` on a word boundary, and whether it was cut):
        computed once here, not per card in the templates."""
        return self._prepared(self._rows())

    def _rows(self):
        """The queryset of the schedule's sessions, their parts joined and speakers prefetched."""
        speakers = Speaker.objects.order_by("name", "id")
        return (
            Session.objects.filter(
                event=self.event,
                state__in=Session.PUBLIC_STATES,
                starts_at__isnull=False,
                ends_at__isnull=False,
            )
            .select_related("track", "microlocation", "session_type")
            .prefetch_related(Prefetch("speakers", queryset=speakers, to_attr="speakers_shown"))
        )

    def _prepared(self, rows):
        """``rows`` loaded, each with the attributes ``sessions`` names, in schedule order."""
        sessions = list(rows)
        for session in sessions:
            session.room = _live(session.microlocation)
            session.track_shown = _live(session.track)
            session.type_shown = _live(session.session_type)
            session.local_start = session.starts_at.astimezone(self.zone)
            session.local_end = session.ends_at.astimezone(self.zone)
            session.day = session.local_start.date()
            session.time_label = f"{session.local_start:%H:%M}–{session.local_end:%H:%M}"
            session.start_iso = session.starts_at.isoformat()
            session.end_iso = session.ends_at.isoformat()
            session.day_iso = session.day.isoformat()
            abstract = session.short_abstract or session.long_abstract
            session.excerpt = excerpt(abstract, ABSTRACT_LENGTH) if abstract else ""
            session.is_cut = bool(abstract) and is_cut(abstract, ABSTRACT_LENGTH)
            words = [session.title]
            for speaker in session.speakers_shown:
                words += [speaker.name, speaker.position, speaker.organisation]
            session.haystack = " ".join(word for word in words if word).lower()
        sessions.sort(key=lambda s: (s.starts_at, s.room.position if s.room else 1 << 31, s.pk))
        return sessions

    @cached_property
    def rooms(self):
        return _by_position(session.room for session in self.sessions)

    @cached_property
    def tracks(self):
        return _by_position(session.track_shown for session in self.sessions)

    @cached_property
    def types(self):
        return _by_position(session.type_shown for session in self.sessions)

    @cached_property
    def days(self):
        return sorted({session.day for session in self.sessions})

    @cached_property
    def speakers(self):
        """The speakers of the schedule's sessions, each once, by name."""
        unique = {speaker.pk: speaker for session in self.sessions for speaker in session.speakers_shown}
        return sorted(unique.values(), key=lambda speaker: (speaker.name.lower(), speaker.pk))

    def _loaded(self):
        return "sessions" in self.__dict__

    def session(self, pk):
        """The session ``pk`` of the schedule, or None (a session's page loads that one only)."""
        if self._loaded():
            return next((session for session in self.sessions if session.pk == pk), None)
        return next(iter(self._prepared(self._rows().filter(pk=pk))), None)

    def speaker(self, pk):
        """The speaker ``pk`` when they speak in one of the schedule's sessions, or None."""
        if self._loaded():
            return next((speaker for speaker in self.speakers if speaker.pk == pk), None)
        rows = self._rows().values("pk")
        return Speaker.objects.filter(pk=pk, event=self.event, sessions__in=rows).distinct().first()

    def sessions_of(self, speaker):
        """The schedule's sessions ``speaker`` speaks in."""
        if self._loaded():
            return [session for session in self.sessions if speaker in session.speakers_shown]
        return self._prepared(self._rows().filter(speakers=speaker))


def public_schedule(event):
    """The public schedule of ``event`` (see the module's docstring)."""
    return PublicSchedule(event=event, version=str(event.program_version))


# --- filters and search -----------------------------------------------------------------------------
VIEWS = ("list", "grid")


def _int_or_none(value):
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if number > 0 else None


def _date_or_none(value):
    try:
        return datetime.date.fromisoformat(value)
    except (TypeError, ValueError):
        return None


@dataclass(frozen=True)
class ScheduleFilters:
    """What a visitor asked the schedule page for (``?q=&track=&room=&type=&day=&view=``). Values
    that mean nothing (``track=abc``) are ignored, never an error."""

    q: str = ""
    track: int | None = None
    room: int | None = None
    type: int | None = None
    day: datetime.date | None = None
    view: str = "list"

    @classmethod
    def from_query(cls, params):
        view = params.get("view", "list")
        return cls(
            q=params.get("q", "").strip()[:200],
            track=_int_or_none(params.get("track")),
            room=_int_or_none(params.get("room")),
            type=_int_or_none(params.get("type")),
            day=_date_or_none(params.get("day")),
            view=view if view in VIEWS else "list",
        )

    def params(self, **changes):
        """The filters as query parameters (those set only, in a fixed order), with ``changes``."""
        values = {"q": self.q, "day": self.day.isoformat() if self.day else "", "track": self.track,
                  "room": self.room, "type": self.type, "view": self.view, **changes}  # fmt: skip
        return {key: str(value) for key, value in values.items() if value not in (None, "")}

    @property
    def list_query(self):
        return urlencode(self.params(view="list"))

    @property
    def grid_query(self):
        return urlencode(self.params(view="grid"))

    @property
    def cache_key(self):
        """Names what the page shows for these filters: unknown parameters do not count."""
        return urlencode(self.params())

    @property
    def active(self):
        return bool(self.q or self.track or self.room or self.type or self.day)

    def matches(self, session, needle):
        return (
            (self.track is None or (session.track_shown is not None and session.track_shown.pk == self.track))
            and (self.room is None or (session.room is not None and session.room.pk == self.room))
            and (self.type is None or (session.type_shown is not None and session.type_shown.pk == self.type))
            and (self.day is None or session.day == self.day)
            and (not needle or needle in session.haystack)
        )

    def apply(self, sessions):
        needle = self.q.lower()
        return [session for session in sessions if self.matches(session, needle)]


def by_day(sessions):
    """[(day, [sessions])] in day order (the sessions keep their order)."""
    days = {}
    for session in sessions:
        days.setdefault(session.day, []).append(session)
    return list(days.items())


# --- the grid view: rooms × time --------------------------------------------------------------------
#: The grid's rows are steps of this many minutes.
GRID_STEP_MINUTES = 5
#: A time label every this many minutes.
GRID_LABEL_MINUTES = 60
#: The first row holds the rooms' names; the first column the times.
GRID_FIRST_ROW = 2
GRID_FIRST_COLUMN = 2


@dataclass
class GridDay:
    """One day of the grid: ``columns`` (rooms, None for sessions without one), ``cards``
    (session, first row, row after, column) and ``labels`` (row, time) to place, ``rows`` in all."""

    day: datetime.date
    key: str
    columns: list
    rows: int
    cards: list
    labels: list


def _step(moment, origin):
    return int((moment - origin).total_seconds() // 60) // GRID_STEP_MINUTES


def _grid_day(day, sessions, columns, column_of):
    origin = min(session.local_start for session in sessions).replace(minute=0, second=0, microsecond=0)
    cards = []
    for session in sessions:
        first = GRID_FIRST_ROW + _step(session.local_start, origin)
        after = max(GRID_FIRST_ROW + -(-int((session.local_end - origin).total_seconds() // 60) // GRID_STEP_MINUTES),
                    first + 1)
        cards.append((session, first, after, column_of(session)))
    rows = max(after for _, _, after, _ in cards) - GRID_FIRST_ROW
    per_label = GRID_LABEL_MINUTES // GRID_STEP_MINUTES
    labels = [
        (GRID_FIRST_ROW + step, origin + datetime.timedelta(minutes=step * GRID_STEP_MINUTES))
        for step in range(0, rows, per_label)
    ]
    return GridDay(day=day, key=day.strftime("%Y%m%d"), columns=columns, rows=rows, cards=cards, labels=labels)


def grid(schedule):
    """The grid of the whole schedule, one ``GridDay`` per day: a column per room in room order,
    and one more for sessions without a room when there are any. Filters and search hide cards
    (the page marks them ``hidden``) and leave the layout alone, so it depends on the schedule's
    version only."""
    sessions = schedule.sessions
    rooms = schedule.rooms
    columns = rooms + ([None] if any(session.room is None for session in sessions) else [])
    index = {room.pk: GRID_FIRST_COLUMN + i for i, room in enumerate(rooms)}
    last = GRID_FIRST_COLUMN + len(rooms)

    def column_of(session):
        return index.get(session.room.pk, last) if session.room is not None else last

    return [_grid_day(day, day_sessions, columns, column_of) for day, day_sessions in by_day(sessions)]
