"""A real Celery worker consumes the configured broker and stores results in the database.

The worker runs in a thread of the test process (``celery.contrib.testing``) against the broker
from settings: ``filesystem://`` under var/ locally, Redis in CI. Being in-process, it sees the test
database; ``transactional_db`` commits the rows so that the worker's own connection reads them. It
listens on a queue of its own, so neither another xdist process nor a developer's running
``make run`` worker (same var/broker folder, same Redis) can take its messages.

The worker itself is the ``worker_queue`` fixture of the root conftest.py.
"""
from django_celery_results.models import TaskResult

from openevent.api.tasks import task_ping


def test_ping_round_trips_through_a_real_worker(worker_queue):
    result = task_ping.apply_async(queue=worker_queue)

    assert result.get(timeout=30) == "pong"
    stored = TaskResult.objects.get(task_id=result.id)
    assert stored.status == "SUCCESS"
    assert stored.task_name == "openevent.api.tasks.task_ping"
