"""Fault: the disk of the media files is full. Every write to it (the upload routes, an import's
uploaded file on the page and over the API, an import's media, an export's file) answers a clear
refusal, 507 Insufficient Storage with a sentence people understand, never a 500, and leaves no
partial file and no row behind; once there is room again, uploads work.

MEDIA_ROOT is a tiny tmpfs of its own (mounted for the test, root only), filled to the last byte.
"""

import base64
import errno
import os
import subprocess
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from exports.models import ExportJob, ImportJob, JobStatus
from exports.tests.helpers import full_event
from exports.tests.import_support import make_zip, post_import, row_counts
from exports.tests.test_import_refusals import good_files
from openevent.uploads.storage import FULL
from openevent.uploads.tests import files
from openevent.users.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

TMPFS_SIZE = "256k"
FILLER = "filler"
CHUNK = 4096


class Disk:
    """The test's MEDIA_ROOT on a tmpfs of ``TMPFS_SIZE``."""

    def __init__(self, root):
        self.root = root

    def fill(self):
        """Write a filler file until the file system refuses another byte."""
        descriptor = os.open(self.root / FILLER, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        try:
            while True:
                try:
                    os.write(descriptor, b"\0" * CHUNK)
                except OSError as error:
                    if error.errno != errno.ENOSPC:
                        raise
                    break
        finally:
            os.close(descriptor)
        with pytest.raises(OSError, match="No space left on device"):
            (self.root / "probe").write_bytes(b"x")
        (self.root / "probe").unlink(missing_ok=True)

    def free(self):
        (self.root / FILLER).unlink()

    def files(self):
        """The files stored besides the filler (partial ones included), by name."""
        return sorted(str(path.relative_to(self.root)) for path in self.root.rglob("*")
                      if path.is_file() and path.name != FILLER)  # fmt: skip


@pytest.fixture
def disk(settings, tmp_path):
    root = tmp_path / "media"
    root.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={TMPFS_SIZE},mode=0700", "tmpfs", str(root)],  # noqa: S607
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs for MEDIA_ROOT (needs root with CAP_SYS_ADMIN): {mounted.stderr.strip()}")
    try:
        settings.MEDIA_ROOT = str(root)
        settings.SITE_URL = "https://events.example.org"
        yield Disk(Path(root))
    finally:
        subprocess.run(["umount", str(root)], check=True)  # noqa: S607 -- fixed arguments


def assert_insufficient_storage(response):
    assert response.status_code == 507, response.content
    (error,) = response.json()["errors"]
    assert error["status"] == "507"
    assert error["title"] == "Insufficient Storage"
    assert error["detail"] == FULL


def data_uri(content):
    return f"data:image/png;base64,{base64.b64encode(content).decode()}"


def test_uploads_to_a_full_disk_are_refused_clearly_and_leave_nothing(api, disk):
    api.as_user(UserFactory())
    disk.fill()

    assert_insufficient_storage(
        api.client.post("/v1/upload/file", {"file": SimpleUploadedFile("talk.pdf", files.pdf())}, format="multipart")
    )
    assert_insufficient_storage(
        api.client.post(
            "/v1/upload/files",
            {"files[]": [SimpleUploadedFile("a.pdf", files.pdf()), SimpleUploadedFile("b.png", files.png())]},
            format="multipart",
        )
    )
    assert_insufficient_storage(api.post("/v1/upload/image", {"data": data_uri(files.png())},
                                         content_type="application/json"))  # fmt: skip
    assert disk.files() == []

    # Room again: the same upload is stored.
    disk.free()
    response = api.post("/v1/upload/image", {"data": data_uri(files.png())}, content_type="application/json")
    assert response.status_code == 200, response.content
    (stored,) = disk.files()
    assert response.json()["url"].endswith(stored)


def test_an_import_uploaded_to_a_full_disk_is_refused_clearly_on_the_page_and_the_api(api, client, disk):
    user = UserFactory()
    archive = make_zip(good_files())
    disk.fill()

    response, job = post_import(api, user, archive)
    assert job is None
    assert_insufficient_storage(response)

    client.force_login(user)
    page = client.post("/events/import/", {"kind": "json", "file": SimpleUploadedFile("conf.zip", archive)})
    assert page.status_code == 507
    assert FULL in page.content.decode()
    assert not ImportJob.objects.exists()
    assert disk.files() == []


def test_an_import_whose_media_find_the_disk_full_fails_clearly_with_no_rows(
    api, disk, django_capture_on_commit_callbacks
):
    user = UserFactory()
    before = row_counts()
    with django_capture_on_commit_callbacks() as queued:  # the job is stored, not run yet
        response, job = post_import(api, user, make_zip(good_files()))
    assert response.status_code == 200, response.content
    disk.fill()  # the zip's logo finds no room
    for callback in queued:
        callback()

    job.refresh_from_db()
    assert (job.status, job.error) == (JobStatus.FAILURE, FULL), job.counts
    assert api.get(response.json()["task_url"]).json_body == {"state": "FAILURE", "result": FULL}
    assert row_counts() == before
    assert disk.files() == []  # its uploaded file deleted, no partial logo


def test_an_export_that_finds_the_disk_full_ends_failed_with_a_clear_message(
    api, disk, django_capture_on_commit_callbacks
):
    event, owner, _sessions, _speakers = full_event(sessions=1)
    media = disk.files()
    disk.fill()
    api.as_user(owner)
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(f"/v1/events/{event.pk}/export/json", {"image": True}, content_type="application/json")
    assert response.status_code == 200, response.content

    job = ExportJob.objects.get(event=event)
    assert (job.status, job.error, job.file_name) == (JobStatus.FAILURE, FULL, "")
    assert api.get(response.json_body["task_url"]).json_body == {"state": "FAILURE", "result": FULL}
    assert disk.files() == media  # no partial export file
