"""Exports of the day the scheduler page shows: ``…/schedule/day/<YYYY-MM-DD>.ics`` and ``.png``.

Thin: resolve the event with the scheduler's permission (co-organizers and up: the work in
progress is theirs), check the day is one of the event's (404 otherwise), and hand the building to
``services.day_export``.
"""
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.urls import reverse
from django.views.decorators.http import require_GET

from .services.day_export import DayOutsideEvent, day_calendar, uid_domain
from .services.day_grid import DayTooLarge
from .services.day_png import day_png
from .views import _program_event


def _attachment(content, content_type, filename):
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_GET
def day_ics(request, identifier, day):
    event, _ = _program_event(request, identifier, manage=True)

    def session_url(pk):
        return request.build_absolute_uri(reverse("session-detail", args=[event.identifier, pk]))

    try:
        content = day_calendar(event, day, domain=uid_domain(), session_url=session_url)
    except DayOutsideEvent as error:
        raise Http404(str(error)) from None
    return _attachment(content, "text/calendar; charset=utf-8", f"{event.identifier}-{day.isoformat()}.ics")


@login_required
@require_GET
def day_picture(request, identifier, day):
    event, _ = _program_event(request, identifier, manage=True)
    try:
        content = day_png(event, day)
    except DayOutsideEvent as error:
        raise Http404(str(error)) from None
    except DayTooLarge as error:
        return HttpResponseBadRequest(f"{error} Export the day as iCalendar instead.", content_type="text/plain")
    return _attachment(content, "image/png", f"{event.identifier}-{day.isoformat()}.png")
