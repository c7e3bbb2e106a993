"""The account mails in the log (security lesson 22): password reset, password changed, address
changed. One mail to the right address with a link that works; the stored copy has no live secret."""
import json
import re

import pytest
from django.urls import reverse

from mailing.models import Mail
from mailing.services import can_resend, redacted
from notifications.models import MessageSettings
from openevent.users import services as user_services
from openevent.users.tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db
JSON = "application/json"
URL = "/v1/auth/reset-password"
LINK = re.compile(r"https?://[^\s/]+/reset-password/([^\s/\"<]+)")
NEW_PASSWORD = "a brand new secret"


def ask(client, email):
    return client.post(URL, json.dumps({"data": {"email": email}}), content_type=JSON)


def reset(client, token, password=NEW_PASSWORD):
    return client.patch(URL, json.dumps({"data": {"token": token, "password": password}}), content_type=JSON)


@pytest.fixture
def ada():
    return UserFactory(email="ada@example.org", first_name="Ada")


def test_the_reset_mail_is_logged_without_its_link(client, ada, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        assert ask(client, ada.email).status_code == 200
    (mail,) = Mail.objects.all()
    assert (mail.action, mail.recipient, mail.user) == ("password_reset", "ada@example.org", ada)
    assert mail.status == Mail.Status.SENT
    assert mail.redacted
    assert mail.sealed_secrets == ""  # sent: the link lives in the inbox only
    assert not can_resend(mail)

    (message,) = mailoutbox
    assert message.to == ["ada@example.org"]
    token = LINK.search(message.body).group(1)
    html = message.alternatives[0][0]
    assert LINK.search(html).group(1) == token
    for stored in (mail.subject, mail.message, mail.html_message):
        assert token not in stored
        assert token.rsplit("-", 1)[1] not in stored
    assert redacted("link") in mail.message
    assert redacted("link") in mail.html_message
    assert "24 hours" in mail.message

    # The link works, once.
    assert reset(client, token).status_code == 200
    assert reset(client, token).status_code == 422


def test_an_unknown_address_leaves_no_mail(client, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        assert ask(client, "nobody@example.org").status_code == 200
    assert not Mail.objects.exists()
    assert mailoutbox == []


def test_the_administrators_switch_stops_reset_mails_but_not_the_answer(
    client, ada, mailoutbox, django_capture_on_commit_callbacks
):
    MessageSettings.objects.update_or_create(action="password_reset", defaults={"mail_status": False})
    with django_capture_on_commit_callbacks(execute=True):
        response = ask(client, ada.email)
    assert response.status_code == 200
    assert response.json()["message"] == user_services.RESET_ANSWER
    assert not Mail.objects.exists()
    assert mailoutbox == []


def test_a_reset_logs_the_password_changed_mail(client, ada, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        ask(client, ada.email)
    token = LINK.search(mailoutbox[0].body).group(1)
    with django_capture_on_commit_callbacks(execute=True):
        assert reset(client, token).status_code == 200
    mail = Mail.objects.get(action="password_change")
    assert (mail.recipient, mail.user, mail.redacted) == ("ada@example.org", ada, False)
    assert mail.status == Mail.Status.SENT
    assert "http://testserver/reset-password" in mail.message
    assert [message.to for message in mailoutbox] == [[ada.email], [ada.email]]


def test_a_password_change_is_logged(api, ada, mailoutbox, django_capture_on_commit_callbacks):
    body = {"data": {"old-password": PASSWORD, "new-password": NEW_PASSWORD}}
    with django_capture_on_commit_callbacks(execute=True):
        assert api.as_user(ada).post("/v1/auth/change-password", body, content_type=JSON).status_code == 200
    (mail,) = Mail.objects.all()
    assert (mail.action, mail.recipient, mail.user) == ("password_change", ada.email, ada)
    assert re.search(r"changed on \d{1,2} \w+ \d{4}, \d\d:\d\d UTC", mail.message)
    assert [message.to for message in mailoutbox] == [[ada.email]]


def test_an_address_change_is_logged_to_the_former_address(ada, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        user_services.update_user(ada, ada, email="ada@example.net")
    notice = Mail.objects.get(action="user_change_email")
    assert (notice.recipient, notice.user) == ("ada@example.org", ada)
    assert "ada@example.net" in notice.message
    assert "ada@example.net" in notice.html_message
    assert not notice.redacted
    verification = Mail.objects.get(action="user_confirmation")
    assert verification.recipient == "ada@example.net"
    assert sorted(message.to[0] for message in mailoutbox) == ["ada@example.net", "ada@example.org"]


def test_reset_end_to_end_over_smtp(client, ada, smtp_sink, django_capture_on_commit_callbacks):
    """Asked on the "Forgot password" page, received by a real SMTP server, set on the "Set a new
    password" page from the link in the received mail."""
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("password-reset"), {"email": ada.email})
    (body,) = smtp_sink.bodies("ada@example.org")
    path = re.search(r"https?://[^\s/]+(/reset-password/\S+)", body).group(1)
    assert client.get(path).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(path, {"password": NEW_PASSWORD, "password_again": NEW_PASSWORD})
    assert response.status_code == 302
    login = client.post("/v1/auth/login", json.dumps({"email": ada.email, "password": NEW_PASSWORD}), content_type=JSON)
    assert login.status_code == 200
    # The password-changed mail arrived too; the log shows both as sent, the link redacted.
    assert len(smtp_sink.bodies("ada@example.org")) == 2
    assert set(Mail.objects.values_list("action", "status")) == {
        ("password_reset", Mail.Status.SENT),
        ("password_change", Mail.Status.SENT),
    }
    assert path not in Mail.objects.get(action="password_reset").message
