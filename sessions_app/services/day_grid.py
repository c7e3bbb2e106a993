"""The geometry of one day's scheduler grid, for the day's PNG (``day_png``): plain data, no
drawing, so it is tested and reused without an imaging library.

Columns are the rooms the scheduler shows (in their order, hidden rooms left out), rows the hours
the day uses (from the first start to the last end, whole hours; the event's hours that day when
nothing is placed). Each session in a shown room is a box coloured by its track; each break is a
grey band over its room's column, or over every column when it is for all rooms.
"""
import datetime

from events.models import font_color_for

from .day_export import day_blocks, day_range, day_sessions
from .scheduler import MINUTES_PER_HOUR, UTC, event_zone, schedule_days

#: Above this many shown rooms the PNG is refused (the day's .ics holds any number).
MAX_ROOMS = 60
#: The image is at most this wide: columns narrow (down to ``MIN_COLUMN``) as rooms are added.
MAX_WIDTH = 7800
MAX_COLUMN = 200
MIN_COLUMN = 120
TIME_COLUMN = 64
HEADER = 44
PIXELS_PER_HOUR = 96
#: A grid longer than this (a session running on for days) is cut here.
MAX_HOURS = 30
#: Sessions without a track.
UNTRACKED_COLOR = "#8c959f"
BREAK_COLOR = (208, 215, 222)
BREAK_TEXT = (36, 41, 47)
SECONDS_PER_HOUR = 3600
HEX_DIGITS = 16
FIRST_HOUR = 9
LAST_HOUR = 18


class DayTooLarge(ValueError):
    """The day has more rooms than one image shows."""


def rgb(hex_color):
    """``#rrggbb`` as an (r, g, b) tuple."""
    return tuple(int(hex_color[index : index + 2], HEX_DIGITS) for index in (1, 3, 5))


def shown_rooms(event):
    """The rooms the scheduler shows, in its order, as (id, name) pairs. One query."""
    return list(event.microlocations.filter(hidden_in_scheduler=False).values_list("id", "name"))


def _floor_hour(moment):
    return moment.replace(minute=0, second=0, microsecond=0)


def _hours(event, day, rows):
    """The first and last instant (whole hours, event timezone) of the day's grid."""
    zone = event_zone(event)
    if not rows:
        for entry in schedule_days(event):
            if entry["date"] == day.isoformat():
                first = datetime.datetime.fromisoformat(entry["start"])
                return first, first + datetime.timedelta(minutes=entry["minutes"])
        start, _ = day_range(event, day)
        return start.replace(hour=FIRST_HOUR), start.replace(hour=LAST_HOUR)
    first = _floor_hour(min(row["starts_at"] for row in rows).astimezone(zone))
    last = max(row["ends_at"] for row in rows).astimezone(zone)
    whole = _floor_hour(last)
    last = whole if whole == last else whole + datetime.timedelta(hours=1)
    return first, min(last, first + datetime.timedelta(hours=MAX_HOURS))


def _column_width(rooms):
    return max(MIN_COLUMN, min(MAX_COLUMN, (MAX_WIDTH - TIME_COLUMN) // max(rooms, 1)))


class _Frame:
    """Turns instants and room ids into pixels."""

    def __init__(self, first, last, room_ids, column):
        self.first, self.last, self.column = first.astimezone(UTC), last.astimezone(UTC), column
        self.index = {room_id: position for position, room_id in enumerate(room_ids)}

    def y(self, moment):
        moment = min(max(moment.astimezone(UTC), self.first), self.last)
        return HEADER + round((moment - self.first).total_seconds() * PIXELS_PER_HOUR / SECONDS_PER_HOUR)

    def x(self, room_id):
        return TIME_COLUMN + self.index[room_id] * self.column

    def span(self, starts_at, ends_at):
        """Top and bottom pixel rows; at least one row (a session of seconds is still drawn)."""
        top = self.y(starts_at)
        return top, max(top, self.y(ends_at) - 1)

    def rect(self, room_id, starts_at, ends_at):
        left = self.x(room_id)
        top, bottom = self.span(starts_at, ends_at)
        return (left, top, left + self.column - 1, bottom)


def _box(row, frame, zone):
    color = row["track_color"] or UNTRACKED_COLOR
    starts, ends = row["starts_at"].astimezone(zone), row["ends_at"].astimezone(zone)
    return {
        "id": row["id"],
        "title": row["title"],
        "time": f"{starts:%H:%M}–{ends:%H:%M}",
        "rect": frame.rect(row["microlocation_id"], row["starts_at"], row["ends_at"]),
        "fill": rgb(color),
        "text": rgb(font_color_for(color)),
    }


def _band(row, frame, width):
    if row["microlocation_id"] is None:
        left, right = TIME_COLUMN, width - 1
    else:
        left = frame.x(row["microlocation_id"])
        right = left + frame.column - 1
    top, bottom = frame.span(row["starts_at"], row["ends_at"])
    return {"title": row["title"], "rect": (left, top, right, bottom)}


def day_grid(event, day):
    """The day's grid as plain data: image size, room headers, hour lines, session boxes (with
    fill and text colours) and break bands, all in pixels. Raises ``DayOutsideEvent`` for a day
    that is not the event's and ``DayTooLarge`` above ``MAX_ROOMS`` shown rooms. Three queries."""
    rooms = shown_rooms(event)
    if len(rooms) > MAX_ROOMS:
        raise DayTooLarge(f"This day has {len(rooms)} rooms; the picture shows at most {MAX_ROOMS}.")
    room_ids = {room_id for room_id, _ in rooms}
    sessions = [row for row in day_sessions(event, day) if row["microlocation_id"] in room_ids]
    blocks = [row for row in day_blocks(event, day) if row["microlocation_id"] in room_ids | {None}]
    zone = event_zone(event)
    first, last = _hours(event, day, sessions + blocks)
    column = _column_width(len(rooms))
    frame = _Frame(first, last, [room_id for room_id, _ in rooms], column)
    width = TIME_COLUMN + column * max(len(rooms), 1)
    height = frame.y(last) + 1
    hours = []
    moment = first.astimezone(UTC)
    while moment <= frame.last:
        hours.append({"label": f"{moment.astimezone(zone):%H:%M}", "y": frame.y(moment)})
        moment += datetime.timedelta(minutes=MINUTES_PER_HOUR)
    return {
        "size": (width, height),
        "column": column,
        "rooms": [{"name": name, "x": frame.x(room_id)} for room_id, name in rooms],
        "hours": hours,
        "boxes": [_box(row, frame, zone) for row in sessions if row["ends_at"] > row["starts_at"]],
        "bands": [_band(row, frame, width) for row in blocks],
        "break_fill": BREAK_COLOR,
        "break_text": BREAK_TEXT,
    }
