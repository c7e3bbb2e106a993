"""When an export ends its user gets a mail and an in-app notification, on success and failure;
an import's end likewise notifies (the import itself is the importer's)."""
import pytest
from django.core import mail

from events.tests.factories import event_with_owner
from exports.models import JobStatus
from exports.services import exporting
from exports.tests.helpers import last_export
from notifications.models import Notification
from notifications.receivers import import_finished
from openevent.users.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.SITE_URL = "https://events.example.org"


def test_done_export_mails_and_notifies_its_user(django_capture_on_commit_callbacks):
    event, owner = event_with_owner()
    with django_capture_on_commit_callbacks(execute=True):
        exporting.start_export(owner, event)
    job = last_export(event)
    assert job.status == JobStatus.SUCCESS
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [owner.email]
    assert exporting.download_url(job) in message.body
    notification = Notification.objects.get(user=owner)
    assert notification.action == "event_exported"
    assert event.name in notification.title
    assert notification.link == f"/events/{event.identifier}/export/"


def test_failed_export_mails_and_notifies_the_error(django_capture_on_commit_callbacks, settings):
    event, owner = event_with_owner()
    settings.STORAGES = {**settings.STORAGES, "jobs": {"BACKEND": "exports.tests.storage.RefusingStorage"}}
    with django_capture_on_commit_callbacks(execute=True):
        exporting.start_export(owner, event)
    job = last_export(event)
    assert job.status == JobStatus.FAILURE
    assert job.file_name == ""
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [owner.email]
    assert "fail" in mail.outbox[0].subject.lower()
    notification = Notification.objects.get(user=owner)
    assert notification.action == "event_export_fail"
    assert notification.message == job.error


def test_import_end_notifies_its_user():
    user = UserFactory()
    event, _owner = event_with_owner()
    import_finished(sender=None, user=user, event=event)
    import_finished(sender=None, user=user, event=None, error="sessions, item 12: starts-at is not a date")
    done, failed = Notification.objects.filter(user=user).order_by("id")
    assert done.action == "event_imported"
    assert done.link == f"/events/{event.identifier}/"
    assert failed.action == "event_import_fail"
    assert failed.message == "sessions, item 12: starts-at is not a date"
