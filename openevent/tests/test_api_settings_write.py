"""PATCH /v1/settings: administrators change the platform settings; secrets are write-only (only
``*-set`` flags are shown), read-only attributes may come back unchanged, everyone else is refused."""
import json

import pytest

from events.models import Role
from events.tests.factories import event_with_owner, give_role
from openevent.api.tests.documents import assert_error, pointers
from openevent.core import site
from openevent.core.models import PlatformSettings
from openevent.users.tests.factories import UserFactory
from sessions_app.tests.factories import SpeakerFactory

pytestmark = pytest.mark.django_db

PASSWORD = "smtp-pässword-1"
KEY = "SG.sendgrid-key-1"


def doc(attributes, type_="setting", id_="1"):
    return {"data": {"type": type_, "id": id_, "attributes": attributes}}


@pytest.fixture
def admin():
    return UserFactory(is_admin=True)


@pytest.fixture
def as_admin(api, admin):
    return api.as_user(admin)


def test_an_administrator_changes_the_settings_and_they_apply_at_once(as_admin, settings):
    settings.ANYMAIL = {"SENDGRID_API_KEY": ""}
    response = as_admin.patch(
        "/v1/settings",
        doc({
            "app-name": "Open Tech Events",
            "frontend-url": "https://events.example.org",
            "email-service": "sendgrid",
            "email-from": "events@example.org",
            "email-from-name": "Open Tech",
            "sendgrid-key": KEY,
            "smtp-port": 587,
            "smtp-password": PASSWORD,
        }),
    )
    assert response.status_code == 200, response.json_body
    data = response.json_body["data"]
    assert (data["type"], data["id"]) == ("setting", "1")
    attributes = data["attributes"]
    assert attributes["app-name"] == "Open Tech Events"
    assert attributes["email-service"] == "sendgrid"
    assert attributes["email-from-name"] == "Open Tech"
    assert attributes["smtp-port"] == 587
    assert attributes["sendgrid-key-set"] is attributes["smtp-password-set"] is True
    assert "sendgrid-key" not in attributes
    assert "smtp-password" not in attributes
    assert KEY not in response.content.decode()
    assert PASSWORD not in response.content.decode()

    mail = site.mail_settings()
    assert (mail.service, mail.sendgrid_key, mail.sender) == ("sendgrid", KEY, "Open Tech <events@example.org>")
    assert site.links_origin() == "https://events.example.org"
    public = as_admin.get("/v1/settings", public="true").json_body["data"]["attributes"]
    assert public["app-name"] == "Open Tech Events"
    assert "email-service" not in public


def test_secrets_are_never_read_back(as_admin):
    as_admin.patch("/v1/settings", doc({"smtp-password": PASSWORD, "sendgrid-key": KEY}))
    for params in ({}, {"public": "true"}):
        response = as_admin.get("/v1/settings", **params)
        body = response.content.decode()
        assert PASSWORD not in body
        assert KEY not in body
        assert PlatformSettings.load().smtp_password_sealed not in body
    assert as_admin.get("/v1/settings").json_body["data"]["attributes"]["smtp-password-set"] is True


def test_null_or_empty_goes_back_to_the_environment(as_admin, settings):
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_PORT = 25
    as_admin.patch("/v1/settings", doc({"smtp-password": PASSWORD, "smtp-port": 2525, "tagline": "Ours"}))
    response = as_admin.patch("/v1/settings", doc({"smtp-port": None, "tagline": ""}))
    attributes = response.json_body["data"]["attributes"]
    assert attributes["smtp-port"] == 25
    assert attributes["tagline"] is None


def test_an_empty_secret_keeps_the_stored_one_and_null_removes_it(as_admin, settings):
    settings.EMAIL_HOST_PASSWORD = ""
    as_admin.patch("/v1/settings", doc({"smtp-password": PASSWORD}))
    response = as_admin.patch("/v1/settings", doc({"smtp-password": ""}))
    assert response.json_body["data"]["attributes"]["smtp-password-set"] is True
    assert site.mail_settings().smtp_password == PASSWORD
    response = as_admin.patch("/v1/settings", doc({"smtp-password": None}))
    assert response.json_body["data"]["attributes"]["smtp-password-set"] is False
    assert PlatformSettings.load().smtp_password_sealed == ""


def test_the_document_read_may_be_sent_back_whole(as_admin):
    """The Open Event front end saves every attribute it holds, read-only ones included."""
    attributes = as_admin.get("/v1/settings").json_body["data"]["attributes"]
    attributes["tagline"] = "Round trip"
    response = as_admin.patch("/v1/settings", doc(attributes))
    assert response.status_code == 200, response.json_body
    assert response.json_body["data"]["attributes"]["tagline"] == "Round trip"
    row = PlatformSettings.load()
    assert row.tagline == "Round trip"
    # What came from the environment (or this origin) was sent back unchanged and stays unpinned.
    assert (row.email_from, row.smtp_host, row.smtp_port, row.frontend_url, row.app_name) == ("", "", None, "", "")


@pytest.mark.parametrize(
    ("attributes", "pointer"),
    [
        ({"app-environment": "testing"}, "/data/attributes/app-environment"),
        ({"smtp-password-set": True}, "/data/attributes/smtp-password-set"),
        ({"is-stripe-activated": True}, "/data/attributes/is-stripe-activated"),
        ({"github-url": "https://github.com/mine"}, "/data/attributes/github-url"),
        ({"secret": "x"}, "/data/attributes/secret"),
        ({"smtp-password-sealed": "forged"}, "/data/attributes/smtp-password-sealed"),
        ({"email-service": "mailgun"}, "/data/attributes/email-service"),
        ({"smtp-encryption": "starttls"}, "/data/attributes/smtp-encryption"),
        ({"smtp-port": 0}, "/data/attributes/smtp-port"),
        ({"smtp-port": 70000}, "/data/attributes/smtp-port"),
        ({"smtp-port": "twenty-five"}, "/data/attributes/smtp-port"),
        ({"email-from": "nobody"}, "/data/attributes/email-from"),
        ({"frontend-url": "javascript:alert(1)"}, "/data/attributes/frontend-url"),
        ({"support-url": "file:///etc/passwd"}, "/data/attributes/support-url"),
        ({"email-from-name": "A\nBcc: everyone@example.org"}, "/data/attributes/email-from-name"),
        ({"app-name": {"nested": "object"}}, "/data/attributes/app-name"),
        ({"sendgrid-key": 12345}, "/data/attributes/sendgrid-key"),
    ],
)
def test_a_value_that_cannot_be_is_a_422_on_its_attribute(as_admin, attributes, pointer):
    response = as_admin.patch("/v1/settings", doc({"tagline": "not stored", **attributes}))
    assert_error(response, 422)
    assert pointers(response) == [pointer]
    assert PlatformSettings.stored() is None


def test_sendgrid_without_a_key_is_refused(as_admin, settings):
    settings.ANYMAIL = {"SENDGRID_API_KEY": ""}
    response = as_admin.patch("/v1/settings", doc({"email-service": "sendgrid"}))
    assert_error(response, 422)
    assert pointers(response) == ["/data/attributes/sendgrid-key"]


def test_smtp_without_a_host_is_refused(as_admin, settings):
    settings.EMAIL_HOST = ""
    response = as_admin.patch("/v1/settings", doc({"email-service": "smtp"}))
    assert_error(response, 422)
    assert pointers(response) == ["/data/attributes/smtp-host"]


@pytest.mark.parametrize(
    ("raw", "status"),
    [
        ("{not json", 400),
        ("[]", 400),
        ('{"meta": {}}', 400),
        ('{"data": []}', 400),
        ('{"data": null}', 400),
        ('{"data": {"type": "event", "id": "1", "attributes": {}}}', 409),
        ('{"data": {"type": "setting", "attributes": {}}}', 400),
        ('{"data": {"type": "setting", "id": "2", "attributes": {}}}', 409),
        ('{"data": {"type": "setting", "id": "1", "attributes": []}}', 400),
        ('{"data": {"type": "setting", "id": "1", "attributes": {}, "relationships": {"user": {"data": null}}}}', 400),
        ("[" * 100 + "]" * 100, 400),
    ],
)
def test_a_bad_document_is_a_clear_error(as_admin, raw, status):
    response = as_admin.patch("/v1/settings", raw=raw)
    assert_error(response, status)


def test_plain_json_is_an_unsupported_media_type(as_admin):
    response = as_admin.patch("/v1/settings", raw=json.dumps(doc({})), content_type="application/json")
    assert_error(response, 415)


def test_an_empty_attributes_object_changes_nothing(as_admin):
    response = as_admin.patch("/v1/settings", doc({}))
    assert response.status_code == 200, response.json_body
    assert response.json_body["data"]["attributes"]["app-name"] == "Open Event"


@pytest.mark.parametrize("who", ["anonymous", "plain", "speaker", "organizer", "owner"])
def test_others_may_not_change_the_settings(api, who):
    event, owner = event_with_owner()
    user = {
        "anonymous": lambda: None,
        "plain": UserFactory,
        "speaker": lambda: SpeakerFactory(event=event, user=UserFactory()).user,
        "organizer": lambda: give_role(UserFactory(), event, Role.ORGANIZER).user,
        "owner": lambda: owner,
    }[who]()
    for params in ("", "?public=true"):
        response = api.as_user(user).patch(f"/v1/settings{params}", doc({"app-name": "Mine", "smtp-host": "evil"}))
        assert_error(response, 401 if user is None else 403)
        assert "data" not in response.json_body
    assert PlatformSettings.stored() is None
    assert site.public_settings()["app_name"] == "Open Event"


@pytest.mark.parametrize("public", [True, False])
def test_reading_the_settings_is_one_query_on_the_row(api, admin, django_assert_num_queries, public):
    client = api if public else api.as_user(admin)
    params = {"public": "true"} if public else {}
    client.get("/v1/settings", **params)  # the first request of a login also notes the user's visit
    expected = 1 if public else 2  # the row; the administrator's account
    with django_assert_num_queries(expected):
        assert client.get("/v1/settings", **params).status_code == 200
    api.as_user(admin).patch("/v1/settings", doc({"smtp-password": PASSWORD, "tagline": "Stored"}))
    client.as_user(None if public else admin)
    with django_assert_num_queries(expected):
        response = client.get("/v1/settings", **params)
    assert response.json_body["data"]["attributes"]["tagline"] == "Stored"
