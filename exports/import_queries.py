"""Read side of imports: a user's import history (one query, whatever its length)."""
from exports.models import ImportJob

#: The history shows this many of the user's latest imports.
HISTORY_LENGTH = 50


def my_imports(user):
    """The user's import jobs, newest first, with the events they made (lesson 7: their own only)."""
    return ImportJob.objects.filter(user=user).select_related("event").order_by("-created_at", "-id")[:HISTORY_LENGTH]


def my_import(user, task):
    """The user's import job of Celery task ``task``, or None (another user's job is none)."""
    return ImportJob.objects.filter(user=user, task=task).select_related("event").first()
