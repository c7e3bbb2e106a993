"""With S3 (moto_server on 127.0.0.1), the files of jobs go to the private storage ``jobs``: export
zips (speakers' e-mail addresses) and uploaded import files are private objects under their own
prefix, never under the public uploads, and reach people only through the download view."""
import datetime as dt

import boto3
import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from events.tests.factories import event_with_owner
from exports.models import ExportJob, JobStatus
from exports.services import exporting, jobs, retention
from openevent.uploads.tests.s3 import BUCKET, CREDENTIALS, moto_endpoint, s3_storages  # noqa: F401 -- a fixture

from .helpers import full_event, last_export, open_zip

pytestmark = pytest.mark.django_db

#: The AllUsers group of S3's ACLs: a grant to it makes an object public.
ALL_USERS = "http://acs.amazonaws.com/groups/global/AllUsers"


@pytest.fixture
def s3_jobs(settings, moto_endpoint):  # noqa: F811 -- the imported fixture
    """Uploads and jobs on S3 as ``STORAGE_BACKEND=s3`` configures them."""
    storages_setting = s3_storages(moto_endpoint, settings.STORAGES)
    media = storages_setting["default"]["OPTIONS"]
    storages_setting["jobs"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {**media, "location": "private", "default_acl": "private", "querystring_auth": True},
    }
    settings.STORAGES = storages_setting
    return boto3.client("s3", endpoint_url=moto_endpoint, **CREDENTIALS)


def test_an_export_zip_is_a_private_object_outside_the_uploads(s3_jobs, django_capture_on_commit_callbacks, api):
    event, owner, _sessions, _speakers = full_event()
    with django_capture_on_commit_callbacks(execute=True):
        exporting.start_export(owner, event, "json", {"image": True})
    job = last_export(event)
    assert job.status == JobStatus.SUCCESS, job.error
    key = f"private/{job.file_name}"
    assert jobs.job_storage().exists(job.file_name)
    grants = s3_jobs.get_object_acl(Bucket=BUCKET, Key=key)["Grants"]
    assert all(grant["Grantee"].get("URI") != ALL_USERS for grant in grants)
    assert not key.startswith("uploads/")
    assert "sessions" in open_zip(job).namelist()
    # The organizer downloads it through the permission-checked view, streamed from S3.
    api.as_user(owner)
    response = api.client.get(f"/v1/events/{event.pk}/exports/{job.pk}/download")
    assert response.status_code == 200
    assert b"".join(response.streaming_content)[:2] == b"PK"


def test_the_retention_sweep_lists_and_deletes_on_s3(s3_jobs, monkeypatch):
    """``listdir`` and the objects' ages work on S3 as on the file system: an orphan goes (every
    file counts as old here: moto dates objects now), the file of a live export and a file outside
    the jobs' folders stay; an expired export's object is deleted."""
    monkeypatch.setattr(retention, "ORPHAN_AGE", -dt.timedelta(minutes=5))
    storage = jobs.job_storage()
    # Files earlier tests of the module left (their rows rolled back with the test): orphans too.
    earlier = sum(
        s3_jobs.list_objects_v2(Bucket=BUCKET, Prefix=f"private/{folder}/").get("KeyCount", 0)
        for folder in retention.FOLDERS
    )
    event, owner = event_with_owner()
    orphan = storage.save(f"exports/{event.pk}/orphan.zip", ContentFile(b"PK"))
    upload = storage.save("imports/abandoned.zip", ContentFile(b"PK"))
    other = storage.save("elsewhere/keep.txt", ContentFile(b"x"))
    live = ExportJob.objects.create(
        user=owner, event=event, status=JobStatus.SUCCESS, finished_at=timezone.now(),
        file_name=storage.save(f"exports/{event.pk}/live.zip", ContentFile(b"PK")),
    )  # fmt: skip
    old = ExportJob.objects.create(
        user=owner, event=event, status=JobStatus.SUCCESS, finished_at=timezone.now() - dt.timedelta(days=40),
        file_name=storage.save(f"exports/{event.pk}/old.zip", ContentFile(b"PK")),
    )  # fmt: skip
    old_name = old.file_name
    counts = retention.sweep()
    assert (counts.expired_exports, counts.orphans) == (1, 2 + earlier)
    assert not storage.exists(orphan)
    assert not storage.exists(upload)
    assert not storage.exists(old_name)
    assert storage.exists(live.file_name)
    assert storage.exists(other)
