"""The organizer page "Import / export" of an event (``/events/<identifier>/export/``).

Thin: resolve the event (the team's 404 rule), ask ``events.permissions.can_export_event`` (403
for the rest of the team), call ``exports.services.exporting``. Without JavaScript the form
starts the export and the page shows the job WAITING; a reload shows its progress.
``static/js/job-progress.js`` polls the running jobs' tasks and fills their progress bars.
"""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from events import permissions as rules
from events.views import team_event
from exports import queries
from exports.forms import MEDIA_TAGS, ExportForm
from exports.models import ExportJob, JobStatus
from exports.services import exporting, jobs
from openevent.core.errors import ServiceError

#: Jobs per page of the history.
HISTORY_PAGE_SIZE = 20
#: The live feeds of a published schedule (``exports.feeds``): (label, extension).
FEEDS = (("iCalendar", "ics"), ("xCal", "xcs"), ("frab / Pentabarf XML", "xml"), ("frab JSON", "json"))


def _feeds(request, event):
    if event.schedule_published_on is None:
        return []
    return [
        (label, request.build_absolute_uri(
            reverse("event-schedule-feed", kwargs={"event_ref": event.identifier, "extension": extension})
        ))
        for label, extension in FEEDS
    ]


def _row(job, user):
    """What the history shows of one job (the progress of a running one from the cache); only the
    job's starter may read its task, so only their unfinished jobs are polled."""
    running = job.status == JobStatus.RUNNING
    return {
        "job": job,
        "task_url": reverse("task", args=[job.task]) if not job.is_finished and job.user_id == user.pk else "",
        "progress": jobs.current_progress(job) if running else "",
        "download": exporting.download_path(job) if job.status == JobStatus.SUCCESS and job.file_name else "",
        "media": [MEDIA_TAGS[flag] for flag, on in (job.options or {}).items() if on and flag in MEDIA_TAGS]
        if job.kind == ExportJob.Kind.JSON else [],
    }


@login_required
@require_http_methods(["GET", "POST"])
def event_export(request, identifier):
    event = team_event(request, identifier)
    if not rules.can_export_event(request.user, event):
        raise PermissionDenied("Only co-organizers and up export the event.")
    form = ExportForm(request.POST if request.method == "POST" else None, event=event)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            exporting.start_export(request.user, event, data["kind"], form.media_flags())
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, "The export is started: its progress is shown below.")
            return redirect("event-export", identifier=event.identifier)
    page = Paginator(queries.event_export_jobs(event), HISTORY_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "event": event,
        "section": "Import / export",
        "form": form,
        "page": page,
        "rows": [_row(job, request.user) for job in page],
        "page_links": page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
        "feeds": _feeds(request, event),
        "kinds": ExportJob.Kind,
    }
    return render(request, "exports/event_export.html", context)
