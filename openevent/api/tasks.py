"""Project-wide Celery tasks."""
from celery import shared_task


@shared_task(name="openevent.api.tasks.task_ping")
def task_ping():
    """Answer "pong": proves that a worker is consuming the broker and storing results."""
    return "pong"
