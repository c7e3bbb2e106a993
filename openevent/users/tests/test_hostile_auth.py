"""Attacks on the auth routes as a hostile client would make them: stolen or replayed refresh
tokens, deleted users, session requests without CSRF, enumeration, odd input."""

import json

import pytest
from django.test import Client
from django.utils import timezone

from openevent.users.models import User
from openevent.users.tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db
JSON = "application/json"


def post(api, url, body=None, raw=None, **headers):
    data = raw if raw is not None else (None if body is None else json.dumps(body))
    response = api.client.post(url, data, content_type=JSON, **headers)
    response.json_body = response.json() if response.content else None
    return response


def mobile_tokens(api, user):
    response = post(
        api,
        "/v1/auth/login",
        {"email": user.email, "password": PASSWORD, "remember-me": True, "include-in-response": True},
    )
    assert response.status_code == 200
    return response.json()


def test_a_deleted_users_refresh_token_is_refused(api):
    user = UserFactory()
    refresh = mobile_tokens(api, user)["refresh_token"]
    user.deleted_at = timezone.now()
    user.save(update_fields=["deleted_at"])
    assert post(api, "/v1/auth/token/refresh", {"refresh_token": refresh}).status_code == 401


def test_a_refresh_token_is_no_access_token(api):
    refresh = mobile_tokens(api, UserFactory())["refresh_token"]
    response = api.client.get("/v1/users/user-details/get-user-id", HTTP_AUTHORIZATION=f"JWT {refresh}")
    assert response.status_code == 401


def test_a_logged_out_token_cannot_be_replayed(api):
    refresh = mobile_tokens(api, UserFactory())["refresh_token"]
    assert post(api, "/v1/auth/logout", {"refresh_token": refresh}).status_code == 200
    assert post(api, "/v1/auth/token/refresh", {"refresh_token": refresh}).status_code == 401
    assert post(api, "/v1/auth/token/refresh", HTTP_AUTHORIZATION=f"JWT {refresh}").status_code == 401


def test_a_password_change_revokes_refresh_tokens(api):
    user = UserFactory()
    tokens = mobile_tokens(api, user)
    response = post(
        api,
        "/v1/auth/change-password",
        {"data": {"old-password": PASSWORD, "new-password": "A-much-longer-new-secret-42"}},
        HTTP_AUTHORIZATION=f"JWT {tokens['access_token']}",
    )
    assert response.status_code == 200, response.json_body
    assert post(api, "/v1/auth/token/refresh", {"refresh_token": tokens["refresh_token"]}).status_code == 401


@pytest.mark.parametrize(
    "url",
    [
        "/v1/auth/change-password",
        "/v1/auth/verify-password",
        "/v1/auth/blacklist",
        "/v1/auth/fresh-login",
        "/v1/auth/resend-verification-email",
    ],
)
def test_session_requests_to_the_auth_routes_need_the_csrf_token(url):
    user = UserFactory(is_verified=False)
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(user)
    body = {
        "old-password": PASSWORD,
        "new-password": "A-much-longer-new-secret-42",
        "password": PASSWORD,
        "email": user.email,
    }
    response = browser.post(url, json.dumps(body), content_type=JSON)
    assert response.status_code == 403
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


@pytest.mark.parametrize(
    "raw",
    [
        "[]",
        '"text"',
        "123",
        "null",
        '{"data": []}',
        '{"data": "x"}',
        '{"email": 1, "password": 2}',
        '{"email": ["a"], "password": {"x": 1}}',
        '{"email": "a@example.org", "password": "' + "x" * 100_000 + '"}',
        '{"email": "' + "a" * 100_000 + '@example.org", "password": "x"}',
        "{not json",
        '{"email": "a@example.org\\u0000", "password": "x"}',
    ],
)
@pytest.mark.parametrize(
    "url",
    [
        "/v1/auth/login",
        "/v1/auth/token/refresh",
        "/v1/auth/logout",
        "/v1/auth/verify-email",
        "/v1/auth/resend-verification-email",
    ],
)
def test_odd_bodies_on_the_anonymous_routes_are_4xx_never_500(api, url, raw):
    response = post(api, url, raw=raw)
    assert 200 <= response.status_code < 500, response.content[:300]


@pytest.mark.parametrize(
    "raw",
    [
        "[]",
        '{"data": "x"}',
        '{"password": 1, "email": 2, "token": 3, "old-password": [], "new-password": {}}',
        '{"token": "' + "x" * 100_000 + '"}',
        '{"token": "a.b.c"}',
        '{"password": "' + "x" * 100_000 + '"}',
        '{"email": "\\u0000"}',
    ],
)
@pytest.mark.parametrize(
    "url",
    [
        "/v1/auth/fresh-login",
        "/v1/auth/verify-password",
        "/v1/auth/blacklist",
        "/v1/auth/change-password",
        "/v1/users/check_email",
    ],
)
def test_odd_bodies_on_the_logged_in_routes_are_4xx_never_500(api, url, raw):
    admin = UserFactory(is_admin=True)
    access = mobile_tokens(api, admin)["access_token"]
    response = post(api, url, raw=raw, HTTP_AUTHORIZATION=f"JWT {access}")
    assert 200 <= response.status_code < 500, response.content[:300]
    admin.refresh_from_db()
    assert admin.check_password(PASSWORD)


def test_fresh_login_with_another_users_credentials_gives_no_token(api):
    me, other = UserFactory(), UserFactory()
    access = mobile_tokens(api, me)["access_token"]
    response = post(
        api, "/v1/auth/fresh-login", {"email": other.email, "password": PASSWORD}, HTTP_AUTHORIZATION=f"JWT {access}"
    )
    assert response.status_code == 401
    assert "access_token" not in (response.json_body or {})


def test_resend_by_address_answers_a_blocked_or_deleted_account_like_any_other(api, mailoutbox):
    blocked = UserFactory(is_verified=False, is_blocked=True)
    deleted = UserFactory(is_verified=False, deleted_at=timezone.now())
    answers = set()
    for address in (blocked.email, deleted.email, "nobody@example.org"):
        response = post(
            api,
            "/v1/auth/resend-verification-email",
            {"data": {"email": address}},
            REMOTE_ADDR=f"10.0.0.{len(answers) + 1}",
        )
        answers.add((response.status_code, json.dumps(response.json_body)))
    assert len(answers) == 1
    assert mailoutbox == []


def test_a_blocked_user_with_a_live_access_token_is_refused_everywhere(api):
    user = UserFactory()
    access = mobile_tokens(api, user)["access_token"]
    user.is_blocked = True
    user.save(update_fields=["is_blocked"])
    for url in ("/v1/auth/verify-password", "/v1/auth/fresh-login", "/v1/auth/blacklist"):
        assert (
            post(api, url, {"password": PASSWORD, "email": user.email}, HTTP_AUTHORIZATION=f"JWT {access}").status_code
            == 401
        )


@pytest.mark.parametrize(
    "flags",
    [{"is-admin": True}, {"is-super-admin": True}, {"is-verified": True}, {"is-blocked": False, "is-admin": True}],
)
def test_registration_cannot_grant_itself_flags(api, flags):
    attributes = {"email": "new@example.org", "password": "A-much-longer-new-secret-42", **flags}
    response = api.post("/v1/users", {"data": {"type": "user", "attributes": attributes}})
    assert 400 <= response.status_code < 500
    assert not User.all_objects.filter(email="new@example.org").exists()


def test_a_taken_address_answers_nothing_private(api):
    taken = UserFactory(is_admin=True)
    attributes = {"email": taken.email.upper(), "password": "A-much-longer-new-secret-42"}
    response = api.post("/v1/users", {"data": {"type": "user", "attributes": attributes}})
    assert response.status_code == 409
    assert "is-admin" not in response.content.decode()
    assert "data" not in response.json_body


def test_a_user_cannot_make_themself_admin_or_verified(api):
    user = UserFactory(is_verified=False)
    body = {"data": {"type": "user", "id": str(user.pk), "attributes": {"is-admin": True, "is-verified": True}}}
    response = api.as_user(user).patch(f"/v1/users/{user.pk}", body)
    assert response.status_code in (403, 422)
    user.refresh_from_db()
    assert not user.is_admin
    assert not user.is_verified


def test_strangers_read_no_private_attribute(api):
    user = UserFactory()
    for viewer in (None, UserFactory()):
        attributes = api.as_user(viewer).get(f"/v1/users/{user.pk}").json_body["data"]["attributes"]
        assert "email" not in attributes
        assert "is-admin" not in attributes


@pytest.mark.parametrize(
    "content_type", ["application/x-www-form-urlencoded", "text/plain", "multipart/form-data; boundary=x"]
)
def test_a_cross_site_form_cannot_log_a_browser_in_or_refresh(api, content_type):
    """A form on another site can post only these types without a preflight: they are no JSON."""
    user = UserFactory()
    body = json.dumps({"email": user.email, "password": PASSWORD, "remember-me": True})
    for url in ("/v1/auth/login", "/v1/auth/token/refresh"):
        response = api.client.post(url, body, content_type=content_type)
        assert response.status_code in (400, 401, 415), (url, response.status_code)
        assert "refresh_token_cookie" not in response.cookies
