"""Celery tasks of exports and imports (thin: a job id in, ``services`` does the work)."""
from celery import shared_task

from exports.services import exporting, importing, retention


@shared_task(name="exports.tasks.task_export_event", acks_late=True)
def task_export_event(job_id):
    """Run export job ``job_id`` once; a redelivered task of a run that died ends the job as failed."""
    exporting.run_export_job(job_id)


@shared_task(name="exports.tasks.task_import_event", acks_late=True)
def task_import_event(job_id):
    """Run import job ``job_id`` once; a redelivered task of a run that died ends the job as failed."""
    importing.run_import_job(job_id)


@shared_task(name="exports.tasks.task_sweep_jobs")
def task_sweep_jobs():
    """The daily beat job (``CELERY_BEAT_SCHEDULE``): delete expired export files, end imports no
    worker took, delete files no job names (``services.retention``); the counts."""
    return retention.sweep().as_dict()
