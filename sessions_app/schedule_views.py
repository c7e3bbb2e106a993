"""The organizers' page of an event's schedule releases (/events/<id>/schedule/releases):
the versions released so far with their changelogs, what releasing now would change, "Release
schedule" (with an optional comment) and "Unpublish". Co-organizers and up
(``rules.can_manage_schedule``); the rules live in ``services.schedule``."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.dateparse import parse_datetime
from django.views.decorators.http import require_http_methods

from events import permissions as rules
from events.models import Microlocation
from events.views import team_event
from openevent.core.errors import ServiceError
from openevent.core.zones import time_zone

from . import queries
from .forms import ReleaseForm
from .services import schedule

#: What the changelog's lists are called on the page.
CHANGE_LABELS = {schedule.NEW: "New", schedule.MOVED: "Moved", schedule.CANCELED: "Off the schedule"}


def _day_time(moment):
    return f"{moment:%a} {moment.day} {moment:%b, %H:%M}"


def _place(place, zone, rooms):
    """ "Fri 12 Mar, 10:00–10:45 · Hall A" in the event's time zone."""
    starts_at = parse_datetime(place["starts_at"]).astimezone(zone)
    ends_at = parse_datetime(place["ends_at"]).astimezone(zone)
    end = f"{ends_at:%H:%M}" if ends_at.date() == starts_at.date() else _day_time(ends_at)
    text = f"{_day_time(starts_at)}–{end}"
    room = rooms.get(place["microlocation"])
    return f"{text} · {room}" if room else text


def change_rows(log, zone, rooms):
    """The changelog as rows for the page: (label, [(title, where)…]) for each non-empty list;
    a move's ``where`` reads "old → new"."""
    rows = []
    for kind in schedule.CHANGE_KINDS:
        entries = log.get(kind, ())
        if kind == schedule.MOVED:
            items = [
                (entry["title"], f"{_place(entry['old'], zone, rooms)} → {_place(entry['new'], zone, rooms)}")
                for entry in entries
            ]
        else:
            items = [(entry["title"], _place(entry, zone, rooms)) for entry in entries]
        if items:
            rows.append((CHANGE_LABELS[kind], items))
    return rows


def _releases_url(event):
    return reverse("schedule-releases", args=[event.identifier])


def _post(request, event, form):
    """Run the form's action; the page to redirect to, or None to show the form's errors."""
    action = request.POST.get("action")
    try:
        if action == "unpublish":
            schedule.unpublish_schedule(request.user, event)
            message = "The schedule is unpublished; the public pages show no schedule until the next release."
        elif action == "release" and form.is_valid():
            release = schedule.release_schedule(request.user, event, form.cleaned_data["comment"])
            message = f"Version {release.version} of the schedule is released."
        else:
            if action != "release":
                form.add_error(None, "Choose “Release schedule” or “Unpublish”.")
            return None
    except ServiceError as error:
        form.add_service_error(error)
        return None
    messages.success(request, message)
    return _releases_url(event)


@login_required
@require_http_methods(["GET", "POST"])
def schedule_releases(request, identifier):
    event = team_event(request, identifier)
    if not rules.can_manage_schedule(request.user, event):
        raise PermissionDenied("Only co-organizers and up release the schedule.")
    form = ReleaseForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        target = _post(request, event, form)
        if target is not None:
            return redirect(target)
    zone = time_zone(event.timezone) or datetime.UTC
    rooms = dict(Microlocation.all_objects.filter(event=event).values_list("pk", "name"))
    preview, blocks_changed = schedule.preview_release(request.user, event)
    releases = list(queries.schedule_releases(event))
    context = {
        "event": event,
        "section": "Schedule",
        "form": form,
        "preview": change_rows(preview, zone, rooms),
        "blocks_changed": blocks_changed,
        "refusal": schedule.release_refusal(event, releases[0] if releases else None, preview, blocks_changed),
        "releases": [(release, change_rows(release.changelog, zone, rooms)) for release in releases],
        "is_published": event.schedule_published_on is not None,
    }
    return render(request, "sessions_app/schedule_releases.html", context)
