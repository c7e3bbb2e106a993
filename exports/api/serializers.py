"""The import-job resource in Open Event's shape (its front end lists a user's imports)."""
from django.urls import reverse
from rest_framework import serializers

from openevent.api.serializers import ModelSerializer

from ..models import ImportJob, JobStatus
from ..services import jobs


class ImportJobSerializer(ModelSerializer):
    """``task`` (the task route to poll), ``starts-at`` (when it was started), ``result-status``
    (WAITING, the progress text, SUCCESS or FAILURE) and ``result`` (the new event's id, or the
    error), as Open Event's ``import-job``; read-only."""

    task = serializers.SerializerMethodField()
    starts_at = serializers.DateTimeField(source="created_at", read_only=True)
    result = serializers.SerializerMethodField()
    result_status = serializers.SerializerMethodField()

    class Meta:
        model = ImportJob
        resource_name = "import-job"
        fields = ["task", "starts_at", "result", "result_status", "kind", "original_name", "error"]
        read_only_fields = fields

    def get_task(self, job) -> str:
        return reverse("task", args=[job.task])

    def get_result(self, job) -> str | None:
        if job.status == JobStatus.SUCCESS:
            return str(job.event_id) if job.event_id else None
        if job.status == JobStatus.FAILURE:
            return job.error
        return None

    def get_result_status(self, job) -> str:
        return jobs.task_state(job, lambda done: None).state
