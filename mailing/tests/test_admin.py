"""Django admin for the mail log: administrators read it, nobody edits it."""
import pytest
from django.urls import reverse

from mailing.models import Mail
from openevent.users.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_admin_reads_the_mail_log(client):
    mail = Mail.objects.create(recipient="someone@example.org", action="invite", subject="You are invited")
    client.force_login(UserFactory(is_admin=True))

    changelist = client.get(reverse("admin:mailing_mail_changelist"))
    change = client.get(reverse("admin:mailing_mail_change", args=[mail.pk]))

    assert changelist.status_code == 200
    assert b"You are invited" in changelist.content
    assert change.status_code == 200  # a read-only view
    assert client.get(reverse("admin:mailing_mail_add")).status_code == 403


def test_non_admin_is_sent_to_the_admin_login(client):
    client.force_login(UserFactory())

    response = client.get(reverse("admin:mailing_mail_changelist"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_admin_deletes_a_mail_from_the_log_through_the_service(client):
    mail = Mail.objects.create(recipient="forget@example.org", action="invite", subject="You are invited")
    client.force_login(UserFactory(is_admin=True))

    response = client.post(reverse("admin:mailing_mail_delete", args=[mail.pk]), {"post": "yes"})

    assert response.status_code == 302
    assert not Mail.objects.filter(pk=mail.pk).exists()
