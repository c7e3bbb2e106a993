"""A malformed-zip corpus: each file is refused with a precise error, and none leaves a row or a
stored file behind (security lessons 16, 17 and 19). Refusals at the route: anonymous, too large,
not a zip."""
import io
import random
import struct
import zipfile

import pytest
from PIL import Image

from exports.models import ImportJob, JobStatus
from exports.tests.import_support import make_zip, media_root, post_import, row_counts, stored_files  # noqa: F401
from openevent.users.tests.factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]

EVENT = {"id": 7, "name": "Conf", "starts-at": "2030-05-01T09:00:00+02:00", "ends-at": "2030-05-02T18:00:00+02:00",
         "timezone": "Europe/Berlin", "logo-url": "/images/logo.png", "identifier": "7d16c124", "state": "published",
         "is-featured": True, "is-promoted": True, "schedule-published-on": "2030-01-01T00:00:00Z", "creator-id": 1}
TRACKS = [{"id": 3, "name": "Web", "color": "#ff0000"}]
ROOMS = [{"id": 5, "name": "Hall", "floor": 1}]
SPEAKERS = [{"id": 11, "name": "Ada", "email": "ada@example.org", "sessions": [{"id": 21}]}]
SESSIONS = [
    {"id": 21, "title": "Talk", "starts-at": "2030-05-01T10:00:00+02:00", "ends-at": "2030-05-01T11:00:00+02:00",
     "track": {"id": 3}, "microlocation": {"id": 5}, "speakers": [{"id": 11, "name": "Ada"}], "state": "accepted"},
]


def png():
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, "PNG")
    return buffer.getvalue()


def good_files(**changes):
    files = {"event": EVENT, "tracks": TRACKS, "microlocations": ROOMS, "speakers": SPEAKERS, "sessions": SESSIONS,
             "images/logo.png": png()}
    files.update(changes)
    return {name: content for name, content in files.items() if content is not None}


def lying_header():
    """A member of 2 MB of zeros whose headers claim 100 bytes."""
    data = make_zip({"event": EVENT}, raw=lambda zf: zf.writestr("sessions", b"[" + b" " * 2_000_000 + b"]"))
    data = bytearray(data)
    for signature, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        start = 0
        while (start := data.find(signature, start)) >= 0:
            name_length = struct.unpack("<H", data[start + (26 if signature == b"PK\x03\x04" else 28):][:2])[0]
            header = 30 if signature == b"PK\x03\x04" else 46
            name = bytes(data[start + header:start + header + name_length])
            if name == b"sessions":
                data[start + offset:start + offset + 4] = struct.pack("<I", 100)
            start += 4
    return bytes(data)


def symlink_zip():
    def add(archive):
        info = zipfile.ZipInfo("images/link.png")
        info.external_attr = (0o120777 << 16)
        archive.writestr(info, "/etc/passwd")
    return make_zip(good_files(), raw=add)


CORPUS = {
    "traversal": (lambda: make_zip(good_files(**{"../evil": b"x"})), "points outside the archive"),
    "traversal-deep": (lambda: make_zip(good_files(**{"images/../../evil": b"x"})), "points outside the archive"),
    "absolute": (lambda: make_zip(good_files(**{"/etc/cron.d/evil": b"x"})), "has an absolute name"),
    "drive": (lambda: make_zip(good_files(**{"C:/evil": b"x"})), "has an absolute name"),
    "backslash": (lambda: make_zip(good_files(**{"..\\evil": b"x"})), "backslash"),
    "symlink": (symlink_zip, "is a symbolic link"),
    "nested-zip": (lambda: make_zip(good_files(**{"inner.zip": make_zip({"event": EVENT})})), "nested archives"),
    "disguised-nested-zip": (
        lambda: make_zip(good_files(**{"images/logo.png": make_zip({"event": EVENT})})), "nested archives"
    ),
    "bomb-ratio": (lambda: make_zip(good_files(**{"images/zeros.png": b"\0" * 5_000_000})), "zip bomb"),
    "too-many-files": (lambda: make_zip(good_files(**{f"images/{n}.png": b"x" for n in range(30)})), "at most 20"),
    "too-large": (
        lambda: make_zip(good_files(**{"images/big.png": random.Random(1).randbytes(9_000_000)})), "unpacks to"
    ),
    "lying-header": (lying_header, "sessions"),
    "not-zip-inside": (lambda: b"PK\x03\x04" + b"garbage" * 100, "not a zip archive"),
    "missing-event": (lambda: make_zip(good_files(event=None)), "has no 'event' file"),
    "bad-json": (
        lambda: make_zip(good_files(sessions=b'[{"id": 1, "title": ')), "sessions: the file is not valid JSON"
    ),
    "event-list": (lambda: make_zip(good_files(event=[EVENT, EVENT])), "event: the file holds no object"),
    "object-for-list": (lambda: make_zip(good_files(sessions={"id": 1})), "sessions: the file holds no list"),
    "item-not-object": (lambda: make_zip(good_files(tracks=["Web"])), "tracks, item 1: is not an object"),
    "string-for-number": (
        lambda: make_zip(good_files(microlocations=[{"id": 5, "name": "Hall", "floor": "third"}])),
        "microlocations, item 1 (id 5): floor is not a whole number",
    ),
    "object-for-text": (
        lambda: make_zip(good_files(tracks=[{"id": 3, "name": {"en": "Web"}}])),
        "tracks, item 1 (id 3): name is not a text",
    ),
    "dangling-track": (
        lambda: make_zip(good_files(sessions=[{**SESSIONS[0], "track": None, "track_id": 99}])),
        "sessions, item 1 (id 21): track-id names tracks id 99, which is not in the file",
    ),
    "dangling-speaker": (
        lambda: make_zip(good_files(sessions=[{**SESSIONS[0], "speakers": [12]}])),
        "sessions, item 1 (id 21): speakers names speaker id 12, which is not in the file",
    ),
    "dangling-session-of-speaker": (
        lambda: make_zip(good_files(speakers=[{**SPEAKERS[0], "sessions": [{"id": 99}]}])),
        "a speaker names session id 99",
    ),
    "bad-date": (
        lambda: make_zip(good_files(sessions=[{**SESSIONS[0], "starts-at": "yesterday"}])),
        "sessions, item 1 (id 21): starts-at is not a date",
    ),
    "ends-before-start": (
        lambda: make_zip(good_files(sessions=[{**SESSIONS[0], "ends-at": "2030-05-01T09:00:00+02:00"}])),
        "sessions, item 1 (id 21): ends-at is not after starts-at",
    ),
    "event-without-dates": (
        lambda: make_zip(good_files(event={"name": "Conf", "timezone": "UTC"})), "event: starts-at is missing"
    ),
    "unknown-timezone": (
        lambda: make_zip(good_files(event={**EVENT, "timezone": "Mars/Olympus"})), "is not a known time zone"
    ),
    "duplicate-room-id": (lambda: make_zip(good_files(microlocations=ROOMS * 2)), "the id 5 is used twice"),
}


@pytest.fixture
def caps(settings):
    settings.IMPORT_MAX_FILES = 20
    settings.IMPORT_MAX_TOTAL_SIZE = 8 * 1024 * 1024


def test_the_good_file_of_the_corpus_imports(api, caps, django_capture_on_commit_callbacks):
    user = UserFactory()
    response, job = post_import(api, user, make_zip(good_files()), capture=django_capture_on_commit_callbacks)
    assert response.status_code == 200
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCESS, job.error
    session = job.event.sessions.get()
    assert (session.track.name, session.microlocation.name, session.state) == ("Web", "Hall", "accepted")
    assert [s.name for s in session.speakers.all()] == ["Ada"]
    assert job.event.logo_url.startswith("https://events.example.org/")
    # Identifier, state, curation flags and the schedule's publication are the importer's own.
    event = job.event
    assert event.identifier != EVENT["identifier"]
    flags = (event.state, event.is_featured, event.is_promoted, event.schedule_published_on)
    assert flags == ("draft", False, False, None)
    assert event.user_roles.get().user == user
    assert session.creator is None


@pytest.mark.parametrize("case", sorted(CORPUS))
def test_malformed_zip_fails_and_leaves_nothing(api, caps, django_capture_on_commit_callbacks, case):
    build, message = CORPUS[case]
    user = UserFactory()
    before = row_counts()
    response, job = post_import(api, user, build(), capture=django_capture_on_commit_callbacks)
    assert response.status_code == 200, response.content
    job.refresh_from_db()
    assert job.status == JobStatus.FAILURE
    assert message in job.error
    assert row_counts() == before
    # Neither the uploaded file nor any medium stored before the refusal is left.
    assert stored_files() == []
    body = api.as_user(user).get(f"/v1/tasks/{job.task}").json_body
    assert body["state"] == "FAILURE"
    assert message in str(body["result"])


def test_media_stored_before_a_late_refusal_are_deleted(api, caps, django_capture_on_commit_callbacks):
    files = good_files(sessions=[{**SESSIONS[0], "starts-at": "soon"}])
    assert "images/logo.png" in files  # stored while the event is read, before sessions fail
    user = UserFactory()
    _, job = post_import(api, user, make_zip(files), capture=django_capture_on_commit_callbacks)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILURE
    assert stored_files() == []


def test_anonymous_cannot_import(api):
    response = api.client.post("/v1/events/import/json", {"file": io.BytesIO(make_zip(good_files()))},
                               format="multipart")
    assert response.status_code == 401
    assert ImportJob.objects.count() == 0


def test_not_a_zip_is_refused_at_once(api):
    user = UserFactory()
    response, job = post_import(api, user, b"%PDF-1.4 not a zip")
    assert response.status_code == 422
    assert "not a zip archive" in str(response.json())
    assert job is None
    assert stored_files() == []


def test_no_file_is_refused(api):
    user = UserFactory()
    response = api.as_user(user).client.post("/v1/events/import/json", {}, format="multipart")
    assert response.status_code == 422
    assert ImportJob.objects.count() == 0


def test_too_large_upload_is_413(api, settings):
    settings.IMPORT_MAX_UPLOAD_SIZE = 1000
    user = UserFactory()
    response, job = post_import(api, user, make_zip(good_files()) + b"\0" * 100_000)
    assert response.status_code == 413
    assert job is None
    assert stored_files() == []


def test_unknown_format_is_404(api):
    user = UserFactory()
    response, _ = post_import(api, user, make_zip(good_files()), kind="pentabarf")
    assert response.status_code == 404
