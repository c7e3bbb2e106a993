"""Exporting an event: start an export job, run it, say where its file is downloaded.

``start_export`` checks who may export (``events.permissions.can_export_event``) and what, makes
the ``ExportJob`` row and queues ``exports.tasks.task_export_event`` after commit. The task runs
``run_export`` through ``jobs.run_job``: the file is written to a temporary file of the job's own
directory (never a shared working directory, lesson 19), then saved in the default storage under a
name we make (``exports/<event id>/<random>.<extension>``). The end sends ``export_finished`` (mail
and in-app notification) inside the transaction that records it.

The file is served only by the download route (``download_url``), which checks the requester
against the job's event (lesson 8): no name from a request reaches the storage.

Files are kept ``EXPORT_KEEP_DAYS`` days (``keep_days``); then the retention sweep
(``exports.services.retention``) deletes them and clears ``file_name``: an expired export is a
SUCCESS row without a file (``expired_on``), whose download answers when it expired.
"""
import datetime as dt
import secrets
import shutil
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.http import FileResponse
from django.urls import reverse
from django.utils import dateformat
from django.utils.timezone import localdate

from events import permissions as rules
from events.models import Event
from exports import signals, tasks
from exports.exporters import get_exporter
from exports.models import ExportJob, JobStatus
from exports.services import export_zip, jobs
from openevent.core.errors import FieldErrors, Invalid, NotAllowed, NotFound
from openevent.core.signals import send_after_commit
from openevent.uploads import storage as storage_helpers
from openevent.users.services import site_url

#: The media flags of a zip export (Open Event's keys), all off unless asked for.
MEDIA_FLAGS = ("image", "video", "document", "audio")
#: Random part of a stored export's name (bytes of ``token_hex``).
NAME_TOKEN_BYTES = 16
#: Days an export's file is kept after it is made (settings ``EXPORT_KEEP_DAYS``).
DEFAULT_KEEP_DAYS = 30
#: The media type a stored export is served with, by its extension.
CONTENT_TYPES = {
    "zip": "application/zip",
    "ics": "text/calendar; charset=utf-8",
    "xcs": "application/calendar+xml; charset=utf-8",
    "xml": "application/xml; charset=utf-8",
    "json": "application/json",
}


def media_options(data):
    """The media flags of a request body: only Open Event's four keys, each a boolean (absent is
    false); anything else is refused naming the key."""
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise Invalid("The body must be an object of media flags (image, video, document, audio).")
    errors = {}
    for key, value in data.items():
        if key not in MEDIA_FLAGS:
            errors[key] = f"Unknown export option '{key}'; the options are {', '.join(MEDIA_FLAGS)}."
        elif not isinstance(value, bool):
            errors[key] = f"'{key}' must be true or false."
    if errors:
        raise FieldErrors(errors)
    return {flag: bool(data.get(flag, False)) for flag in MEDIA_FLAGS}


@transaction.atomic
def start_export(user, event, kind=ExportJob.Kind.JSON, options=None):
    """A new WAITING export job of ``event`` by ``user``, queued after commit. Calendar and
    schedule files (every kind but the zip) need a published schedule. One transaction from the
    hourly cap's count to the new job (``jobs.check_rate``)."""
    if not rules.can_export_event(user, event):
        raise NotAllowed("Only the event's organizers may export it.")
    if kind not in ExportJob.Kind.values:
        raise Invalid(f"Unknown export format '{kind}'.")
    if kind != ExportJob.Kind.JSON and event.schedule_published_on is None:
        raise Invalid("The schedule is not published: publish it before exporting a calendar or schedule file.")
    jobs.check_rate(ExportJob, user, settings.EXPORT_MAX_PER_HOUR, "exports")
    job = ExportJob.objects.create(
        user=user,
        event=event,
        kind=kind,
        options=media_options(options) if kind == ExportJob.Kind.JSON else {},
    )
    jobs.queue(job, tasks.task_export_event)
    return job


def keep_days():
    """Days an export's file is kept after the job ends."""
    return getattr(settings, "EXPORT_KEEP_DAYS", DEFAULT_KEEP_DAYS)


def expired_on(job):
    """The date the job's file expired (its end plus ``keep_days``, never later than today), or
    None when the job is no expired export (one with a file, one unfinished or failed)."""
    if job.status != JobStatus.SUCCESS or job.file_name or job.finished_at is None:
        return None
    return min(localdate(job.finished_at + dt.timedelta(days=keep_days())), localdate())


def download_path(job):
    """The route that serves the job's file (``exports.api.views.ExportDownloadView``)."""
    return reverse("export-download", args=[job.event_id, job.pk])


def download_url(job, origin=None):
    """The absolute address of the job's file (``origin``: ``site_url`` by default)."""
    return (origin or site_url()) + download_path(job)


def stored_name(job, extension):
    """Our name for the job's file in the storage: nothing of it comes from a request."""
    return f"exports/{job.event_id}/{secrets.token_hex(NAME_TOKEN_BYTES)}.{extension}"


def _write(job, path):
    """Write the job's file at ``path``; its extension. Calendar and schedule files come from the
    formats' registry (``exports.exporters``), built from the released schedule."""
    if job.kind == ExportJob.Kind.JSON:
        export_zip.write_event_zip(job.event, path, job.options, progress=lambda text: jobs.report_progress(job, text))
        return "zip"
    if job.event.schedule_published_on is None:
        raise jobs.JobFailed("The schedule was unpublished before the export ran: publish it and start again.")
    exporter = get_exporter(job.kind)
    jobs.report_progress(job, f"Writing the {exporter.label or job.kind} file")
    path.write_bytes(exporter.render(job.event, site_url()))
    return exporter.extension


def run_export(job):
    """The job's work (``jobs.run_job``): build the file in a directory of its own, store it."""
    if not Event.objects.filter(pk=job.event_id).exists():
        raise jobs.JobFailed("The event was deleted before the export ran.")
    workdir = Path(tempfile.mkdtemp(prefix=f"export-{job.pk}-"))
    try:
        path = workdir / "export"
        extension = _write(job, path)
        jobs.report_progress(job, "Saving the file")
        with path.open("rb") as built:
            job.file_name = storage_helpers.save(jobs.job_storage(), stored_name(job, extension), File(built))
        job.file_size = path.stat().st_size
        job.save(update_fields=["file_name", "file_size"])
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def export_ended(job, error):
    """Tell the user (mail, notification) once the end is recorded."""
    send_after_commit(
        signals.export_finished,
        sender=ExportJob,
        user=job.user,
        event=job.event,
        job=job,
        download_url=None if error else download_url(job),
        error=error,
    )


def run_export_job(job_id):
    """Run export job ``job_id`` once (the task's body)."""
    jobs.run_job(ExportJob, job_id, run_export, export_ended)


def download_name(job):
    """The file name the browser saves: ours, from the event's identifier and the kind."""
    extension = job.file_name.rsplit(".", 1)[-1]
    return f"event-{job.event.identifier}-{job.kind}.{extension}"


def file_response(job):
    """The finished job's file streamed from the storage, as an attachment; NotFound when it
    expired (saying when) or the storage lost it (a lifecycle rule, a cleaned disk)."""
    expired = expired_on(job)
    if expired is not None:
        raise NotFound(f"This export expired on {dateformat.format(expired, 'j F Y')}; start it again.")
    extension = job.file_name.rsplit(".", 1)[-1]
    try:
        stored = jobs.job_storage().open(job.file_name, "rb")
    except OSError:
        raise NotFound("The file of this export is gone; start the export again.") from None
    response = FileResponse(
        stored,
        as_attachment=True,
        filename=download_name(job),
        content_type=CONTENT_TYPES.get(extension, "application/octet-stream"),
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
