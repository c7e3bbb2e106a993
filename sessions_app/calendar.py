"""One session as an iCalendar file (``.ics``), for "add to calendar" on the public pages.

The VEVENT comes from the one builder of session entries (``services.day_export.session_vevent``,
which the scheduler's day export and, later, the event feeds use too), with the released time and
room the public page shows. Times carry the event's time zone (``DTSTART`` with a ``TZID`` and
its ``VTIMEZONE``); the ``UID`` names the session, so importing the file again updates the entry
instead of adding a second one.
"""
from .services.day_export import new_calendar, session_vevent
from .services.scheduler import event_zone


def session_uid_domain(event):
    """The right-hand side of a public session file's UID."""
    return f"{event.identifier}.open-event"


def session_calendar(session, event, url):
    """The ``.ics`` bytes of ``session`` (a ``public_schedule`` session) of ``event``; ``url`` is
    its public page."""
    row = {
        "id": session.pk,
        "title": session.title,
        "short_abstract": session.short_abstract,
        "long_abstract": session.long_abstract,
        "starts_at": session.local_start,
        "ends_at": session.local_end,
        "last_modified_at": session.last_modified_at,
        "room_name": session.room.name if session.room is not None else None,
        "track_name": session.track_shown.name if session.track_shown is not None else None,
    }
    calendar = new_calendar(event, f"{session.title} · {event.name}")
    domain = session_uid_domain(event)
    calendar.add_component(session_vevent(row, zone=event_zone(event), domain=domain, url=url))
    return calendar.to_ical()
