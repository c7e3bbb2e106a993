"""The job runner (``exports.services.jobs``): claim once, one transaction of work, progress seen
from outside it, one end told once inside the transaction that records it."""
import pytest
from django.db import connection, transaction

from events.models import Track
from events.tests.factories import event_with_owner
from exports.models import ExportJob, JobStatus
from exports.services import jobs

pytestmark = pytest.mark.django_db(transaction=True)


class Recorder:
    """A ``finished`` callback that notes each call and whether a transaction was open."""

    def __init__(self):
        self.calls = []

    def __call__(self, job, error):
        self.calls.append((job.status, error, connection.in_atomic_block))


@pytest.fixture
def job(seeded_roles):
    event, owner = event_with_owner()
    return ExportJob.objects.create(user=owner, event=event)


def test_success_runs_once_and_is_told_once_inside_the_ending_transaction(job):
    runs, told = [], Recorder()
    jobs.run_job(ExportJob, job.pk, runs.append, told)
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCESS
    assert job.starts_at is not None
    assert job.finished_at is not None
    assert len(runs) == 1
    assert told.calls == [(JobStatus.SUCCESS, None, True)]
    # A second delivery of the same task finds it finished and does nothing.
    jobs.run_job(ExportJob, job.pk, runs.append, told)
    assert len(runs) == 1
    assert len(told.calls) == 1


def test_redelivered_running_task_ends_as_failure_without_running(job):
    """acks_late: a worker died mid-job and the broker hands the task out again."""
    ExportJob.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING)
    runs, told = [], Recorder()
    jobs.run_job(ExportJob, job.pk, runs.append, told)
    job.refresh_from_db()
    assert runs == []
    assert job.status == JobStatus.FAILURE
    assert job.error == jobs.INTERRUPTED
    assert told.calls == [(JobStatus.FAILURE, jobs.INTERRUPTED, True)]


def test_failure_leaves_no_rows_and_keeps_the_message(job):
    def work(running):
        Track.objects.create(event=running.event, name="Made by the job")
        jobs.report_progress(running, "Importing tracks (1/2)")
        raise jobs.JobFailed("tracks, item 2: color is not a colour")

    told = Recorder()
    jobs.run_job(ExportJob, job.pk, work, told)
    job.refresh_from_db()
    assert not Track.objects.filter(name="Made by the job").exists()
    assert job.status == JobStatus.FAILURE
    assert job.error == "tracks, item 2: color is not a colour"
    assert job.progress == "Importing tracks (1/2)"  # where it stopped
    assert told.calls == [(JobStatus.FAILURE, "tracks, item 2: color is not a colour", True)]


def test_unexpected_error_is_a_sentence_for_the_user(job, caplog):
    def work(running):
        raise KeyError("internal detail")

    jobs.run_job(ExportJob, job.pk, work, Recorder())
    job.refresh_from_db()
    assert job.status == JobStatus.FAILURE
    assert job.error == jobs.UNEXPECTED
    assert "internal detail" not in job.error
    assert "failed" in caplog.text


def test_progress_is_visible_outside_the_work_transaction(job):
    seen = []

    def work(running):
        jobs.report_progress(running, "Exporting sessions (120/371)")
        # Another process reads the row as committed (RUNNING, no progress in it) and the cache.
        outside = ExportJob.objects.get(pk=running.pk)
        seen.append(jobs.task_state(outside, lambda done: None))
        seen.append(jobs.task_state(outside, lambda done: None, progress_as_state=False))

    jobs.run_job(ExportJob, job.pk, work, Recorder())
    assert seen[0].state == "Exporting sessions (120/371)"
    assert seen[1].state == "WAITING"
    assert seen[1].progress == "Exporting sessions (120/371)"


def test_a_claimed_job_is_running_for_everyone_at_once(job):
    states = []

    def work(running):
        states.append(ExportJob.objects.get(pk=running.pk).status)

    jobs.run_job(ExportJob, job.pk, work, Recorder())
    assert states == [JobStatus.RUNNING]  # the claim committed before the work began


def test_a_task_the_broker_refuses_fails_the_job(job):
    class Refusing:
        def apply_async(self, **kwargs):
            raise ConnectionError("broker down")

    with transaction.atomic():
        jobs.queue(job, Refusing())
    job.refresh_from_db()
    assert job.status == JobStatus.FAILURE
    assert job.error == jobs.NOT_QUEUED


def test_gone_job_is_nothing_to_run():
    told = Recorder()
    jobs.run_job(ExportJob, 987654, lambda job: None, told)
    assert told.calls == []
