"""Stripe Connect for organizers, against a fake Stripe on 127.0.0.1: the platform settings, the
settings page's "Connect with Stripe" and callback, "Disconnect", the signed state, and who may."""
import json
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core import signing
from django.urls import reverse

from events.models import Event, StripeAuthorization
from events.services import stripe as stripe_services
from events.tests.factories import give_role
from events.tests.helpers import staffed_event
from openevent.api.tests.documents import assert_error
from openevent.core import services as core_services
from openevent.core.models import PlatformSettings

pytestmark = pytest.mark.django_db

GOOD_CODE = "ac_good"
ACCESS_TOKEN = "sk_test_connected_ACCESS_9f8e"
REFRESH_TOKEN = "rt_connected_REFRESH_7a6b"
ACCOUNT = "acct_1Connected"
PUBLISHABLE = "pk_test_connected_publishable"
REVOKED_ACCOUNT = "acct_revoked"
DOWN_ACCOUNT = "acct_down"  # its deauthorize fails (Stripe answers 500)
PLATFORM_SECRET = "sk_test_platform_SECRET_1234"
ACCOUNT_CURRENCY = "eur"  # Stripe writes currencies in lower case
BAD_REQUEST = 400
OK = 200
FOUND = 302
FORBIDDEN = 403


class FakeStripe(BaseHTTPRequestHandler):
    """Stripe's Connect OAuth endpoints, as far as the flow uses them."""

    calls = []

    def log_message(self, *args):
        pass

    def _answer(self, status, body):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"] or 0)).decode()
        form = {key: values[0] for key, values in parse_qs(body).items()}
        FakeStripe.calls.append((self.path, form, self.headers.get("Authorization")))
        if self.path == "/oauth/token" and form.get("code") in MISBEHAVING:
            return MISBEHAVING[form["code"]](self)
        if self.path == "/oauth/token":
            if form.get("code") != GOOD_CODE:
                return self._answer(BAD_REQUEST, {
                    "error": "invalid_grant",
                    "error_description": f"Authorization code does not exist: {form.get('code')}",
                })
            return self._answer(OK, {
                "access_token": ACCESS_TOKEN, "refresh_token": REFRESH_TOKEN, "livemode": False,
                "scope": "read_write", "stripe_publishable_key": PUBLISHABLE, "stripe_user_id": ACCOUNT,
                "token_type": "bearer",
            })
        if self.path == "/oauth/deauthorize" and form.get("stripe_user_id") == DOWN_ACCOUNT:
            return self._answer(500, {"error": {"message": "An unknown error occurred"}})
        if self.path == "/oauth/deauthorize":
            if form.get("stripe_user_id") == REVOKED_ACCOUNT:
                return self._answer(BAD_REQUEST, {
                    "error": "invalid_client",
                    "error_description": f"This application is not connected to stripe account {REVOKED_ACCOUNT}, "
                    "or that account does not exist.",
                })
            return self._answer(OK, {"stripe_user_id": form.get("stripe_user_id")})
        return self._answer(404, {"error": {"message": "Unrecognized request URL"}})

    def do_GET(self):
        FakeStripe.calls.append((self.path, {}, self.headers.get("Authorization")))
        if self.path == f"/v1/accounts/{ACCOUNT}" and ACCOUNT_CURRENCY is None:
            return self._answer(500, {"error": {"type": "api_error", "message": "An unknown error occurred"}})
        if self.path == f"/v1/accounts/{ACCOUNT}":
            return self._answer(OK, {"id": ACCOUNT, "object": "account", "default_currency": ACCOUNT_CURRENCY})
        return self._answer(404, {"error": {"type": "invalid_request_error", "message": "No such account"}})


def _raw(handler, status, data, pause=0):
    time.sleep(pause)
    handler.send_response(status)
    handler.send_header("Content-Type", "application/json")
    handler.send_header("Content-Length", str(len(data)))
    handler.end_headers()
    handler.wfile.write(data)


ODD_ACCOUNT = "acct_" + "x" * 300
#: Codes for which the fake Stripe misbehaves (``test_stripe_hostile``): fails, answers garbage,
#: answers an odd token, answers too late.
SLOW = 2
MISBEHAVING = {
    "ac_500": lambda handler: handler._answer(500, {"error": {"message": "An unknown error occurred"}}),
    "ac_garbage": lambda handler: _raw(handler, OK, b"<html>Bad gateway</html>"),
    "ac_list": lambda handler: _raw(handler, OK, b"[1, 2]"),
    "ac_typed": lambda handler: handler._answer(OK, {
        "access_token": ACCESS_TOKEN, "stripe_user_id": {"id": ACCOUNT}, "stripe_publishable_key": ["pk"]}),
    "ac_typed_tokens": lambda handler: handler._answer(OK, {
        "access_token": {"t": 1}, "refresh_token": 7, "stripe_user_id": ACCOUNT, "stripe_publishable_key": ["pk"]}),
    "ac_long": lambda handler: handler._answer(OK, {
        "access_token": ACCESS_TOKEN, "stripe_user_id": ODD_ACCOUNT, "stripe_publishable_key": "pk_" + "y" * 300}),
    "ac_slow": lambda handler: _raw(handler, OK, json.dumps({
        "access_token": ACCESS_TOKEN, "stripe_user_id": ACCOUNT}).encode(), pause=SLOW),
}


@pytest.fixture(scope="module")
def fake_stripe():
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeStripe)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture
def stripe_on(settings, fake_stripe):
    settings.STRIPE_CONNECT_BASE = settings.STRIPE_API_BASE = fake_stripe
    FakeStripe.calls.clear()
    admin = staffed_event()[1]["admin"]
    core_services.update_platform_settings(
        {"stripe_client_id": "ca_platform", "stripe_secret_key": PLATFORM_SECRET, "stripe_publishable_key": "pk_p"},
        admin,
    )
    return fake_stripe


def _login(client, user):
    client.force_login(user)
    return client


def _connect(client, event):
    """Press "Connect with Stripe": Stripe's authorize URL; returns its query."""
    response = client.post(reverse("stripe-connect", args=[event.identifier]))
    assert response.status_code == FOUND
    return urlsplit(response["Location"]), parse_qs(urlsplit(response["Location"]).query)


def _messages(response):
    return [str(message) for message in response.context["messages"]] if response.context else []


def test_the_whole_page_flow(client, stripe_on):
    event, people = staffed_event()
    _login(client, people["owner"])
    page = client.get(reverse("event-settings", args=[event.identifier]))
    assert "Connect with Stripe" in page.content.decode()
    url, query = _connect(client, event)
    assert url.path == "/oauth/authorize"
    assert stripe_on.endswith(url.netloc)
    assert query["client_id"] == ["ca_platform"]
    assert query["scope"] == ["read_write"]
    assert query["response_type"] == ["code"]
    assert query["redirect_uri"] == ["http://testserver/events/stripe/callback"]
    back = client.get(reverse("stripe-callback"), {"code": GOOD_CODE, "state": query["state"][0]}, follow=True)
    text = back.content.decode()
    assert f"connected to the Stripe account {ACCOUNT}" in text
    assert "choose the currency buyers pay in" not in text
    assert "Disconnect" in text
    event.refresh_from_db()
    assert event.can_pay_by_stripe
    assert event.is_stripe_linked
    assert event.payment_currency == "EUR"  # the account's default currency
    row = StripeAuthorization.objects.get(event=event)
    assert row.stripe_user_id == ACCOUNT
    assert row.stripe_publishable_key == PUBLISHABLE
    assert ACCESS_TOKEN not in row.access_token_sealed
    assert REFRESH_TOKEN not in row.refresh_token_sealed
    assert ACCESS_TOKEN not in text
    assert REFRESH_TOKEN not in text
    (path, form, auth), (account_path, _, account_auth) = FakeStripe.calls[-2:]
    assert path == "/oauth/token"
    assert form == {"grant_type": "authorization_code", "code": GOOD_CODE}
    assert auth == f"Bearer {PLATFORM_SECRET}"
    assert (account_path, account_auth) == (f"/v1/accounts/{ACCOUNT}", f"Bearer {PLATFORM_SECRET}")
    # The settings save again at once: card payments have their currency.
    saved = client.post(reverse("event-settings", args=[event.identifier]), _settings_form(client, event), follow=True)
    assert f"The settings of “{event.name}” were saved." in _messages(saved)
    gone = client.post(reverse("stripe-disconnect", args=[event.identifier]), follow=True)
    assert "no longer connected to Stripe" in gone.content.decode()
    assert FakeStripe.calls[-1][0] == "/oauth/deauthorize"
    assert FakeStripe.calls[-1][1]["stripe_user_id"] == ACCOUNT
    event.refresh_from_db()
    assert not event.is_stripe_linked
    assert not event.can_pay_by_stripe
    assert not StripeAuthorization.objects.exists()


def _settings_form(client, event):
    """The settings form as the page fills it in."""
    form = client.get(reverse("event-settings", args=[event.identifier])).context["form"]
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value is None or value is False:
            continue
        data[name] = "on" if value is True else value
    return data


def test_an_event_with_a_currency_keeps_it_and_stripe_is_not_asked(client, stripe_on):
    event, people = staffed_event()
    Event.objects.filter(pk=event.pk).update(payment_currency="JPY")
    _login(client, people["owner"])
    _, query = _connect(client, event)
    client.get(reverse("stripe-callback"), {"code": GOOD_CODE, "state": query["state"][0]})
    event.refresh_from_db()
    assert (event.is_stripe_linked, event.payment_currency) == (True, "JPY")
    assert [call[0] for call in FakeStripe.calls] == ["/oauth/token"]


@pytest.mark.parametrize("answer", ["xyz", None], ids=["not-a-currency", "stripe-fails"])
def test_an_account_stripe_cannot_describe_still_connects_and_the_page_asks_for_a_currency(
    client, stripe_on, monkeypatch, answer
):
    event, people = staffed_event()
    monkeypatch.setattr(sys.modules[__name__], "ACCOUNT_CURRENCY", answer)
    _login(client, people["owner"])
    _, query = _connect(client, event)
    back = client.get(reverse("stripe-callback"), {"code": GOOD_CODE, "state": query["state"][0]}, follow=True)
    assert "choose the currency buyers pay in" in back.content.decode()
    event.refresh_from_db()
    assert (event.is_stripe_linked, event.can_pay_by_stripe, event.payment_currency) == (True, True, "")


def test_a_bad_code_is_told_in_words(client, stripe_on):
    event, people = staffed_event()
    _login(client, people["organizer"])
    _, query = _connect(client, event)
    back = client.get(reverse("stripe-callback"), {"code": "ac_wrong", "state": query["state"][0]}, follow=True)
    assert "Stripe did not accept the authorization (Authorization code does not exist: ac_wrong)" in (
        back.content.decode()
    )
    assert not StripeAuthorization.objects.exists()
    event.refresh_from_db()
    assert not event.is_stripe_linked


def test_stripe_denied_is_told_in_words(client, stripe_on):
    event, people = staffed_event()
    _login(client, people["owner"])
    _, query = _connect(client, event)
    back = client.get(
        reverse("stripe-callback"),
        {"error": "access_denied", "error_description": "The user denied your request", "state": query["state"][0]},
        follow=True,
    )
    assert "Stripe is not connected: you cancelled the connection." in back.content.decode()
    assert not FakeStripe.calls


def test_a_replayed_state_is_refused(client, stripe_on):
    event, people = staffed_event()
    _login(client, people["owner"])
    _, query = _connect(client, event)
    state = query["state"][0]
    client.get(reverse("stripe-callback"), {"code": "ac_wrong", "state": state})
    again = client.get(reverse("stripe-callback"), {"code": GOOD_CODE, "state": state}, follow=True)
    assert "already used" in again.content.decode()
    assert not StripeAuthorization.objects.exists()
    assert len(FakeStripe.calls) == 1


def test_states_of_another_user_or_event_expired_or_tampered_are_refused(client, stripe_on, settings):
    event, people = staffed_event()
    other_event, other_people = staffed_event()
    owner = people["owner"]
    mine = stripe_services.make_state(owner, event)
    # Another organizer of the same event cannot use the owner's state.
    with pytest.raises(stripe_services.NotAllowed):
        stripe_services.connect(people["organizer"], event, GOOD_CODE, state=mine)
    # Nor can the owner use it for another event they organize.
    give_role(owner, other_event, "organizer")
    with pytest.raises(stripe_services.NotAllowed):
        stripe_services.connect(owner, other_event, GOOD_CODE, state=mine)
    with pytest.raises(stripe_services.Invalid, match="not one we asked for"):
        stripe_services.connect(owner, event, GOOD_CODE, state=mine[:-2] + "xx")
    settings.STRIPE_STATE_MAX_AGE = -1
    with pytest.raises(stripe_services.Invalid, match="expired"):
        stripe_services.connect(owner, event, GOOD_CODE, state=stripe_services.make_state(owner, event))
    forged = signing.dumps({"u": owner.pk, "e": event.pk, "n": "x"}, salt="another.salt")
    settings.STRIPE_STATE_MAX_AGE = 600
    with pytest.raises(stripe_services.Invalid):
        stripe_services.connect(owner, event, GOOD_CODE, state=forged)
    assert not FakeStripe.calls
    assert not StripeAuthorization.objects.exists()
    # Through the page: the organizer using the owner's state is told, nothing connected.
    _login(client, people["organizer"])
    back = client.get(reverse("stripe-callback"), {"code": GOOD_CODE, "state": mine}, follow=True)
    assert "started by someone else or for another event" in back.content.decode()
    assert not other_people["plain"].is_admin


def test_a_revoked_account_is_cleared_on_disconnect(client, stripe_on):
    event, people = staffed_event()
    StripeAuthorization.objects.create(event=event, stripe_user_id=REVOKED_ACCOUNT)
    Event.objects.filter(pk=event.pk).update(is_stripe_linked=True, can_pay_by_stripe=True)
    _login(client, people["owner"])
    client.post(reverse("stripe-disconnect", args=[event.identifier]))
    assert FakeStripe.calls[-1][1]["stripe_user_id"] == REVOKED_ACCOUNT
    assert not StripeAuthorization.objects.exists()
    event.refresh_from_db()
    assert not event.is_stripe_linked


def test_without_platform_settings_there_is_no_button(client, settings, fake_stripe):
    settings.STRIPE_CONNECT_BASE = fake_stripe
    event, people = staffed_event()
    _login(client, people["owner"])
    text = client.get(reverse("event-settings", args=[event.identifier])).content.decode()
    assert "Connect with Stripe" not in text
    assert "an administrator must enter the Stripe Connect settings" in text
    response = client.post(reverse("stripe-connect", args=[event.identifier]), follow=True)
    assert "an administrator must enter the Stripe Connect settings" in response.content.decode()
    with pytest.raises(stripe_services.Invalid, match="not set up"):
        stripe_services.connect(people["owner"], event, GOOD_CODE)


@pytest.mark.parametrize("who", ["coorganizer", "track_organizer", "moderator", "registrar", "plain",
                                 "other_organizer"])  # fmt: skip
def test_only_owner_and_organizers_connect(client, stripe_on, who):
    event, people = staffed_event()
    _login(client, people[who])
    response = client.post(reverse("stripe-connect", args=[event.identifier]))
    assert response.status_code in (FORBIDDEN, 404)
    with pytest.raises(stripe_services.NotAllowed):
        stripe_services.connect(people[who], event, GOOD_CODE)
    StripeAuthorization.objects.create(event=event, stripe_user_id=ACCOUNT)
    response = client.post(reverse("stripe-disconnect", args=[event.identifier]))
    assert response.status_code in (FORBIDDEN, 404)
    assert StripeAuthorization.objects.exists()
    assert not FakeStripe.calls


def test_anonymous_is_sent_to_log_in(client, stripe_on):
    event, _ = staffed_event()
    response = client.post(reverse("stripe-connect", args=[event.identifier]))
    assert response.status_code == FOUND
    assert "/login" in response["Location"]
    with pytest.raises(stripe_services.NotAuthenticated):
        stripe_services.connect(None, event, GOOD_CODE)


def test_the_secret_key_is_sealed_and_never_shown(api, stripe_on):
    row = PlatformSettings.objects.get()
    assert PLATFORM_SECRET not in row.stripe_secret_key_sealed
    admin = staffed_event()[1]["admin"]
    response = api.as_user(admin).get("/v1/settings")
    attributes = response.json_body["data"]["attributes"]
    assert attributes["stripe-secret-key-set"] is True
    assert attributes["stripe-client-id"] == "ca_platform"
    assert PLATFORM_SECRET not in response.content.decode()
    public = api.get("/v1/settings?public=true").json_body["data"]["attributes"]
    assert public["is-stripe-activated"] is True


# --- the API: /v1/stripe-authorizations ----------------------------------------------------------
CREATED = 201
UNAUTHORIZED = 401
UNPROCESSABLE = 422
CONFLICT = 409


def _doc(event, code=GOOD_CODE):
    return {"data": {
        "type": "stripe-authorization",
        "attributes": {"stripe-auth-code": code},
        "relationships": {"event": {"data": {"type": "event", "id": str(event.pk)}}},
    }}  # fmt: skip


def _no_token(response):
    text = response.content.decode()
    for secret in (ACCESS_TOKEN, REFRESH_TOKEN, PLATFORM_SECRET, "access_token", "refresh", "sealed"):
        assert secret not in text


def test_api_create_read_and_delete(api, stripe_on):
    event, people = staffed_event()
    created = api.as_user(people["organizer"]).post("/v1/stripe-authorizations", _doc(event))
    assert created.status_code == CREATED, created.json_body
    data = created.json_body["data"]
    assert data["type"] == "stripe-authorization"
    assert data["attributes"] == {"stripe-publishable-key": PUBLISHABLE}
    _no_token(created)
    pk = data["id"]
    for who in ("owner", "organizer", "coorganizer", "admin"):
        read = api.as_user(people[who]).get(f"/v1/stripe-authorizations/{pk}")
        assert read.status_code == OK
        assert read.json_body["data"]["attributes"] == {"stripe-publishable-key": PUBLISHABLE}
        _no_token(read)
    related = api.as_user(people["coorganizer"]).get(f"/v1/events/{event.pk}/stripe-authorization")
    assert related.status_code == OK
    assert related.json_body["data"]["id"] == pk
    _no_token(related)
    shown = api.as_user(people["owner"]).get(f"/v1/events/{event.pk}").json_body["data"]
    assert shown["attributes"]["is-stripe-linked"] is True
    assert shown["attributes"]["can-pay-by-stripe"] is True
    assert "stripe-authorization" in shown["relationships"]
    again = api.as_user(people["owner"]).post("/v1/stripe-authorizations", _doc(event))
    assert_error(again, CONFLICT)
    gone = api.as_user(people["owner"]).delete(f"/v1/stripe-authorizations/{pk}")
    assert gone.status_code == OK
    assert FakeStripe.calls[-1][0] == "/oauth/deauthorize"
    event.refresh_from_db()
    assert not event.is_stripe_linked
    assert not StripeAuthorization.objects.exists()


def test_api_a_bad_code_is_422_in_words(api, stripe_on):
    event, people = staffed_event()
    response = api.as_user(people["owner"]).post("/v1/stripe-authorizations", _doc(event, "ac_nope"))
    error = assert_error(response, UNPROCESSABLE)
    assert "Authorization code does not exist: ac_nope" in error["detail"]
    assert error["source"]["pointer"] == "/data/attributes/stripe-auth-code"
    assert not StripeAuthorization.objects.exists()


def test_api_without_platform_settings(api, settings, fake_stripe):
    settings.STRIPE_CONNECT_BASE = fake_stripe
    event, people = staffed_event()
    error = assert_error(api.as_user(people["owner"]).post("/v1/stripe-authorizations", _doc(event)), UNPROCESSABLE)
    assert "administrator" in error["detail"]


@pytest.mark.parametrize("who", ["coorganizer", "track_organizer", "registrar", "plain", "other_organizer",
                                 "anonymous"])  # fmt: skip
def test_api_only_owner_and_organizers_create_and_delete(api, stripe_on, who):
    event, people = staffed_event()
    response = api.as_user(people[who]).post("/v1/stripe-authorizations", _doc(event))
    assert response.status_code in (UNAUTHORIZED, FORBIDDEN, UNPROCESSABLE, 404)
    assert not StripeAuthorization.objects.exists()
    assert not FakeStripe.calls
    row = StripeAuthorization.objects.create(event=event, stripe_user_id=ACCOUNT, stripe_publishable_key=PUBLISHABLE)
    response = api.as_user(people[who]).delete(f"/v1/stripe-authorizations/{row.pk}")
    assert response.status_code in (UNAUTHORIZED, FORBIDDEN, 404)
    assert StripeAuthorization.objects.exists()
    assert not FakeStripe.calls


@pytest.mark.parametrize("who", ["track_organizer", "moderator", "plain", "other_organizer", "anonymous"])
def test_api_only_coorganizers_and_up_read(api, stripe_on, who):
    event, people = staffed_event(state="published")
    row = StripeAuthorization.objects.create(event=event, stripe_user_id=ACCOUNT, stripe_publishable_key=PUBLISHABLE)
    response = api.as_user(people[who]).get(f"/v1/stripe-authorizations/{row.pk}")
    assert response.status_code in (UNAUTHORIZED, FORBIDDEN, 404)
    assert PUBLISHABLE not in response.content.decode()


def test_api_there_is_no_list(api, stripe_on):
    event, people = staffed_event()
    StripeAuthorization.objects.create(event=event, stripe_user_id=ACCOUNT, stripe_publishable_key=PUBLISHABLE)
    response = api.as_user(people["owner"]).get("/v1/stripe-authorizations")
    assert response.status_code == FORBIDDEN
    assert PUBLISHABLE not in response.content.decode()


# --- the admin and the logs ----------------------------------------------------------------------
def test_the_admin_shows_no_token_and_deleting_revokes(client, stripe_on, caplog):
    event, people = staffed_event()
    caplog.set_level("DEBUG")
    stripe_services.connect(people["owner"], event, GOOD_CODE)
    row = StripeAuthorization.objects.get()
    client.force_login(people["admin"])
    for url in (
        reverse("admin:events_stripeauthorization_changelist"),
        reverse("admin:events_stripeauthorization_change", args=[row.pk]),
        reverse("admin:core_platformsettings_change", args=[1]),
    ):
        response = client.get(url)
        assert response.status_code == OK
        text = response.content.decode()
        for secret in (ACCESS_TOKEN, REFRESH_TOKEN, PLATFORM_SECRET, row.access_token_sealed):
            assert secret not in text
    assert ACCOUNT in client.get(reverse("admin:events_stripeauthorization_changelist")).content.decode()
    client.post(reverse("admin:events_stripeauthorization_delete", args=[row.pk]), {"post": "yes"})
    assert not StripeAuthorization.objects.exists()
    assert FakeStripe.calls[-1][0] == "/oauth/deauthorize"
    for secret in (ACCESS_TOKEN, REFRESH_TOKEN, PLATFORM_SECRET):
        assert secret not in caplog.text
    assert f"connected to Stripe account {ACCOUNT}" in caplog.text


def test_the_admin_saves_the_platform_stripe_settings(client, settings):
    admin = staffed_event()[1]["admin"]
    client.force_login(admin)
    url = reverse("admin:core_platformsettings_change", args=[1])
    response = client.post(url, {
        "stripe_client_id": "ca_admin", "stripe_secret_key": "sk_test_from_admin", "stripe_publishable_key": "pk_a",
        "stripe_mode": "live", "smtp_port": "", "email_service": "", "smtp_encryption": "",
    })  # fmt: skip
    assert response.status_code == FOUND, response.content.decode()[:2000]
    platform = stripe_services.site.stripe_settings()
    assert platform.configured
    assert platform.livemode
    assert platform.secret_key == "sk_test_from_admin"
    assert "sk_test_from_admin" not in repr(platform)
    assert "sk_test_from_admin" not in client.get(url).content.decode()


def test_a_coorganizer_sees_the_connection_without_buttons(client, stripe_on):
    event, people = staffed_event()
    _login(client, people["coorganizer"])
    url = reverse("event-settings", args=[event.identifier])
    text = client.get(url).content.decode()
    assert "Connect with Stripe" not in text
    assert "owner and organizers can connect one" in text
    StripeAuthorization.objects.create(event=event, stripe_user_id=ACCOUNT)
    text = client.get(url).content.decode()
    assert ACCOUNT in text
    assert "Disconnect" not in text
