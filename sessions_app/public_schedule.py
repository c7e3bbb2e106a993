"""The one read of an event's public schedule: its released version.

Every public page that shows sessions (the schedule, a session, the speakers, the tracks, the
rooms) asks ``public_schedule(event)`` and picks from its lists; none queries sessions itself.
What the public sees is the event's current release (``queries.released_schedule``), never the
work in progress: the sessions of the release's slots that are still live and accepted or
confirmed, each at the time and in the room of its slot (a session moved, unscheduled or put in
another room since keeps its released place until the next release), with its title, abstract,
track, type and speakers from today's row (as pretalx does); and the release's blocks (breaks,
lunch…). A session accepted since the release is not on it. Without a release (never released,
or unpublished) the schedule is empty and ``is_published`` is False.

``version`` names what the schedule was built from, for cache keys: the event's
``program_version``, which every write to its program bumps (``events.versions``), and so do
``release_schedule`` and ``unpublish_schedule``. It is known without loading anything; the rest is
loaded only when first asked for: the release (one query), the event's rooms (one), the sessions
with their track and type joined (one) and their speakers (one). A page answered from the cache
loads none of it, and a session's or a speaker's page loads only theirs.
"""
import datetime
from dataclasses import dataclass
from functools import cached_property
from urllib.parse import urlencode

from django.db.models import F

from events.models import Microlocation
from events.templatetags.event_pages import excerpt, is_cut
from openevent.core.zones import time_zone

from .models import ScheduleBlock, Session, Speaker
from .queries import released_schedule

#: The speaker columns the schedule loads (cards, search, the speakers list).
CARD_SPEAKER_FIELDS = ("id", "event_id", "name", "position", "organisation", "photo_url", "thumbnail_image_url")
#: Up to this many sessions, their speakers are asked for by the sessions' ids.
FEW_SESSIONS = 100
#: Abstracts on the schedule's cards are cut at this many characters ("more" links the rest).
ABSTRACT_LENGTH = 200
#: Where items without a room sort among those of a room at the same time: blocks across all
#: rooms first, sessions without a room last.
FIRST, LAST = -1, 1 << 31


def _live(part):
    """A joined track or type, unless it is in the trash (the join sees trashed rows)."""
    return part if part is not None and part.deleted_at is None else None


def _by_position(parts):
    unique = {part.pk: part for part in parts if part is not None}
    return sorted(unique.values(), key=lambda part: (part.position, part.pk))


def _place(item, starts_at, ends_at, zone):
    """The attributes of an item of the schedule (session or block) that its time gives."""
    item.starts_at, item.ends_at = starts_at, ends_at
    item.local_start = starts_at.astimezone(zone)
    item.local_end = ends_at.astimezone(zone)
    item.day = item.local_start.date()
    item.time_label = f"{item.local_start:%H:%M}–{item.local_end:%H:%M}"
    item.start_iso = starts_at.isoformat()
    item.end_iso = ends_at.isoformat()
    item.day_iso = item.day.isoformat()


def _order(item):
    room = item.room.position if item.room is not None else (FIRST if item.is_block else LAST)
    return (item.starts_at, room, not item.is_block, item.pk)


class PublicBlock:
    """A block of the release (a break, lunch…) as the pages show it: ``pk``, ``title``, ``kind``
    and ``kind_label``, ``room`` (None: across all rooms), and the time attributes of a session
    (``starts_at``…``day_iso``). Not a link: a block has no page."""

    is_block = True

    def __init__(self, released, room, zone):
        self.pk = released.id
        self.title = released.title
        self.kind = released.kind if released.kind in ScheduleBlock.Kind.values else ScheduleBlock.Kind.OTHER
        self.kind_label = ScheduleBlock.Kind(self.kind).label
        self.room = room
        _place(self, released.starts_at, released.ends_at, zone)

    @property
    def room_label(self):
        return self.room.name if self.room is not None else "All rooms"


@dataclass
class PublicSchedule:
    event: object
    version: str

    @cached_property
    def zone(self):
        return time_zone(self.event.timezone) or datetime.UTC

    @cached_property
    def released(self):
        """The current release as ``queries.released_schedule`` gives it, or None."""
        return released_schedule(self.event)

    @property
    def is_published(self):
        return self.released is not None

    @cached_property
    def _slots(self):
        return {slot.session_id: slot for slot in self.released.slots} if self.released else {}

    @cached_property
    def _rooms(self):
        """The event's live rooms by id (one query): a room in the trash since the release is none."""
        return {room.pk: room for room in Microlocation.objects.filter(event=self.event)}

    @cached_property
    def sessions(self):
        """The schedule's sessions in time order (then room order), each with ``starts_at`` and
        ``ends_at`` of its released slot, ``room`` (its slot's room, None when it has none or it
        is in the trash), ``speakers_shown`` (its live speakers by name), ``track_shown``,
        ``type_shown`` (None when unset or trashed), ``local_start``/``local_end`` in the event's
        zone, ``day`` (its local date) and ``haystack`` (the lowercase text search looks in:
        title, speakers' names, positions and organisations), ``time_label`` ("10:00–11:00"),
        ``excerpt`` and ``is_cut`` (its abstract as plain text cut at ``ABSTRACT_LENGTH`` on a
        word boundary, and whether it was cut): computed once here, not per card in the
        templates."""
        return self._prepared(self._rows()) if self._slots else []

    def _rows(self):
        """The queryset of the schedule's sessions, their track and type joined (speakers are
        attached by ``_prepared``)."""
        return Session.objects.filter(
            event=self.event, pk__in=list(self._slots), state__in=Session.PUBLIC_STATES
        ).select_related("track", "session_type")

    def _speakers_of(self, sessions):
        """{session id: its live speakers by name}, in one query. A few sessions (a session's or a
        speaker's page) ask by their ids; the whole schedule asks by the event, as a list of
        thousands of ids makes SQLite's plan slow. Only what the cards, the search and the
        speakers list show of a speaker is loaded (not their biographies)."""
        ids = {session.pk for session in sessions}
        rows = Speaker.objects.only(*CARD_SPEAKER_FIELDS).order_by("name", "id")
        if len(ids) <= FEW_SESSIONS:
            rows = rows.filter(sessions__in=ids)
        else:
            rows = rows.filter(event=self.event, sessions__event=self.event)
        found = {}
        for speaker in rows.annotate(session_ref=F("sessions__id")):
            if speaker.session_ref in ids:
                found.setdefault(speaker.session_ref, []).append(speaker)
        return found

    def _prepared(self, rows):
        """``rows`` loaded, each with the attributes ``sessions`` names, in schedule order."""
        sessions = list(rows)
        speakers = self._speakers_of(sessions) if sessions else {}
        rooms = self._rooms if sessions else {}
        for session in sessions:
            slot = self._slots[session.pk]
            session.speakers_shown = speakers.get(session.pk, [])
            session.is_block = False
            session.room = rooms.get(slot.microlocation_id)
            session.track_shown = _live(session.track)
            session.type_shown = _live(session.session_type)
            _place(session, slot.starts_at, slot.ends_at, self.zone)
            abstract = session.short_abstract or session.long_abstract
            session.excerpt = excerpt(abstract, ABSTRACT_LENGTH) if abstract else ""
            session.is_cut = bool(abstract) and is_cut(abstract, ABSTRACT_LENGTH)
            words = [session.title]
            for speaker in session.speakers_shown:
                words += [speaker.name, speaker.position, speaker.organisation]
            session.haystack = " ".join(word for word in words if word).lower()
        sessions.sort(key=_order)
        return sessions

    @cached_property
    def blocks(self):
        """The release's blocks in time order, as ``PublicBlock``. A block whose room is in the
        trash since the release is left out (its place is gone); one across all rooms stays."""
        if not self.released or not self.released.blocks:
            return []
        rooms = self._rooms
        blocks = [
            PublicBlock(block, rooms.get(block.microlocation_id), self.zone)
            for block in self.released.blocks
            if block.microlocation_id is None or block.microlocation_id in rooms
        ]
        return sorted(blocks, key=_order)

    @cached_property
    def items(self):
        """Sessions and blocks together, in time order (then room order; blocks across all
        rooms first): the list view's order."""
        return sorted(self.sessions + self.blocks, key=_order)

    @cached_property
    def rooms(self):
        """The rooms of the schedule's sessions and blocks, in room order."""
        return _by_position(item.room for item in self.items)

    @cached_property
    def tracks(self):
        return _by_position(session.track_shown for session in self.sessions)

    @cached_property
    def types(self):
        return _by_position(session.type_shown for session in self.sessions)

    @cached_property
    def days(self):
        return sorted({item.day for item in self.items})

    @cached_property
    def speakers(self):
        """The speakers of the schedule's sessions, each once, by name."""
        unique = {speaker.pk: speaker for session in self.sessions for speaker in session.speakers_shown}
        return sorted(unique.values(), key=lambda speaker: (speaker.name.lower(), speaker.pk))

    def _loaded(self):
        return "sessions" in self.__dict__

    def session(self, pk):
        """The session ``pk`` of the schedule, or None (a session's page loads that one only)."""
        if pk not in self._slots:
            return None
        if self._loaded():
            return next((session for session in self.sessions if session.pk == pk), None)
        return next(iter(self._prepared(self._rows().filter(pk=pk))), None)

    def speaker(self, pk):
        """The speaker ``pk`` when they speak in one of the schedule's sessions, or None."""
        if self._loaded():
            return next((speaker for speaker in self.speakers if speaker.pk == pk), None)
        if not self._slots:
            return None
        rows = self._rows().values("pk")
        return Speaker.objects.filter(pk=pk, event=self.event, sessions__in=rows).distinct().first()

    def sessions_of(self, speaker):
        """The schedule's sessions ``speaker`` speaks in."""
        if self._loaded() or not self._slots:
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

    def shows_block(self, block):
        """Whether a block (a break, lunch…) stays in view: on its day, and in its room or across
        all rooms, as it is where the visitor looks; not while they search or pick a track or a
        type, as they then ask for particular sessions, which a block is not. The page's script
        decides the same way (``static/js/public-schedule.js``)."""
        return (
            not self.q
            and self.track is None
            and self.type is None
            and (self.day is None or block.day == self.day)
            and (self.room is None or block.room is None or block.room.pk == self.room)
        )

    def apply_blocks(self, blocks):
        return [block for block in blocks if self.shows_block(block)]


def by_day(items):
    """[(day, [items])] in day order (the items, sessions or blocks, keep their order)."""
    days = {}
    for item in items:
        days.setdefault(item.day, []).append(item)
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
    (item, first row, row after, column) and ``labels`` (row, time) to place, ``rows`` in all. An
    item is a session or a block; a block across all rooms spans every column."""

    day: datetime.date
    key: str
    columns: list
    rows: int
    cards: list
    labels: list


def _step(moment, origin):
    return int((moment - origin).total_seconds() // 60) // GRID_STEP_MINUTES


def _grid_day(day, items, columns, column_of):
    origin = min(item.local_start for item in items).replace(minute=0, second=0, microsecond=0)
    cards = []
    for item in items:
        first = GRID_FIRST_ROW + _step(item.local_start, origin)
        after = max(GRID_FIRST_ROW + -(-int((item.local_end - origin).total_seconds() // 60) // GRID_STEP_MINUTES),
                    first + 1)
        cards.append((item, first, after, column_of(item)))
    rows = max(after for _, _, after, _ in cards) - GRID_FIRST_ROW
    per_label = GRID_LABEL_MINUTES // GRID_STEP_MINUTES
    labels = [
        (GRID_FIRST_ROW + step, origin + datetime.timedelta(minutes=step * GRID_STEP_MINUTES))
        for step in range(0, rows, per_label)
    ]
    return GridDay(day=day, key=day.strftime("%Y%m%d"), columns=columns, rows=rows, cards=cards, labels=labels)


def grid(schedule):
    """The grid of the whole schedule, one ``GridDay`` per day: a column per room in room order,
    and one more for sessions without a room when there are any; a block sits in its room's
    column, or across all columns (``"2 / -1"``) when it is for all rooms. Filters and search hide
    cards (the page marks them ``hidden``) and leave the layout alone, so it depends on the
    schedule's version only."""
    rooms = schedule.rooms
    columns = rooms + ([None] if any(session.room is None for session in schedule.sessions) else [])
    index = {room.pk: GRID_FIRST_COLUMN + i for i, room in enumerate(rooms)}
    last = GRID_FIRST_COLUMN + len(rooms)
    everywhere = f"{GRID_FIRST_COLUMN} / -1"

    def column_of(item):
        if item.room is None:
            return everywhere if item.is_block else last
        return index.get(item.room.pk, last)

    return [_grid_day(day, day_items, columns, column_of) for day, day_items in by_day(schedule.items)]
