"""The "Import an event" page (``/events/import/``): choose a file and its format, start the
import, watch its progress (``static/js/job-progress.js`` polls the task route; without
JavaScript the job's page shows its state when loaded and a reload shows the next), and the
history of one's own imports with links to the events they made and their errors.

Thin: the form posts to ``services.importing.start_import`` (the same function as
``POST /v1/events/import/<format>``); a job page is its starter's alone (404 for anyone else).
"""
import uuid

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from exports import import_queries
from exports.models import ImportJob, JobStatus
from exports.services import importing, jobs
from openevent.core.errors import ServiceError
from openevent.users.forms import PageForm

#: What the job page calls each count of an import, in this order.
COUNT_LABELS = {
    "sessions": "Sessions", "speakers": "Speakers", "session_speakers": "Session–speaker links",
    "tracks": "Tracks", "microlocations": "Rooms", "session_types": "Session types", "sponsors": "Sponsors",
    "social_links": "Social links", "form_fields": "Form fields set", "media_stored": "Media files stored",
    "media_missing": "Media files named but missing (skipped)", "media_refused": "Media files refused (skipped)",
}
HTTP_UNPROCESSABLE = 422
HTTP_TOO_LARGE = 413


class ImportForm(PageForm):
    file = forms.FileField(label="File", help_text="An Open Event export (.zip) or a frab / C3VOC schedule.")
    kind = forms.ChoiceField(label="Format", choices=ImportJob.Kind.choices, initial=ImportJob.Kind.JSON)


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
    history = list(import_queries.my_imports(request.user))
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
    job = import_queries.my_import(request.user, task)
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
