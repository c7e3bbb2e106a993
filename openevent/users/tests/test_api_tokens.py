"""The token flows of the blueprint: the web flow (HttpOnly refresh cookie + CSRF double submit),
the mobile flow (``Authorization: JWT <refresh>``), fresh tokens, logout and blacklisting."""

import json

import pytest
from rest_framework_simplejwt.token_blacklist.models import OutstandingToken
from rest_framework_simplejwt.tokens import AccessToken

from openevent.api.tests.documents import assert_error
from openevent.users.tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db
JSON = "application/json"
REFRESH = "/v1/auth/token/refresh"
REFRESH_COOKIE = "refresh_token_cookie"
CSRF_COOKIE = "csrf_refresh_token"


def login(api, user, secure=False, **extra):
    body = {"email": user.email, "password": PASSWORD, **extra}
    response = api.client.post("/v1/auth/login", json.dumps(body), content_type=JSON, secure=secure)
    assert response.status_code == 200, response.content
    return response


def web_login(api, user, secure=False):
    """``remember-me`` without ``include-in-response``: the web flow's cookies."""
    return login(api, user, secure=secure, **{"remember-me": True})


def mobile_tokens(api, user):
    return login(api, user, **{"remember-me": True, "include-in-response": True}).json()


def post(api, url, body=None, **headers):
    data = None if body is None else json.dumps(body)
    response = api.client.post(url, data, content_type=JSON, **headers)
    response.json_body = response.json() if response.content else None
    return response


def refresh_with_body(api, token, csrf=None):
    """A refresh with ``token`` in the body (and, for a cookie token, its CSRF value)."""
    headers = {} if csrf is None else {"HTTP_X_CSRF_TOKEN": csrf}
    return post(api, REFRESH, {"refresh_token": token}, **headers)


def cookie_pair(response):
    return response.cookies[REFRESH_COOKIE].value, response.cookies[CSRF_COOKIE].value


# --- web flow: cookies ---------------------------------------------------------------------------
def test_web_login_sets_an_httponly_refresh_cookie_and_a_readable_csrf_cookie(api):
    response = web_login(api, UserFactory())
    assert set(response.json()) == {"access_token"}
    refresh, csrf = response.cookies[REFRESH_COOKIE], response.cookies[CSRF_COOKIE]
    assert refresh.value
    assert refresh["httponly"] is True
    assert refresh["samesite"] == "Lax"
    assert refresh["path"] == "/v1/auth/"
    assert not refresh["secure"]  # plain HTTP here
    assert int(refresh["max-age"]) == 30 * 24 * 3600
    assert csrf.value
    assert not csrf["httponly"]  # the page's script reads it to echo it in X-CSRF-Token
    assert csrf["samesite"] == "Lax"
    assert csrf["path"] == "/"


def test_cookies_are_secure_over_https(api):
    response = web_login(api, UserFactory(), secure=True)
    assert response.cookies[REFRESH_COOKIE]["secure"] is True
    assert response.cookies[CSRF_COOKIE]["secure"] is True


def test_samesite_none_makes_the_cookies_secure_even_over_http(api, settings):
    settings.REFRESH_COOKIE_SAMESITE = "None"
    response = web_login(api, UserFactory())
    for name in (REFRESH_COOKIE, CSRF_COOKIE):
        assert response.cookies[name]["samesite"] == "None"
        assert response.cookies[name]["secure"] is True


def test_web_refresh_reads_the_cookie_and_checks_the_csrf_header(api):
    login_response = web_login(api, UserFactory())
    csrf = login_response.cookies[CSRF_COOKIE].value
    old_refresh = login_response.cookies[REFRESH_COOKIE].value

    response = post(api, REFRESH, HTTP_X_CSRF_TOKEN=csrf)
    assert response.status_code == 200, response.json_body
    assert set(response.json_body) == {"access_token"}
    # Rotated: a new refresh cookie and CSRF value; the old refresh token is revoked.
    new_refresh, new_csrf = response.cookies[REFRESH_COOKIE], response.cookies[CSRF_COOKIE]
    assert new_refresh.value != old_refresh
    assert new_refresh["httponly"] is True
    assert new_csrf.value != csrf
    assert_error(refresh_with_body(api, old_refresh, csrf), 401)
    # The client's cookie jar holds the new pair: refreshing again works with the new value.
    assert post(api, REFRESH, HTTP_X_CSRF_TOKEN=new_csrf.value).status_code == 200


@pytest.mark.parametrize("header", [None, "", "wrong", "x" * 50])
def test_web_refresh_without_the_right_csrf_header_is_refused(api, header):
    web_login(api, UserFactory())
    headers = {} if header is None else {"HTTP_X_CSRF_TOKEN": header}
    response = post(api, REFRESH, **headers)
    error = assert_error(response, 401)
    assert "X-CSRF-Token" in error["detail"]
    assert "access_token" not in response.json_body
    assert REFRESH_COOKIE not in response.cookies  # nothing rotated


def test_a_cookie_token_is_bound_to_its_csrf_value_wherever_it_is_sent(api):
    """Read out of the cookie jar and sent in the body or the header, it still needs the header."""
    cookie, csrf = cookie_pair(web_login(api, UserFactory()))
    api.client.cookies.clear()
    assert_error(refresh_with_body(api, cookie), 401)
    assert_error(post(api, REFRESH, HTTP_AUTHORIZATION=f"JWT {cookie}"), 401)
    assert refresh_with_body(api, cookie, csrf).status_code == 200


def test_the_csrf_value_of_one_login_does_not_fit_another(api):
    first = web_login(api, UserFactory()).cookies[CSRF_COOKIE].value
    web_login(api, UserFactory())  # the jar now holds the second login's cookies
    assert_error(post(api, REFRESH, HTTP_X_CSRF_TOKEN=first), 401)


def test_an_access_token_in_authorization_does_not_hide_the_cookie(api):
    """A web client sends its access token with every request; the refresh still uses the cookie."""
    response = web_login(api, UserFactory())
    access, csrf = response.json()["access_token"], response.cookies[CSRF_COOKIE].value
    refreshed = post(api, REFRESH, HTTP_AUTHORIZATION=f"JWT {access}", HTTP_X_CSRF_TOKEN=csrf)
    assert refreshed.status_code == 200, refreshed.json_body
    # An access token alone is no refresh token.
    api.client.cookies.clear()
    assert_error(post(api, REFRESH, HTTP_AUTHORIZATION=f"JWT {access}"), 401)


def test_refresh_with_nothing_is_401(api):
    assert_error(post(api, REFRESH), 401)


# --- mobile flow ---------------------------------------------------------------------------------
def test_mobile_refresh_keeps_the_refresh_token_as_open_event_clients_expect(api):
    """The blueprint's answer is an access token alone; the Ember front end sends its first refresh
    token again on every refresh, so it must keep working."""
    tokens = mobile_tokens(api, UserFactory())
    for scheme in ("JWT", "Bearer", "JWT"):
        response = post(api, REFRESH, HTTP_AUTHORIZATION=f"{scheme} {tokens['refresh_token']}")
        assert response.status_code == 200, response.json_body
        assert set(response.json_body) == {"access_token"}
        assert not response.cookies


def test_with_rotation_on_a_client_held_token_rotates(api, settings):
    settings.SIMPLE_JWT = {**settings.SIMPLE_JWT, "ROTATE_REFRESH_TOKENS": True}
    tokens = mobile_tokens(api, UserFactory())
    for _ in range(2):
        response = post(api, REFRESH, HTTP_AUTHORIZATION=f"JWT {tokens['refresh_token']}")
        assert response.status_code == 200, response.json_body
        assert set(response.json_body) == {"access_token", "refresh_token"}
        assert_error(post(api, REFRESH, HTTP_AUTHORIZATION=f"JWT {tokens['refresh_token']}"), 401)  # rotated
        tokens = response.json_body


def test_a_blocked_user_cannot_refresh(api):
    user = UserFactory()
    tokens = mobile_tokens(api, user)
    user.is_blocked = True
    user.save()
    assert_error(refresh_with_body(api, tokens["refresh_token"]), 401)


def test_open_event_clients_find_the_user_id_in_the_identity_claim(api):
    """The Ember front end reads ``identity`` from the access token, and sends ``username``."""
    user = UserFactory()
    body = {"username": user.email, "password": PASSWORD, "remember-me": True, "include-in-response": True}
    tokens = post(api, "/v1/auth/login", body).json_body
    assert AccessToken(tokens["access_token"])["identity"] == user.pk
    refreshed = refresh_with_body(api, tokens["refresh_token"]).json_body
    assert AccessToken(refreshed["access_token"])["identity"] == user.pk


# --- fresh tokens ----------------------------------------------------------------------------------
def test_login_tokens_are_fresh_and_refreshed_ones_are_not(api):
    user = UserFactory()
    tokens = mobile_tokens(api, user)
    assert AccessToken(tokens["access_token"])["fresh"] is True
    refreshed = refresh_with_body(api, tokens["refresh_token"]).json_body
    assert AccessToken(refreshed["access_token"])["fresh"] is False
    # Changing the password wants a fresh token.
    body = {"data": {"old-password": PASSWORD, "new-password": "a much better secret"}}
    stale = post(api, "/v1/auth/change-password", body, HTTP_AUTHORIZATION=f"JWT {refreshed['access_token']}")
    assert "fresh-login" in assert_error(stale, 401)["detail"]
    user.refresh_from_db()
    assert user.check_password(PASSWORD)
    # fresh-login with the stale token gives a fresh one that may.
    fresh = post(
        api,
        "/v1/auth/fresh-login",
        {"email": user.email, "password": PASSWORD},
        HTTP_AUTHORIZATION=f"JWT {refreshed['access_token']}",
    )
    assert fresh.status_code == 200, fresh.json_body
    assert set(fresh.json_body) == {"access_token"}
    assert AccessToken(fresh.json_body["access_token"])["fresh"] is True
    assert AccessToken(fresh.json_body["access_token"])["identity"] == user.pk
    changed = post(api, "/v1/auth/change-password", body, HTTP_AUTHORIZATION=f"JWT {fresh.json_body['access_token']}")
    assert changed.status_code == 200, changed.json_body


def test_fresh_login_refusals(api, settings):
    settings.LOGIN_FAILURE_LIMIT = 2
    user, other = UserFactory(), UserFactory()
    credentials = {"email": user.email, "password": PASSWORD}
    assert_error(post(api, "/v1/auth/fresh-login", credentials), 401)  # nobody logged in
    api.client.credentials(HTTP_AUTHORIZATION=f"JWT {mobile_tokens(api, other)['access_token']}")
    # Someone else's (right) credentials do not make the logged-in user's token fresh.
    assert_error(post(api, "/v1/auth/fresh-login", credentials), 401)
    api.client.credentials(HTTP_AUTHORIZATION=f"JWT {mobile_tokens(api, user)['access_token']}")
    error = assert_error(post(api, "/v1/auth/fresh-login", {"email": user.email}), 422)
    assert error["source"]["pointer"].endswith("password")
    for _ in range(2):
        assert_error(post(api, "/v1/auth/fresh-login", {"email": user.email, "password": "wrong"}), 401)
    # Throttled like login: past the limit even the right password is refused.
    assert_error(post(api, "/v1/auth/fresh-login", credentials), 429)


# --- logout --------------------------------------------------------------------------------------
def test_web_logout_revokes_the_cookie_token_and_clears_the_cookies(api):
    cookie, csrf = cookie_pair(web_login(api, UserFactory()))
    response = post(api, "/v1/auth/logout")
    assert response.status_code == 200
    assert response.json_body == {"success": True}
    for name in (REFRESH_COOKIE, CSRF_COOKIE):
        assert response.cookies[name].value == ""
        assert int(response.cookies[name]["max-age"]) == 0
    assert response.cookies[REFRESH_COOKIE]["path"] == "/v1/auth/"
    assert_error(refresh_with_body(api, cookie, csrf), 401)


def test_mobile_logout_revokes_the_token_in_authorization(api):
    tokens = mobile_tokens(api, UserFactory())
    response = post(api, "/v1/auth/logout", HTTP_AUTHORIZATION=f"JWT {tokens['refresh_token']}")
    assert response.status_code == 200
    assert_error(refresh_with_body(api, tokens["refresh_token"]), 401)


def test_logout_with_a_token_in_the_body_revokes_the_cookie_too(api):
    cookie, csrf = cookie_pair(web_login(api, UserFactory()))
    tokens = mobile_tokens(api, UserFactory())
    api.client.cookies[REFRESH_COOKIE] = cookie
    assert post(api, "/v1/auth/logout", {"refresh_token": tokens["refresh_token"]}).status_code == 200
    api.client.cookies.clear()
    assert_error(refresh_with_body(api, tokens["refresh_token"]), 401)
    assert_error(refresh_with_body(api, cookie, csrf), 401)


def test_logout_without_any_token_answers_success(api):
    """The blueprint's logout has no body; an access token in Authorization revokes nothing."""
    tokens = mobile_tokens(api, UserFactory())
    assert post(api, "/v1/auth/logout").json_body == {"success": True}
    response = post(api, "/v1/auth/logout", HTTP_AUTHORIZATION=f"JWT {tokens['access_token']}")
    assert response.status_code == 200
    assert refresh_with_body(api, tokens["refresh_token"]).status_code == 200


def test_a_dead_cookie_is_just_cleared(api):
    web_login(api, UserFactory())
    assert post(api, "/v1/auth/logout").status_code == 200
    api.client.cookies[REFRESH_COOKIE] = "not-a-token"
    response = post(api, "/v1/auth/logout")
    assert response.status_code == 200
    assert response.cookies[REFRESH_COOKIE].value == ""


# --- blacklist -----------------------------------------------------------------------------------
def test_blacklist_without_a_body_revokes_every_refresh_token_of_the_caller(api):
    user, other = UserFactory(), UserFactory()
    first, second, others = mobile_tokens(api, user), mobile_tokens(api, user), mobile_tokens(api, other)
    response = post(api, "/v1/auth/blacklist", HTTP_AUTHORIZATION=f"JWT {first['access_token']}")
    assert response.status_code == 200
    assert response.json_body == {"success": True}
    assert_error(refresh_with_body(api, first["refresh_token"]), 401)
    assert_error(refresh_with_body(api, second["refresh_token"]), 401)
    assert refresh_with_body(api, others["refresh_token"]).status_code == 200


def test_blacklist_a_given_token(api):
    user = UserFactory()
    kept, revoked = mobile_tokens(api, user), mobile_tokens(api, user)
    auth = {"HTTP_AUTHORIZATION": f"JWT {kept['access_token']}"}
    assert post(api, "/v1/auth/blacklist", {"token": revoked["refresh_token"]}, **auth).status_code == 200
    assert_error(refresh_with_body(api, revoked["refresh_token"]), 401)
    assert refresh_with_body(api, kept["refresh_token"]).status_code == 200


def test_only_admins_blacklist_someone_elses_token(api):
    victim, mallory = UserFactory(), UserFactory()
    admin = UserFactory(is_admin=True)
    victim_tokens = mobile_tokens(api, victim)
    mallory_auth = {"HTTP_AUTHORIZATION": f"JWT {mobile_tokens(api, mallory)['access_token']}"}
    body = {"token": victim_tokens["refresh_token"]}
    assert_error(post(api, "/v1/auth/blacklist", body), 401)  # anonymous
    assert_error(post(api, "/v1/auth/blacklist", body, **mallory_auth), 403)
    assert post(api, REFRESH, HTTP_AUTHORIZATION=f"JWT {victim_tokens['refresh_token']}").status_code == 200
    fresh_victim = mobile_tokens(api, victim)
    admin_auth = {"HTTP_AUTHORIZATION": f"JWT {mobile_tokens(api, admin)['access_token']}"}
    body = {"token": fresh_victim["refresh_token"]}
    assert post(api, "/v1/auth/blacklist", body, **admin_auth).status_code == 200
    assert_error(refresh_with_body(api, fresh_victim["refresh_token"]), 401)


def test_a_plain_admin_cannot_blacklist_a_super_admins_token(api):
    root = UserFactory(is_admin=True, is_super_admin=True)
    root_tokens = mobile_tokens(api, root)
    admin_auth = {"HTTP_AUTHORIZATION": f"JWT {mobile_tokens(api, UserFactory(is_admin=True))['access_token']}"}
    assert_error(post(api, "/v1/auth/blacklist", {"token": root_tokens["refresh_token"]}, **admin_auth), 403)
    assert refresh_with_body(api, root_tokens["refresh_token"]).status_code == 200


def test_blacklist_with_a_garbage_token_is_422(api):
    auth = {"HTTP_AUTHORIZATION": f"JWT {mobile_tokens(api, UserFactory())['access_token']}"}
    error = assert_error(post(api, "/v1/auth/blacklist", {"token": "x.y.z"}, **auth), 422)
    assert error["source"]["pointer"].endswith("token")


def test_a_login_without_remember_me_leaves_no_refresh_token_outstanding(api):
    user = UserFactory()
    access = login(api, user).json()["access_token"]
    assert AccessToken(access)["fresh"] is True
    assert not OutstandingToken.objects.filter(user=user).exists()
    mobile_tokens(api, user)
    assert OutstandingToken.objects.filter(user=user).count() == 1
