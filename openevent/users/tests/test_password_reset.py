"""Password reset (security lesson 21): ``POST|PATCH /v1/auth/reset-password``, the "Forgot
password" and "Set a new password" pages, and the mails that tell an account's owner that its
password or address changed."""
import datetime
import json
import re
from types import SimpleNamespace

import pytest
from django.db import connection
from django.urls import reverse

from openevent.api.tests.documents import assert_error
from openevent.users import services
from openevent.users.models import User
from openevent.users.tests.factories import PASSWORD, UserFactory
from openevent.users.tests.helpers import user_doc

pytestmark = pytest.mark.django_db
JSON = "application/json"
URL = "/v1/auth/reset-password"
LINK = re.compile(r"(https?://[^\s/]+)/reset-password/([^\s/]+)")
NEW_PASSWORD = "a brand new secret"


def ask(api, email, **meta):
    response = api.client.post(URL, json.dumps({"data": {"email": email}}), content_type=JSON, **meta)
    response.json_body = response.json()
    return response


def reset(api, token, password=NEW_PASSWORD):
    return api.patch(URL, {"data": {"token": token, "password": password}}, content_type=JSON)


def token_in(message):
    match = LINK.search(message.body)
    assert match, message.body
    return match.group(2)


def requested_token(api, capture, mailoutbox, email):
    with capture(execute=True):
        assert ask(api, email).status_code == 200
    reset_mails = [message for message in mailoutbox if LINK.search(message.body)]
    assert [message.to for message in reset_mails] == [[email]]
    return token_in(reset_mails[0])


def travel(monkeypatch, delta):
    now = datetime.datetime.now() + delta
    monkeypatch.setattr(services.password_reset_tokens, "_now", lambda: now)


def logs_in(client, email, password):
    body = json.dumps({"email": email, "password": password})
    return client.post("/v1/auth/login", body, content_type=JSON).status_code == 200


@pytest.fixture
def ada():
    return UserFactory(email="ada@example.org", first_name="Ada", last_name="Lovelace")


# --- asking for a link ----------------------------------------------------------------------------
def test_the_answer_is_the_same_whether_or_not_the_address_has_an_account(
    api, ada, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        known = ask(api, "Ada@Example.org")
        unknown = ask(api, "nobody@example.org")
    assert known.status_code == unknown.status_code == 200
    assert known.content == unknown.content
    assert known.json()["message"] == services.RESET_ANSWER
    (message,) = mailoutbox
    assert message.to == ["ada@example.org"]
    assert "Set a new password" in message.subject
    origin, token = LINK.search(message.body).groups()
    assert origin == "http://testserver"
    assert token not in known.content.decode()
    assert services.check_password_reset_token(token) == ada


@pytest.mark.parametrize("state", ["blocked", "deleted", "no usable password"])
def test_blocked_deleted_and_disabled_accounts_get_nothing(
    api, ada, mailoutbox, django_capture_on_commit_callbacks, state
):
    if state == "blocked":
        User.objects.filter(pk=ada.pk).update(is_blocked=True)
    elif state == "deleted":
        services.delete_user(ada)
    else:
        services.set_password(ada, None)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = ask(api, ada.email)
    assert response.status_code == 200
    assert response.json()["message"] == services.RESET_ANSWER
    assert mailoutbox == []


@pytest.mark.parametrize("body", [{}, {"data": {}}, {"data": {"email": ""}}, {"data": {"email": ["a@b.org"]}}])
def test_a_request_without_an_address_is_a_422(api, body):
    error = assert_error(api.post(URL, body, content_type=JSON), 422)
    assert error["source"]["pointer"].endswith("email")


def test_requests_are_throttled_per_address_alike_for_every_address(
    api, ada, settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.PASSWORD_RESET_LIMIT = 2
    with django_capture_on_commit_callbacks(execute=True):
        known = [ask(api, ada.email, REMOTE_ADDR=f"192.0.2.{index}") for index in range(3)]
        unknown = [ask(api, "nobody@example.org", REMOTE_ADDR=f"192.0.2.{index}") for index in range(3)]
    assert [response.status_code for response in known] == [200, 200, 429]
    assert [response.status_code for response in unknown] == [200, 200, 429]
    assert known[2].content == unknown[2].content
    assert_error(known[2], 429)
    assert len(mailoutbox) == 2
    # Another address is not held up.
    assert ask(api, "someone@example.org", REMOTE_ADDR="192.0.2.9").status_code == 200


def test_requests_are_throttled_per_client(api, ada, settings, mailoutbox, django_capture_on_commit_callbacks):
    settings.PASSWORD_RESET_REQUEST_LIMIT = 3
    with django_capture_on_commit_callbacks(execute=True):
        statuses = [ask(api, f"nobody{index}@example.org").status_code for index in range(3)]
        refused = ask(api, ada.email)
    assert statuses == [200, 200, 200]
    assert_error(refused, 429)
    assert mailoutbox == []
    assert ask(api, ada.email, REMOTE_ADDR="198.51.100.1").status_code == 200


def test_no_user_text_comes_before_the_link(api, mailoutbox, django_capture_on_commit_callbacks):
    """Anyone may register with someone else's address and ask for a reset: the mail carries no
    text of theirs (the name is not in it at all)."""
    UserFactory(email="victim@example.org", first_name="URGENT", last_name="call +1 555", public_name="Visit evil")
    token = requested_token(api, django_capture_on_commit_callbacks, mailoutbox, "victim@example.org")
    (message,) = mailoutbox
    html = message.alternatives[0][0]
    for body in (message.body, html, message.subject):
        for text in ("URGENT", "555", "evil"):
            assert text not in body
    assert token in html


# --- setting the password with the token ----------------------------------------------------------
def test_the_token_sets_the_password_once_and_logs_out_everywhere(
    api, ada, mailoutbox, django_capture_on_commit_callbacks
):
    login = api.client.post(
        "/v1/auth/login",
        json.dumps({"email": ada.email, "password": PASSWORD, "remember-me": True, "include-in-response": True}),
        content_type=JSON,
    )
    refresh = login.json()["refresh_token"]
    token = requested_token(api, django_capture_on_commit_callbacks, mailoutbox, ada.email)

    response = reset(api, token)
    assert response.status_code == 200, response.json_body
    assert response.json_body == {"id": str(ada.pk), "email": ada.email, "name": "Ada Lovelace"}
    assert logs_in(api.client, ada.email, NEW_PASSWORD)
    assert not logs_in(api.client, ada.email, PASSWORD)
    assert_error(api.post("/v1/auth/token/refresh", {"refresh_token": refresh}, content_type=JSON), 401)

    # Single use: the new password hash killed the token.
    error = assert_error(reset(api, token, "yet another secret"), 422)
    assert error["source"]["pointer"].endswith("token")
    assert error["detail"] == services.BAD_RESET_TOKEN
    assert logs_in(api.client, ada.email, NEW_PASSWORD)


def test_a_reset_verifies_the_address(api, mailoutbox, django_capture_on_commit_callbacks):
    """The link reached the mailbox, which proves the address as a verification link would."""
    user = UserFactory(email="new@example.org", is_verified=False)
    token = requested_token(api, django_capture_on_commit_callbacks, mailoutbox, user.email)
    assert reset(api, token).status_code == 200
    user.refresh_from_db()
    assert user.is_verified


def test_a_reset_clears_the_failed_logins(api, ada, settings, mailoutbox, django_capture_on_commit_callbacks):
    settings.LOGIN_FAILURE_LIMIT = 2
    for _ in range(2):
        logs_in(api.client, ada.email, "wrong guess")
    token = requested_token(api, django_capture_on_commit_callbacks, mailoutbox, ada.email)
    assert reset(api, token).status_code == 200
    assert logs_in(api.client, ada.email, NEW_PASSWORD)


def test_the_token_expires(api, ada, settings, monkeypatch, mailoutbox, django_capture_on_commit_callbacks):
    settings.PASSWORD_RESET_TIMEOUT = 2 * 3600
    token = requested_token(api, django_capture_on_commit_callbacks, mailoutbox, ada.email)
    assert "2 hours" in mailoutbox[0].body
    travel(monkeypatch, datetime.timedelta(hours=2, minutes=1))
    error = assert_error(reset(api, token), 422)
    assert error["source"]["pointer"].endswith("token")
    assert services.check_password_reset_token(token) is None
    travel(monkeypatch, datetime.timedelta(hours=1, minutes=59))
    assert reset(api, token).status_code == 200


def test_the_lifetime_defaults_to_24_hours(settings):
    assert settings.PASSWORD_RESET_TIMEOUT == 24 * 3600


def test_changing_the_address_kills_the_token(api, ada, mailoutbox, django_capture_on_commit_callbacks):
    token = requested_token(api, django_capture_on_commit_callbacks, mailoutbox, ada.email)
    services.update_user(ada, ada, email="ada@example.net")
    assert_error(reset(api, token), 422)


def test_a_blocked_account_cannot_use_its_token(api, ada, mailoutbox, django_capture_on_commit_callbacks):
    token = requested_token(api, django_capture_on_commit_callbacks, mailoutbox, ada.email)
    User.objects.filter(pk=ada.pk).update(is_blocked=True)
    assert_error(reset(api, token), 422)


def test_a_verification_token_is_no_reset_token(api, ada):
    assert_error(reset(api, services.email_verification_token(ada)), 422)


@pytest.mark.parametrize(
    "token",
    ["", "nonsense", "a-b-c", "MQ-zzz-" + "0" * 32, "!!-1-2", "x" * 500, 42, None, ["MQ-a-b"]],
)
def test_malformed_tokens_are_one_422(api, ada, token):
    error = assert_error(reset(api, token), 422)
    assert error["source"]["pointer"].endswith("token")
    assert logs_in(api.client, ada.email, PASSWORD)


def test_another_users_id_in_the_token_fails(api, ada, mailoutbox, django_capture_on_commit_callbacks):
    other = UserFactory(email="grace@example.org")
    token = requested_token(api, django_capture_on_commit_callbacks, mailoutbox, ada.email)
    forged = services.password_reset_token(other).split("-", 1)[0] + "-" + token.split("-", 1)[1]
    assert_error(reset(api, forged), 422)
    assert logs_in(api.client, other.email, PASSWORD)


def test_the_validators_apply_and_the_token_survives_a_refused_password(
    api, ada, mailoutbox, django_capture_on_commit_callbacks
):
    token = requested_token(api, django_capture_on_commit_callbacks, mailoutbox, ada.email)
    for weak in ("short", "12345678901", "password123"):
        error = assert_error(reset(api, token, weak), 422)
        assert error["source"]["pointer"].endswith("password")
    error = assert_error(api.patch(URL, {"data": {"token": token}}, content_type=JSON), 422)
    assert error["source"]["pointer"].endswith("password")
    assert reset(api, token).status_code == 200


def test_the_token_is_stored_nowhere(api, ada, mailoutbox, django_capture_on_commit_callbacks):
    """No column of any table (users, the mail log, sessions…) holds the token or its HMAC."""
    token = requested_token(api, django_capture_on_commit_callbacks, mailoutbox, ada.email)
    digest = token.rsplit("-", 1)[1]
    found = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608 (table names from the schema)
            for row in cursor.fetchall():
                if any(digest in str(value) for value in row):
                    found.append(table)
    assert found == []
    assert reset(api, token).status_code == 200


# --- the mails that tell ------------------------------------------------------------------------
def test_a_reset_is_followed_by_a_password_changed_mail(api, ada, mailoutbox, django_capture_on_commit_callbacks):
    token = requested_token(api, django_capture_on_commit_callbacks, mailoutbox, ada.email)
    with django_capture_on_commit_callbacks(execute=True):
        assert reset(api, token).status_code == 200
    changed = mailoutbox[1]
    assert changed.to == [ada.email]
    assert "password was changed" in changed.subject
    assert "http://testserver/reset-password\n" in changed.body + "\n"
    assert token not in changed.body


def change_password(api, user, new=NEW_PASSWORD):
    body = {"data": {"old-password": PASSWORD, "new-password": new}}
    return api.as_user(user).post("/v1/auth/change-password", body, content_type=JSON)


def test_changing_the_password_mails_the_account(api, ada, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        assert change_password(api, ada).status_code == 200
    (message,) = mailoutbox
    assert message.to == [ada.email]
    assert "password was changed" in message.subject
    assert re.search(r"changed on \d{1,2} \w+ \d{4}, \d\d:\d\d UTC", message.body)
    assert "http://testserver/reset-password" in message.body
    assert "Ada" not in message.body


def test_a_refused_change_mails_nothing(api, ada, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        assert_error(change_password(api, ada, "short"), 422)
    assert mailoutbox == []


def test_an_unverified_address_is_not_told(api, mailoutbox, django_capture_on_commit_callbacks):
    """Its owner may never have had the account: one mail per change would bomb them."""
    user = UserFactory(email="unproven@example.org", is_verified=False)
    with django_capture_on_commit_callbacks(execute=True):
        assert change_password(api, user).status_code == 200
    assert mailoutbox == []


def test_an_administrator_setting_a_password_is_told_too(ada, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.set_password(ada, "set by the admin 2027")
    assert [message.to for message in mailoutbox] == [[ada.email]]


def test_a_disabled_password_is_not_announced(ada, mailoutbox, django_capture_on_commit_callbacks):
    """The mail would send its reader to "Forgot password", which a disabled password does not
    serve."""
    with django_capture_on_commit_callbacks(execute=True):
        services.set_password(ada, None)
    assert mailoutbox == []


def test_the_former_address_is_told_of_a_new_one(api, ada, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = api.as_user(ada).patch(f"/v1/users/{ada.pk}", user_doc({"email": "ada@example.net"}, ada.pk))
    assert response.status_code == 200, response.json_body
    verification, notice = mailoutbox
    assert verification.to == ["ada@example.net"]
    assert notice.to == ["ada@example.org"]
    assert "address of your" in notice.subject
    assert "Former address: ada@example.org" in notice.body
    assert "New address: ada@example.net" in notice.body
    assert "/verify-email/" not in notice.body
    # The new address (text a user chose) comes after every link.
    assert notice.body.index("ada@example.net") > notice.body.index("http://")


def test_a_former_address_that_was_never_verified_is_not_told(
    api, mailoutbox, django_capture_on_commit_callbacks
):
    user = UserFactory(email="unproven@example.org", is_verified=False)
    with django_capture_on_commit_callbacks(execute=True):
        api.as_user(user).patch(f"/v1/users/{user.pk}", user_doc({"email": "other@example.org"}, user.pk))
    assert [message.to for message in mailoutbox] == [["other@example.org"]]


# --- the pages ------------------------------------------------------------------------------------
def test_the_login_page_links_to_forgot_password(client):
    assert reverse("password-reset") in client.get(reverse("login")).content.decode()


def test_forgot_password_says_the_same_whatever_the_address(
    client, ada, mailoutbox, django_capture_on_commit_callbacks
):
    assert client.get(reverse("password-reset")).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        known = client.post(reverse("password-reset"), {"email": ada.email}, follow=True)
        unknown = client.post(reverse("password-reset"), {"email": "nobody@example.org"}, follow=True)
    assert known.redirect_chain == unknown.redirect_chain == [(reverse("password-reset"), 302)]
    assert without_csrf(known) == without_csrf(unknown)
    assert services.RESET_ANSWER in known.content.decode()
    assert [message.to for message in mailoutbox] == [[ada.email]]
    assert LINK.search(mailoutbox[0].body).group(0).startswith("http://testserver/reset-password/")


def without_csrf(response):
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", response.content.decode())


def test_forgot_password_is_throttled(client, settings, mailoutbox):
    settings.PASSWORD_RESET_LIMIT = 1
    client.post(reverse("password-reset"), {"email": "nobody@example.org"})
    response = client.post(reverse("password-reset"), {"email": "nobody@example.org"})
    assert response.status_code == 429
    assert "Too many password resets" in response.content.decode()


def test_forgot_password_wants_an_address(client):
    response = client.post(reverse("password-reset"), {"email": "not an address"})
    assert response.status_code == 200
    assert response.context["form"].errors["email"]


def test_set_a_new_password_page(client, ada, mailoutbox, django_capture_on_commit_callbacks):
    # Another browser of Ada's is logged in (a page login after the mail would kill its link: Django's
    # tokens hash the last login too).
    other = type(client)()
    other.force_login(ada)
    token = requested_token(SimpleNamespace(client=client), django_capture_on_commit_callbacks, mailoutbox, ada.email)
    url = reverse("password-reset-confirm", args=[token])
    assert LINK.search(mailoutbox[0].body).group(0) == f"http://testserver{url}"
    # GET shows the form and uses nothing (a mail scanner may fetch the link).
    for _ in range(2):
        page = client.get(url)
        assert page.status_code == 200
        assert ada.email in page.content.decode()
        assert page["Referrer-Policy"] == "same-origin"
        assert "no-cache" in page["Cache-Control"]
    # Two different passwords: a form error, nothing used.
    page = client.post(url, {"password": NEW_PASSWORD, "password_again": "something else"})
    assert page.context["form"].errors["password_again"]
    page = client.post(url, {"password": "short", "password_again": "short"})
    assert page.context["form"].errors["password"]

    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(url, {"password": NEW_PASSWORD, "password_again": NEW_PASSWORD}, follow=True)
    assert done.redirect_chain == [(reverse("login"), 302)]
    assert "Your new password is set" in done.content.decode()
    assert logs_in(client, ada.email, NEW_PASSWORD)
    # Logged out everywhere: the other browser's session died with the old password.
    assert other.get(reverse("my-events")).status_code == 302
    assert "password was changed" in mailoutbox[-1].subject

    # A used link: a clear error and a way to ask for a new one.
    used = client.get(url)
    assert used.status_code == 400
    assert services.BAD_RESET_TOKEN in used.content.decode()
    assert reverse("password-reset") in used.content.decode()
    again = client.post(url, {"password": "yet another secret", "password_again": "yet another secret"})
    assert again.status_code == 400
    assert logs_in(client, ada.email, NEW_PASSWORD)


def test_an_expired_or_bad_link_shows_the_error(client, ada, monkeypatch):
    token = services.password_reset_token(ada)
    travel(monkeypatch, datetime.timedelta(hours=25))
    for bad in (token, "nonsense"):
        page = client.get(reverse("password-reset-confirm", args=[bad]))
        assert page.status_code == 400
        assert services.BAD_RESET_TOKEN in page.content.decode()



# --- the "Change password" page -------------------------------------------------------------------
def change_on_page(client, old=PASSWORD, new=NEW_PASSWORD, again=None):
    data = {"old_password": old, "password": new, "password_again": again or new}
    return client.post(reverse("password-change"), data)


def test_the_change_password_page_needs_a_login(client):
    response = client.get(reverse("password-change"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_changing_the_password_on_the_page(client, ada, mailoutbox, django_capture_on_commit_callbacks):
    other = type(client)()
    other.force_login(ada)
    client.force_login(ada)
    assert client.get(reverse("password-change")).status_code == 200
    assert change_on_page(client, old="wrong").context["form"].errors["old_password"]
    assert change_on_page(client, again="something else").context["form"].errors["password_again"]
    assert change_on_page(client, new="short").context["form"].errors["password"]
    assert mailoutbox == []
    with django_capture_on_commit_callbacks(execute=True):
        response = change_on_page(client)
    assert response.status_code == 302
    assert logs_in(type(client)(), ada.email, NEW_PASSWORD)
    # This browser stays in; the other one is out.
    assert client.get(reverse("my-events")).status_code == 200
    assert other.get(reverse("my-events")).status_code == 302
    (message,) = mailoutbox
    assert message.to == [ada.email]
    assert "password was changed" in message.subject


def test_wrong_old_passwords_on_the_page_count_as_failed_logins(client, ada, settings):
    settings.LOGIN_FAILURE_LIMIT = 2
    client.force_login(ada)
    for _ in range(2):
        assert change_on_page(client, old="guess").context["form"].errors["old_password"]
    response = change_on_page(client)
    assert "Too many failed logins" in " ".join(response.context["form"].non_field_errors())
    ada.refresh_from_db()
    assert ada.check_password(PASSWORD)
