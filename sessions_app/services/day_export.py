"""One day of an event's work-in-progress schedule as plain data, and as an iCalendar file.

The scheduler page exports the day it shows (``/events/<identifier>/schedule/day/<date>.ics``).
The pieces are small so the calendar exporters (the whole event as iCal/xCal) can reuse them:
``day_range`` finds a local day's instants, ``day_sessions`` and ``day_blocks`` read that day's
rows as dicts (one query each, whatever their number), and ``session_vevent`` / ``block_vevent``
are the one place a session or a break becomes a VEVENT.

A session or block belongs to the local day (event timezone) on which it starts: a session at
23:30 that ends after midnight is in the first day's file.
"""

import datetime

from django.conf import settings
from django.db.models import F
from icalendar import Calendar, Timezone
from icalendar import Event as VEvent

from events.templatetags.event_pages import plain_text

from ..models import ScheduleBlock, Session
from .scheduler import ONE_DAY, SCHEDULED_STATES, UTC, event_zone

PRODID = "-//Open Event on Django//Schedule//EN"


class DayOutsideEvent(ValueError):
    """The requested day is not one of the event's days (in its timezone)."""


def event_dates(event):
    """The event's first and last local dates."""
    zone = event_zone(event)
    return event.starts_at.astimezone(zone).date(), event.ends_at.astimezone(zone).date()


def day_range(event, day):
    """The first instant of local ``day`` and of the day after (aware, event timezone); raises
    ``DayOutsideEvent`` for a day before the event's first or after its last."""
    first, last = event_dates(event)
    if not first <= day <= last:
        raise DayOutsideEvent(f"{day.isoformat()} is not a day of this event.")
    zone = event_zone(event)
    return (datetime.datetime.combine(day, datetime.time(), zone),
            datetime.datetime.combine(day + ONE_DAY, datetime.time(), zone))  # fmt: skip


def day_sessions(event, day):
    """The scheduled (accepted or confirmed) sessions that start on local ``day``, in time then
    room order, as dicts with their room's and track's names and the track colour. One query."""
    start, end = day_range(event, day)
    return list(
        Session.objects.filter(
            event=event, state__in=SCHEDULED_STATES, starts_at__gte=start, starts_at__lt=end, ends_at__isnull=False
        )
        .order_by("starts_at", "microlocation__position", "id")
        .values("id", "title", "short_abstract", "long_abstract", "starts_at", "ends_at", "last_modified_at",
                "microlocation_id", track_name=F("track__name"), track_color=F("track__color"),
                room_name=F("microlocation__name"))
    )  # fmt: skip


def day_blocks(event, day):
    """The breaks and other blocks that start on local ``day``, with their room's name (None: across
    all rooms). One query."""
    start, end = day_range(event, day)
    return list(
        ScheduleBlock.objects.filter(event=event, starts_at__gte=start, starts_at__lt=end)
        .order_by("starts_at", "id")
        .values("id", "title", "kind", "starts_at", "ends_at", "created_at", "microlocation_id",
                room_name=F("microlocation__name"))
    )  # fmt: skip


#: The right-hand side of UIDs when neither ``ICAL_UID_DOMAIN`` nor ``SITE_URL`` is set.
FALLBACK_UID_DOMAIN = "open-event.invalid"


def uid_domain():
    """The right-hand side of our UIDs: ``settings.ICAL_UID_DOMAIN``, else the host of
    ``SITE_URL``, else ``FALLBACK_UID_DOMAIN``. Never the request's host: a calendar fetched
    through another address must name the same entries. Set it in production."""
    configured = getattr(settings, "ICAL_UID_DOMAIN", "")
    if configured:
        return configured
    if settings.SITE_URL:
        return settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0]
    return FALLBACK_UID_DOMAIN


def session_uid(pk, domain=None):
    """The one UID of session ``pk`` in every calendar we make (the public session's ``.ics``, the
    scheduler's day export, the event feeds): ``session-<id>@<uid_domain()>``. It names the session
    only (ids are never reused), so it stays the same across releases, identifier changes and
    addresses."""
    return f"session-{pk}@{domain or uid_domain()}"


def block_uid(pk, domain=None):
    return f"block-{pk}@{domain or uid_domain()}"


def session_description(row):
    """The abstract as plain text (the long one, else the short one), then the speakers' names
    (``row["speakers"]``, when given) on a line of their own: a calendar shows the description,
    and an ATTENDEE would need an address we do not publish."""
    text = plain_text(row.get("long_abstract") or row.get("short_abstract") or "")
    speakers = row.get("speakers")
    if speakers:
        names = f"Speakers: {', '.join(speakers)}" if len(speakers) > 1 else f"Speaker: {speakers[0]}"
        text = f"{text}\n\n{names}" if text else names
    return text


def session_vevent(row, *, zone, domain, url=None):
    """A session row (as from ``day_sessions``) as a VEVENT, its times in the event's zone; with
    ``row["sequence"]`` (how many times its released slot changed) as its SEQUENCE when given."""
    vevent = VEvent()
    vevent.add("uid", session_uid(row["id"], domain))
    vevent.add("dtstamp", row["last_modified_at"].astimezone(UTC))
    if row.get("sequence") is not None:
        vevent.add("sequence", row["sequence"])
    vevent.add("dtstart", row["starts_at"].astimezone(zone))
    vevent.add("dtend", row["ends_at"].astimezone(zone))
    vevent.add("summary", row["title"])
    if row.get("room_name"):
        vevent.add("location", row["room_name"])
    if row.get("track_name"):
        vevent.add("categories", [row["track_name"]])
    description = session_description(row)
    if description:
        vevent.add("description", description)
    if url:
        vevent.add("url", url)
    return vevent


def block_vevent(row, *, zone, domain):
    """A schedule block row (as from ``day_blocks``, or a released block with ``created_at`` its
    release's time) as a VEVENT; its kind is its category."""
    vevent = VEvent()
    vevent.add("uid", block_uid(row["id"], domain))
    vevent.add("dtstamp", row["created_at"].astimezone(UTC))
    vevent.add("dtstart", row["starts_at"].astimezone(zone))
    vevent.add("dtend", row["ends_at"].astimezone(zone))
    vevent.add("summary", row["title"])
    vevent.add("location", row["room_name"] or "All rooms")
    vevent.add("categories", [ScheduleBlock.Kind(row["kind"]).label])
    return vevent


def new_calendar(event, name):
    """An empty calendar with our PRODID, a name, and the event zone's VTIMEZONE (times in UTC
    need none)."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", " ".join(name.split()))  # a property holds no line breaks
    zone = event_zone(event)
    calendar.add("x-wr-timezone", str(zone))
    if str(zone) != "UTC":
        calendar.add_component(Timezone.from_tzinfo(zone))
    return calendar


def day_calendar(event, day, *, domain, session_url):
    """Local ``day`` of the event's work-in-progress schedule as iCalendar bytes: its sessions
    (``session_url(id)``: the address each links to) and its blocks."""
    zone = event_zone(event)
    calendar = new_calendar(event, f"{event.name} – {day.isoformat()}")
    for row in day_sessions(event, day):
        calendar.add_component(session_vevent(row, zone=zone, domain=domain, url=session_url(row["id"])))
    for row in day_blocks(event, day):
        calendar.add_component(block_vevent(row, zone=zone, domain=domain))
    return calendar.to_ical()
