"""The public site's program pages: the schedule (list and grid, filters, search), a session and
its ``.ics``, the speakers, a speaker, the tracks and the rooms.

Every page reads the schedule through ``public_schedule`` (never the sessions table itself) and
shows only what it holds: accepted and confirmed sessions of an event whose public pages the
visitor may see (``events.public_views.public_event``), their speakers' public fields and the
answers to public custom fields. The schedule's body is kept in Django's cache per event, schedule
version and query (``settings.API_DOCUMENT_CACHE``, as the API's documents).
"""
import hashlib

from django.conf import settings
from django.core.cache import cache
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import Resolver404, resolve, reverse
from django.utils.cache import patch_cache_control

from events.public_views import public_event
from events.queries import form_answers, form_fields

from . import public_schedule as schedules
from .calendar import session_calendar

#: How long browsers keep a versioned grid stylesheet (a new version is a new address).
GRID_CSS_MAX_AGE = 24 * 3600


def _cached(kind, event, schedule, build, query=""):
    """``build()``'s text, from the cache when this (event, schedule version, query) was built
    before. ``query`` names what was asked in a normal form (``ScheduleFilters.cache_key``), so
    parameters the page ignores make no entries of their own."""
    if not settings.API_DOCUMENT_CACHE:
        return build()
    digest = hashlib.sha256(query.encode()).hexdigest()
    key = f"public-{kind}:{event.pk}:{schedule.version}:{digest}"
    text = cache.get(key)
    if text is None:
        text = build()
        cache.set(key, text, settings.API_DOCUMENT_CACHE_SECONDS)
    return text


def _render(request, template, event, context):
    """A public page of ``event``; ``base`` is its public address, which the session cards
    extend (one ``reverse`` per page, not several per card)."""
    return render(request, template, {"event": event, "base": reverse("public-event", args=[event.identifier]),
                                      **context})  # fmt: skip


def feed_url(event):
    """The event's calendar feed (``Event.ical_url``, set once the schedule is published) when
    the project serves that route, else ""."""
    url = event.ical_url
    if not url:
        return ""
    try:
        resolve(url)
    except Resolver404:
        return ""
    return url


def _schedule_body(event, schedule, filters):
    """The schedule's body: every session, those the filters and search leave out ``hidden``
    (scripts then filter live over all of them; without scripts the page shows the matches)."""
    shown = {session.pk for session in filters.apply(schedule.sessions)}
    days = [
        (day, sessions, any(session.pk in shown for session in sessions))
        for day, sessions in schedules.by_day(schedule.sessions)
    ]
    context = {
        "event": event,
        "base": reverse("public-event", args=[event.identifier]),
        "schedule": schedule,
        "filters": filters,
        "shown": shown,
        "days": days,
        "grid": schedules.grid(schedule) if filters.view == "grid" else None,
        "feed_url": feed_url(event),
    }
    return render_to_string("public/schedule_body.html", context)


def schedule_page(request, identifier):
    event = public_event(request, identifier)
    schedule = schedules.public_schedule(event)
    filters = schedules.ScheduleFilters.from_query(request.GET)
    body = _cached("schedule", event, schedule, lambda: _schedule_body(event, schedule, filters), filters.cache_key)
    context = {"event": event, "filters": filters, "body": body, "version": schedule.version}
    return _render(request, "public/schedule.html", event, context)


def schedule_grid_css(request, identifier):
    """Where each card of the grid view sits (rows are 5-minute steps, columns rooms): a
    stylesheet of our origin, as the policy allows no inline styles. It depends on the schedule's
    version only (``?v=`` names it, so browsers may keep it)."""
    event = public_event(request, identifier)
    schedule = schedules.public_schedule(event)

    def build():
        return render_to_string("public/schedule_grid.css", {"grid": schedules.grid(schedule)})

    text = _cached("grid-css", event, schedule, build)
    response = HttpResponse(text, content_type="text/css; charset=utf-8")
    if request.GET.get("v") == schedule.version:
        # The address names the version: what it serves never changes.
        patch_cache_control(response, public=True, max_age=GRID_CSS_MAX_AGE)
    return response


def _public_answers(event, form, values):
    fields = [field for field in form_fields(event, form) if field.is_public]
    return form_answers(fields, values)[0]


def _session_or_404(schedule, pk):
    session = schedule.session(pk)
    if session is None:
        raise Http404("No such session.")
    return session


def session_page(request, identifier, pk):
    event = public_event(request, identifier)
    schedule = schedules.public_schedule(event)
    session = _session_or_404(schedule, pk)
    context = {
        "event": event,
        "session": session,
        "answers": _public_answers(event, "session", session.complex_field_values),
    }
    return _render(request, "public/session.html", event, context)


def session_ics(request, identifier, pk):
    event = public_event(request, identifier)
    session = _session_or_404(schedules.public_schedule(event), pk)
    url = request.build_absolute_uri(reverse("public-session", args=[event.identifier, session.pk]))
    response = HttpResponse(session_calendar(session, event, url), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="session-{session.pk}.ics"'
    return response


def speaker_list(request, identifier):
    event = public_event(request, identifier)
    schedule = schedules.public_schedule(event)
    return _render(request, "public/speakers.html", event, {"speakers": schedule.speakers})


def speaker_page(request, identifier, pk):
    event = public_event(request, identifier)
    schedule = schedules.public_schedule(event)
    speaker = schedule.speaker(pk)
    if speaker is None:
        raise Http404("No such speaker.")
    context = {
        "event": event,
        "speaker": speaker,
        "sessions": schedule.sessions_of(speaker),
        "answers": _public_answers(event, "speaker", speaker.complex_field_values),
    }
    return _render(request, "public/speaker.html", event, context)


def _grouped(sessions, attribute):
    groups = {}
    for session in sessions:
        part = getattr(session, attribute)
        if part is not None:
            groups.setdefault(part.pk, []).append(session)
    return groups


def track_list(request, identifier):
    event = public_event(request, identifier)
    schedule = schedules.public_schedule(event)
    groups = _grouped(schedule.sessions, "track_shown")
    parts = [(track, groups[track.pk]) for track in schedule.tracks]
    return _render(request, "public/parts.html", event, {"parts": parts, "kind": "track"})


def room_list(request, identifier):
    event = public_event(request, identifier)
    schedule = schedules.public_schedule(event)
    groups = _grouped(schedule.sessions, "room")
    parts = [(room, groups[room.pk]) for room in schedule.rooms]
    return _render(request, "public/parts.html", event, {"parts": parts, "kind": "room"})
