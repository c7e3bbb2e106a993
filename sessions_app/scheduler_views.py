"""The organizers' scheduler page: day tabs, room columns and a time grid, where sessions are
dragged into place (``static/js/scheduler.js``).

Thin: resolve the event, ask ``events.permissions`` who schedules (co-organizers and up: they
manage the program; track organizers, moderators and registrars read the program but do not
schedule it), and render one JSON blob from ``services.scheduler``. Every change the page makes is
a PATCH of ``/v1/sessions/<id>``, i.e. ``update_session`` with its checks.
"""
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from .services.scheduler import scheduler_data
from .views import _program_event

#: The edit page's address with this in place of the session's id (the page fills it in).
ID_PLACEHOLDER = "0"
API_SESSIONS = "/v1/sessions/"


@login_required
@require_GET
def scheduler(request, identifier):
    event, _ = _program_event(request, identifier, manage=True)
    data = scheduler_data(event)
    data["urls"] = {
        # (The API's route names are shared with the pages' ("session-detail"): spelled out.)
        "api": API_SESSIONS,
        "edit": reverse("session-edit", args=[event.identifier, ID_PLACEHOLDER]),
    }
    return render(request, "sessions_app/scheduler.html", {"event": event, "section": "Schedule", "data": data})
