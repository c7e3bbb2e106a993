"""One session as an iCalendar file (``.ics``), for "add to calendar" on the public pages.

The whole event's feeds (iCal, xCal, frab) are the exporters' (``exports``); this is the small
per-session file a visitor's calendar imports. Times carry the event's time zone (``DTSTART`` with
a ``TZID`` and its ``VTIMEZONE``); the ``UID`` names the session, so importing the file again
updates the entry instead of adding a second one.
"""
import icalendar
from django.utils import timezone

from events.templatetags.event_pages import plain_text

PRODID = "-//Open Event on Django//Public schedule//EN"


def session_uid(session, event):
    return f"session-{session.pk}@{event.identifier}.open-event"


def session_calendar(session, event, url):
    """The ``.ics`` bytes of ``session`` (a ``public_schedule`` session) of ``event``; ``url`` is
    its public page."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    entry = icalendar.Event()
    entry.add("uid", session_uid(session, event))
    entry.add("dtstamp", timezone.now())
    entry.add("dtstart", session.local_start)
    entry.add("dtend", session.local_end)
    entry.add("summary", session.title)
    abstract = plain_text(session.short_abstract or session.long_abstract)
    if abstract:
        entry.add("description", abstract)
    if session.room is not None:
        entry.add("location", session.room.name)
    entry.add("url", url)
    calendar.add_component(entry)
    calendar.add_missing_timezones()
    return calendar.to_ical()
