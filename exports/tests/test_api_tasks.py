"""``GET /v1/tasks/<task>``: the state of a job, for the user who started it alone (lesson 7)."""

import pytest

from events.models import Role
from events.tests.factories import event_with_owner, give_role
from exports.models import ExportJob, ImportJob, JobStatus
from exports.services import jobs
from openevent.users.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def url(job):
    return f"/v1/tasks/{job.task}"


@pytest.fixture
def export_job():
    event, owner = event_with_owner()
    return ExportJob.objects.create(user=owner, event=event)


def test_waiting_export(api, export_job):
    response = api.as_user(export_job.user).get(url(export_job))
    assert response.status_code == 200
    assert response.json_body == {"state": "WAITING"}


def test_running_export_stays_waiting_with_its_progress(api, export_job):
    # Open Event's front end polls an export only while its state is WAITING.
    ExportJob.objects.filter(pk=export_job.pk).update(status=JobStatus.RUNNING)
    jobs.report_progress(export_job, "Exporting sessions (120/371)")
    body = api.as_user(export_job.user).get(url(export_job)).json_body
    assert body == {"state": "WAITING", "progress": "Exporting sessions (120/371)"}


def test_running_import_shows_its_progress_as_state(api):
    job = ImportJob.objects.create(user=UserFactory(), status=JobStatus.RUNNING)
    jobs.report_progress(job, "Importing sessions (12/371)")
    body = api.as_user(job.user).get(url(job)).json_body
    assert body["state"] == "Importing sessions (12/371)"


def test_finished_export_gives_its_download_url(api, export_job, settings):
    settings.SITE_URL = "https://events.example.org"
    ExportJob.objects.filter(pk=export_job.pk).update(status=JobStatus.SUCCESS, file_name="exports/1/x.zip")
    body = api.as_user(export_job.user).get(url(export_job)).json_body
    assert body["state"] == "SUCCESS"
    expected = f"https://events.example.org/v1/events/{export_job.event_id}/exports/{export_job.pk}/download"
    assert body["result"]["download_url"] == expected


def test_finished_import_gives_the_new_event(api):
    event, owner = event_with_owner()
    job = ImportJob.objects.create(user=owner, status=JobStatus.SUCCESS, event=event)
    body = api.as_user(owner).get(url(job)).json_body
    assert body["state"] == "SUCCESS"
    assert body["result"]["id"] == event.pk
    assert body["result"]["identifier"] == event.identifier
    assert body["result"]["event_name"] == event.name
    assert body["result"]["url"].endswith(f"/events/{event.identifier}/")


def test_failed_job_gives_its_error_as_result(api, export_job):
    ExportJob.objects.filter(pk=export_job.pk).update(status=JobStatus.FAILURE, error="sessions, item 3: bad")
    body = api.as_user(export_job.user).get(url(export_job)).json_body
    assert body == {"state": "FAILURE", "result": "sessions, item 3: bad"}


def test_session_login_reads_it_too(client, export_job):
    client.force_login(export_job.user)
    response = client.get(url(export_job))
    assert response.status_code == 200
    assert response.json()["state"] == "WAITING"


@pytest.mark.parametrize("who", ["anonymous", "other user", "organizer of the event", "admin"])
def test_anyone_else_gets_404(api, export_job, who):
    if who == "anonymous":
        user = None
    elif who == "other user":
        user = UserFactory()
    elif who == "organizer of the event":
        user = UserFactory()
        give_role(user, export_job.event, Role.ORGANIZER)
    else:
        user = UserFactory(is_admin=True, is_super_admin=True)
    response = api.as_user(user).get(url(export_job))
    assert response.status_code == 404
    assert response.json_body["errors"][0]["status"] == "404"
    assert "state" not in response.json_body


def test_import_job_of_someone_else_is_404(api):
    job = ImportJob.objects.create(user=UserFactory())
    assert api.as_user(UserFactory()).get(url(job)).status_code == 404


#: A well-formed uuid no job has (fixed: xdist workers must collect the same ids).
UNKNOWN_TASK = "0f2d8c3e-6f4b-4c1e-9a57-3b8e2d1c4a90"


@pytest.mark.parametrize("task", ["not-a-uuid", "1", "%00", "x" * 500, UNKNOWN_TASK])
def test_bad_or_unknown_task_is_a_json_api_404(api, task):
    response = api.as_user(UserFactory()).get(f"/v1/tasks/{task}")
    assert response.status_code == 404
    assert response.json_body["errors"][0]["status"] == "404"
