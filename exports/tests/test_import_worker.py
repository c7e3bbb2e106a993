"""An import run by a real Celery worker (the ``worker_queue`` fixture): queued after commit,
run once, its end recorded, its mail sent, its uploaded file deleted."""
import time

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile

from exports.models import ImportJob, JobStatus
from exports.services import importing
from exports.tests.import_support import media_root, stored_files  # noqa: F401
from exports.tests.test_import_refusals import good_files, make_zip
from openevent.users.tests.factories import UserFactory

pytestmark = pytest.mark.usefixtures("seeded_roles", "media_root")

WAIT_SECONDS = 60
POLL_SECONDS = 0.2


def wait_until(condition, what):
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(POLL_SECONDS)
    raise AssertionError(f"the worker did not {what}")


def wait_for_end(job):
    def finished():
        job.refresh_from_db()
        return job.is_finished

    wait_until(finished, "finish the job")
    return job


def wait_for_mail():
    """The mail is a task of its own, queued when the job's end commits: it may come a little later."""
    wait_until(lambda: mail.outbox, "send the mail")


def test_a_real_worker_imports(worker_queue):
    user = UserFactory(email="wanda@example.org")
    job = importing.start_import(user, SimpleUploadedFile("conf.zip", make_zip(good_files())))
    wait_for_end(job)
    # The mail task runs after the import task has deleted the uploaded file (one solo worker).
    wait_for_mail()
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCESS, job.error
    assert job.event.sessions.count() == 1
    assert job.source_name == ""
    assert stored_files() == sorted(f for f in stored_files() if f.startswith("uploads/"))
    assert [m.to for m in mail.outbox] == [["wanda@example.org"]]


def test_a_real_worker_reports_a_failure(worker_queue):
    user = UserFactory(email="walt@example.org")
    bad = make_zip(good_files(event=None))
    job = importing.start_import(user, SimpleUploadedFile("conf.zip", bad))
    wait_for_end(job)
    wait_for_mail()
    job.refresh_from_db()
    assert job.status == JobStatus.FAILURE
    assert "has no 'event' file" in job.error
    assert ImportJob.objects.get(pk=job.pk).event is None
    assert stored_files() == []
    assert [m.to for m in mail.outbox] == [["walt@example.org"]]
