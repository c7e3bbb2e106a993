"""E-mail verification: the mail on registration and on an address change, the token (expires,
works once, bound to the address), POST /v1/auth/verify-email, the /verify-email/<token> page and
asking for a new mail."""
import datetime
import logging
import re

import pytest
from django.urls import reverse

from openevent.api.tests.documents import assert_error
from openevent.users import services
from openevent.users.models import User
from openevent.users.tests.factories import PASSWORD, UserFactory
from openevent.users.tests.helpers import user_doc

pytestmark = pytest.mark.django_db
JSON = "application/json"
LINK = re.compile(r"(https?://[^\s/]+)/verify-email/(\S+)")
DAYS = datetime.timedelta(days=3)


def link_in(message):
    """The (origin, token) of the verification link in a sent mail."""
    match = LINK.search(message.body)
    assert match, message.body
    return match.group(1), match.group(2)


def verify(api, token, shape="open-event"):
    body = {"data": {"token": token}} if shape == "open-event" else {"token": token}
    return api.post("/v1/auth/verify-email", body, content_type=JSON)


def travel(monkeypatch, delta):
    """Move the token generator's clock (the only thing patched: time)."""
    now = datetime.datetime.now() + delta
    monkeypatch.setattr(services.verification_tokens, "_now", lambda: now)


@pytest.fixture
def unverified():
    return UserFactory(email="new@example.org", is_verified=False)


def register_over_api(api, capture, email="new@example.org"):
    with capture(execute=True):
        response = api.post("/v1/users", user_doc({"email": email, "password": "a strong secret"}))
    assert response.status_code == 201, response.json_body
    return response


# --- the mail ------------------------------------------------------------------------------------
def test_api_registration_mails_a_verification_link(api, mailoutbox, django_capture_on_commit_callbacks):
    response = register_over_api(api, django_capture_on_commit_callbacks)
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["new@example.org"]
    assert "Verify your e-mail address" in message.subject
    origin, token = link_in(message)
    assert origin == "http://testserver"
    # The secret is in the mail only: not in the answer, not stored.
    user = User.objects.get(email="new@example.org")
    assert not user.is_verified
    assert token not in response.content.decode()
    assert services.check_verification_token(token) == user


def test_registration_page_mails_a_verification_link(client, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("register"),
            {"email": "page@example.org", "password": "a strong secret", "password_again": "a strong secret"},
            follow=True,
        )
    assert "We sent a link to page@example.org" in response.content.decode()
    assert [message.to for message in mailoutbox] == [["page@example.org"]]
    _, token = link_in(mailoutbox[0])
    assert services.check_verification_token(token) == User.objects.get(email="page@example.org")


def test_no_mail_when_registration_fails_or_the_account_is_made_verified(
    api, mailoutbox, django_capture_on_commit_callbacks
):
    UserFactory(email="taken@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        assert_error(
            api.post("/v1/users", user_doc({"email": "taken@example.org", "password": "a strong secret"})), 409
        )
        assert_error(api.post("/v1/users", user_doc({"email": "x@example.org", "password": "123"})), 422)
        services.register_user("demo@example.org", "a strong secret", is_verified=True)
    assert mailoutbox == []


def test_the_link_points_to_site_url_when_set(api, settings, mailoutbox, django_capture_on_commit_callbacks):
    settings.SITE_URL = "https://events.example.org/"
    register_over_api(api, django_capture_on_commit_callbacks)
    assert link_in(mailoutbox[0])[0] == "https://events.example.org"


def test_the_mail_is_not_sent_before_the_account_is_committed(api, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        api.post("/v1/users", user_doc({"email": "new@example.org", "password": "a strong secret"}))
    assert mailoutbox == []
    for callback in callbacks:
        callback()
    assert len(mailoutbox) == 1


def test_nothing_secret_is_logged(api, client, caplog, mailoutbox, django_capture_on_commit_callbacks):
    caplog.set_level(logging.DEBUG)
    register_over_api(api, django_capture_on_commit_callbacks)
    _, token = link_in(mailoutbox[0])
    client.get(reverse("verify-email", args=[token]))
    assert verify(api, token).status_code == 200
    assert verify(api, token).status_code == 422
    assert caplog.records, "expected the verification mail to be logged (without its link)"
    assert all(token not in record.getMessage() for record in caplog.records)


# --- POST /v1/auth/verify-email ----------------------------------------------------------------
@pytest.mark.parametrize("shape", ["open-event", "flat"])
def test_a_valid_token_verifies(api, unverified, shape):
    token = services.email_verification_token(unverified)
    response = verify(api, token, shape)
    assert response.status_code == 200, response.json_body
    assert response.json_body == {"message": "Email Verified"}
    unverified.refresh_from_db()
    assert unverified.is_verified


def test_a_token_works_once(api, unverified):
    token = services.email_verification_token(unverified)
    assert verify(api, token).status_code == 200
    error = assert_error(verify(api, token), 422)
    assert error["source"]["pointer"] == "/data/attributes/token"
    assert "invalid, expired or already used" in error["detail"]
    assert token not in verify(api, token).content.decode()


def test_an_expired_token_is_refused(api, unverified, monkeypatch):
    token = services.email_verification_token(unverified)
    travel(monkeypatch, DAYS + datetime.timedelta(minutes=1))
    assert_error(verify(api, token), 422)
    unverified.refresh_from_db()
    assert not unverified.is_verified
    # Just inside the lifetime it still works.
    travel(monkeypatch, DAYS - datetime.timedelta(minutes=1))
    assert verify(api, token).status_code == 200


def test_the_lifetime_is_a_setting(api, unverified, settings, monkeypatch):
    settings.EMAIL_VERIFICATION_LIFETIME = datetime.timedelta(hours=1)
    token = services.email_verification_token(unverified)
    travel(monkeypatch, datetime.timedelta(hours=2))
    assert_error(verify(api, token), 422)


def test_a_token_for_an_earlier_address_is_refused(api, unverified):
    token = services.email_verification_token(unverified)
    unverified.email = "other@example.org"
    unverified.save()
    assert_error(verify(api, token), 422)
    unverified.refresh_from_db()
    assert not unverified.is_verified


def test_a_token_of_one_user_cannot_verify_another(api, unverified):
    other = UserFactory(is_verified=False)
    _uid, timestamp, digest = services.email_verification_token(unverified).rsplit("-", 2)
    other_uid = services.email_verification_token(other).split("-")[0]
    assert_error(verify(api, f"{other_uid}-{timestamp}-{digest}"), 422)
    other.refresh_from_db()
    assert not other.is_verified


def test_a_deleted_users_token_is_refused(api, unverified):
    token = services.email_verification_token(unverified)
    unverified.soft_delete()
    assert_error(verify(api, token), 422)


@pytest.mark.parametrize(
    "token", ["nonsense", "a-b-c", "MQ-zzzzzzzzzzzzzzzz-00", "!!!-1-2", "-" * 3, "x" * 500]
)
def test_garbage_tokens_are_422(api, unverified, token):
    assert_error(verify(api, token), 422)
    unverified.refresh_from_db()
    assert not unverified.is_verified


def test_a_missing_or_non_string_token_or_garbage_body(api):
    assert assert_error(api.post("/v1/auth/verify-email", {"data": {}}, content_type=JSON), 422)["source"] == {
        "pointer": "/data/attributes/token"
    }
    assert_error(verify(api, 12345), 422)
    assert_error(api.post("/v1/auth/verify-email", raw="{nope", content_type=JSON), 400)


# --- changing one's address --------------------------------------------------------------------
def test_changing_my_email_unverifies_it_and_mails_the_new_address(
    api, mailoutbox, django_capture_on_commit_callbacks
):
    user = UserFactory(email="me@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        response = api.as_user(user).patch(f"/v1/users/{user.pk}", user_doc({"email": "Me2@Example.org"}, user.pk))
    assert response.status_code == 200, response.json_body
    assert response.json_body["data"]["attributes"]["is-verified"] is False
    user.refresh_from_db()
    assert user.email == "me2@example.org"
    assert not user.is_verified
    # The link to the new address; the former (verified) one is told of the change.
    assert [message.to for message in mailoutbox] == [["me2@example.org"], ["me@example.org"]]
    assert "address of your" in mailoutbox[1].subject
    _, token = link_in(mailoutbox[0])
    assert token not in response.content.decode()
    assert verify(api, token).status_code == 200
    user.refresh_from_db()
    assert user.is_verified


def test_the_old_link_does_not_verify_a_new_address(api, mailoutbox, django_capture_on_commit_callbacks):
    user = UserFactory(email="first@example.org", is_verified=False)
    old_token = services.email_verification_token(user)
    with django_capture_on_commit_callbacks(execute=True):
        api.as_user(user).patch(f"/v1/users/{user.pk}", user_doc({"email": "second@example.org"}, user.pk))
    assert_error(verify(api, old_token), 422)
    user.refresh_from_db()
    assert user.email == "second@example.org"
    assert not user.is_verified


@pytest.mark.parametrize("attributes", [{"first-name": "Ada"}, {"email": "ME@example.org"}])
def test_other_changes_keep_the_verification(api, mailoutbox, django_capture_on_commit_callbacks, attributes):
    user = UserFactory(email="me@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        response = api.as_user(user).patch(f"/v1/users/{user.pk}", user_doc(attributes, user.pk))
    assert response.status_code == 200, response.json_body
    user.refresh_from_db()
    assert user.is_verified
    assert mailoutbox == []


def test_an_admin_changing_someone_elses_email_is_trusted(api, mailoutbox, django_capture_on_commit_callbacks):
    admin = UserFactory(is_admin=True)
    user = UserFactory(email="old@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        response = api.as_user(admin).patch(f"/v1/users/{user.pk}", user_doc({"email": "fixed@example.org"}, user.pk))
    assert response.status_code == 200, response.json_body
    user.refresh_from_db()
    assert user.email == "fixed@example.org"
    assert user.is_verified
    # No verification link; the former address is told all the same.
    assert [message.to for message in mailoutbox] == [["old@example.org"]]
    assert "/verify-email/" not in mailoutbox[0].body


def test_an_admin_changing_their_own_email_must_verify_it_too(api, mailoutbox, django_capture_on_commit_callbacks):
    admin = UserFactory(is_admin=True)
    admin_email = admin.email
    with django_capture_on_commit_callbacks(execute=True):
        api.as_user(admin).patch(f"/v1/users/{admin.pk}", user_doc({"email": "new-admin@example.org"}, admin.pk))
    admin.refresh_from_db()
    assert not admin.is_verified
    assert [message.to for message in mailoutbox] == [["new-admin@example.org"], [admin_email]]


def test_a_user_cannot_verify_themself_with_the_flag(api):
    user = UserFactory(is_verified=False)
    response = api.as_user(user).patch(f"/v1/users/{user.pk}", user_doc({"is-verified": True}, user.pk))
    assert_error(response, 422)
    user.refresh_from_db()
    assert not user.is_verified


def test_a_taken_address_is_still_409_and_changes_nothing(api, mailoutbox, django_capture_on_commit_callbacks):
    UserFactory(email="taken@example.org")
    user = UserFactory(email="me@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        response = api.as_user(user).patch(f"/v1/users/{user.pk}", user_doc({"email": "taken@example.org"}, user.pk))
    assert_error(response, 409)
    user.refresh_from_db()
    assert user.email == "me@example.org"
    assert user.is_verified
    assert mailoutbox == []


# --- asking for a new mail ---------------------------------------------------------------------
def test_resend_over_the_api(api, unverified, mailoutbox, django_capture_on_commit_callbacks):
    url = "/v1/auth/resend-verification-mail"
    assert_error(api.post(url, content_type=JSON), 401)
    with django_capture_on_commit_callbacks(execute=True):
        response = api.as_user(unverified).post(url, content_type=JSON)
    assert response.status_code == 200, response.json_body
    assert [message.to for message in mailoutbox] == [[unverified.email]]
    _, token = link_in(mailoutbox[0])
    assert token not in response.content.decode()
    # Not again within a minute: nobody floods a mailbox with it.
    assert_error(api.post(url, content_type=JSON), 429)
    assert len(mailoutbox) == 1
    assert verify(api, token).status_code == 200
    assert_error(api.as_user(unverified).post(url, content_type=JSON), 409)


# --- the /verify-email/<token> page ------------------------------------------------------------
def test_page_asks_to_confirm_then_verifies(client, unverified):
    url = reverse("verify-email", args=[services.email_verification_token(unverified)])
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "new@example.org" in html
    assert "<form" in html
    # Nothing on the page submits the form by itself: the only scripts are the shared form
    # widgets every page loads (rich text, searchable select), and this page has no such field.
    scripts = re.findall(r"<script[^>]*>", html)
    assert all('type="module"' in tag and "/static/js/" in tag for tag in scripts), scripts
    assert not any(name in html for name in ('data-rich-text', 'data-multi-select'))
    assert page["Referrer-Policy"] == "same-origin"
    assert "no-cache" in page["Cache-Control"] or "max-age=0" in page["Cache-Control"]
    # Looking at the page (as a mail scanner fetching links does) verifies nothing.
    unverified.refresh_from_db()
    assert not unverified.is_verified

    response = client.post(url, follow=True)
    assert response.redirect_chain[0] == (reverse("login"), 302)
    assert "Thank you: new@example.org is verified." in response.content.decode()
    unverified.refresh_from_db()
    assert unverified.is_verified

    # Used: the same link now says so.
    for again in (client.get(url), client.post(url)):
        assert again.status_code == 400
        assert "invalid, expired or already used" in again.content.decode()


def test_page_sends_the_logged_in_user_to_their_invites(client, unverified):
    client.force_login(unverified)
    response = client.post(reverse("verify-email", args=[services.email_verification_token(unverified)]))
    assert response["Location"] == reverse("my-invites")


def test_page_refuses_an_expired_or_foreign_token(client, unverified, monkeypatch):
    token = services.email_verification_token(unverified)
    travel(monkeypatch, DAYS + datetime.timedelta(seconds=5))
    for response in (
        client.get(reverse("verify-email", args=[token])),
        client.post(reverse("verify-email", args=[token])),
    ):
        assert response.status_code == 400
        assert "invalid, expired or already used" in response.content.decode()
    monkeypatch.undo()
    unverified.email = "changed@example.org"
    unverified.save()
    assert client.post(reverse("verify-email", args=[token])).status_code == 400
    unverified.refresh_from_db()
    assert not unverified.is_verified


def test_page_with_garbage(client):
    for token in ("nonsense", "a-b-c", "x" * 300):
        assert client.get(reverse("verify-email", args=[token])).status_code == 400


def test_resend_page(client, unverified, mailoutbox, django_capture_on_commit_callbacks):
    url = reverse("verify-email-resend")
    assert client.post(url)["Location"].startswith(reverse("login"))
    client.force_login(unverified)
    assert client.get(url).status_code == 405
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, follow=True)
    assert "We sent a new verification link to new@example.org." in response.content.decode()
    assert len(mailoutbox) == 1
    response = client.post(url, follow=True)
    assert "less than a minute ago" in response.content.decode()
    assert len(mailoutbox) == 1


def test_login_still_works_unverified(client, unverified):
    """Verification guards what an address proves (invites), not logging in."""
    response = client.post(reverse("login"), {"email": unverified.email, "password": PASSWORD})
    assert response.status_code == 302
