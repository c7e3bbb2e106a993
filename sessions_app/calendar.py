"""One session as an iCalendar file (``.ics``), for "add to calendar" on the public pages.

The VEVENT comes from the one builder of session entries (``services.day_export.session_vevent``,
which the scheduler's day export and the event feeds (``exports.exporters``) use too), with the
released time and room the public page shows. Times carry the event's time zone (``DTSTART`` with
a ``TZID`` and its ``VTIMEZONE``); the ``UID`` is the session's one UID
(``services.day_export.session_uid``), the same in the event's feed, so importing the file again,
or subscribing to the feed as well, updates the entry instead of adding a second one.
"""

from .services.day_export import new_calendar, session_vevent, uid_domain
from .services.scheduler import event_zone


def session_row(session, sequence=None):
    """A ``public_schedule`` session as the row ``session_vevent`` reads: its released time and
    room, its live track, its speakers' names."""
    return {
        "id": session.pk,
        "title": session.title,
        "short_abstract": session.short_abstract,
        "long_abstract": session.long_abstract,
        "starts_at": session.local_start,
        "ends_at": session.local_end,
        "last_modified_at": session.last_modified_at,
        "room_name": session.room.name if session.room is not None else None,
        "track_name": session.track_shown.name if session.track_shown is not None else None,
        "speakers": [speaker.name for speaker in session.speakers_shown],
        "sequence": sequence,
    }


def session_calendar(session, event, url):
    """The ``.ics`` bytes of ``session`` (a ``public_schedule`` session) of ``event``; ``url`` is
    its public page."""
    calendar = new_calendar(event, f"{session.title} · {event.name}")
    calendar.add_component(session_vevent(session_row(session), zone=event_zone(event), domain=uid_domain(), url=url))
    return calendar.to_ical()
