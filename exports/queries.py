"""The read side of the schedule feeds: what a feed's validators (ETag, Last-Modified) and its
sessions' SEQUENCE numbers are computed from. The schedule itself is read through
``sessions_app.public_schedule``. And the jobs' read side: which job a task id names for a user,
an event's export history, a downloadable export, a user's imports."""
from django.db.models import Max

from exports.models import ExportJob, ImportJob, JobStatus
from sessions_app.models import ScheduleRelease, Session


def feed_release(event):
    """``{"version", "released_at"}`` of the release the public sees of ``event``, or None (never
    released, or unpublished). One query, which loads neither slots nor blocks."""
    if event.schedule_published_on is None:
        return None
    return ScheduleRelease.objects.filter(event=event).order_by("-version").values("version", "released_at").first()


def last_session_change(event):
    """When a session of ``event`` last changed (None without sessions). One query."""
    return Session.all_objects.filter(event=event).aggregate(last=Max("last_modified_at"))["last"]


def release_slots(event, up_to):
    """The slots of every release of ``event`` up to version ``up_to``, oldest first. One query."""
    return list(
        ScheduleRelease.objects.filter(event=event, version__lte=up_to)
        .order_by("version")
        .values_list("slots", flat=True)
    )


#: Longest job id looked up (a longer number is no row and would overflow the database's integer).
MAX_ID_DIGITS = 18


def owned_task(user, task):
    """The export or import job of Celery task ``task`` if ``user`` started it, else None (an
    administrator is no exception: lesson 7, task results are their starter's alone)."""
    if not getattr(user, "is_authenticated", False):
        return None
    for model in (ExportJob, ImportJob):
        job = model.objects.select_related("event").filter(task=task, user=user).first()
        if job is not None:
            return job
    return None


def event_export_jobs(event):
    """The event's export jobs, newest first, with their starters (the history of the export page)."""
    return ExportJob.objects.filter(event=event).select_related("user").order_by("-created_at", "-id")


def downloadable_export(event, job_id):
    """The finished, successful export job ``job_id`` of ``event``, or None: a job of another
    event, one still waiting or running, a failed one, or a malformed id is None. An expired one
    (its file deleted by the retention sweep: no ``file_name``) is returned, for the download to
    say when it expired (``exporting.file_response``)."""
    job_id = str(job_id)
    if not job_id.isdigit() or len(job_id) > MAX_ID_DIGITS:
        return None
    return (
        ExportJob.objects.filter(event=event, pk=int(job_id), status=JobStatus.SUCCESS)
        .select_related("event")
        .first()
    )

#: The import history shows this many of the user's latest imports.
HISTORY_LENGTH = 50


def my_imports(user):
    """The user's import jobs, newest first, with the events they made (lesson 7: their own only)."""
    return ImportJob.objects.filter(user=user).select_related("event").order_by("-created_at", "-id")[:HISTORY_LENGTH]


def my_import(user, task):
    """The user's import job of Celery task ``task``, or None (another user's job is none)."""
    return ImportJob.objects.filter(user=user, task=task).select_related("event").first()
