"""Starting exports over the API (``POST /v1/events/<id>/export/<kind>``) and downloading their
files (``GET /v1/events/<id>/exports/<job>/download``): who may, what is refused."""
import pytest

from events.models import Role
from events.tests.factories import event_with_owner, give_role
from exports.models import ExportJob, JobStatus
from exports.services import exporting
from openevent.users.tests.factories import UserFactory
from sessions_app.services.schedule import release_schedule

from .helpers import full_event, last_export, open_zip, read_json

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("site_url")]


def start(api, user, event, kind="json", body=None, capture=None):
    api.as_user(user)
    if capture is None:
        return api.post(f"/v1/events/{event.pk}/export/{kind}", body or {}, content_type="application/json")
    with capture(execute=True):
        return api.post(f"/v1/events/{event.pk}/export/{kind}", body or {}, content_type="application/json")


def test_export_json_answers_a_task_url_and_the_task_gives_a_working_download(
    api, django_capture_on_commit_callbacks
):
    event, owner, _sessions, _speakers = full_event()
    flags = {"image": True, "video": False}
    response = start(api, owner, event, body=flags, capture=django_capture_on_commit_callbacks)
    assert response.status_code == 200
    job = last_export(event)
    assert response.json_body == {"task_url": f"/v1/tasks/{job.task}"}
    assert job.options == {"image": True, "video": False, "document": False, "audio": False}
    state = api.get(response.json_body["task_url"]).json_body
    assert state["state"] == "SUCCESS"
    download = state["result"]["download_url"]
    assert download == f"https://events.example.org/v1/events/{event.pk}/exports/{job.pk}/download"
    got = api.client.get(download.removeprefix("https://events.example.org"))
    assert got.status_code == 200
    assert got["Content-Type"] == "application/zip"
    assert got["Content-Disposition"] == f'attachment; filename="event-{event.identifier}-json.zip"'
    body = b"".join(got.streaming_content)
    job.refresh_from_db()
    assert len(body) == job.file_size
    assert len(read_json(open_zip(job), "sessions")) == len(_sessions)


def test_open_event_clients_body_as_json_api_media_type(api, django_capture_on_commit_callbacks):
    event, owner = event_with_owner()
    api.as_user(owner)
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(f"/v1/events/{event.identifier}/export/json", {"image": False})
    assert response.status_code == 200
    assert last_export(event).status == JobStatus.SUCCESS


@pytest.mark.parametrize("role", [Role.OWNER, Role.ORGANIZER, Role.COORGANIZER])
def test_organizers_may_export(api, role):
    event, _owner = event_with_owner()
    user = UserFactory()
    give_role(user, event, role)
    assert start(api, user, event).status_code == 200
    assert ExportJob.objects.filter(event=event, user=user).count() == 1


@pytest.mark.parametrize("role", [Role.TRACK_ORGANIZER, Role.MODERATOR, Role.REGISTRAR])
def test_lesser_roles_are_refused(api, role):
    event, _owner = event_with_owner()
    user = UserFactory()
    give_role(user, event, role)
    response = start(api, user, event)
    assert response.status_code == 403
    assert not ExportJob.objects.exists()


def test_outsider_speaker_and_anonymous_are_refused(api):
    event, _owner = event_with_owner()
    outsider = UserFactory()
    assert start(api, outsider, event).status_code == 403
    assert start(api, None, event).status_code == 401
    draft, _draft_owner = event_with_owner(state="draft")
    assert start(api, outsider, draft).status_code == 404  # a draft is hidden from outsiders
    assert not ExportJob.objects.exists()


@pytest.mark.parametrize(
    ("body", "pointer"),
    [
        ({"images": True}, "images"),
        ({"image": "yes"}, "image"),
        ({"audio": 1}, "audio"),
        ({"video": None}, "video"),
    ],
)
def test_bad_flags_are_422_and_make_no_job(api, body, pointer):
    event, owner = event_with_owner()
    response = start(api, owner, event, body=body)
    assert response.status_code == 422
    assert pointer in str(response.json_body)
    assert not ExportJob.objects.exists()


@pytest.mark.parametrize("raw", [b"[1, 2]", b'"image"', b"{not json"])
def test_a_body_that_is_no_object_is_refused(api, raw):
    event, owner = event_with_owner()
    api.as_user(owner)
    response = api.post(f"/v1/events/{event.pk}/export/json", raw=raw, content_type="application/json")
    assert response.status_code in (400, 422)
    assert response.json_body["errors"]
    assert not ExportJob.objects.exists()


def test_unknown_format_is_404(api):
    event, owner = event_with_owner()
    assert start(api, owner, event, kind="pdf").status_code == 404


@pytest.mark.parametrize("kind", ["ical", "xcal", "pentabarf", "frab-json"])
def test_calendar_export_needs_a_published_schedule(api, kind):
    event, owner = event_with_owner()
    response = start(api, owner, event, kind=kind)
    assert response.status_code == 422
    assert "schedule is not published" in response.json_body["errors"][0]["detail"]
    assert not ExportJob.objects.exists()


@pytest.mark.parametrize(
    ("kind", "content_type", "starts"),
    [
        ("ical", "text/calendar; charset=utf-8", b"BEGIN:VCALENDAR"),
        ("xcal", "application/calendar+xml; charset=utf-8", b"<?xml"),
        ("pentabarf", "application/xml; charset=utf-8", b"<?xml"),
        ("frab-json", "application/json", b"{"),
    ],
)
def test_calendar_export_of_a_released_schedule(api, django_capture_on_commit_callbacks, kind, content_type, starts):
    event, owner, sessions, _speakers = full_event()
    release_schedule(owner, event, send_email=False)
    response = start(api, owner, event, kind=kind, capture=django_capture_on_commit_callbacks)
    assert response.status_code == 200
    state = api.get(response.json_body["task_url"]).json_body
    assert state["state"] == "SUCCESS", state
    got = api.client.get(state["result"]["download_url"].removeprefix("https://events.example.org"))
    assert got.status_code == 200
    assert got["Content-Type"] == content_type
    body = b"".join(got.streaming_content)
    assert body.lstrip().startswith(starts)
    assert sessions[0].title.encode() in body


def test_calendar_export_by_get_with_a_token_as_open_event_front_end(api, django_capture_on_commit_callbacks):
    event, owner, _sessions, _speakers = full_event()
    release_schedule(owner, event, send_email=False)
    with django_capture_on_commit_callbacks(execute=True):
        response = api.as_user(owner).get(f"/v1/events/{event.pk}/export/ical")
    assert response.status_code == 200
    assert "task_url" in response.json_body


def test_get_with_a_session_cookie_starts_nothing(client):
    """A GET carries no CSRF check: with a cookie, any page could start exports."""
    event, owner = event_with_owner(schedule_published_on="2026-01-01T00:00:00Z")
    client.force_login(owner)
    assert client.get(f"/v1/events/{event.pk}/export/ical").status_code == 405
    assert client.get(f"/v1/events/{event.pk}/export/json").status_code == 405
    assert not ExportJob.objects.exists()


# --- download ---------------------------------------------------------------------------------------
@pytest.fixture
def finished(django_capture_on_commit_callbacks):
    event, owner, _sessions, _speakers = full_event(sessions=1)
    with django_capture_on_commit_callbacks(execute=True):
        exporting.start_export(owner, event)
    return last_export(event)


def download(api, user, event_id, job_id):
    response = api.as_user(user).client.get(f"/v1/events/{event_id}/exports/{job_id}/download")
    if not response.streaming:
        response.json_body = response.json()
    response.close()  # a file answer holds its file open until closed
    return response


def test_download_by_another_coorganizer(api, finished):
    other = UserFactory()
    give_role(other, finished.event, Role.COORGANIZER)
    assert download(api, other, finished.event_id, finished.pk).status_code == 200


@pytest.mark.parametrize("role", [None, Role.TRACK_ORGANIZER, Role.MODERATOR])
def test_download_refused_outside_the_organizers(api, finished, role):
    user = UserFactory()
    if role:
        give_role(user, finished.event, role)
    response = download(api, user, finished.event_id, finished.pk)
    assert response.status_code == 404
    assert response.json_body["errors"]


def test_download_anonymous_is_401(api, finished):
    assert download(api, None, finished.event_id, finished.pk).status_code == 401


def test_a_logged_out_browser_is_sent_to_log_in_and_back(client, finished):
    """The mail's download link, opened in a browser while logged out: the login page, then the file."""
    path = f"/v1/events/{finished.event_id}/exports/{finished.pk}/download"
    browser = {"HTTP_ACCEPT": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}
    response = client.get(path, **browser)
    assert response.status_code == 302
    assert response["Location"] == f"/login?next={path}"
    # An API client asking for anything (curl's */*) still gets the JSON:API 401.
    answer = client.get(path, HTTP_ACCEPT="*/*")
    assert answer.status_code == 401
    assert answer.json()["errors"][0]["code"] == "not_authenticated"
    client.force_login(finished.user)
    got = client.get(path, **browser)
    assert got.status_code == 200
    assert got["Content-Disposition"].startswith("attachment")
    assert b"".join(got.streaming_content).startswith(b"PK")
    got.close()


def test_download_through_another_event_is_404(api, finished):
    """Lesson 8: a job id is served only under its own event, even to someone who organizes both."""
    other_event, _other_owner = event_with_owner()
    give_role(finished.user, other_event, Role.OWNER)
    assert download(api, finished.user, other_event.pk, finished.pk).status_code == 404


@pytest.mark.parametrize("status", [JobStatus.WAITING, JobStatus.RUNNING, JobStatus.FAILURE])
def test_download_of_an_unfinished_or_failed_job_is_404(api, finished, status):
    ExportJob.objects.filter(pk=finished.pk).update(status=status)
    assert download(api, finished.user, finished.event_id, finished.pk).status_code == 404


@pytest.mark.parametrize("job_id", ["..%2F..%2Fsettings.py", "9" * 40, "-1", "abc", "1.zip"])
def test_download_with_odd_ids_is_404(api, finished, job_id):
    assert download(api, finished.user, finished.event_id, job_id).status_code == 404


def test_a_path_in_the_row_is_never_taken_from_the_request(api, finished):
    """The storage is asked for the job's own name only: a query string or path adds nothing."""
    response = api.as_user(finished.user).client.get(
        f"/v1/events/{finished.event_id}/exports/{finished.pk}/download", {"name": "../../etc/passwd"}
    )
    assert response.status_code == 200
    assert b"".join(response.streaming_content)[:2] == b"PK"
