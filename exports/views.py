"""The organizer page "Import / export" of an event (``/events/<identifier>/export/``).

Thin: resolve the event (the team's 404 rule), ask ``events.permissions.can_export_event`` (403
for the rest of the team), call ``exports.services.exporting``. Without JavaScript the form
starts the export and the page shows the job WAITING; a reload shows its progress.
``static/js/job-progress.js`` polls the running jobs' tasks and fills their progress bars.

The "Import an event" page (``/events/import/``): choose a file and its format, start the
import, watch its progress (``static/js/job-progress.js`` polls the task route; without
JavaScript the job's page shows its state when loaded and a reload shows the next), and the
history of one's own imports with links to the events they made and their errors.

Thin: the form posts to ``services.importing.start_import`` (the same function as
``POST /v1/events/import/<format>``); a job page is its starter's alone (404 for anyone else).
"""
import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from events import permissions as rules
from events.views import team_event
from exports import queries
from exports.forms import MEDIA_TAGS, ExportForm, ImportForm
from exports.models import ExportJob, JobStatus
from exports.services import exporting, importing, jobs
from openevent.core.errors import ServiceError
from openevent.core.pages import paged

#: Jobs per page of the history.
HISTORY_PAGE_SIZE = 20
#: The live feeds of a published schedule (``exports.api.feeds``): (label, extension).
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
        "expired_on": exporting.expired_on(job),
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
    paging = paged(request, queries.event_export_jobs(event), HISTORY_PAGE_SIZE)
    context = {
        "event": event,
        "section": "Import / export",
        "form": form,
        **paging,
        "rows": [_row(job, request.user) for job in paging["page"]],
        "feeds": _feeds(request, event),
        "kinds": ExportJob.Kind,
    }
    return render(request, "exports/event_export.html", context)


#: What the job page calls each count of an import, in this order.
COUNT_LABELS = {
    "sessions": "Sessions", "speakers": "Speakers", "session_speakers": "Session–speaker links",
    "tracks": "Tracks", "microlocations": "Rooms", "session_types": "Session types", "sponsors": "Sponsors",
    "social_links": "Social links", "form_fields": "Form fields set", "media_stored": "Media files stored",
    "media_missing": "Media files named but missing (skipped)", "media_refused": "Media files refused (skipped)",
}
HTTP_UNPROCESSABLE = 422
HTTP_TOO_LARGE = 413


def _declared_length(request):
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


@login_required
@require_http_methods(["GET", "POST"])
def import_page(request):
    status = 200
    if request.method == "POST" and _declared_length(request) > importing.max_upload_size() + 64 * 1024:
        form, status = ImportForm(), HTTP_TOO_LARGE
        form.full_clean()  # an unbound form: no errors of its own, room for ours (the body is never read)
        form.cleaned_data = {}
        form.add_error("file", f"The file is larger than the {importing.max_upload_size() // 2**20} MB allowed.")
    elif request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                job = importing.start_import(request.user, form.cleaned_data["file"], form.cleaned_data["kind"])
            except ServiceError as error:
                form.add_service_error(error)
                status = error.status
            else:
                return redirect("event-import-job", task=job.task)
        else:
            status = HTTP_UNPROCESSABLE
    else:
        form = ImportForm()
    history = list(queries.my_imports(request.user))
    return render(request, "exports/import.html", {"form": form, "history": history}, status=status)


def _state(job):
    """What the page shows of the job now: a TaskState (its progress text while running)."""
    return jobs.task_state(job, lambda done: None)


@login_required
@require_GET
def import_job_page(request, task):
    try:
        task = uuid.UUID(str(task))
    except ValueError:
        raise Http404("No import found.") from None
    job = queries.my_import(request.user, task)
    if job is None:
        raise Http404("No import found.")
    state = _state(job)
    context = {
        "job": job,
        "state": state.state,
        "done": job.status == JobStatus.SUCCESS,
        "failed": job.status == JobStatus.FAILURE,
        "task_url": reverse("task", args=[job.task]),
        "counts": [(label, job.counts[key]) for key, label in COUNT_LABELS.items() if key in (job.counts or {})],
    }
    return render(request, "exports/import_job.html", context)
