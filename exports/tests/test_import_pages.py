"""The "Import an event" page without JavaScript: the form starts an import, the job's page shows
its end, the history lists one's own imports (in one query), another user's job is 404."""
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from exports.models import ImportJob, JobStatus
from exports.tests.import_support import media_root, sample  # noqa: F401
from exports.tests.test_import_refusals import good_files, make_zip
from openevent.users.tests.factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]


def upload(data, name="export.zip"):
    return SimpleUploadedFile(name, data, content_type="application/zip")


def test_page_needs_a_login(client):
    response = client.get("/events/import/")
    assert response.status_code == 302
    assert "/login" in response["Location"]


def test_my_events_links_to_the_import_page(client):
    client.force_login(UserFactory())
    assert 'href="/events/import/"' in client.get("/events/").content.decode()


def test_form_imports_and_the_job_page_shows_the_event(client, django_capture_on_commit_callbacks):
    user = UserFactory()
    client.force_login(user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/events/import/", {"file": upload(make_zip(good_files())), "kind": "json"})
    job = ImportJob.objects.get(user=user)
    assert response.status_code == 302
    assert response["Location"] == f"/events/import/{job.task}/"
    page = client.get(response["Location"]).content.decode()
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCESS
    assert "Done: the event is imported." in page
    assert f'href="/events/{job.event.identifier}/"' in page
    assert "<dt>Sessions</dt><dd>1</dd>" in page
    history = client.get("/events/import/").content.decode()
    assert "export.zip" in history
    assert job.event.name in history


def test_failed_import_shows_its_error(client, django_capture_on_commit_callbacks):
    user = UserFactory()
    client.force_login(user)
    bad = make_zip(good_files(sessions=[{"id": 1, "title": "x", "starts-at": "soon"}]))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/events/import/", {"file": upload(bad), "kind": "json"})
    page = client.get(response["Location"]).content.decode()
    assert "sessions, item 1 (id 1): starts-at is not a date" in page
    assert "sessions, item 1 (id 1): starts-at is not a date" in client.get("/events/import/").content.decode()


def test_not_a_zip_is_a_form_error(client):
    client.force_login(UserFactory())
    response = client.post("/events/import/", {"file": upload(b"hello"), "kind": "json"})
    assert response.status_code == 422
    assert "The file is not a zip archive" in response.content.decode()
    assert ImportJob.objects.count() == 0


def test_missing_file_is_a_form_error(client):
    client.force_login(UserFactory())
    response = client.post("/events/import/", {"kind": "json"})
    assert response.status_code == 422
    assert ImportJob.objects.count() == 0


def test_too_large_is_413(client, settings):
    settings.IMPORT_MAX_UPLOAD_SIZE = 10
    client.force_login(UserFactory())
    response = client.post("/events/import/", {"file": upload(b"PK\x03\x04" + b"0" * 100_000), "kind": "json"})
    assert response.status_code == 413
    assert ImportJob.objects.count() == 0


def test_another_users_job_is_404(client):
    job = ImportJob.objects.create(user=UserFactory(), status=JobStatus.FAILURE, error="secret place")
    client.force_login(UserFactory())
    response = client.get(f"/events/import/{job.task}/")
    assert response.status_code == 404
    assert "secret place" not in client.get("/events/import/").content.decode()


def test_malformed_task_is_404(client):
    client.force_login(UserFactory())
    assert client.get("/events/import/not-a-task/").status_code == 404


@pytest.mark.parametrize("count", [1, 5])
def test_history_query_count_is_constant(client, django_assert_num_queries, count):
    user = UserFactory()
    for number in range(count):
        ImportJob.objects.create(user=user, status=JobStatus.FAILURE, error=f"error {number}", original_name="a.zip")
    client.force_login(user)
    # the session, the user, the page's header (2), then the history in one query
    with django_assert_num_queries(5):
        response = client.get("/events/import/")
    assert response.content.decode().count("data-import-job=") == count
