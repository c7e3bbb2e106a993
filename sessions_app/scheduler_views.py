"""The organizers' scheduler page: day tabs, room columns and a time grid, where sessions are
dragged into place (``static/js/scheduler.js``), and the page's JSON of the event's conflicts.

Thin: resolve the event, ask ``events.permissions`` who schedules (co-organizers and up: they
manage the program; track organizers, moderators and registrars read the program but do not
schedule it), and render one JSON blob from ``services.scheduler``. Every change the page makes is
a PATCH of ``/v1/sessions/<id>``, i.e. ``update_session`` with its checks (breaks:
``/v1/schedule-blocks``; rooms: ``/v1/microlocations``).
"""
from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from . import queries
from .services.scheduler import conflicts_json, scheduler_data
from .views import _program_event

#: The edit page's address with this in place of the session's id (the page fills it in).
ID_PLACEHOLDER = "0"
API_SESSIONS = "/v1/sessions/"
API_BLOCKS = "/v1/schedule-blocks"
API_ROOMS = "/v1/microlocations"


@login_required
@require_GET
def scheduler(request, identifier):
    event, _ = _program_event(request, identifier, manage=True)
    data = scheduler_data(event)
    data["event"]["id"] = event.pk
    data["urls"] = {
        # (The API's route names are shared with the pages' ("session-detail"): spelled out.)
        "api": API_SESSIONS,
        "edit": reverse("session-edit", args=[event.identifier, ID_PLACEHOLDER]),
        "conflicts": reverse("scheduler-conflicts", args=[event.identifier]),
        "blocks": API_BLOCKS,
        "rooms": API_ROOMS,
        # The shown day's exports: this with the day's date and ".ics" or ".png" after it.
        "day": reverse("scheduler", args=[event.identifier]) + "day/",
    }
    context = {
        "event": event,
        "section": "Schedule",
        "data": data,
        "release": queries.current_release(event),
        "releases_url": reverse("schedule-releases", args=[event.identifier]),
    }
    return render(request, "sessions_app/scheduler.html", context)


@login_required
@require_GET
def scheduler_conflicts(request, identifier):
    """``{session id: [conflict, …]}`` of the whole event, for the page to redraw after a change."""
    event, _ = _program_event(request, identifier, manage=True)
    return JsonResponse(conflicts_json(event))
