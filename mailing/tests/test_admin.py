"""Django admin for the mail log: administrators read it, nobody edits it."""
import pytest
from django.urls import reverse

from events.tests.factories import event_with_owner
from mailing import services
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


@pytest.mark.parametrize("n", [1, 4])
def test_the_log_lists_in_a_constant_number_of_queries(client, django_assert_num_queries, n):
    event, _ = event_with_owner()
    for index in range(n):
        Mail.objects.create(
            recipient=f"r{index}@example.org", action="speaker_mail", subject="Hello", event=event,
            user=UserFactory(), status=Mail.Status.FAILED, last_error="Connection refused",
        )  # fmt: skip
    client.force_login(UserFactory(is_admin=True))
    # The session, the user, two counts, the page's rows with their events, the date hierarchy's
    # range and days, the action filter's values.
    with django_assert_num_queries(8):
        response = client.get(reverse("admin:mailing_mail_changelist"))
    assert f"r{n - 1}@example.org" in response.content.decode()


def test_the_change_view_never_shows_the_sealed_link(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        mail = services.queue_mail(
            "user_confirmation", to="a@example.org", context={"days": 3}, secrets={"link": "https://x/SECRET"}
        )
    client.force_login(UserFactory(is_admin=True))
    page = client.get(reverse("admin:mailing_mail_change", args=[mail.pk])).content.decode()
    assert "[redacted link]" in page
    assert "SECRET" not in page
    assert Mail.objects.get(pk=mail.pk).sealed_secrets not in page
