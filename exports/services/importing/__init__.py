"""Importing an event: start an import job, run it, tell its starter.

``start_import`` takes an uploaded file from a logged-in user (anyone who may create an event,
``events.permissions.can_import_event``, as Open Event's import route), checks what is cheap to
tell (size: 413; a zip that does not start like one: 422), saves the file in the default storage
under a name of ours (``ImportJob.source_name``; the user's file name is kept for the history
only) and queues ``exports.tasks.task_import_event`` after commit.

The task runs ``run_import`` through ``jobs.run_job``: the whole import is one transaction, so a
refusal anywhere leaves no row (lesson 19), and media stored before a refusal are deleted again.
The uploaded file is deleted when the job ends, whatever the end. ``import_finished`` (mail)
is sent inside the transaction that records the end.

Readers: ``openevent_zip`` (Open Event zips), ``frab`` (frab/C3VOC schedule XML and JSON); both
write through ``builder.Builder``.
"""
import secrets

from django.conf import settings
from django.db import transaction

from events import permissions as rules
from exports import signals, tasks
from exports.models import ImportJob
from exports.services import jobs
from openevent.core.errors import Invalid, NotAllowed, ServiceError
from openevent.core.signals import send_after_commit
from openevent.uploads import storage as storage_helpers

from . import frab, openevent_zip
from .zipsafe import ZIP_MAGIC, Refused

MEBIBYTE = 1024 * 1024
NAME_TOKEN_BYTES = 16
EXTENSIONS = {ImportJob.Kind.JSON: "zip", ImportJob.Kind.FRAB_XML: "xml", ImportJob.Kind.FRAB_JSON: "json"}
ORIGINAL_NAME_LENGTH = 255
SNIFF_BYTES = 64

__all__ = ["Refused", "TooLarge", "import_ended", "max_upload_size", "run_import", "run_import_job", "start_import"]


class TooLarge(ServiceError):
    status = 413


def max_upload_size():
    return settings.IMPORT_MAX_UPLOAD_SIZE


def _head(upload):
    upload.seek(0)
    head = upload.read(SNIFF_BYTES)
    upload.seek(0)
    return head


def check_upload(upload, kind):
    """Refuse at once what is cheap to tell: no file, too large, not the announced format."""
    if upload is None:
        raise Invalid("Choose the file to import (multipart field 'file').", field="file")
    if kind not in ImportJob.Kind.values:
        raise Invalid(f"Unknown import format '{kind}'.", field="kind")
    size = getattr(upload, "size", None)
    if size is not None and size > max_upload_size():
        raise TooLarge(f"The file is larger than the {max_upload_size() // MEBIBYTE} MB an import may have.")
    head = _head(upload)
    if not head:
        raise Invalid("The file is empty.", field="file")
    if kind == ImportJob.Kind.JSON and not head.startswith(ZIP_MAGIC):
        raise Invalid("The file is not a zip archive (an Open Event export is a .zip).", field="file")
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if kind == ImportJob.Kind.FRAB_XML and not stripped.startswith(b"<"):
        raise Invalid("The file is not XML (a frab schedule.xml).", field="file")
    if kind == ImportJob.Kind.FRAB_JSON and not stripped.startswith(b"{"):
        raise Invalid("The file is not a JSON object (a frab schedule.json).", field="file")


@transaction.atomic
def start_import(user, upload, kind=ImportJob.Kind.JSON):
    """A new WAITING import job of ``upload`` (a Django uploaded file) by ``user``, queued after
    commit. One transaction from the hourly cap's count to the new job (``jobs.check_rate``)."""
    if not rules.can_import_event(user):
        raise NotAllowed("Log in to import an event.")
    jobs.check_rate(ImportJob, user, settings.IMPORT_MAX_PER_HOUR, "imports")
    check_upload(upload, kind)
    name = f"imports/{secrets.token_hex(NAME_TOKEN_BYTES)}.{EXTENSIONS[kind]}"
    upload.seek(0)
    source_name = storage_helpers.save(jobs.job_storage(), name, upload)
    job = ImportJob.objects.create(
        user=user, kind=kind, source_name=source_name,
        original_name=str(getattr(upload, "name", "") or "")[:ORIGINAL_NAME_LENGTH],
    )
    jobs.queue(job, tasks.task_import_event)
    return job


def run_import(job):
    """The job's work (``jobs.run_job``, one transaction): read the stored file, build the event."""

    def progress(text):
        jobs.report_progress(job, text)

    if not job.source_name or not jobs.job_storage().exists(job.source_name):
        raise Refused("The uploaded file is gone; upload it again.")
    with jobs.job_storage().open(job.source_name, "rb") as source:
        if job.kind == ImportJob.Kind.JSON:
            event, counts, _ = openevent_zip.import_open_event_zip(source, job.user, progress)
        else:
            event, counts = frab.import_schedule(source, job.kind, job.user, progress)
    progress("Import finished")
    job.event, job.counts = event, counts
    job.save(update_fields=["event", "counts"])


def import_ended(job, error):
    """Tell the user (mail) once the end is recorded."""
    send_after_commit(
        signals.import_finished, sender=ImportJob, user=job.user, event=None if error else job.event, job=job,
        error=error,
    )


def _discard_source(job_id):
    job = ImportJob.objects.filter(pk=job_id).first()
    if job is None or not job.is_finished or not job.source_name:
        return
    jobs.job_storage().delete(job.source_name)
    ImportJob.objects.filter(pk=job.pk).update(source_name="")


def run_import_job(job_id):
    """Run import job ``job_id`` once (the task's body); its uploaded file is deleted after."""
    try:
        jobs.run_job(ImportJob, job_id, run_import, import_ended)
    finally:
        _discard_source(job_id)
