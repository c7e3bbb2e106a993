"""Running export and import jobs: queue one, report its progress, end it once.

A job row (``exports.models.ExportJob`` / ``ImportJob``) exists before its task is queued; the
task runs ``run_job``, which

- claims the row (WAITING -> RUNNING) in a short transaction of its own, so a redelivered task
  (``acks_late``: a worker died mid-job) finds it RUNNING and ends it as FAILURE instead of
  running twice, and a finished job is never run again;
- runs the work in ONE transaction: a failed job leaves no rows behind (security lesson 19);
- records SUCCESS or FAILURE, and calls the caller's ``finished`` (which sends the domain
  signal) inside the transaction that records the end, so its mail is queued with it; an
  interrupted job is told too, and a ``finished`` that fails while telling a failure is logged
  without undoing the FAILURE (a job never stays RUNNING);
- a task the broker refuses (``queue``) ends its job FAILED instead of WAITING for ever.

``task_state`` answers the task route. A running export stays WAITING there with its text in
``progress`` (``progress_as_state=False``): Open Event's front end polls an export only while it
is WAITING and takes any other state for a failure. FAILURE's ``result`` is the error sentence,
as Open Event's.

Progress is text ("Importing sessions (12/371)") kept in the cache under the job's task id while
the job runs: the work's transaction hides its own row updates from everyone else until it ends,
the cache does not. The cache must be shared by the web processes and the workers (Redis in
production; the file cache of ``make run``); the row keeps the last text at the end.
"""
import datetime as dt
import logging
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.files.storage import storages
from django.db import transaction
from django.utils.timezone import now

from exports.models import PROGRESS_MAX_LENGTH, JobStatus
from openevent.core.errors import InsufficientStorage, Throttled

logger = logging.getLogger(__name__)

#: How long a progress text outlives its last update in the cache (a job reporting nothing for
#: this long shows RUNNING).
PROGRESS_SECONDS = 6 * 3600
#: What a job shows while running before it reports anything.
RUNNING_TEXT = "Running"
INTERRUPTED = "The job was interrupted (the worker stopped). Nothing was changed; start it again."
UNEXPECTED = "The job failed unexpectedly. Nothing was changed; start it again or tell the administrators."
NOT_QUEUED = "The job could not be handed to a worker. Start it again later or tell the administrators."


class JobFailed(Exception):
    """The work refuses to go on: ``message`` is a sentence for the user, naming the place."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class TaskState:
    """What ``/v1/tasks/<task>`` answers: ``state`` WAITING, a progress text, SUCCESS or FAILURE;
    ``result`` on SUCCESS (what the job made) and FAILURE (the error sentence, as Open Event's
    ``result`` of a failed task); ``progress`` the last progress text while the job runs."""

    state: str
    result: object = None
    progress: str = ""

    def as_json(self):
        answer = {"state": self.state}
        if self.result is not None:
            answer["result"] = self.result
        if self.progress:
            answer["progress"] = self.progress
        return answer


def job_storage():
    """Where the files of jobs live (export files, uploaded import files): the private storage
    ``jobs`` of ``STORAGES``, never served to anyone but through a permission check."""
    return storages["jobs"]


def _progress_key(job):
    return f"job-progress:{job.task}"


#: The window of ``check_rate``.
RATE_WINDOW = dt.timedelta(hours=1)


def check_rate(model, user, limit, what):
    """Throttled (429) when ``user`` started ``limit`` jobs of ``model`` within the last hour:
    every job stores a file and keeps a worker busy, and an import stores the zip's media as
    uploads (the upload routes' throttle must not be bypassed through it).

    Call it in the transaction that then creates the job: it locks the user's row, so starts by
    one user take turns and parallel requests cannot all count the same jobs and all pass. Two
    queries."""
    if limit is None:
        return
    # NO KEY UPDATE: starts by one user still take turns, but inserts referencing the user (which
    # take KEY SHARE) are not blocked, so no deadlock with a path that locks an event first.
    list(get_user_model().objects.select_for_update(no_key=True).filter(pk=user.pk).values_list("pk", flat=True))
    if model.objects.filter(user=user, created_at__gte=now() - RATE_WINDOW).count() >= limit:
        raise Throttled(f"You started {limit} {what} within the last hour; try again later.")


def queue(job, task):
    """Send ``task`` with the job's id once the transaction that made the job commits; the Celery
    task id is the job's ``task`` so the task route and Celery speak of the same thing. When the
    broker refuses the task, the job ends FAILED at once (it would wait for ever otherwise)."""
    model, pk = type(job), job.pk

    def send():
        try:
            task.apply_async(args=[pk], task_id=str(job.task))
        except Exception:
            logger.exception("%s %s could not be queued", model.__name__, pk)
            model.objects.filter(pk=pk, status=JobStatus.WAITING).update(
                status=JobStatus.FAILURE, error=NOT_QUEUED, finished_at=now()
            )

    transaction.on_commit(send)


def report_progress(job, text):
    """Show ``text`` as the running job's state (seen at once, whatever transaction is open)."""
    cache.set(_progress_key(job), str(text)[:PROGRESS_MAX_LENGTH], PROGRESS_SECONDS)


def current_progress(job):
    """What the running job last reported (the cache first: the row is updated only at the end)."""
    return cache.get(_progress_key(job)) or job.progress or RUNNING_TEXT


def task_state(job, result, progress_as_state=True):
    """The job's state for its owner; ``result`` builds the SUCCESS result (a download URL, the
    new event) from the finished job. A running job's state is its progress text, unless
    ``progress_as_state`` is false: then it stays WAITING (Open Event's export jobs never report
    progress, and its front end's export pages poll only while the state is WAITING), and the
    text is in ``progress`` alone."""
    if job.status == JobStatus.WAITING:
        return TaskState("WAITING")
    if job.status == JobStatus.RUNNING:
        text = current_progress(job)
        return TaskState(text if progress_as_state else "WAITING", progress=text)
    if job.status == JobStatus.FAILURE:
        return TaskState("FAILURE", job.error or UNEXPECTED)
    return TaskState("SUCCESS", result(job))


def _claim(model, job_id, finished):
    """The job, now RUNNING, or None when there is nothing to run (finished, gone, or found
    RUNNING: a redelivered task of a run that died, recorded as FAILURE, and its user told with
    ``finished``)."""
    with transaction.atomic():
        job = model.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.is_finished:
            return None
        if job.status == JobStatus.RUNNING:
            _end(job, JobStatus.FAILURE, error=INTERRUPTED)
            _tell(finished, job, INTERRUPTED)
            return None
        job.status, job.starts_at = JobStatus.RUNNING, now()
        job.save(update_fields=["status", "starts_at"])
    return job


def _end(job, status, error=""):
    job.status, job.error, job.finished_at = status, error, now()
    job.progress = (cache.get(_progress_key(job)) or job.progress)[:PROGRESS_MAX_LENGTH]
    job.save(update_fields=["status", "error", "finished_at", "progress"])
    cache.delete(_progress_key(job))


def run_job(model, job_id, work, finished):
    """Run ``work(job)`` for the job ``job_id`` of ``model`` once; then ``finished(job, error)``
    (error None on success) inside the transaction that records the end. ``work`` may raise
    ``JobFailed`` (or ``InsufficientStorage``: the file storage is full); any other exception is
    logged and reported to the user as UNEXPECTED."""
    job = _claim(model, job_id, finished)
    if job is None:
        return
    try:
        with transaction.atomic():
            work(job)
            _end(job, JobStatus.SUCCESS)
            finished(job, None)
        return
    except (JobFailed, InsufficientStorage) as failure:  # the storage full: its sentence, not UNEXPECTED
        error = failure.message
    except Exception:
        logger.exception("%s %s failed", model.__name__, job_id)
        error = UNEXPECTED
    with transaction.atomic():
        job.refresh_from_db()
        _end(job, JobStatus.FAILURE, error=error)
        _tell(finished, job, error)


def _tell(finished, job, error):
    """``finished(job, error)`` in a savepoint: if telling fails, the FAILURE is still recorded
    (else the job would stay RUNNING for ever)."""
    try:
        with transaction.atomic():
            finished(job, error)
    except Exception:
        logger.exception("Telling the end of %s %s failed", type(job).__name__, job.pk)
