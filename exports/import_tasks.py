"""Celery task of imports (thin: a job id in, ``services.importing`` does the work)."""
from celery import shared_task

from exports.services import importing


@shared_task(name="exports.import_tasks.task_import_event", acks_late=True)
def task_import_event(job_id):
    """Run import job ``job_id`` once; a redelivered task of a run that died ends the job as failed."""
    importing.run_import_job(job_id)
