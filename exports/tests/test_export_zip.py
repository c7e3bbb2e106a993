"""The zip of an export: layout, keys and nesting of the api_v2 shape, links, media, flags."""
import pytest
from django.core.files.storage import storages

from exports.models import JobStatus
from exports.services import exporting

from .helpers import EXTERNAL_PHOTO, full_event, last_export, open_zip, read_json

pytestmark = pytest.mark.django_db

JSON_FILES = {"event", "forms", "microlocations", "sessions", "speakers", "sponsors", "tracks", "session_types",
              "social_links", "meta"}


def export(owner, event, django_capture_on_commit_callbacks, **flags):
    with django_capture_on_commit_callbacks(execute=True):
        exporting.start_export(owner, event, "json", flags)
    job = last_export(event)
    assert job.status == JobStatus.SUCCESS, job.error
    return job, open_zip(job)


def test_layout_without_media(django_capture_on_commit_callbacks):
    event, owner, _sessions, _speakers = full_event()
    job, archive = export(owner, event, django_capture_on_commit_callbacks)
    assert set(archive.namelist()) == JSON_FILES  # no media asked for: none copied
    assert job.file_name.startswith(f"exports/{event.pk}/")
    assert job.file_name.endswith(".zip")
    assert job.file_size == storages["jobs"].size(job.file_name) > 0
    meta = read_json(archive, "meta")
    assert meta["format-version"] == "2"
    # URLs stay as they are when their media are not asked for.
    assert read_json(archive, "event")["logo-url"] == event.logo_url


def test_sessions_nest_their_links(django_capture_on_commit_callbacks):
    event, owner, sessions, (ada, bob) = full_event()
    _job, archive = export(owner, event, django_capture_on_commit_callbacks)
    exported = read_json(archive, "sessions")
    assert [row["id"] for row in exported] == [session.pk for session in sessions]
    first = exported[0]
    track, room, kind = sessions[0].track, sessions[0].microlocation, sessions[0].session_type
    expected_track = {"id": track.pk, "name": "Open Hardware", "color": "#112233", "font-color": track.font_color}
    assert first["track"] == expected_track
    assert first["microlocation"] == {"id": room.pk, "name": "Hall A"}
    assert first["session-type"] == {"id": kind.pk, "name": "Talk", "length": "00:45"}
    assert sorted(speaker["id"] for speaker in first["speakers"]) == sorted([ada.pk, bob.pk])
    assert first["starts-at"].endswith("+08:00")  # in the event's time zone
    for key in ("title", "short-abstract", "long-abstract", "ends-at", "state", "slides-url", "video-url", "audio-url",
                "signup-url", "complex-field-values"):
        assert key in first
    assert not any("_" in key for key in first)


def test_speakers_tracks_and_event_hold_their_lists(django_capture_on_commit_callbacks):
    event, owner, sessions, (ada, _bob) = full_event()
    _job, archive = export(owner, event, django_capture_on_commit_callbacks)
    speakers = {row["id"]: row for row in read_json(archive, "speakers")}
    assert {row["id"] for row in speakers[ada.pk]["sessions"]} == {session.pk for session in sessions}
    # The export is for organizers: the private fields are there.
    assert speakers[ada.pk]["email"] == ada.email
    assert speakers[ada.pk]["mobile"] == ada.mobile
    assert speakers[ada.pk]["complex-field-values"] == {"tshirt": "L"}
    track = read_json(archive, "tracks")[0]
    assert {row["id"] for row in track["sessions"]} == {session.pk for session in sessions}
    assert "font-color" in track
    exported_event = read_json(archive, "event")
    assert exported_event["social-links"][0]["link"] == "https://twitter.com/example"
    assert exported_event["event-copyright"]["licence"] == "CC-BY 4.0"
    assert read_json(archive, "social_links")[0]["name"] == "Twitter"
    assert read_json(archive, "microlocations")[0]["floor"] == 2
    assert read_json(archive, "session_types")[0]["length"] == "00:45"
    assert read_json(archive, "sponsors")[0]["name"] == "Acme Corp"


def test_every_link_survives(django_capture_on_commit_callbacks):
    """Lesson 18: every session's speakers, track, room and type exist in their own files, and
    the session↔speaker links agree from both sides."""
    event, owner, _sessions, _speakers = full_event(sessions=3)
    _job, archive = export(owner, event, django_capture_on_commit_callbacks)
    sessions = read_json(archive, "sessions")
    speakers = {row["id"]: row for row in read_json(archive, "speakers")}
    tracks = {row["id"] for row in read_json(archive, "tracks")}
    rooms = {row["id"] for row in read_json(archive, "microlocations")}
    kinds = {row["id"] for row in read_json(archive, "session_types")}
    pairs_from_sessions = {(s["id"], sp["id"]) for s in sessions for sp in s["speakers"]}
    pairs_from_speakers = {(s["id"], sp["id"]) for sp in speakers.values() for s in sp["sessions"]}
    assert pairs_from_sessions == pairs_from_speakers
    assert len(pairs_from_sessions) == 6
    assert all(s["track"]["id"] in tracks and s["microlocation"]["id"] in rooms for s in sessions)
    assert all(s["session-type"]["id"] in kinds for s in sessions)


def test_media_copied_and_rewritten_when_asked(django_capture_on_commit_callbacks):
    event, owner, sessions, (ada, bob) = full_event()
    _job, archive = export(owner, event, django_capture_on_commit_callbacks, image=True, document=True)
    names = set(archive.namelist())
    exported_event = read_json(archive, "event")
    assert exported_event["logo-url"] == "/images/logo.png"
    speakers = {row["id"]: row for row in read_json(archive, "speakers")}
    assert speakers[ada.pk]["photo-url"] == f"/images/speakers/AdaLovelace_{ada.pk}.jpg"
    assert speakers[bob.pk]["photo-url"] == EXTERNAL_PHOTO  # not ours: left as it is
    sponsor = read_json(archive, "sponsors")[0]
    assert sponsor["logo-url"] == f"/images/sponsors/AcmeCorp_{sponsor['id']}.png"
    first = read_json(archive, "sessions")[0]
    assert first["slides-url"] == f"/slides/session_{sessions[0].pk}.pdf"
    for path in (exported_event["logo-url"], speakers[ada.pk]["photo-url"], sponsor["logo-url"], first["slides-url"]):
        assert path.lstrip("/") in names
    assert archive.read("images/logo.png").startswith(b"\x89PNG")
    assert archive.read(first["slides-url"].lstrip("/")).startswith(b"%PDF")


def test_flags_are_honoured_one_by_one(django_capture_on_commit_callbacks):
    event, owner, _sessions, (ada, _bob) = full_event()
    _job, archive = export(owner, event, django_capture_on_commit_callbacks, document=True)
    names = set(archive.namelist())
    assert any(name.startswith("slides/") for name in names)
    assert not any(name.startswith("images/") for name in names)
    speakers = {row["id"]: row for row in read_json(archive, "speakers")}
    assert speakers[ada.pk]["photo-url"] == ada.photo_url


def test_open_event_webapp_finds_what_it_reads(django_capture_on_commit_callbacks):
    """The fields open-event-webapp's fold_v2.js reads from sessions, speakers, tracks, sponsors and
    the event are all present."""
    event, owner, _sessions, _speakers = full_event()
    _job, archive = export(owner, event, django_capture_on_commit_callbacks)
    webapp_reads = {
        "sessions": {"id", "title", "starts-at", "ends-at", "state", "track", "microlocation", "session-type",
                     "speakers", "long-abstract", "short-abstract", "signup-url", "video-url", "slides-url",
                     "audio-url"},
        "speakers": {"id", "name", "photo-url", "short-biography", "long-biography", "sessions", "is-featured",
                     "website", "twitter", "facebook", "github", "linkedin", "organisation", "position", "country",
                     "email", "mobile"},
        "tracks": {"id", "name", "color", "font-color", "sessions"},
        "sponsors": {"id", "name", "level", "type", "url", "logo-url", "description"},
        "microlocations": {"id", "name"},
    }
    for name, keys in webapp_reads.items():
        for row in read_json(archive, name):
            assert keys <= set(row), (name, keys - set(row))
    exported_event = read_json(archive, "event")
    event_keys = {"name", "starts-at", "ends-at", "timezone", "logo-url", "original-image-url", "location-name",
                  "organizer-name", "organizer-description", "social-links", "code-of-conduct", "ticket-url",
                  "latitude", "longitude", "description", "event-copyright"}
    assert event_keys <= set(exported_event)
