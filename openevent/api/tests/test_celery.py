"""A real Celery worker consumes the configured broker and stores results in the database.

The worker runs in a thread of the test process (``celery.contrib.testing``) against the broker
from settings: ``filesystem://`` under var/ locally, Redis in CI. Being in-process, it sees the test
database; ``transactional_db`` commits the rows so that the worker's own connection reads them. It
listens on a queue of its own, so neither another xdist process nor a developer's running
``make run`` worker (same var/broker folder, same Redis) can take its messages.
"""
import uuid
from contextlib import contextmanager
from pathlib import Path

import pytest
from celery.contrib.testing.worker import start_worker
from celery.signals import task_prerun
from django.db import connections
from django_celery_results.models import TaskResult

from openevent.api.tasks import task_ping
from openevent.celery import app


@contextmanager
def _worker_shares_in_memory_sqlite():
    """An in-memory SQLite test database is visible to other threads only through shared-cache
    mode, whose table locks fail fast ("database table is locked") when the worker writes a
    result while the test reads. Hand the worker thread our connection instead, as Django's
    LiveServerThread does. PostgreSQL needs none of this."""
    shared = [c for c in connections.all() if c.vendor == "sqlite" and c.is_in_memory_db()]
    if not shared:
        yield
        return

    def use_shared(**kwargs):
        for connection in shared:
            connections[connection.alias] = connection

    for connection in shared:
        connection.inc_thread_sharing()
    task_prerun.connect(use_shared, weak=False, dispatch_uid=__name__)
    try:
        yield
    finally:
        task_prerun.disconnect(dispatch_uid=__name__)
        for connection in shared:
            connection.dec_thread_sharing()


@pytest.fixture
def worker_queue(transactional_db):
    """Run a worker for the duration of a test; yield the name of the queue it consumes."""
    queue = f"test-{uuid.uuid4().hex}"
    with (
        _worker_shares_in_memory_sqlite(),
        start_worker(app, pool="solo", concurrency=1, perform_ping_check=False, queues=[queue]),
    ):
        yield queue
    # Remove the queue and, on Redis, its binding table; declaring first tells this connection
    # which bindings to drop.
    with app.connection_for_write() as connection:
        declared = app.amqp.queues.new_missing(queue)(connection.default_channel)
        declared.declare()
        declared.delete()
    control_folder = (app.conf.broker_transport_options or {}).get("control_folder")
    if control_folder:  # filesystem:// keeps an emptied exchange table per queue
        (Path(control_folder) / f"{queue}.exchange").unlink(missing_ok=True)


def test_ping_round_trips_through_a_real_worker(worker_queue):
    result = task_ping.apply_async(queue=worker_queue)

    assert result.get(timeout=30) == "pong"
    stored = TaskResult.objects.get(task_id=result.id)
    assert stored.status == "SUCCESS"
    assert stored.task_name == "openevent.api.tasks.task_ping"
