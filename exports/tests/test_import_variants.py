"""The shapes real exports come in all import: underscore or dashed keys, ``*_id`` relations or
nested objects or ``{"id": ..}`` refs, speakers nested in sessions with no speakers file, missing
and empty optional files; states outside ours become pending; HTML is sanitized, texts cut."""
import pytest

from exports.models import JobStatus
from exports.tests.import_support import make_zip, media_root, post_import  # noqa: F401
from openevent.users.tests.factories import UserFactory
from sessions_app.models import Session, Speaker

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]

EVENT = {"id": 1, "name": "Underscored", "start_time": "2030-05-01T09:00:00", "end_time": "2030-05-02T18:00:00",
         "timezone": "Asia/Singapore", "description": "<p onclick='x()'>Hi<script>alert(1)</script></p>"}


def run(api, capture, files):
    user = UserFactory()
    _, job = post_import(api, user, make_zip(files), capture=capture)
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCESS, job.error
    return job


def test_underscore_keys_and_id_relations(api, django_capture_on_commit_callbacks):
    files = {
        "event": EVENT,
        "tracks": [{"id": 3, "name": "Web", "color": "#abc"}],
        "microlocations": [{"id": 5, "name": "Hall"}],
        "session_types": [{"id": 8, "name": "Talk", "length": "0.45"}],
        "speakers": [{"id": 11, "name": "Ada"}, {"id": 12, "name": "Grace"}],
        "sessions": [{"id": 21, "title": "T" * 600, "start_time": "2030-05-01T10:00:00",
                      "end_time": "2030-05-01T11:00:00", "track_id": 3, "microlocation_id": "5",
                      "session_type_id": 8, "speakers": [11, "12"],
                      "state": "hacked", "short_abstract": "<img src=x onerror=alert(1)>Short",
                      "is_mail_sent": True, "is_locked": True, "creator_id": 1}],
        "sponsors": b"[]\n",
        "social_links": b"",
    }
    job = run(api, django_capture_on_commit_callbacks, files)
    event = job.event
    # Wall-clock times without an offset are in the event's time zone (Singapore, UTC+8).
    assert event.starts_at.isoformat() == "2030-05-01T01:00:00+00:00"
    assert "script" not in event.description
    assert "onclick" not in event.description
    session = Session.objects.get(event=event)
    assert len(session.title) == 500
    assert session.starts_at.isoformat() == "2030-05-01T02:00:00+00:00"
    assert (session.track.name, session.track.color) == ("Web", "#aabbcc")
    assert session.microlocation.name == "Hall"
    assert (session.session_type.name, session.session_type.length) == ("Talk", "00:45")
    assert sorted(session.speakers.values_list("name", flat=True)) == ["Ada", "Grace"]
    assert session.state == Session.State.PENDING
    assert (session.is_mail_sent, session.is_locked, session.creator) == (False, False, None)
    assert session.short_abstract == "Short"
    assert event.sponsors.count() == 0


def test_speakers_nested_in_sessions_without_speakers_or_tracks_files(api, django_capture_on_commit_callbacks):
    nested_ada = {"id": 11, "name": "Ada", "short-biography": "<p>Math</p>", "email": "ADA@example.org"}
    files = {
        "event": {**EVENT, "starts-at": "2030-05-01T09:00:00+08:00", "ends-at": "2030-05-02T18:00:00+08:00"},
        "sessions": [
            {"id": 21, "title": "One", "track": {"id": 3, "name": "Web", "color": "#ff0000"},
             "session-type": {"id": 4, "name": "Talk", "length": "00:25"}, "speakers": [nested_ada]},
            {"id": 22, "title": "Two", "track": {"id": 3, "name": "Web"},
             "speakers": [nested_ada, {"id": 12, "name": "Grace"}]},
        ],
    }
    job = run(api, django_capture_on_commit_callbacks, files)
    event = job.event
    assert Speaker.objects.filter(event=event).count() == 2
    ada = Speaker.objects.get(event=event, name="Ada")
    assert ada.email == "ada@example.org"
    assert sorted(ada.sessions.values_list("title", flat=True)) == ["One", "Two"]
    assert event.tracks.count() == 1
    assert event.session_types.get().length == "00:25"
    assert Session.objects.filter(event=event, track__name="Web").count() == 2
    assert job.counts["session_speakers"] == 3


def test_event_file_in_a_folder_and_with_json_ending(api, django_capture_on_commit_callbacks):
    files = {"export/event.json": {**EVENT}, "export/sessions.json": [{"id": 1, "title": "Only"}]}
    job = run(api, django_capture_on_commit_callbacks, files)
    assert job.event.sessions.get().title == "Only"
