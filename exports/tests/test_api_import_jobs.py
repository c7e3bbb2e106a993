"""``/v1/import-jobs``: Open Event's import-job resource, each user's own jobs only (lesson 7)."""
import pytest

from events.tests.factories import event_with_owner
from exports.models import ImportJob, JobStatus
from openevent.users.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_user_lists_their_own_import_jobs(api):
    event, owner = event_with_owner()
    done = ImportJob.objects.create(user=owner, status=JobStatus.SUCCESS, event=event)
    failed = ImportJob.objects.create(user=owner, status=JobStatus.FAILURE, error="sessions, item 2: bad date")
    ImportJob.objects.create(user=UserFactory())
    body = api.as_user(owner).get("/v1/import-jobs").json_body
    rows = {row["id"]: row for row in body["data"]}
    assert set(rows) == {str(done.pk), str(failed.pk)}
    assert rows[str(done.pk)]["type"] == "import-job"
    assert rows[str(done.pk)]["attributes"]["result-status"] == "SUCCESS"
    assert rows[str(done.pk)]["attributes"]["result"] == str(event.pk)
    assert rows[str(done.pk)]["attributes"]["task"] == f"/v1/tasks/{done.task}"
    assert rows[str(failed.pk)]["attributes"]["result"] == "sessions, item 2: bad date"
    assert rows[str(failed.pk)]["attributes"]["result-status"] == "FAILURE"


@pytest.mark.parametrize("who", ["other", "admin"])
def test_someone_elses_import_job_is_404(api, who):
    job = ImportJob.objects.create(user=UserFactory())
    user = UserFactory(is_admin=True) if who == "admin" else UserFactory()
    assert api.as_user(user).get(f"/v1/import-jobs/{job.pk}").status_code == 404
    assert api.as_user(user).get("/v1/import-jobs").json_body["data"] == []


def test_anonymous_is_refused(api):
    assert api.as_user(None).get("/v1/import-jobs").status_code == 401


def test_read_only(api):
    job = ImportJob.objects.create(user=UserFactory())
    api.as_user(job.user)
    assert api.delete(f"/v1/import-jobs/{job.pk}").status_code in (403, 405)
    body = {"data": {"type": "import-job", "attributes": {"task": "x"}}}
    assert api.post("/v1/import-jobs", body).status_code in (403, 405)
    assert ImportJob.objects.count() == 1


#: The token's user, its last-access stamp, the count, the page of rows.
LIST_QUERIES = 4


@pytest.mark.parametrize("rows", [1, 5])
def test_list_query_count_is_pinned(api, django_assert_num_queries, rows):
    user = UserFactory()
    for _ in range(rows):
        ImportJob.objects.create(user=user, status=JobStatus.RUNNING)
    api.as_user(user)
    with django_assert_num_queries(LIST_QUERIES):
        response = api.get("/v1/import-jobs")
    assert len(response.json_body["data"]) == rows
