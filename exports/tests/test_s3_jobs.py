"""With S3 (moto_server on 127.0.0.1), the files of jobs go to the private storage ``jobs``: export
zips (speakers' e-mail addresses) and uploaded import files are private objects under their own
prefix, never under the public uploads, and reach people only through the download view."""
import boto3
import pytest

from exports.models import JobStatus
from exports.services import exporting, jobs
from openevent.uploads.tests.s3 import BUCKET, CREDENTIALS, moto_server, s3_storages

from .helpers import full_event, last_export, open_zip

pytestmark = pytest.mark.django_db

#: The AllUsers group of S3's ACLs: a grant to it makes an object public.
ALL_USERS = "http://acs.amazonaws.com/groups/global/AllUsers"


@pytest.fixture(scope="module")
def moto_endpoint():
    with moto_server() as endpoint:
        yield endpoint


@pytest.fixture
def s3_jobs(settings, moto_endpoint):
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
