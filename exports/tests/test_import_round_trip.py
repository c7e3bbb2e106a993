"""Round trip (security lesson 18): a real export imported, exported, imported again and exported
again gives the same JSON apart from ids, identifiers, times of the rows and media file names."""
import json
import zipfile

import pytest

from exports.models import JobStatus
from exports.services import export_zip
from exports.tests.import_support import SAMPLES, media_root, post_import, sample  # noqa: F401
from openevent.users.tests.factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]

#: Keys whose values are the system's own (ids, identifiers, row times, the export's time).
VOLATILE = {"id", "identifier", "created-at", "last-modified-at", "exported-at", "event-identifier", "root_url"}
MEDIA_KEYS = {"logo-url", "original-image-url", "photo-url", "slides-url", "video-url", "audio-url"}


def normalized(value):
    """``value`` without volatile keys, media paths reduced to their folder, lists sorted."""
    if isinstance(value, dict):
        return {
            key: (item.rsplit("/", 1)[0] if key in MEDIA_KEYS and isinstance(item, str) and item else normalized(item))
            for key, item in value.items() if key not in VOLATILE
        }
    if isinstance(value, list):
        return sorted((normalized(item) for item in value), key=lambda item: json.dumps(item, sort_keys=True))
    return value


def export(event, path):
    export_zip.write_event_zip(event, path, {"image": True, "document": True, "video": True, "audio": True})
    with zipfile.ZipFile(path) as archive:
        names = sorted(archive.namelist())
        documents = {name: json.loads(archive.read(name)) for name in names if "/" not in name}
    return names, documents


def import_bytes(api, user, data, capture):
    _, job = post_import(api, user, data, capture=capture)
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCESS, job.error
    return job.event


@pytest.mark.parametrize("name", SAMPLES)
def test_export_import_export_is_equal(api, shared_dir, tmp_path, django_capture_on_commit_callbacks, name):
    user = UserFactory()
    first_event = import_bytes(api, user, sample(shared_dir, name).read_bytes(), django_capture_on_commit_callbacks)
    first_names, first = export(first_event, tmp_path / "first.zip")
    second_event = import_bytes(api, user, (tmp_path / "first.zip").read_bytes(), django_capture_on_commit_callbacks)
    second_names, second = export(second_event, tmp_path / "second.zip")
    assert second_event.pk != first_event.pk
    assert len(second_names) == len(first_names)
    for document in first:
        assert normalized(second[document]) == normalized(first[document]), document
    # Every link survived: the sessions name the same tracks, rooms, types and speakers.
    assert first["sessions"], "the sample has sessions"
