"""Jobs that move an event in or out of the system, run by Celery, watched through ``/v1/tasks/<task>``.

- ``ExportJob``: one export of one event (the Open Event zip, or a calendar/schedule file), started
  by a user who alone may watch it and download its file.
- ``ImportJob``: one import of an uploaded file (an Open Event zip, a frab/C3VOC schedule) into a
  new event owned by the user who started it.

``task`` is the Celery task id the job runs under (made before the task is queued, so the job row
exists first); ``/v1/tasks/<task>`` reads the job by it. ``status`` is what that route answers in
``state``: WAITING until a worker starts, then the progress text ("Importing sessions (12/371)"),
then SUCCESS or FAILURE.
"""
import uuid

from django.conf import settings
from django.db import models
from django.utils.timezone import now

#: Progress text is at most this long (it is a sentence, never a log).
PROGRESS_MAX_LENGTH = 200


class JobStatus(models.TextChoices):
    WAITING = "WAITING", "Waiting"
    RUNNING = "RUNNING", "Running"
    SUCCESS = "SUCCESS", "Done"
    FAILURE = "FAILURE", "Failed"


class Job(models.Model):
    task = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=10, choices=JobStatus.choices, default=JobStatus.WAITING)
    # What a running job is doing, shown as the task's state while status is RUNNING.
    progress = models.CharField(max_length=PROGRESS_MAX_LENGTH, blank=True)
    # A sentence for the user when the job failed (names the place in the file for imports).
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=now, db_index=True)
    starts_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["-created_at", "-id"]

    @property
    def is_finished(self):
        return self.status in (JobStatus.SUCCESS, JobStatus.FAILURE)


class ExportJob(Job):
    class Kind(models.TextChoices):
        JSON = "json", "Open Event zip"
        ICAL = "ical", "iCalendar"
        XCAL = "xcal", "xCal"
        PENTABARF = "pentabarf", "frab / Pentabarf XML"
        FRAB_JSON = "frab-json", "frab JSON"

    event = models.ForeignKey("events.Event", on_delete=models.CASCADE, related_name="export_jobs")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.JSON)
    # The media flags of a zip export: {"image": bool, "video": bool, "document": bool, "audio": bool}.
    options = models.JSONField(default=dict, blank=True)
    # Where the finished file is in the default storage (a name we made; empty until SUCCESS).
    file_name = models.CharField(max_length=500, blank=True)
    file_size = models.PositiveBigIntegerField(null=True, blank=True)

    class Meta(Job.Meta):
        indexes = [models.Index(fields=["event", "-created_at"], name="exportjob_event_recent")]

    def __str__(self):
        return f"{self.get_kind_display()} export of event {self.event_id} ({self.status})"


class ImportJob(Job):
    class Kind(models.TextChoices):
        JSON = "json", "Open Event zip"
        FRAB_XML = "frab-xml", "frab / C3VOC schedule XML"
        FRAB_JSON = "frab-json", "frab / C3VOC schedule JSON"

    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.JSON)
    # The uploaded file while the job waits or runs (our name in the default storage); deleted after.
    source_name = models.CharField(max_length=500, blank=True)
    # The name the user's file had, for the history only (never used as a path).
    original_name = models.CharField(max_length=255, blank=True)
    # The event the import made (SUCCESS only).
    event = models.ForeignKey("events.Event", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # Counts of what was imported: {"sessions": 371, "speakers": 208, ...}.
    counts = models.JSONField(default=dict, blank=True)

    def __str__(self):
        return f"{self.get_kind_display()} import by user {self.user_id} ({self.status})"
