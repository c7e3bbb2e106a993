"""One login throttle for every way to log in (API, pages, admin), keyed on the account and on the
client address (from trusted proxies only); verification mails and registrations are throttled."""
import json
import re

import pytest
from django.test import RequestFactory
from django.urls import reverse

from openevent.core.http import client_address
from openevent.users.models import User
from openevent.users.tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db
JSON = "application/json"
WRONG = "not the password"


def api_login(client, email, password, **meta):
    return client.post("/v1/auth/login", json.dumps({"email": email, "password": password}), content_type=JSON, **meta)


def page_login(client, email, password, **meta):
    return client.post(reverse("login"), {"email": email, "password": password}, **meta)


def admin_login(client, email, password, **meta):
    return client.post("/admin/login/", {"username": email, "password": password, "next": "/admin/"}, **meta)


def page_errors(response):
    return " ".join(str(error) for error in response.context["form"].non_field_errors())


# --- one throttle for every way ------------------------------------------------------------------
def test_failures_from_every_way_count_together_and_lock_every_way(client, settings):
    settings.LOGIN_FAILURE_LIMIT = 5
    admin = UserFactory(email="root@example.org", is_admin=True)
    assert api_login(client, admin.email, WRONG).status_code == 401
    assert api_login(client, admin.email, WRONG).status_code == 401
    assert "Invalid e-mail address or password" in page_errors(page_login(client, admin.email, WRONG))
    assert "Please enter the correct" in page_errors(admin_login(client, admin.email, WRONG))
    assert "Please enter the correct" in page_errors(admin_login(client, admin.email, WRONG))

    # Five failures: even the right password is refused, whichever way.
    assert api_login(client, admin.email, PASSWORD).status_code == 429
    assert "Too many failed logins" in page_errors(page_login(client, admin.email, PASSWORD))
    response = admin_login(client, admin.email, PASSWORD)
    assert response.status_code == 200
    assert "Too many failed logins" in page_errors(response)
    assert "_auth_user_id" not in client.session


def test_the_admin_login_still_works_and_resets_the_count(client, settings):
    settings.LOGIN_FAILURE_LIMIT = 3
    admin = UserFactory(email="root@example.org", is_admin=True)
    admin_login(client, admin.email, WRONG)
    admin_login(client, admin.email, WRONG)
    response = admin_login(client, admin.email, PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    client.logout()
    for _ in range(2):
        admin_login(client, admin.email, WRONG)
    assert admin_login(client, admin.email, PASSWORD).status_code == 302


def test_the_admin_refuses_non_staff_with_the_right_password(client):
    user = UserFactory()
    response = admin_login(client, user.email, PASSWORD)
    assert response.status_code == 200
    assert "Please enter the correct" in page_errors(response)


# --- the client address ---------------------------------------------------------------------------
def request_with(remote="10.0.0.1", forwarded=None):
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **meta)


@pytest.mark.parametrize(
    ("count", "forwarded", "expected"),
    [
        (0, None, "10.0.0.1"),
        (0, "6.6.6.6", "10.0.0.1"),  # nobody is trusted: the header is ignored
        (1, None, "10.0.0.1"),  # did not come through the proxy
        (1, "203.0.113.7", "203.0.113.7"),
        (1, "6.6.6.6, 203.0.113.7", "203.0.113.7"),  # the client's own entry proves nothing
        (2, "6.6.6.6, 203.0.113.7, 10.1.1.1", "203.0.113.7"),
        (2, "203.0.113.7", "10.0.0.1"),
        (1, " 203.0.113.7 , ", "203.0.113.7"),
    ],
)
def test_client_address(settings, count, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = count
    assert client_address(request_with(forwarded=forwarded)) == expected


def test_a_spoofed_forwarded_for_does_not_escape_the_client_throttle(client, settings):
    """With no trusted proxy, a new X-Forwarded-For on every try still counts as one client."""
    settings.LOGIN_FAILURE_LIMIT = 2  # the client limit is 4× that: 8 failures
    settings.TRUSTED_PROXY_COUNT = 0
    victim = UserFactory(email="victim@example.org")
    for index in range(8):
        assert (
            api_login(client, f"nobody{index}@example.org", WRONG, HTTP_X_FORWARDED_FOR=f"6.6.6.{index}").status_code
            == 401
        )
    assert api_login(client, victim.email, PASSWORD, HTTP_X_FORWARDED_FOR="7.7.7.7").status_code == 429


def test_behind_a_trusted_proxy_clients_are_throttled_apart(client, settings):
    settings.LOGIN_FAILURE_LIMIT = 2
    settings.TRUSTED_PROXY_COUNT = 1
    user = UserFactory(email="someone@example.org")
    proxy = {"REMOTE_ADDR": "10.0.0.1"}
    for index in range(8):
        response = api_login(client, f"nobody{index}@example.org", WRONG, HTTP_X_FORWARDED_FOR="198.51.100.9", **proxy)
        assert response.status_code == 401
    assert api_login(client, user.email, PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.9", **proxy).status_code == 429
    # Another client behind the same proxy is not locked out.
    assert api_login(client, user.email, PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.7", **proxy).status_code == 200


def test_an_account_attacked_from_many_addresses_is_locked(client, settings):
    settings.LOGIN_FAILURE_LIMIT = 3
    settings.TRUSTED_PROXY_COUNT = 1
    user = UserFactory(email="target@example.org")
    for index in range(3):
        assert api_login(client, user.email, WRONG, HTTP_X_FORWARDED_FOR=f"198.51.100.{index}").status_code == 401
    assert api_login(client, user.email, PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.50").status_code == 429
    assert "Too many failed logins" in page_errors(page_login(client, user.email, PASSWORD, REMOTE_ADDR="192.0.2.1"))


# --- verification mails ----------------------------------------------------------------------------
def change_email(client, user, email):
    body = {"data": {"type": "user", "id": str(user.pk), "attributes": {"email": email}}}
    client.force_login(user)
    return client.patch(f"/v1/users/{user.pk}", json.dumps(body), content_type="application/vnd.api+json")


def test_changing_the_address_again_and_again_sends_three_mails_an_hour(
    client, settings, mailoutbox, django_capture_on_commit_callbacks
):
    assert settings.VERIFICATION_MAIL_LIMIT == 3
    user = UserFactory(email="me@example.org")
    statuses = []
    with django_capture_on_commit_callbacks(execute=True):
        for index in range(6):
            statuses.append(change_email(client, user, f"me{index}@example.org").status_code)
    assert statuses == [200, 200, 200, 429, 429, 429]
    verification_mails = [message.to for message in mailoutbox if "/verify-email/" in message.body]
    assert verification_mails == [["me0@example.org"], ["me1@example.org"], ["me2@example.org"]]
    # Only the first former address was verified: it alone is told of the change.
    assert [message.to for message in mailoutbox if message.to not in verification_mails] == [["me@example.org"]]
    assert User.objects.get(pk=user.pk).email == "me2@example.org"  # the refused changes changed nothing


def test_one_address_gets_at_most_three_mails_whoever_asks(
    client, settings, mailoutbox, django_capture_on_commit_callbacks
):
    victim = "victim@example.org"
    users = [UserFactory(email=f"attacker{index}@example.org") for index in range(4)]
    with django_capture_on_commit_callbacks(execute=True):
        for user in users[:3]:
            assert change_email(client, user, victim).status_code == 200
            assert change_email(client, user, f"away-{user.pk}@example.org").status_code == 200
        response = change_email(client, users[3], victim)
    assert response.status_code == 429
    assert [message.to for message in mailoutbox].count([victim]) == 3
    assert User.objects.get(pk=users[3].pk).email == "attacker3@example.org"


def test_resending_counts_too(client, settings, mailoutbox, django_capture_on_commit_callbacks):
    settings.VERIFICATION_MAIL_LIMIT = 1
    user = UserFactory(email="me@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        assert change_email(client, user, "new@example.org").status_code == 200
    from django.core.cache import cache  # noqa: PLC0415 (only here: skip the one-minute pause)

    cache.delete(f"verification-mail:{user.pk}")
    response = client.post("/v1/auth/resend-verification-mail", content_type=JSON)
    assert response.status_code == 429
    assert [message.to for message in mailoutbox].count(["new@example.org"]) == 1


def test_no_user_text_comes_before_the_link(client, mailoutbox, django_capture_on_commit_callbacks):
    user = UserFactory(
        email="me@example.org", first_name="URGENT", last_name="call +1 555", public_name="Visit evil.example"
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert change_email(client, user, "new@example.org").status_code == 200
    # The verification mail to the new address, the notice to the former one.
    assert [message.to for message in mailoutbox] == [["new@example.org"], ["me@example.org"]]
    for message in mailoutbox:
        before_link = message.body[: re.search(r"https?://", message.body).start()]
        for text in ("URGENT", "555", "evil", "new@example.org", "me@example.org"):
            assert text not in before_link
        assert "Visit evil.example" not in message.body


# --- registrations ---------------------------------------------------------------------------------
def register(client, email, remote="192.0.2.10"):
    body = {"data": {"type": "user", "attributes": {"email": email, "password": "a strong secret"}}}
    return client.post("/v1/users", json.dumps(body), content_type="application/vnd.api+json", REMOTE_ADDR=remote)


def test_registrations_per_client_address_are_throttled(client, settings):
    settings.REGISTRATION_LIMIT = 3
    assert [register(client, f"new{index}@example.org").status_code for index in range(4)] == [201, 201, 201, 429]
    assert not User.objects.filter(email="new3@example.org").exists()
    assert register(client, "other@example.org", remote="192.0.2.11").status_code == 201


def test_the_registration_page_is_throttled_too(client, settings):
    settings.REGISTRATION_LIMIT = 1
    data = {"email": "a@example.org", "password": "a strong secret", "password_again": "a strong secret"}
    assert client.post(reverse("register"), data).status_code == 302
    response = client.post(reverse("register"), {**data, "email": "b@example.org"})
    assert response.status_code == 200
    assert "Too many accounts" in page_errors(response)
    assert not User.objects.filter(email="b@example.org").exists()
