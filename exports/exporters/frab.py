"""frab / C3VOC schedules (``schedule.xml``, valid against the C3VOC XSD, and ``schedule.json``,
valid against its JSON schema), read by Giggity, EventFahrplan, the VOC's tools and others.

``frab_data`` builds the structure once as plain dicts and lists (the JSON document's shape); the
XML exporter writes the same data as elements. Days are the event's local dates (and any other
date a released session is on), each with its rooms in room order and their sessions in time
order; a session without a room is under ``NO_ROOM``. Blocks (breaks) are not frab events (those
need a person-less talk with an id of its own) and stay in the calendar formats. Abstracts are
plain text (the HTML we keep is dropped), as the apps show them as text.
"""

import datetime
import json
import re

from django.utils.text import slugify
from lxml import etree

from events.templatetags.event_pages import plain_text

from .base import Exporter, register

GENERATOR = {"name": "Open Event on Django", "version": "1"}
JSON_SCHEMA_URL = "https://c3voc.de/schedule/schema.json"
TIMESLOT_DURATION = "00:05"
NO_ROOM = "No room"
#: Slugs keep this many characters of the title.
SLUG_TITLE_LENGTH = 50
MINUTES_PER_HOUR = 60
#: What the schema accepts as a time zone name and as a colour.
ZONE_NAME = re.compile(r"^([A-Z][a-z]+/[A-Z][a-z]+)|UTC$")
HEX_COLOR = re.compile(r"^#[0-9a-fA-F]{6}$")
HTTP_URL = re.compile(r"^https?://\S+$")


def _duration(starts_at, ends_at):
    minutes = max(int((ends_at - starts_at).total_seconds()) // MINUTES_PER_HOUR, 0)
    return f"{minutes // MINUTES_PER_HOUR:02d}:{minutes % MINUTES_PER_HOUR:02d}"


def _links(session):
    found = []
    if HTTP_URL.match(session.slides_url or ""):
        found.append({"type": "slides", "url": session.slides_url, "title": "Slides"})
    if HTTP_URL.match(session.video_url or ""):
        found.append({"type": "media", "url": session.video_url, "title": "Video"})
    return found


def _session(feed, session, speaker_guid):
    pk = session.pk
    title_slug = slugify(session.title)[:SLUG_TITLE_LENGTH].strip("-_")
    return {
        "guid": feed.guid("session", pk),
        "id": pk,
        "date": session.local_start.isoformat(),
        "start": f"{session.local_start:%H:%M}",
        "duration": _duration(session.starts_at, session.ends_at),
        "room": session.room.name if session.room is not None else NO_ROOM,
        "slug": f"{feed.acronym}-{pk:04d}" + (f"-{title_slug}" if title_slug else ""),
        "url": feed.session_url(pk),
        "title": session.title,
        "subtitle": session.subtitle,
        "track": session.track_shown.name if session.track_shown is not None else None,
        "type": session.type_shown.name if session.type_shown is not None else "Talk",
        "language": session.language or None,
        "abstract": plain_text(session.short_abstract),
        "description": plain_text(session.long_abstract),
        "logo": None,
        "persons": [
            {"id": speaker.pk, "guid": speaker_guid(speaker.pk), "public_name": speaker.name}
            for speaker in session.speakers_shown
        ],
        "links": _links(session),
        "attachments": [],
    }


def _days(feed):
    by_day = {day: {} for day in feed.dates}
    rooms = [room.name for room in feed.schedule.rooms]
    guids = {}

    def speaker_guid(pk):
        if pk not in guids:
            guids[pk] = feed.guid("speaker", pk)
        return guids[pk]

    for session in feed.schedule.sessions:
        entry = _session(feed, session, speaker_guid)
        by_day[session.day].setdefault(entry["room"], []).append(entry)
    zone, days = feed.zone, []
    for index, day in enumerate(feed.dates, start=1):
        found = by_day[day]
        ordered = {name: found[name] for name in [*rooms, NO_ROOM] if name in found}
        start = datetime.datetime.combine(day, datetime.time(), zone)
        end = datetime.datetime.combine(day, datetime.time.max.replace(microsecond=0), zone)
        days.append({"index": index, "date": day.isoformat(), "day_start": start.isoformat(),
                     "day_end": end.isoformat(), "rooms": ordered})  # fmt: skip
    return days


def _conference(feed):
    event, dates = feed.event, feed.dates
    conference = {
        "acronym": feed.acronym,
        "title": event.name,
        "start": dates[0].isoformat(),
        "end": dates[-1].isoformat(),
        "daysCount": len(dates),
        "timeslot_duration": TIMESLOT_DURATION,
        "url": feed.event_url,
    }
    zone_name = str(feed.zone)
    if ZONE_NAME.fullmatch(zone_name):
        conference["time_zone_name"] = zone_name
    conference["rooms"] = [{"name": room.name, "guid": feed.guid("room", room.pk)} for room in feed.schedule.rooms]
    conference["tracks"] = [
        {"name": track.name, **({"color": track.color} if HEX_COLOR.match(track.color or "") else {})}
        for track in feed.schedule.tracks
    ]
    conference["days"] = _days(feed)
    return conference


def frab_data(feed):
    """The frab schedule of ``feed`` as plain data: ``{"$schema", "generator", "schedule":
    {"version", "base_url", "conference": {…, "days": [{…, "rooms": {name: [event…]}}]}}}``."""
    return {
        "$schema": JSON_SCHEMA_URL,
        "generator": GENERATOR,
        "schedule": {
            "version": str(feed.version),
            "base_url": feed.event_url,
            "conference": _conference(feed),
        },
    }


@register
class FrabJsonExporter(Exporter):
    identifier = "frab-json"
    label = "frab JSON"
    extension = "json"
    content_type = "application/json"

    def build(self, feed):
        return json.dumps(frab_data(feed), ensure_ascii=False, separators=(",", ":")).encode()


# --- XML ------------------------------------------------------------------------------------------
#: The event fields written as elements of the same name (``persons`` and ``links`` are lists).
XML_EVENT_FIELDS = ("date", "start", "duration", "room", "slug", "url", "title", "subtitle", "track", "type",
                    "language", "abstract", "description")  # fmt: skip
XML_CONFERENCE_FIELDS = ("acronym", "title", "start", "end", "time_zone_name", "url")


def _text(parent, name, value):
    etree.SubElement(parent, name).text = "" if value is None else str(value)


def _xml_event(parent, entry):
    element = etree.SubElement(parent, "event", id=str(entry["id"]), guid=entry["guid"])
    for name in XML_EVENT_FIELDS:
        value = entry[name]
        if value is not None or name in ("track", "abstract"):
            _text(element, name, value)
    persons = etree.SubElement(element, "persons")
    for person in entry["persons"]:
        etree.SubElement(persons, "person", id=str(person["id"]), guid=person["guid"]).text = person["public_name"]
    links = etree.SubElement(element, "links")
    for link in entry["links"]:
        etree.SubElement(links, "link", href=link["url"], type=link["type"]).text = link["title"]


def frab_xml(data):
    """``frab_data``'s structure as a ``schedule.xml`` document (bytes)."""
    schedule = data["schedule"]
    conference = schedule["conference"]
    root = etree.Element("schedule")
    etree.SubElement(root, "generator", name=data["generator"]["name"], version=data["generator"]["version"])
    _text(root, "version", schedule["version"])
    element = etree.SubElement(root, "conference")
    for name in XML_CONFERENCE_FIELDS:
        if name in conference:
            _text(element, name, conference[name])
    _text(element, "days", conference["daysCount"])
    _text(element, "timeslot_duration", conference["timeslot_duration"])
    _text(element, "base_url", schedule["base_url"])
    for track in conference["tracks"]:
        etree.SubElement(
            element, "track", name=track["name"], **({"color": track["color"]} if "color" in track else {})
        )
    guids = {room["name"]: room["guid"] for room in conference["rooms"]}
    for day in conference["days"]:
        day_element = etree.SubElement(root, "day", index=str(day["index"]), date=day["date"],
                                       start=day["day_start"], end=day["day_end"])  # fmt: skip
        for name, entries in day["rooms"].items():
            room = etree.SubElement(day_element, "room", name=name, **({"guid": guids[name]} if name in guids else {}))
            for entry in entries:
                _xml_event(room, entry)
    return etree.tostring(root, xml_declaration=True, encoding="utf-8")


@register
class PentabarfExporter(Exporter):
    identifier = "pentabarf"
    label = "frab / Pentabarf XML"
    extension = "xml"
    content_type = "application/xml; charset=utf-8"

    def build(self, feed):
        return frab_xml(frab_data(feed))
