"""Login, token refresh, logout and password change over the API."""

import pytest

from openevent.api.tests.documents import assert_error
from openevent.users.models import User
from openevent.users.tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db
JSON = "application/json"


def login(api, email, password, url="/v1/auth/login", **extra):
    return api.post(url, {"email": email, "password": password, **extra}, content_type=JSON)


def mobile_tokens(api, user):
    """Both tokens in the answer: Open Event's ``remember-me`` + ``include-in-response``."""
    response = login(api, user.email, PASSWORD, **{"remember-me": True, "include-in-response": True})
    assert response.status_code == 200, response.json_body
    return response.json_body


@pytest.mark.parametrize("url", ["/v1/auth/login", "/auth/session"])
def test_login_returns_an_access_token_that_authenticates(api, url):
    """Without ``remember-me`` the blueprint answers the access token alone, and no cookie."""
    user = UserFactory()
    response = login(api, user.email.upper(), PASSWORD, url)
    assert response.status_code == 200
    assert set(response.json_body) == {"access_token"}
    assert not response.cookies
    access = response.json_body["access_token"]
    for scheme in ("JWT", "Bearer"):
        api.client.credentials(HTTP_AUTHORIZATION=f"{scheme} {access}")
        me = api.get(f"/v1/users/{user.pk}")
        assert me.status_code == 200
        assert me.json_body["data"]["attributes"]["email"] == user.email


def test_the_refresh_token_comes_in_the_answer_only_when_asked(api):
    user = UserFactory()
    response = login(api, user.email, PASSWORD, **{"remember-me": True, "include-in-response": True})
    assert response.status_code == 200
    assert set(response.json_body) == {"access_token", "refresh_token"}
    assert not response.cookies
    # ``include-in-response`` alone issues no refresh token (Open Event: it needs remember-me).
    alone = login(api, user.email, PASSWORD, **{"include-in-response": True})
    assert set(alone.json_body) == {"access_token"}


def test_login_with_wrong_password_is_a_401_error_object(api):
    user = UserFactory()
    assert_error(login(api, user.email, "wrong password"), 401)


def test_login_needs_both_fields(api):
    error = assert_error(api.post("/v1/auth/login", {"email": "a@b.org"}, content_type=JSON), 422)
    assert error["source"]["pointer"].endswith("password")


def test_login_with_garbage_body_is_400(api):
    assert_error(api.post("/v1/auth/login", raw="{nope", content_type=JSON), 400)


@pytest.mark.parametrize("flags", [{"is_blocked": True}, {"deleted": True}])
def test_blocked_or_deleted_users_cannot_log_in(api, flags):
    user = UserFactory(is_blocked=flags.get("is_blocked", False))
    if flags.get("deleted"):
        user.soft_delete()
    assert_error(login(api, user.email, PASSWORD), 401)


def test_tokens_of_a_blocked_user_stop_working(api):
    user = UserFactory()
    api.as_user(user)
    User.objects.filter(pk=user.pk).update(is_blocked=True)
    assert_error(api.get("/v1/users"), 401)


def test_repeated_failures_are_throttled_even_for_the_right_password(api, settings):
    settings.LOGIN_FAILURE_LIMIT = 3
    user = UserFactory()
    for _ in range(3):
        assert login(api, user.email, "bad password").status_code == 401
    assert_error(login(api, user.email, PASSWORD), 429)


def test_invalid_token_is_a_401_error_object(api):
    api.client.credentials(HTTP_AUTHORIZATION="JWT not-a-token")
    assert_error(api.get("/v1/events"), 401)


def test_refresh_rotates_and_old_refresh_token_is_revoked_when_configured(api, settings):
    settings.SIMPLE_JWT = {**settings.SIMPLE_JWT, "ROTATE_REFRESH_TOKENS": True}
    tokens = mobile_tokens(api, UserFactory())
    refreshed = api.post("/v1/auth/token/refresh", {"refresh_token": tokens["refresh_token"]}, content_type=JSON)
    assert refreshed.status_code == 200
    assert set(refreshed.json_body) == {"access_token", "refresh_token"}
    again = api.post("/v1/auth/token/refresh", {"refresh_token": tokens["refresh_token"]}, content_type=JSON)
    assert_error(again, 401)
    newer_body = {"refresh_token": refreshed.json_body["refresh_token"]}
    newer = api.post("/v1/auth/token/refresh", newer_body, content_type=JSON)
    assert newer.status_code == 200


def test_logout_revokes_the_refresh_token(api):
    tokens = mobile_tokens(api, UserFactory())
    out = api.post("/v1/auth/logout", {"refresh_token": tokens["refresh_token"]}, content_type=JSON)
    assert out.status_code == 200
    assert out.json_body == {"success": True}
    again = api.post("/v1/auth/token/refresh", {"refresh_token": tokens["refresh_token"]}, content_type=JSON)
    assert_error(again, 401)


def test_logout_with_a_bad_token_is_an_error(api):
    assert_error(api.post("/v1/auth/logout", {"refresh_token": "x.y.z"}, content_type=JSON), 401)


def test_change_password(api):
    user = UserFactory()
    tokens = mobile_tokens(api, user)
    api.as_user(user)
    body = {"data": {"old-password": PASSWORD, "new-password": "a much better secret"}}
    response = api.post("/v1/auth/change-password", body, content_type=JSON)
    assert response.status_code == 200
    # The blueprint's answer: the user's id, address and name.
    assert set(response.json_body) == {"id", "email", "name", "password-changed"}
    assert response.json_body["id"] == str(user.pk)
    assert response.json_body["email"] == user.email
    assert response.json_body["password-changed"] is True
    user.refresh_from_db()
    assert user.check_password("a much better secret")
    # Existing refresh tokens are revoked with the old password.
    again = api.post("/v1/auth/token/refresh", {"refresh_token": tokens["refresh_token"]}, content_type=JSON)
    assert_error(again, 401)


def test_change_password_refusals(api):
    user = UserFactory()
    body = {"data": {"old-password": PASSWORD, "new-password": "a much better secret"}}
    assert_error(api.post("/v1/auth/change-password", body, content_type=JSON), 401)
    api.as_user(user)
    wrong_old = {"data": {"old-password": "nope", "new-password": "a much better secret"}}
    error = assert_error(api.post("/v1/auth/change-password", wrong_old, content_type=JSON), 422)
    assert error["source"]["pointer"].endswith("old-password")
    weak = {"data": {"old-password": PASSWORD, "new-password": "123"}}
    assert_error(api.post("/v1/auth/change-password", weak, content_type=JSON), 422)
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_login_accepts_the_json_api_media_type_too(api):
    user = UserFactory()
    response = api.post(
        "/v1/auth/login", {"email": user.email, "password": PASSWORD}, content_type="application/vnd.api+json"
    )
    assert response.status_code == 200
    assert response.json_body["access_token"]
