"""The three real Open Event exports import, with their counts checked against the zip files
themselves (read here, independently of the importer) and a few pinned numbers."""
import json
import zipfile

import pytest

from events.models import Event, Role, UsersEventsRoles
from exports.models import JobStatus
from exports.services.importing import openevent_zip
from exports.tests.import_support import SAMPLES, media_root, post_import, sample, stored_files  # noqa: F401
from openevent.users.tests.factories import UserFactory
from sessions_app.models import Session, Speaker

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]

#: Pinned from the files (sessions, speakers, tracks, rooms, session-speaker links).
PINNED = {
    "FOSSASIASummit2017": (214, 207, 22, 15, 223),
    "OSCON17": (19, 19, 7, 8, 23),
    "OpenTechSummit2017": (44, 69, 8, 10, 49),
}


def expected(path):
    """Counts read straight from the zip's JSON files."""
    with zipfile.ZipFile(path) as archive:
        names = set(archive.namelist())

        def load(name):
            if name not in names:
                return []
            data = archive.read(name).strip()
            return json.loads(data) if data else []

        sessions, speakers = load("sessions"), load("speakers")
        # A link is a session and a person; hand-made exports (OSCON17) repeat ids for two people
        # and let ids and names disagree, so the person is named by name.
        links = {(s["id"], p["name"]) for s in sessions for p in s.get("speakers") or []}
        links |= {(s["id"], p["name"]) for p in speakers for s in p.get("sessions") or []}
        types = {t["id"] for t in load("session_types")} | {s["session-type"]["id"] for s in sessions
                                                             if s.get("session-type")}
        return {
            "sessions": len(sessions),
            "speakers": len(speakers) or len({p["id"] for s in sessions for p in s.get("speakers") or []}),
            "tracks": len(load("tracks")),
            "microlocations": len(load("microlocations")),
            "session_types": len(types),
            "sponsors": len(load("sponsors")),
            "session_speakers": len(links),
            "with_track": sum(1 for s in sessions if s.get("track")),
            "with_room": sum(1 for s in sessions if s.get("microlocation")),
            "with_type": sum(1 for s in sessions if s.get("session-type")),
            "titles": sorted(s["title"] for s in sessions),
        }


MEDIA_KEYS = ("logo-url", "original-image-url", "photo-url", "thumbnail-image-url", "small-image-url",
              "icon-image-url", "large-image-url", "slides-url", "video-url", "audio-url")


def missing_media(path):
    """References to files of the zip (relative paths in media fields) that the zip lacks."""
    with zipfile.ZipFile(path) as archive:
        names = set(archive.namelist())
        records = [json.loads(archive.read("event"))]
        for name in ("speakers", "sponsors", "sessions"):
            records += json.loads(archive.read(name)) if name in names else []
    references = [
        r[key] for r in records for key in MEDIA_KEYS if isinstance(r.get(key), str) and r[key].startswith("/")
    ]
    return sum(1 for ref in references if ref.lstrip("/") not in names)


@pytest.mark.parametrize("name", SAMPLES)
def test_sample_zip_imports_with_its_counts(api, shared_dir, django_capture_on_commit_callbacks, name):
    path = sample(shared_dir, name)
    want = expected(path)
    user = UserFactory()
    response, job = post_import(api, user, path.read_bytes(), capture=django_capture_on_commit_callbacks)
    assert response.status_code == 200, response.content
    assert response.json()["task_url"] == f"/v1/tasks/{job.task}"
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCESS, job.error
    event = job.event
    assert Event.objects.count() == 1
    sessions = Session.objects.filter(event=event)
    assert sessions.count() == want["sessions"] == PINNED[name][0]
    assert Speaker.objects.filter(event=event).count() == want["speakers"] == PINNED[name][1]
    assert event.tracks.count() == want["tracks"] == PINNED[name][2]
    assert event.microlocations.count() == want["microlocations"] == PINNED[name][3]
    assert event.session_types.count() == want["session_types"]
    assert event.sponsors.count() == want["sponsors"]
    assert Speaker.sessions.through.objects.filter(session__event=event).count() == want["session_speakers"]
    assert want["session_speakers"] == PINNED[name][4]
    assert sessions.filter(track__isnull=False).count() == want["with_track"]
    assert sessions.filter(microlocation__isnull=False).count() == want["with_room"]
    assert sessions.filter(session_type__isnull=False).count() == want["with_type"]
    assert sorted(sessions.values_list("title", flat=True)) == sorted(t.strip() or "Untitled" for t in want["titles"])
    links = Speaker.sessions.through.objects.filter(session__event=event)
    pairs = set(links.values_list("session_id", "speaker__name"))
    assert len(pairs) == want["session_speakers"]
    assert job.counts["sessions"] == want["sessions"]
    if name == "OSCON17":
        # Its logo, background, sponsor logos and speaker photos are in the zip: stored through the
        # upload checks, the URL fields pointing at our copies.
        assert job.counts["media_stored"] >= want["sponsors"]
        assert event.logo_url.startswith("https://events.example.org/")
        # One sponsor logo named in the file is not in the zip (rougewave.png): skipped and counted.
        logos = [s.logo_url for s in event.sponsors.all()]
        assert sum(1 for logo in logos if logo.startswith("https://events.example.org/")) == want["sponsors"] - 1
        assert job.counts["media_missing"] == missing_media(path)
        assert job.counts["media_missing"] >= 1
        assert [f for f in stored_files() if f.startswith("uploads/image/")]
        assert event.social_links.count() == 6
        assert event.copyrights.get().licence == "Public Domain Dedication (CC0)"
        # Its old-style forms file (session_form / speaker_form switches) is merged into the defaults.
        forms = {(f.form, f.field_identifier): f for f in event.custom_forms.all()}
        assert forms[("session", "longAbstract")].is_included is False
        assert forms[("session", "shortAbstract")].is_included is True
        assert forms[("speaker", "linkedin")].is_included is False
        assert forms[("speaker", "website")].is_included is True
        assert forms[("speaker", "email")].is_required is True  # fixed fields stay as they are
    # The importer owns a fresh draft; nothing of the file's ids, owners or flags was kept.
    assert UsersEventsRoles.objects.get(event=event).user == user
    assert UsersEventsRoles.objects.get(event=event).role.name == Role.OWNER
    assert event.state == Event.State.DRAFT
    assert event.schedule_published_on is None
    assert not event.is_featured
    assert not Speaker.objects.filter(event=event, is_featured=True).exists()
    assert not Session.objects.filter(event=event, is_mail_sent=True).exists()
    assert event.custom_forms.exists()
    # The uploaded file is gone once the job ended.
    assert job.source_name == ""
    assert not [f for f in stored_files() if f.startswith("imports/")]


def test_progress_counts_the_sessions(shared_dir):
    texts = []
    with sample(shared_dir, "FOSSASIASummit2017").open("rb") as source:
        openevent_zip.import_open_event_zip(source, UserFactory(), texts.append)
    assert "Importing sessions (0/214)" in texts
    assert "Importing sessions (100/214)" in texts
    assert "Importing sessions (200/214)" in texts
    assert texts[-1] == "Importing sessions (214/214)"
    assert "Importing speakers (207/207)" in texts
