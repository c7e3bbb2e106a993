"""Imported logos that become our uploads get their thumbnails (``logo_thumbnail_url``) after the
import's commit, the event's through ``create_event`` and the sponsors' (inserted in bulk) from the
builder; external logos get none. The variants are derived: exports do not carry them."""
import json
import zipfile

import pytest

from events.models import Sponsor
from exports.models import JobStatus
from exports.services import export_zip
from exports.tests.helpers import full_event
from exports.tests.import_support import make_zip, post_import
from openevent.uploads.services import open_upload
from openevent.users.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

EXTERNAL_LOGO = "https://cdn.example.com/acme.png"


def imported(api, user, data, capture):
    _, job = post_import(api, user, data, capture=capture)
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCESS, job.error
    return job.event


def assert_stored_variant(row):
    assert row.logo_thumbnail_url, row
    assert row.logo_thumbnail_url != row.logo_url
    opened = open_upload(row.logo_thumbnail_url)
    assert opened is not None, row.logo_thumbnail_url
    opened[0].close()
    assert opened[1] == "image/png"


def test_logos_imported_into_our_storage_get_their_thumbnails(api, tmp_path, django_capture_on_commit_callbacks):
    event, _owner, _sessions, _speakers = full_event(sessions=1)
    path = tmp_path / "export.zip"
    export_zip.write_event_zip(event, path, {"image": True})
    with zipfile.ZipFile(path) as archive:
        assert "logo-thumbnail-url" not in json.loads(archive.read("event"))
        assert all("logo-thumbnail-url" not in row for row in json.loads(archive.read("sponsors")))
    new_event = imported(api, UserFactory(), path.read_bytes(), django_capture_on_commit_callbacks)
    assert new_event.pk != event.pk
    assert new_event.logo_url != event.logo_url  # stored again from the zip
    assert_stored_variant(new_event)
    sponsor = Sponsor.objects.get(event=new_event)
    assert sponsor.logo_url != Sponsor.objects.get(event=event).logo_url
    assert_stored_variant(sponsor)


def test_external_logos_of_an_import_get_no_thumbnail(api, django_capture_on_commit_callbacks):
    data = make_zip({
        "event": {"name": "Linked", "starts-at": "2031-05-06T09:00:00+00:00", "ends-at": "2031-05-06T18:00:00+00:00",
                  "timezone": "UTC", "logo-url": "https://cdn.example.com/logo.png"},
        "sponsors": [{"id": 1, "name": "ACME", "logo-url": EXTERNAL_LOGO}, {"id": 2, "name": "No logo"}],
    })
    new_event = imported(api, UserFactory(), data, django_capture_on_commit_callbacks)
    assert (new_event.logo_url, new_event.logo_thumbnail_url) == ("https://cdn.example.com/logo.png", "")
    assert sorted(Sponsor.objects.filter(event=new_event).values_list("logo_url", "logo_thumbnail_url")) == [
        ("", ""), (EXTERNAL_LOGO, ""),
    ]  # fmt: skip
