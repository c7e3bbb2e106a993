"""/v1/settings: ONE ``setting`` resource. ``?public=true`` (what the Open Event front end asks
before anything else) for anyone; the full settings for administrators only."""
import pytest

from openevent.api.tests.documents import assert_error
from openevent.users.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

# What the front end reads of the public settings (app/models/setting.js, services/settings.js).
PUBLIC_KEYS = {
    "app-name", "tagline", "frontend-url", "support-url", "cookie-policy", "cookie-policy-link",
    "google-url", "github-url", "twitter-url", "facebook-url", "instagram-url", "patreon-url", "gitter-url",
    "telegram-url", "youtube-url", "weblate-url", "is-paypal-activated", "is-stripe-activated",
    "is-omise-activated", "is-alipay-activated", "is-paytm-activated", "is-billing-paypal-activated",
}  # fmt: skip
# What administrators read besides: the environment and the mail settings in force (secrets only
# as whether one is set).
ADMIN_KEYS = {
    "app-environment", "email-service", "email-from", "email-from-name", "smtp-host", "smtp-port",
    "smtp-username", "smtp-encryption", "smtp-password-set", "sendgrid-key-set",
    "stripe-client-id", "stripe-publishable-key", "stripe-mode", "stripe-secret-key-set",
}  # fmt: skip


def test_the_public_settings_are_one_resource(api):
    response = api.get("/v1/settings", public="true", cache="true")
    assert response.status_code == 200, response.json_body
    data = response.json_body["data"]
    assert isinstance(data, dict)
    assert (data["type"], data["id"]) == ("setting", "1")
    assert set(data["attributes"]) == PUBLIC_KEYS
    assert data["attributes"]["app-name"] == "Open Event"
    assert data["attributes"]["tagline"] is None
    assert data["attributes"]["is-stripe-activated"] is False
    assert response.json_body["jsonapi"] == {"version": "1.0"}


def test_values_come_from_the_configuration(api, settings):
    settings.SITE_SETTINGS = {
        "app_name": "Open Tech Events",
        "tagline": "Events of the open source community",
        "frontend_url": "https://events.example.org",
        "social_urls": {"github": "https://github.com/example", "unknown": "https://ignored.example"},
    }
    attributes = api.get("/v1/settings", public="true").json_body["data"]["attributes"]
    assert attributes["app-name"] == "Open Tech Events"
    assert attributes["tagline"] == "Events of the open source community"
    assert attributes["frontend-url"] == "https://events.example.org"
    assert attributes["github-url"] == "https://github.com/example"
    assert attributes["twitter-url"] is None
    assert set(attributes) == PUBLIC_KEYS


def test_administrators_read_the_full_settings(api):
    admin = UserFactory(is_admin=True)
    response = api.as_user(admin).get("/v1/settings")
    assert response.status_code == 200, response.json_body
    attributes = response.json_body["data"]["attributes"]
    assert set(attributes) == PUBLIC_KEYS | ADMIN_KEYS
    assert attributes["app-environment"] == "production"  # DEBUG is off in tests


@pytest.mark.parametrize(("viewer", "status"), [("anonymous", 401), ("plain", 403)])
def test_others_are_refused_the_full_settings(api, viewer, status):
    user = UserFactory() if viewer == "plain" else None
    response = api.as_user(user).get("/v1/settings")
    assert_error(response, status)
    assert "data" not in response.json_body
    assert_error(api.as_user(user).get("/v1/settings", public="false"), status)


def test_an_unknown_parameter_is_a_400(api):
    error = assert_error(api.get("/v1/settings", public="true", sort="id"), 400)
    assert error["source"] == {"parameter": "sort"}


def test_an_unset_frontend_url_is_this_servers_origin(api, settings):
    settings.SITE_SETTINGS = {**settings.SITE_SETTINGS, "frontend_url": ""}
    attributes = api.get("/v1/settings", public="true").json_body["data"]["attributes"]
    assert attributes["frontend-url"] == "http://testserver"
