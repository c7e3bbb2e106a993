"""Fault: the Celery worker running an import is killed (SIGKILL) in the middle of it.

The import task is acknowledged late (``acks_late``): the killed worker never acknowledged it, so
Redis hands it to the next worker once it is ``visibility_timeout`` old. That delivery finds the
job RUNNING (``exports.services.jobs.run_job`` claims a job once) and ends it as FAILURE with
``jobs.INTERRUPTED`` instead of importing a second time. What the user sees: the job failed
with that sentence, a mail saying so, no event and none of its rows, no file left.

Real processes: two ``celery -A openevent worker`` processes started here (a solo pool, as
``make worker``) on the test's PostgreSQL database and a queue of the test's own on the Redis
broker. The import is held in the middle deterministically: the test locks the sessions table
against writes (``LOCK TABLE … IN SHARE MODE``), so the worker, having reported "Importing
sessions", waits on its first insert, inside the import's transaction, until it is killed.
Job progress is shared through a file cache both processes use (conftest's per-test cache is
per process). The workers keep their unacknowledged-message bookkeeping under keys of the test's
own, so their 1-second ``visibility_timeout`` never touches another test's messages.
"""

import json
import os
import signal
import uuid

import psycopg
import pytest
import redis
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from exports.models import ImportJob, JobStatus
from exports.services import jobs
from exports.tests.import_support import make_zip, row_counts
from exports.tests.test_import_refusals import good_files
from mailing.models import Mail
from openevent.celery import app as celery_app
from openevent.users.tests.factories import UserFactory
from sessions_app.models import Session

from . import faults

pytestmark = pytest.mark.usefixtures("seeded_roles")

#: Seconds after which a task taken but not acknowledged goes to another worker (3600 by default).
VISIBILITY_TIMEOUT = 1
WORKER_SECONDS = 60


@pytest.fixture
def broker_queue(settings):
    """A queue of the test's own on the Redis broker, used as the default queue while the test runs
    (the conftest's ``_celery_eager`` restores the default queue and eager mode); its keys and the
    workers' bookkeeping keys are deleted after."""
    if connection.vendor != "postgresql" or not settings.CELERY_BROKER_URL.startswith("redis://"):
        pytest.skip(
            "a worker process needs the test database on PostgreSQL (DATABASE_URL=postgres://…) and "
            "redelivery needs a Redis broker (CELERY_BROKER_URL=redis://…), as CI runs"
        )
    queue = f"faults-{uuid.uuid4().hex}"
    celery_app.conf.task_always_eager = False
    celery_app.conf.task_default_queue = queue
    options = {
        "visibility_timeout": VISIBILITY_TIMEOUT,
        "unacked_key": f"{queue}-unacked",
        "unacked_index_key": f"{queue}-unacked-index",
        "unacked_mutex_key": f"{queue}-unacked-mutex",
        # Scan for abandoned messages every second, not every 100 s.
        "unacked_restore_interval": 1,
        "unacked_restore_throttle": 1,
    }
    yield queue, options
    # The queue and its binding (declaring first tells this connection which binding to drop), then
    # the workers' bookkeeping.
    with celery_app.connection_for_write() as connection_:
        declared = celery_app.amqp.queues.new_missing(queue)(connection_.default_channel)
        declared.declare()
        declared.delete()
    client = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    try:
        client.delete(options["unacked_key"], options["unacked_index_key"], options["unacked_mutex_key"])
    finally:
        client.close()


def worker_command(queue, number):
    return [faults.PYTHON, "-m", "celery", "-A", "openevent", "worker", "--pool=solo", "--loglevel=INFO",
            "-Q", queue, "-n", f"{queue}-{number}@127.0.0.1", "--without-mingle", "--without-gossip",
            "--without-heartbeat"]  # fmt: skip


def sessions_locked():
    """A connection of the test's own holding the sessions table against writes (reads go on)."""
    db = connection.settings_dict
    holder = psycopg.connect(host=db["HOST"] or "127.0.0.1", port=db["PORT"] or 5432, user=db["USER"],
                             password=db.get("PASSWORD") or None, dbname=db["NAME"])  # fmt: skip
    holder.execute(f'LOCK TABLE "{Session._meta.db_table}" IN SHARE MODE')
    return holder


def backend_waiting_on_the_lock():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' "
            "AND query LIKE %s",
            [f'INSERT INTO "{Session._meta.db_table}"%'],
        )
        row = cursor.fetchone()
    return row[0] if row else None


def backend_gone(pid):
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE pid = %s", [pid])
        return cursor.fetchone()[0] == 0


def stored_files(root):
    return sorted(str(path.relative_to(root)) for path in root.rglob("*") if path.is_file()) if root.exists() else []


def test_a_worker_killed_mid_import_leaves_no_rows_and_the_job_failed(
    broker_queue, api, smtp_sink, settings, tmp_path
):
    queue, transport_options = broker_queue
    media, cache = tmp_path / "media", tmp_path / "cache"
    settings.MEDIA_ROOT = str(media)
    settings.SITE_URL = "https://events.example.org"
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
                                   "LOCATION": str(cache)}}  # fmt: skip
    env = faults.environment(
        tmp_path, DATABASE_URL=faults.database_url(), CACHE_URL=f"filecache://{cache}", MEDIA_ROOT=str(media),
        SITE_URL=settings.SITE_URL, CELERY_TASK_DEFAULT_QUEUE=queue,
        CELERY_BROKER_TRANSPORT_OPTIONS=json.dumps(transport_options),
        EMAIL_SERVICE="smtp", EMAIL_HOST="127.0.0.1", EMAIL_PORT=str(smtp_sink.port), EMAIL_TIMEOUT="5",
    )  # fmt: skip
    user = UserFactory(email="kim@example.org")
    api.as_user(user)
    before = row_counts()
    # Without its logo: a medium stored before the kill is a file outside the import's transaction,
    # and nothing deletes it yet.
    archive = make_zip(good_files(**{"images/logo.png": None}))

    holder = sessions_locked()
    try:
        with faults.process(worker_command(queue, 1), env, tmp_path / "worker-1.log") as first:
            response = api.client.post("/v1/events/import/json", {"file": SimpleUploadedFile("conf.zip", archive)},
                                       format="multipart")  # fmt: skip
            assert response.status_code == 200, response.content
            task_url = response.json()["task_url"]
            job = ImportJob.objects.get(user=user)

            # The user watches the import reach its sessions; the worker then waits on the lock.
            faults.wait_until(
                lambda: api.get(task_url).json_body["state"].startswith("Importing sessions"),
                f"the worker imports sessions ({faults.log_tail(tmp_path / 'worker-1.log')})", WORKER_SECONDS,
            )  # fmt: skip
            blocked = faults.wait_until(backend_waiting_on_the_lock, "the worker's insert waits", WORKER_SECONDS)
            os.killpg(first.pid, signal.SIGKILL)
            first.wait()
    finally:
        holder.close()  # the lock goes; the dead worker's transaction is rolled back
    faults.wait_until(lambda: backend_gone(blocked), "the dead worker's database session ends")
    job.refresh_from_db()
    assert job.status == JobStatus.RUNNING  # nobody knows yet
    assert row_counts() == before

    with faults.process(worker_command(queue, 2), env, tmp_path / "worker-2.log"):
        faults.wait_until(lambda: ImportJob.objects.get(pk=job.pk).is_finished,
                          f"the job ends ({faults.log_tail(tmp_path / 'worker-2.log')})", WORKER_SECONDS)  # fmt: skip
        faults.wait_until(lambda: smtp_sink.bodies(user.email), "the mail arrives", WORKER_SECONDS)
        mail = faults.wait_until(lambda: Mail.objects.filter(recipient=user.email, status=Mail.Status.SENT).first(),
                                 "the mail is logged as sent", WORKER_SECONDS)  # fmt: skip

    job.refresh_from_db()
    assert (job.status, job.error, job.event_id, job.source_name) == (
        JobStatus.FAILURE, jobs.INTERRUPTED, None, ""
    )
    assert api.get(task_url).json_body == {"state": "FAILURE", "result": jobs.INTERRUPTED}
    assert row_counts() == before  # the redelivery did not import again
    assert stored_files(media) == []  # the uploaded zip is deleted
    (body,) = smtp_sink.bodies(user.email)
    assert jobs.INTERRUPTED in body
    assert mail.action == "event_import_fail"
