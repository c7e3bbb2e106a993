"""Retention of the files of jobs in ``jobs.job_storage()``: what the daily sweep deletes.

``sweep`` runs four steps, each bounded per run (``limit`` files or jobs; the rest waits for the
next run) and idempotent (a second run finds nothing left to do):

- expired exports: the file of a successful export that ended more than ``EXPORT_KEEP_DAYS``
  days ago is deleted and the row kept without ``file_name`` (``exporting.expired_on``: its
  download and the event's export history say when it expired);
- stale imports: an import WAITING for more than ``IMPORT_STALE_HOURS`` hours (no worker took
  it) ends as FAILURE with ``STALE_IMPORT``, its starter is told as for any failed import (the
  ``import_finished`` signal: mail and notification), and its uploaded file is deleted;
- leftover sources: the uploaded file of an import that ended more than a day ago and still
  names one (its deletion after the job failed) is deleted;
- orphans: a file under ``exports/`` or ``imports/`` that no job row names and that is older
  than a day is deleted (a file saved by a job whose ending transaction rolled back, an upload
  whose request failed after saving it). Young files are left alone: the job that saved one may
  not have committed its row yet. The storage is listed with ``listdir`` (the file system and S3
  alike).

A storage that fails to delete a file is logged and the row keeps its name, for the next run.
"""
import datetime as dt
import logging
import posixpath
from dataclasses import asdict, dataclass

from django.conf import settings
from django.db import transaction
from django.utils.timezone import now

from exports.models import ExportJob, ImportJob, JobStatus
from exports.services import exporting, importing, jobs

logger = logging.getLogger(__name__)

#: Hours an import may wait for a worker (settings ``IMPORT_STALE_HOURS``).
DEFAULT_STALE_HOURS = 24
#: Files and jobs each step handles per run at most.
DEFAULT_LIMIT = 500
#: Storage names checked against the job rows per query.
CHUNK = 500
#: A file no row names is deleted once it is this old.
ORPHAN_AGE = dt.timedelta(days=1)
#: The folders of the job storage the jobs write (``exporting.stored_name``, ``importing.start_import``).
FOLDERS = ("exports", "imports")
STALE_IMPORT = (
    "The import never started: no worker took it within {hours} hours. Nothing was imported; upload the file again."
)


@dataclass
class SweepCounts:
    """What one run did."""

    expired_exports: int = 0
    stale_imports: int = 0
    leftover_sources: int = 0
    orphans: int = 0

    def as_dict(self):
        return asdict(self)


def stale_hours():
    return getattr(settings, "IMPORT_STALE_HOURS", DEFAULT_STALE_HOURS)


def _delete(storage, name):
    """Delete ``name``; False (logged) when the storage fails, so its row keeps the name."""
    try:
        storage.delete(name)
    except Exception:
        logger.exception("Could not delete job file %s", name)
        return False
    return True


def expire_exports(limit=DEFAULT_LIMIT):
    """Delete the files of exports ended more than ``keep_days`` ago; their rows stay, without
    ``file_name``. Two queries, whatever the number."""
    cutoff = now() - dt.timedelta(days=exporting.keep_days())
    found = list(
        ExportJob.objects.filter(status=JobStatus.SUCCESS, finished_at__lt=cutoff)
        .exclude(file_name="")
        .order_by("finished_at", "pk")
        .values_list("pk", "file_name")[:limit]
    )
    storage = jobs.job_storage()
    deleted = [pk for pk, name in found if _delete(storage, name)]
    if deleted:
        ExportJob.objects.filter(pk__in=deleted).update(file_name="")
    return len(deleted)


def _drop_source(storage, job_id, name):
    if _delete(storage, name):
        ImportJob.objects.filter(pk=job_id, source_name=name).update(source_name="")
        return True
    return False


def _fail_waiting(job_id, error):
    """End the import ``job_id`` as FAILURE if it still waits (a worker may have taken it since)
    and tell its starter; its source name, or None when it no longer waited."""
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().filter(pk=job_id, status=JobStatus.WAITING).first()
        if job is None:
            return None
        job.status, job.error, job.finished_at = JobStatus.FAILURE, error, now()
        job.save(update_fields=["status", "error", "finished_at"])
        importing.import_ended(job, error)
    return job.source_name


def fail_stale_imports(limit=DEFAULT_LIMIT):
    """End the imports that waited more than ``stale_hours`` for a worker, tell their starters,
    delete their uploaded files."""
    hours = stale_hours()
    error = STALE_IMPORT.format(hours=hours)
    stale = list(
        ImportJob.objects.filter(status=JobStatus.WAITING, created_at__lt=now() - dt.timedelta(hours=hours))
        .order_by("created_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    storage, ended = jobs.job_storage(), 0
    for job_id in stale:
        source = _fail_waiting(job_id, error)
        if source is None:
            continue
        ended += 1
        if source:
            _drop_source(storage, job_id, source)
    return ended


def drop_leftover_sources(limit=DEFAULT_LIMIT):
    """Delete the uploaded files finished imports still name (their deletion after the job failed)."""
    leftovers = list(
        ImportJob.objects.filter(
            status__in=[JobStatus.SUCCESS, JobStatus.FAILURE], finished_at__lt=now() - ORPHAN_AGE
        )
        .exclude(source_name="")
        .order_by("finished_at", "pk")
        .values_list("pk", "source_name")[:limit]
    )
    storage = jobs.job_storage()
    return sum(_drop_source(storage, job_id, name) for job_id, name in leftovers)


def _walk(storage, folder):
    """Every file name under ``folder`` of ``storage`` (its subfolders too)."""
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:  # nothing was ever stored there (the file system; S3 lists nothing)
        return
    for name in files:
        yield posixpath.join(folder, name)
    for sub in folders:
        yield from _walk(storage, posixpath.join(folder, sub))


def _chunks(names):
    chunk = []
    for name in names:
        chunk.append(name)
        if len(chunk) == CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _named(names):
    """Which of ``names`` a job row holds. Two queries."""
    return set(ExportJob.objects.filter(file_name__in=names).values_list("file_name", flat=True)) | set(
        ImportJob.objects.filter(source_name__in=names).values_list("source_name", flat=True)
    )


def _is_old(storage, name, cutoff):
    try:
        return storage.get_modified_time(name) < cutoff
    except Exception:  # deleted meanwhile (OSError on the file system, a ClientError on S3)
        logger.info("Could not read the age of job file %s", name)
        return False


def delete_orphans(limit=DEFAULT_LIMIT):
    """Delete up to ``limit`` files under ``FOLDERS`` that no job row names and that are older
    than ``ORPHAN_AGE``. Two queries per ``CHUNK`` names listed."""
    storage, cutoff, deleted = jobs.job_storage(), now() - ORPHAN_AGE, 0
    for folder in FOLDERS:
        for chunk in _chunks(_walk(storage, folder)):
            named = _named(chunk)
            for name in chunk:
                if deleted >= limit:
                    return deleted
                if name not in named and _is_old(storage, name, cutoff) and _delete(storage, name):
                    deleted += 1
    return deleted


def sweep(limit=DEFAULT_LIMIT):
    """One run of every step (each at most ``limit`` files or jobs); the counts, logged."""
    counts = SweepCounts(
        expired_exports=expire_exports(limit),
        stale_imports=fail_stale_imports(limit),
        leftover_sources=drop_leftover_sources(limit),
        orphans=delete_orphans(limit),
    )
    logger.info(
        "Job files swept: %(expired_exports)d expired exports, %(stale_imports)d stale imports, "
        "%(leftover_sources)d leftover import files, %(orphans)d orphan files",
        counts.as_dict(),
    )
    return counts
