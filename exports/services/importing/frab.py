"""Reading a frab / C3VOC schedule (``schedule.xml`` or ``schedule.json``) as a new event.

The file is checked structurally before anything is written (the schema files themselves are
fixtures of the tests, not of the application): the conference has a title and dates, each day
holds rooms holding talks, each talk has a title, a date with an offset, a duration, a room.
A problem is named by its place: ``schedule.json: day 1, room "Gray Room", talk 3: date is not a
date``. XML is parsed safely: no DTD at all (so no entity expansion, billion laughs or external
entities), no network, no huge trees.

What a schedule says becomes Open Event rows: rooms -> microlocations, tracks and types (by
name) -> tracks and session types, persons -> speakers (one per person id or name), talks ->
sessions (accepted: a schedule lists the program), links person <-> talk kept.
"""
import datetime as dt
import json

from lxml import etree

from openevent.core.zones import time_zone

from .builder import Builder
from .values import MAX_YEAR, MIN_YEAR, Place, duration
from .zipsafe import Refused, limit

FRAB_STATE = "accepted"
HTTP = ("http://", "https://")


class Schedule:
    """A schedule in plain data, as the builder's records (dash-free keys)."""

    def __init__(self, source):
        self.source = source
        self.event = {}
        self.rooms, self.tracks, self.types, self.speakers = {}, {}, {}, {}
        self.sessions = []

    def fail(self, where, problem):
        raise Refused(f"{self.source}: {where}: {problem}.")

    def add_talk(self, where, talk):
        """``talk``: title, date, duration or end, room, track, type, abstract, description,
        language, subtitle, persons [(id, name, biography)], url."""
        title = _text(talk.get("title"))
        if not title:
            self.fail(where, "title is missing")
        start, end = self._times(where, talk)
        room = _text(talk.get("room"))
        if not room:
            self.fail(where, "room is missing")
        self.rooms.setdefault(room, {"id": room, "name": room})
        session = {
            "id": str(talk.get("id") or talk.get("guid") or len(self.sessions) + 1),
            "title": title, "subtitle": talk.get("subtitle") or "", "starts_at": start.isoformat(),
            "ends_at": end.isoformat(), "microlocation": room, "short_abstract": talk.get("abstract") or "",
            "long_abstract": talk.get("description") or "", "language": talk.get("language") or "",
            "state": FRAB_STATE, "speakers": [],
        }
        for key, table in (("track", self.tracks), ("type", self.types)):
            name = _text(talk.get(key))
            if name:
                record = table.setdefault(name, {"id": name, "name": name})
                if key == "type":
                    record.setdefault("length", _hh_mm(end - start))
                session["track" if key == "track" else "session_type"] = name
        for person_id, name, biography in talk.get("persons", ()):
            if not name:
                self.fail(where, "a person has no name")
            key = str(person_id or name)
            self.speakers.setdefault(key, {"id": key, "name": name, "short_biography": biography or ""})
            session["speakers"].append(key)
        self.sessions.append(session)

    def _times(self, where, talk):
        """``(start, end)`` of a talk: its date (with an offset, in years we accept) and its end
        or duration."""
        start = _moment(talk.get("date"))
        if start is None or start.tzinfo is None:
            self.fail(where, "date is not a date with a time zone offset")
        if not MIN_YEAR <= start.year <= MAX_YEAR:
            self.fail(where, f"date is out of range (years {MIN_YEAR} to {MAX_YEAR})")
        end = _moment(talk.get("end"))
        if end is None:
            length = duration(talk.get("duration"))
            if length is None:
                self.fail(where, "duration is not HH:MM")
            try:
                end = start + length
            except OverflowError:
                self.fail(where, "duration is out of range")
        if end <= start:
            self.fail(where, "the talk ends before it starts")
        return start, end

    def conference(self, title, start, end, zone, url=""):
        if not _text(title):
            self.fail("conference", "title is missing")
        zone_name = _text(zone) or "UTC"
        tz = time_zone(zone_name)
        if tz is None:
            self.fail("conference", f"time_zone_name '{zone_name}' is not a known time zone")
        starts, ends = _day_or_moment(start, tz), _day_or_moment(end, tz, end_of_day=True)
        if starts is None:
            self.fail("conference", "start is not a date")
        if ends is None:
            self.fail("conference", "end is not a date")
        self.event = {"name": title.strip(), "timezone": zone_name, "starts_at": starts, "ends_at": ends,
                      "event_url": url if str(url).startswith(HTTP) else ""}

    def build(self, user, progress):
        if not self.sessions and not self.event:
            self.fail("schedule", "there is no conference")
        if max(len(self.sessions), len(self.speakers)) > limit("IMPORT_MAX_ITEMS"):
            self.fail("schedule", f"more than {limit('IMPORT_MAX_ITEMS')} talks or persons are not accepted")
        # The event spans its talks too (a schedule's talks past midnight of its last day).
        moments = [_moment(s["starts_at"]) for s in self.sessions] + [_moment(s["ends_at"]) for s in self.sessions]
        event = dict(self.event)
        if moments:
            event["starts_at"] = min([event["starts_at"], *moments])
            event["ends_at"] = max([event["ends_at"], *moments])
        event["starts_at"], event["ends_at"] = event["starts_at"].isoformat(), event["ends_at"].isoformat()
        builder = Builder(user, progress=progress)
        builder.build_event(event)
        builder.microlocations(_places("rooms", self.rooms.values()))
        builder.tracks(_places("tracks", self.tracks.values()))
        builder.session_types(_places("types", self.types.values()))
        builder.speakers(_places("persons", self.speakers.values()), len(self.speakers))
        builder.sessions(_places("talks", self.sessions), len(self.sessions))
        return builder.event, dict(builder.counts)


def _text(value):
    """A value of the schedule as a stripped text ("" for none): JSON may hold a number."""
    return "" if value is None else str(value).strip()


def _places(name, records):
    return [Place(name, index, record) for index, record in enumerate(records, start=1)]


def _moment(value):
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        return dt.datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None


def _day_or_moment(value, tz, end_of_day=False):
    moment = _moment(value)
    if moment is None:
        return None
    if len(value.strip()) <= len("2020-12-14"):
        moment = dt.datetime.combine(moment.date(), dt.time(23, 59) if end_of_day else dt.time(0, 0), tzinfo=tz)
    return moment if moment.tzinfo else moment.replace(tzinfo=tz)


def _hh_mm(delta):
    minutes = int(delta.total_seconds() // 60)
    hours, minutes = divmod(minutes, 60)
    return f"{min(hours, 99):02d}:{minutes:02d}"


# --- JSON ---------------------------------------------------------------------------------------------
def _expect(schedule, where, value, kind, what):
    if not isinstance(value, kind) or isinstance(value, bool):
        schedule.fail(where, f"expected {what}")
    return value


def read_json(data):
    schedule = Schedule("schedule.json")
    try:
        document = json.loads(data)
    except (ValueError, UnicodeDecodeError) as error:
        raise Refused(f"schedule.json: the file is not valid JSON ({str(error)[:200]}).") from None
    except RecursionError:
        raise Refused("schedule.json: the JSON nests too deeply.") from None
    root = _expect(schedule, "the file", document, dict, "an object")
    body = _expect(schedule, "schedule", root.get("schedule"), dict, "an object")
    _expect(schedule, "schedule.version", body.get("version"), str, "a text")
    conference = _expect(schedule, "schedule.conference", body.get("conference"), dict, "an object")
    for key in ("title", "acronym", "start", "end"):
        _expect(schedule, f"conference.{key}", conference.get(key), str, "a text")
    schedule.conference(conference["title"], conference["start"], conference["end"],
                        conference.get("time_zone_name"), conference.get("url") or "")
    days = _expect(schedule, "conference.days", conference.get("days"), list, "a list")
    for number, day in enumerate(days, start=1):
        _json_day(schedule, number, _expect(schedule, f"day {number}", day, dict, "an object"))
    return schedule


TALK_KEYS = ("title", "date", "duration", "end", "room", "track", "type", "abstract", "description", "language",
             "subtitle", "id", "guid")


def _json_day(schedule, number, day):
    rooms = _expect(schedule, f"day {number}, rooms", day.get("rooms"), dict, "an object of room -> talks")
    for room, talks in rooms.items():
        listed = _expect(schedule, f'day {number}, room "{room}"', talks, list, "a list of talks")
        for index, talk in enumerate(listed, start=1):
            where = f'day {number}, room "{room}", talk {index}'
            _json_talk(schedule, where, room, _expect(schedule, where, talk, dict, "an object"))


def _json_talk(schedule, where, room, talk):
    persons = _expect(schedule, f"{where}, persons", talk.get("persons", []), list, "a list")
    people = []
    for person in persons:
        record = _expect(schedule, f"{where}, persons", person, dict, "a list of objects")
        people.append((record.get("guid") or record.get("id") or record.get("code"),
                       record.get("public_name") or record.get("name"), record.get("biography")))
    fields = {key: talk.get(key) for key in TALK_KEYS}
    for key in ("title", "date", "room"):
        if not isinstance(fields[key], str):
            schedule.fail(where, f"{key} is not a text")
    fields = {key: value if isinstance(value, (str, int)) else None for key, value in fields.items()}
    fields["room"] = fields["room"] or room
    schedule.add_talk(where, {**fields, "persons": people})


# --- XML ----------------------------------------------------------------------------------------------
def _parser():
    return etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False,
                           dtd_validation=False, remove_comments=True, remove_pis=True)


def _child(element, name):
    found = element.find(name)
    return (found.text or "").strip() if found is not None else None


def read_xml(data):
    schedule = Schedule("schedule.xml")
    if b"<!DOCTYPE" in data[:4096].upper() or b"<!ENTITY" in data.upper():
        raise Refused("schedule.xml: a document type declaration (DTD) or entity is not accepted.")
    try:
        root = etree.fromstring(data, parser=_parser())
    except etree.XMLSyntaxError as error:
        raise Refused(f"schedule.xml: the file is not well-formed XML ({str(error)[:200]}).") from None
    if root.getroottree().docinfo.internalDTD is not None:
        raise Refused("schedule.xml: a document type declaration (DTD) is not accepted.")
    if root.tag != "schedule":
        schedule.fail("the file", "the root element is not <schedule>")
    conference = root.find("conference")
    if conference is None:
        schedule.fail("schedule", "<conference> is missing")
    schedule.conference(_child(conference, "title"), _child(conference, "start"), _child(conference, "end"),
                        _child(conference, "time_zone_name"), _child(conference, "url") or "")
    for number, day in enumerate(root.iterfind("day"), start=1):
        for room in day.iterfind("room"):
            room_name = room.get("name") or ""
            for index, talk in enumerate(room.iterfind("event"), start=1):
                where = f'day {number}, room "{room_name}", talk {index}'
                fields = {key: _child(talk, key) for key in ("title", "date", "duration", "room", "track", "type",
                                                             "abstract", "description", "language", "subtitle")}
                fields["room"] = fields["room"] or room_name
                fields["id"] = talk.get("id") or talk.get("guid")
                persons = talk.find("persons")
                fields["persons"] = [
                    (person.get("guid") or person.get("id"), (person.text or "").strip(), None)
                    for person in (persons.iterfind("person") if persons is not None else ())
                ]
                schedule.add_talk(where, fields)
    return schedule


def import_schedule(fileobj, kind, user, progress):
    """Import a frab XML (``kind`` "frab-xml") or JSON schedule as a new event: (event, counts)."""
    cap = limit("IMPORT_MAX_JSON_SIZE")
    data = fileobj.read(cap + 1)
    if len(data) > cap:
        raise Refused("The schedule is larger than allowed.")
    progress("Checking the schedule")
    schedule = read_xml(data) if kind == "frab-xml" else read_json(data)
    return schedule.build(user, progress)
