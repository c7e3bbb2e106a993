"""One export through a real Celery worker (the ``worker_queue`` fixture): the API starts it, the
task route follows it to SUCCESS, the file downloads."""
import time

import pytest

from .helpers import full_event

pytestmark = pytest.mark.usefixtures("seeded_roles")

#: How long the worker may take (polling, not a timing assertion).
DEADLINE_SECONDS = 60
POLL_SECONDS = 0.2


def test_export_through_a_real_worker(api, worker_queue):
    event, owner, sessions, _speakers = full_event(sessions=2)
    api.as_user(owner)
    response = api.post(f"/v1/events/{event.pk}/export/json", {"image": True}, content_type="application/json")
    assert response.status_code == 200
    task_url = response.json_body["task_url"]
    deadline = time.monotonic() + DEADLINE_SECONDS
    state = api.get(task_url).json_body
    while state["state"] not in ("SUCCESS", "FAILURE") and time.monotonic() < deadline:
        time.sleep(POLL_SECONDS)
        state = api.get(task_url).json_body
    assert state["state"] == "SUCCESS", state
    got = api.client.get(state["result"]["download_url"].removeprefix("https://events.example.org"))
    assert got.status_code == 200
    assert b"".join(got.streaming_content)[:2] == b"PK"
