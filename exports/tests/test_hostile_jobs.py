"""A hostile user against the job routes and pages: starting imports or exports past the hourly
cap (an import stores its zip's media as uploads: it must not bypass the upload throttle), pages
posted without a CSRF token, the export page and download of an event one only speaks at, and the
task and import-job routes of someone else's jobs (security lessons 7, 8 and 15)."""
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from events.models import Role
from events.tests.factories import event_with_owner, give_role
from exports.models import ExportJob, ImportJob, JobStatus
from exports.tests.import_support import make_zip, media_root, post_import, stored_files  # noqa: F401
from exports.tests.test_import_refusals import good_files
from openevent.users.tests.factories import UserFactory
from sessions_app.tests.factories import SessionFactory, SpeakerFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]


def test_imports_past_the_hourly_cap_are_429_and_store_nothing(api, settings):
    settings.IMPORT_MAX_PER_HOUR = 2
    user, other = UserFactory(), UserFactory()
    data = make_zip(good_files())
    assert [post_import(api, user, data)[0].status_code for _ in range(2)] == [200, 200]
    files_before = stored_files()
    response, _ = post_import(api, user, data)
    assert response.status_code == 429
    (error,) = response.json()["errors"]
    assert error["status"] == "429"
    assert "2 imports within the last hour" in error["detail"]
    assert ImportJob.objects.filter(user=user).count() == 2
    assert stored_files() == files_before
    assert post_import(api, other, data)[0].status_code == 200  # per user


def test_the_import_page_is_capped_too(client, settings):
    settings.IMPORT_MAX_PER_HOUR = 1
    user = UserFactory()
    client.force_login(user)
    data = make_zip(good_files())
    first = client.post("/events/import/", {"kind": "json", "file": SimpleUploadedFile("a.zip", data)})
    assert first.status_code == 302
    second = client.post("/events/import/", {"kind": "json", "file": SimpleUploadedFile("a.zip", data)})
    assert second.status_code == 429
    assert b"within the last hour" in second.content
    assert ImportJob.objects.filter(user=user).count() == 1


def test_exports_past_the_hourly_cap_are_429(api, settings):
    settings.EXPORT_MAX_PER_HOUR = 1
    event, owner = event_with_owner()
    api.as_user(owner)
    assert api.post(f"/v1/events/{event.pk}/export/json", {}).status_code == 200
    response = api.post(f"/v1/events/{event.pk}/export/json", {})
    assert response.status_code == 429
    assert response.json_body["errors"][0]["status"] == "429"
    assert ExportJob.objects.count() == 1


@pytest.fixture
def csrf_client():
    return Client(enforce_csrf_checks=True)


def test_page_posts_without_a_csrf_token_are_refused(csrf_client):
    event, owner = event_with_owner()
    csrf_client.force_login(owner)
    assert csrf_client.post(f"/events/{event.identifier}/export/", {"kind": "json"}).status_code == 403
    upload = SimpleUploadedFile("a.zip", make_zip(good_files()))
    assert csrf_client.post("/events/import/", {"kind": "json", "file": upload}).status_code == 403
    assert not ExportJob.objects.exists()
    assert not ImportJob.objects.exists()
    assert stored_files() == []


def test_api_posts_with_a_session_cookie_need_the_csrf_token(csrf_client):
    event, owner = event_with_owner()
    csrf_client.force_login(owner)
    response = csrf_client.post(f"/v1/events/{event.pk}/export/json", "{}", content_type="application/json")
    assert response.status_code == 403
    upload = SimpleUploadedFile("a.zip", make_zip(good_files()))
    assert csrf_client.post("/v1/events/import/json", {"file": upload}).status_code == 403
    assert not ExportJob.objects.exists()
    assert not ImportJob.objects.exists()


def finished_export(event, owner, tmp_name="exports/x/secret.zip"):
    name = default_storage.save(tmp_name, ContentFile(b"PK\x05\x06" + b"\0" * 18))
    return ExportJob.objects.create(event=event, user=owner, status=JobStatus.SUCCESS, file_name=name, file_size=22)


def test_a_speaker_of_the_event_gets_neither_the_page_nor_a_download(api, client):
    event, owner = event_with_owner(state="published")
    speaker_user = UserFactory()
    speaker = SpeakerFactory(event=event, user=speaker_user, email=speaker_user.email)
    session = SessionFactory(event=event, state="accepted")
    session.speakers.add(speaker)
    job = finished_export(event, owner)
    client.force_login(speaker_user)
    assert client.get(f"/events/{event.identifier}/export/").status_code == 403
    api.as_user(speaker_user)
    assert api.get(f"/v1/events/{event.pk}/exports/{job.pk}/download").status_code == 404
    assert api.post(f"/v1/events/{event.pk}/export/json", {}).status_code == 403
    assert api.get(f"/v1/tasks/{job.task}").status_code == 404


def test_the_media_route_never_serves_an_export_or_an_import_source(client, api, settings):
    event, owner = event_with_owner()
    job = finished_export(event, owner)
    media = Path(settings.MEDIA_ROOT)
    assert (media / job.file_name).exists()
    assert client.get(f"/media/{job.file_name}").status_code == 404
    user = UserFactory()
    post_import(api, user, make_zip(good_files()))  # not run: its source stays stored
    (source,) = ImportJob.objects.filter(user=user).values_list("source_name", flat=True)
    assert (media / source).exists()
    assert client.get(f"/media/{source}").status_code == 404


@pytest.mark.parametrize("role", [Role.ORGANIZER, Role.COORGANIZER])
def test_someone_elses_import_job_stays_hidden_from_the_organizers_of_the_event_it_made(api, role):
    """The importer's job made an event; that event's organizers still cannot read the job."""
    importer = UserFactory()
    event, _ = event_with_owner(importer)
    job = ImportJob.objects.create(user=importer, event=event, status=JobStatus.SUCCESS)
    other = UserFactory()
    give_role(other, event, role)
    api.as_user(other)
    assert api.get(f"/v1/tasks/{job.task}").status_code == 404
    assert api.get(f"/v1/import-jobs/{job.pk}").status_code == 404
    assert api.get("/v1/import-jobs").json_body["data"] == []


def test_a_finished_export_whose_file_the_storage_lost_is_a_json_api_404(api):
    event, owner = event_with_owner()
    job = ExportJob.objects.create(event=event, user=owner, status=JobStatus.SUCCESS, file_name="exports/1/gone.zip",
                                   file_size=3)
    api.as_user(owner)
    response = api.get(f"/v1/events/{event.pk}/exports/{job.pk}/download")
    assert response.status_code == 404
    assert "gone" in response.json_body["errors"][0]["detail"]
