"""The account routes of the blueprint beside login: verify-password, get-user-id, check_email,
resend-verification-email by address, and what registration answers."""

import json

import pytest
from django.test import TestCase
from drf_spectacular.generators import SchemaGenerator

from openevent.api.tests.documents import assert_error
from openevent.users.models import User
from openevent.users.tests.factories import PASSWORD, UserFactory
from openevent.users.tests.helpers import user_doc

pytestmark = pytest.mark.django_db
JSON = "application/json"
RESEND = "/v1/auth/resend-verification-email"


# --- verify-password -----------------------------------------------------------------------------
def test_verify_password(api):
    user = UserFactory()
    assert_error(api.post("/v1/auth/verify-password", {"password": PASSWORD}, content_type=JSON), 401)
    api.as_user(user)
    right = api.post("/v1/auth/verify-password", {"password": PASSWORD}, content_type=JSON)
    assert right.status_code == 200
    assert right.json_body == {"result": True}
    wrong = api.post("/v1/auth/verify-password", {"password": "not it"}, content_type=JSON)
    assert wrong.status_code == 200
    assert wrong.json_body == {"result": False}
    # The blueprint sends it as application/vnd.api+json.
    as_jsonapi = api.post("/v1/auth/verify-password", {"password": PASSWORD})
    assert as_jsonapi.json_body == {"result": True}
    error = assert_error(api.post("/v1/auth/verify-password", {}, content_type=JSON), 422)
    assert error["source"]["pointer"].endswith("password")


def test_verify_password_is_throttled_with_the_logins_so_it_is_no_oracle(api, client, settings):
    settings.LOGIN_FAILURE_LIMIT = 3
    user = UserFactory()
    api.as_user(user)
    for _ in range(3):
        assert api.post("/v1/auth/verify-password", {"password": "guess"}, content_type=JSON).json_body == {
            "result": False
        }
    assert_error(api.post("/v1/auth/verify-password", {"password": PASSWORD}, content_type=JSON), 429)
    # The guesses counted against the account: logging in is locked too.
    login = client.post("/v1/auth/login", {"email": user.email, "password": PASSWORD}, content_type=JSON)
    assert login.status_code == 429


# --- get-user-id ---------------------------------------------------------------------------------
def test_get_user_id(api):
    user = UserFactory()
    assert_error(api.get("/v1/users/user-details/get-user-id"), 401)
    response = api.as_user(user).get("/v1/users/user-details/get-user-id")
    assert response.status_code == 200
    assert response.json_body == {"user_id": str(user.pk)}


# --- check_email ---------------------------------------------------------------------------------
def test_check_email_is_for_admins(api):
    UserFactory(email="known@example.org")
    gone = UserFactory(email="gone@example.org")
    gone.soft_delete()
    admin = UserFactory(is_admin=True)
    api.as_user(admin)
    cases = [("known@example.org", True), (" KNOWN@example.org", True), ("gone@example.org", False)]
    for email, exists in [*cases, ("nobody@example.org", False)]:
        response = api.post("/v1/users/check_email", {"email": email}, content_type=JSON)
        assert response.status_code == 200
        assert response.json_body == {"exists": exists}
    error = assert_error(api.post("/v1/users/check_email", {}, content_type=JSON), 422)
    assert error["source"]["pointer"].endswith("email")


def test_check_email_refuses_everyone_else(api):
    """It would tell anyone which addresses have accounts (Open Event serves it to all)."""
    UserFactory(email="known@example.org")
    for email in ("known@example.org", "nobody@example.org"):
        assert_error(api.as_user(None).post("/v1/users/check_email", {"email": email}, content_type=JSON), 401)
        user = UserFactory()
        assert_error(api.as_user(user).post("/v1/users/check_email", {"email": email}, content_type=JSON), 403)


# --- resend-verification-email by address ------------------------------------------------------------
def post_resend(api, body, remote):
    """Resend, and run what the request left for after its commit (the mail's sending)."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = api.client.post(RESEND, json.dumps(body), content_type=JSON, REMOTE_ADDR=remote)
    response.json_body = response.json()
    return response


def resend(api, email, remote="192.0.2.1"):
    return post_resend(api, {"data": {"email": email}}, remote)


def test_resend_by_address_answers_alike_for_every_address(api, mailoutbox):
    unverified = UserFactory(email="waiting@example.org", is_verified=False)
    UserFactory(email="done@example.org", is_verified=True)
    gone = UserFactory(email="gone@example.org", is_verified=False)
    gone.soft_delete()
    answers = [
        resend(api, email, remote=f"192.0.2.{index}")
        for index, email in enumerate(["waiting@example.org", "done@example.org", "gone@example.org", "no@example.org"])
    ]
    assert {(response.status_code, response.content) for response in answers} == {
        (200, b'{"message":"Verification email resent"}')
    }
    assert [message.to for message in mailoutbox] == [[unverified.email]]


def test_resend_by_address_is_throttled_per_address_whether_or_not_it_exists(api, settings, mailoutbox):
    assert settings.VERIFICATION_MAIL_LIMIT == 3
    UserFactory(email="waiting@example.org", is_verified=False)
    for email in ("waiting@example.org", "no@example.org"):
        statuses = [resend(api, email, remote=f"198.51.100.{index}").status_code for index in range(4)]
        assert statuses == [200, 200, 200, 429]
    # One mail: the next ones fell within the minute of the first.
    assert len(mailoutbox) == 1


def test_resend_by_address_is_throttled_per_client(api, settings, mailoutbox):
    settings.VERIFICATION_REQUEST_LIMIT = 2
    UserFactory(email="waiting@example.org", is_verified=False)
    assert resend(api, "a@example.org").status_code == 200
    assert resend(api, "b@example.org").status_code == 200
    assert_error(resend(api, "waiting@example.org"), 429)
    assert not mailoutbox
    assert resend(api, "waiting@example.org", remote="192.0.2.99").status_code == 200
    assert len(mailoutbox) == 1


def test_resend_by_address_needs_an_address(api):
    error = assert_error(post_resend(api, {"data": {}}, "192.0.2.1"), 422)
    assert error["source"]["pointer"].endswith("email")


def test_resend_without_a_body_for_the_logged_in_user(api, mailoutbox, django_capture_on_commit_callbacks):
    unverified = UserFactory(is_verified=False)
    with django_capture_on_commit_callbacks(execute=True):
        response = api.as_user(unverified).post(RESEND, content_type=JSON)
    assert response.status_code == 200, response.json_body
    assert response.json_body == {"message": "Verification email resent"}
    assert [message.to for message in mailoutbox] == [[unverified.email]]
    assert_error(api.as_user(UserFactory()).post(RESEND, content_type=JSON), 409)


# --- registration ----------------------------------------------------------------------------------
def test_registration_answers_the_registrants_private_attributes(api):
    body = user_doc({"email": "new@example.org", "password": "a strong secret", "contact": "+65 1234"})
    response = api.post("/v1/users", body)
    assert response.status_code == 201, response.json_body
    attributes = response.json_body["data"]["attributes"]
    for name in ("email", "contact", "created-at", "is-verified", "is-admin", "is-super-admin", "deleted-at"):
        assert name in attributes
    assert attributes["email"] == "new@example.org"
    assert attributes["contact"] == "+65 1234"
    assert attributes["is-verified"] is False
    assert "password" not in attributes
    # The blueprint's answer carries the role flags too, and the user's event relationships.
    for name in ("is-user-owner", "is-user-organizer", "is-user-coorganizer", "is-user-track-organizer",
                 "is-user-moderator", "is-user-registrar"):  # fmt: skip
        assert attributes[name] is False
    assert response.json_body["data"]["relationships"]["events"]["data"] == []
    # Others (anonymous here) still see the public fields only.
    user = User.objects.get(email="new@example.org")
    shown = api.get(f"/v1/users/{user.pk}").json_body["data"]["attributes"]
    assert "email" not in shown
    assert "contact" not in shown


def test_the_api_docs_say_who_may_check_an_email_and_why():
    paths = SchemaGenerator().get_schema(request=None, public=True)["paths"]
    description = paths["/v1/users/check_email"]["post"]["description"]
    assert "Administrators only" in description
    assert "enumeration" in description
    for path in (
        "/v1/auth/fresh-login",
        "/v1/auth/verify-password",
        "/v1/auth/blacklist",
        "/v1/auth/resend-verification-email",
        "/v1/users/user-details/get-user-id",
    ):
        assert path in paths, path
