"""iCalendar (RFC 5545) and xCal (RFC 6321): every session and block of the released schedule.

The calendar is built with ``icalendar`` from the one VEVENT builder
(``sessions_app.services.day_export.session_vevent`` / ``block_vevent``), so an entry of the
feed equals the public session's ``.ics``: UID ``session-<id>@<domain>`` (stable across releases),
DTSTAMP (the session's last change), SEQUENCE (``data.sequences``), DTSTART/DTEND in the event's
zone with its VTIMEZONE, SUMMARY, LOCATION (the room), CATEGORIES (the track), DESCRIPTION (the
abstract as plain text, then the speakers' names: an ATTENDEE would need an e-mail address, which
we do not publish) and URL (the public session page). Blocks (breaks, lunch…) are entries too,
their kind as category.

xCal is that same calendar written as XML: each component and property of the iCalendar tree
becomes its RFC 6321 element, so the two formats cannot disagree.

Speed: ``icalendar`` builds the content lines (escaping, parameters, value formats); its
``to_ical`` then folds each line character by character in Python, a third of the feed's time on
2,000 sessions (bench/formats.py). ``fold`` does the same folding on the encoded bytes: the same
output byte for byte (the tests compare it with ``Calendar.to_ical``).
"""

import datetime

from icalendar.prop import vCategory, vDDDLists, vDDDTypes, vUTCOffset
from lxml import etree

from sessions_app.calendar import session_row
from sessions_app.services.day_export import block_vevent, new_calendar, session_vevent

from .base import Exporter, register

XCAL_NAMESPACE = "urn:ietf:params:xml:ns:icalendar-2.0"
#: Properties whose value is a URI or an integer (every other value without a type of its own is text).
URI_PROPERTIES = {"url", "tzurl"}
SECONDS_PER_MINUTE, SECONDS_PER_HOUR = 60, 3600
#: RFC 5545 3.1: lines of at most 75 octets; icalendar's pieces are 74 octets, then a space.
FOLD_OCTETS = 74
#: The top two bits of a UTF-8 continuation byte.
UTF8_CONTINUATION, UTF8_TOP_BITS = 0x80, 0xC0


def fold(line):
    """One content line as folded bytes, exactly as ``icalendar`` folds it: pieces of at most 74
    octets, never inside a character, nor right after a backslash or caret (an escape stays whole)."""
    data = line.encode()
    if len(data) <= FOLD_OCTETS:
        return data
    pieces, start = [], 0
    while len(data) - start > FOLD_OCTETS:
        end = start + FOLD_OCTETS
        while data[end] & UTF8_TOP_BITS == UTF8_CONTINUATION:
            end -= 1
        if data[end - 1] in b"\\^" and end - 1 > start:
            end -= 1
        pieces.append(data[start:end])
        start = end
    pieces.append(data[start:])
    return b"\r\n ".join(pieces)


def to_ical(calendar):
    """``calendar.to_ical()``, with ``fold`` (see the module)."""
    return b"".join(fold(line) + b"\r\n" for line in calendar.content_lines() if line)


def calendar_of(feed):
    """The icalendar ``Calendar`` of ``feed``: its sessions, then its blocks."""
    calendar = new_calendar(feed.event, feed.event.name)
    zone, domain, sequence = feed.zone, feed.domain, feed.sequences
    for session in feed.schedule.sessions:
        row = session_row(session, sequence.get(session.pk, 0))
        calendar.add_component(session_vevent(row, zone=zone, domain=domain, url=feed.session_url(session.pk)))
    released_at = feed.release.released_at if feed.release else None
    for block in feed.schedule.blocks:
        row = {
            "id": block.pk,
            "title": block.title,
            "kind": block.kind,
            "starts_at": block.starts_at,
            "ends_at": block.ends_at,
            "created_at": released_at,
            "room_name": block.room.name if block.room is not None else None,
        }
        calendar.add_component(block_vevent(row, zone=zone, domain=domain))
    return calendar


@register
class ICalExporter(Exporter):
    identifier = "ical"
    label = "iCalendar"
    extension = "ics"
    content_type = "text/calendar; charset=utf-8"

    def build(self, feed):
        return to_ical(calendar_of(feed))


# --- xCal -------------------------------------------------------------------------------------------
def _date_time(value):
    if isinstance(value, datetime.datetime):
        text = value.strftime("%Y-%m-%dT%H:%M:%S")
        is_utc = value.tzinfo is not None and value.utcoffset() == datetime.timedelta(0) and str(value.tzinfo) == "UTC"
        return "date-time", text + ("Z" if is_utc else "")
    return "date", value.isoformat()


def _offset(delta):
    seconds = int(delta.total_seconds())
    sign = "-" if seconds < 0 else "+"
    hours, rest = divmod(abs(seconds), SECONDS_PER_HOUR)
    return f"{sign}{hours:02d}:{rest // SECONDS_PER_MINUTE:02d}"


def _values(name, prop):
    """[(value type, text)] of one iCalendar property, as RFC 6321 writes them."""
    if isinstance(prop, vDDDTypes):
        return [_date_time(prop.dt)]
    if isinstance(prop, vDDDLists):
        return [_date_time(item.dt) for item in prop.dts]
    if isinstance(prop, vUTCOffset):
        return [("utc-offset", _offset(prop.td))]
    if isinstance(prop, vCategory):
        return [("text", str(item)) for item in prop.cats]
    if isinstance(prop, int):
        return [("integer", str(int(prop)))]
    return [("uri" if name in URI_PROPERTIES else "text", str(prop))]


def _sub(parent, name):
    return etree.SubElement(parent, f"{{{XCAL_NAMESPACE}}}{name}")


def _xcal_component(parent, component):
    element = _sub(parent, component.name.lower())
    properties = _sub(element, "properties")
    for key, prop in component.property_items(recursive=False, sorted=False):
        name = key.lower()
        if name in ("begin", "end"):
            continue
        node = _sub(properties, name)
        params = getattr(prop, "params", None)
        if params:
            holder = _sub(node, "parameters")
            for param, value in params.items():
                _sub(_sub(holder, param.lower()), "text").text = str(value)
        for kind, text in _values(name, prop):
            _sub(node, kind).text = text
    if component.subcomponents:
        components = _sub(element, "components")
        for child in component.subcomponents:
            _xcal_component(components, child)
    return element


@register
class XCalExporter(Exporter):
    identifier = "xcal"
    label = "xCal"
    extension = "xcs"
    content_type = "application/calendar+xml; charset=utf-8"

    def build(self, feed):
        root = etree.Element(f"{{{XCAL_NAMESPACE}}}icalendar", nsmap={None: XCAL_NAMESPACE})
        _xcal_component(root, calendar_of(feed))
        return etree.tostring(root, xml_declaration=True, encoding="utf-8")
