"""Hostile review of Stripe Connect: leaks through includes and related routes, Stripe failing
after the exchange, odd input. Reuses the fake Stripe of ``test_stripe_connect``."""
import pytest
from django.core import signing
from django.db import DatabaseError
from django.test import Client
from django.urls import reverse

from events.models import StripeAuthorization
from events.services import stripe as stripe_services
from events.tests.factories import give_role
from events.tests.helpers import staffed_event
from events.tests.test_stripe_connect import (
    ACCESS_TOKEN,
    ACCOUNT,
    DOWN_ACCOUNT,
    GOOD_CODE,
    ODD_ACCOUNT,
    PLATFORM_SECRET,
    PUBLISHABLE,
    REFRESH_TOKEN,
    FakeStripe,
    _doc,
    _no_token,
    fake_stripe,  # noqa: F401 (the fake Stripe server, a fixture stripe_on uses)
    stripe_on,  # noqa: F401 (a fixture)
)
from openevent.api.tests.documents import assert_error

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("stripe_on")]

OK = 200
FOUND = 302
UNAUTHORIZED = 401
FORBIDDEN = 403
METHOD_NOT_ALLOWED = 405
CREATED = 201
BAD_REQUEST = 400
UNPROCESSABLE = 422
SERVER_ERROR = 500
BAD_GATEWAY = 502
MAX_ERROR_SIZE = 2000


@pytest.mark.parametrize("who", ["plain", "anonymous", "track_organizer", "other_organizer"])
def test_the_event_does_not_leak_the_authorization(api, who):
    event, people = staffed_event(state="published")
    row = StripeAuthorization.objects.create(event=event, stripe_user_id=ACCOUNT, stripe_publishable_key=PUBLISHABLE)
    client = api.as_user(people[who])
    for url in (
        f"/v1/events/{event.pk}?include=stripe-authorization",
        f"/v1/events/{event.pk}/stripe-authorization",
        f"/v1/events/{event.pk}/relationships/stripe-authorization",
        f"/v1/stripe-authorizations/{row.pk}/event",
        f"/v1/stripe-authorizations/{row.pk}/relationships/event",
        "/v1/events?include=stripe-authorization",
        "/v1/events?fields[event]=stripe-authorization",
    ):
        response = client.get(url)
        assert response.status_code < SERVER_ERROR, url
        assert PUBLISHABLE not in response.content.decode(), url
        assert ACCOUNT not in response.content.decode(), url


def test_include_event_and_sparse_fields_show_no_token(api):
    event, people = staffed_event()
    stripe_services.connect(people["owner"], event, GOOD_CODE)
    row = StripeAuthorization.objects.get()
    client = api.as_user(people["owner"])
    for url in (
        f"/v1/stripe-authorizations/{row.pk}?include=event",
        f"/v1/stripe-authorizations/{row.pk}?fields[stripe-authorization]=access-token,refresh-token,stripe-user-id",
    ):
        response = client.get(url)
        assert response.status_code == OK, (url, response.content)
        _no_token(response)
    # The event does not offer it as an include at all: a JSON:API 400, no token.
    refused = client.get(f"/v1/events/{event.pk}?include=stripe-authorization")
    assert_error(refused, BAD_REQUEST)
    _no_token(refused)


def test_patch_and_relationship_repointing_are_refused(api):
    event, people = staffed_event()
    other, _ = staffed_event()
    give_role(people["owner"], other, "organizer")
    row = StripeAuthorization.objects.create(event=event, stripe_user_id=ACCOUNT)
    client = api.as_user(people["owner"])
    patch = client.patch(f"/v1/stripe-authorizations/{row.pk}", {"data": {
        "type": "stripe-authorization", "id": str(row.pk),
        "relationships": {"event": {"data": {"type": "event", "id": str(other.pk)}}}}})
    assert patch.status_code in (403, 405)
    rel = client.patch(f"/v1/stripe-authorizations/{row.pk}/relationships/event",
                       {"data": {"type": "event", "id": str(other.pk)}})
    assert rel.status_code in (403, 405)
    row.refresh_from_db()
    assert row.event_id == event.pk


@pytest.mark.parametrize("code", [["a"], {"a": 1}, "", "   ", None, "ac_" + "x" * 100000, "ac_\x00x", "ac_é"])
def test_bad_codes_are_jsonapi_errors_and_never_reach_stripe(api, code):
    event, people = staffed_event()
    response = api.as_user(people["owner"]).post("/v1/stripe-authorizations", _doc(event, code))
    error = assert_error(response, response.status_code)
    assert response.status_code in (BAD_REQUEST, UNPROCESSABLE), response.content[:300]
    assert error["source"]["pointer"] == "/data/attributes/stripe-auth-code"
    assert len(response.content) < MAX_ERROR_SIZE
    assert not FakeStripe.calls
    assert not StripeAuthorization.objects.exists()


def test_a_huge_code_in_the_callback_never_reaches_stripe(client):
    event, people = staffed_event()
    client.force_login(people["owner"])
    state = stripe_services.make_state(people["owner"], event)
    back = client.get(reverse("stripe-callback"), {"code": "ac_" + "x" * 5000, "state": state}, follow=True)
    assert "not a Stripe authorization code" in back.content.decode()
    assert not FakeStripe.calls
    assert not StripeAuthorization.objects.exists()


def test_missing_code_and_event(api):
    event, people = staffed_event()
    client = api.as_user(people["owner"])
    no_code = client.post("/v1/stripe-authorizations", {"data": {"type": "stripe-authorization", "relationships": {
        "event": {"data": {"type": "event", "id": str(event.pk)}}}}})
    assert 400 <= no_code.status_code < SERVER_ERROR
    no_event = client.post("/v1/stripe-authorizations", {"data": {"type": "stripe-authorization",
                                                                 "attributes": {"stripe-auth-code": GOOD_CODE}}})
    assert 400 <= no_event.status_code < SERVER_ERROR
    assert not FakeStripe.calls


def _deauthorized():
    return [form["stripe_user_id"] for path, form, _ in FakeStripe.calls if path == "/oauth/deauthorize"]


def test_disconnecting_one_event_keeps_another_using_the_same_account(client):
    event, people = staffed_event()
    other, _ = staffed_event()
    owner = people["owner"]
    give_role(owner, other, "organizer")
    stripe_services.connect(owner, event, GOOD_CODE)
    stripe_services.connect(owner, other, GOOD_CODE)
    client.force_login(owner)
    client.post(reverse("stripe-disconnect", args=[event.identifier]))
    assert not StripeAuthorization.objects.filter(event=event).exists()
    # Stripe's deauthorize revokes the platform from the account: the other event would lose it.
    assert _deauthorized() == []
    assert StripeAuthorization.objects.filter(event=other, stripe_user_id=ACCOUNT).exists()
    stripe_services.disconnect(owner, other)
    assert _deauthorized() == [ACCOUNT]


def _exchange_then(monkeypatch, after):
    """Stripe's exchange, then ``after()`` (what happens between it and our save)."""
    exchange = stripe_services._exchange

    def exchange_then(platform, code):
        token = exchange(platform, code)
        after()
        return token

    monkeypatch.setattr(stripe_services, "_exchange", exchange_then)


@pytest.mark.parametrize(("winner", "revoked"), [("acct_winner", [ACCOUNT]), (ACCOUNT, [])])
def test_losing_a_race_revokes_the_account_just_authorized(monkeypatch, winner, revoked):
    event, people = staffed_event()
    _exchange_then(monkeypatch, lambda: StripeAuthorization.objects.create(event=event, stripe_user_id=winner))
    with pytest.raises(stripe_services.Conflict):
        stripe_services.connect(people["owner"], event, GOOD_CODE)
    # Not left authorized at Stripe without a row of ours; unless the winner linked that very account.
    assert _deauthorized() == revoked
    assert list(StripeAuthorization.objects.values_list("stripe_user_id", flat=True)) == [winner]


def test_a_failed_save_revokes_the_account_and_writes_nothing(api, monkeypatch):
    event, people = staffed_event()

    def broken(**kwargs):
        raise DatabaseError("disk full")

    monkeypatch.setattr(StripeAuthorization.objects, "create", broken)
    response = api.as_user(people["owner"]).post("/v1/stripe-authorizations", _doc(event))
    assert_error(response, response.status_code)
    assert BAD_REQUEST <= response.status_code < SERVER_ERROR or response.status_code == BAD_GATEWAY
    assert "disk full" not in response.content.decode()
    assert _deauthorized() == [ACCOUNT]
    event.refresh_from_db()
    assert not event.is_stripe_linked
    assert not StripeAuthorization.objects.exists()


@pytest.mark.parametrize("code", ["ac_500", "ac_garbage", "ac_list", "ac_typed", "ac_long", "ac_slow"])
def test_stripe_misbehaving_is_a_502_in_words_and_nothing_is_written(api, settings, code):
    settings.STRIPE_TIMEOUT = 0.5
    event, people = staffed_event()
    response = api.as_user(people["owner"]).post("/v1/stripe-authorizations", _doc(event, code))
    error = assert_error(response, BAD_GATEWAY)
    assert "Stripe" in error["detail"]
    assert ACCESS_TOKEN not in response.content.decode()
    assert ODD_ACCOUNT not in response.content.decode()
    assert not StripeAuthorization.objects.exists()
    event.refresh_from_db()
    assert not event.is_stripe_linked


def test_stripe_misbehaving_in_the_callback_is_told(client, settings):
    event, people = staffed_event()
    client.force_login(people["owner"])
    state = stripe_services.make_state(people["owner"], event)
    back = client.get(reverse("stripe-callback"), {"code": "ac_garbage", "state": state}, follow=True)
    assert back.status_code == OK
    assert "nothing was changed" in back.content.decode()


def test_odd_tokens_and_key_are_not_stored_as_their_repr(api):
    event, people = staffed_event()
    response = api.as_user(people["owner"]).post("/v1/stripe-authorizations", _doc(event, "ac_typed_tokens"))
    assert response.status_code == CREATED
    assert response.json_body["data"]["attributes"] == {"stripe-publishable-key": ""}
    row = StripeAuthorization.objects.get()
    assert (row.stripe_user_id, row.stripe_publishable_key) == (ACCOUNT, "")


def test_connect_and_disconnect_need_post_and_a_csrf_token(client):
    event, people = staffed_event()
    row = StripeAuthorization.objects.create(event=event, stripe_user_id=ACCOUNT)
    client.force_login(people["owner"])
    for name in ("stripe-connect", "stripe-disconnect"):
        assert client.get(reverse(name, args=[event.identifier])).status_code == METHOD_NOT_ALLOWED
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(people["owner"])
    for name in ("stripe-connect", "stripe-disconnect"):
        assert strict.post(reverse(name, args=[event.identifier])).status_code == FORBIDDEN
    assert StripeAuthorization.objects.filter(pk=row.pk).exists()
    assert not FakeStripe.calls


def test_the_callback_redirects_only_to_the_events_settings(client):
    event, people = staffed_event()
    client.force_login(people["owner"])
    state = stripe_services.make_state(people["owner"], event)
    back = client.get(reverse("stripe-callback"), {
        "code": GOOD_CODE, "state": state, "next": "https://evil.example/", "redirect_uri": "https://evil.example/"})
    assert back.status_code == FOUND
    assert back["Location"].startswith("/")
    assert "evil" not in back["Location"]
    junk = client.get(reverse("stripe-callback"), {"state": "junk", "next": "https://evil.example/"})
    assert junk.status_code == FOUND
    assert "evil" not in junk["Location"]


def test_stripe_failing_on_disconnect_keeps_the_connection_and_says_so(client, api):
    event, people = staffed_event()
    StripeAuthorization.objects.create(event=event, stripe_user_id=DOWN_ACCOUNT)
    client.force_login(people["owner"])
    back = client.post(reverse("stripe-disconnect", args=[event.identifier]), follow=True)
    assert "still connected" in back.content.decode()
    row = StripeAuthorization.objects.get()
    response = api.as_user(people["owner"]).delete(f"/v1/stripe-authorizations/{row.pk}")
    assert_error(response, BAD_GATEWAY)
    client.force_login(people["admin"])
    deleted = client.post(reverse("admin:events_stripeauthorization_delete", args=[row.pk]), {"post": "yes"},
                          follow=True)
    assert deleted.status_code == OK
    assert "still connected" in deleted.content.decode()
    assert StripeAuthorization.objects.filter(pk=row.pk).exists()


def test_the_settings_write_does_not_echo_the_secret_key(api):
    admin = staffed_event()[1]["admin"]
    response = api.as_user(admin).patch("/v1/settings", {"data": {"type": "setting", "id": "1", "attributes": {
        "stripe-secret-key": "sk_test_written_SECRET_99"}}})
    assert response.status_code == OK, response.content[:300]
    assert "sk_test_written_SECRET_99" not in response.content.decode()
    assert response.json_body["data"]["attributes"]["stripe-secret-key-set"] is True


def test_the_api_with_a_session_cookie_needs_a_csrf_token():
    event, people = staffed_event()
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(people["owner"])
    response = strict.post("/v1/stripe-authorizations", _doc(event), content_type="application/vnd.api+json")
    assert response.status_code in (UNAUTHORIZED, FORBIDDEN)
    row = StripeAuthorization.objects.create(event=event, stripe_user_id=ACCOUNT)
    assert strict.delete(f"/v1/stripe-authorizations/{row.pk}").status_code in (UNAUTHORIZED, FORBIDDEN)
    assert StripeAuthorization.objects.filter(pk=row.pk).exists()
    assert not FakeStripe.calls


def test_a_state_from_another_deployment_is_refused():
    event, people = staffed_event()
    payload = {"u": people["owner"].pk, "e": event.pk, "n": "nonce"}
    theirs = signing.dumps(payload, salt=stripe_services.STATE_SALT, key="another-deployment-" + "k" * 40)
    with pytest.raises(stripe_services.Invalid, match="not one we asked for"):
        stripe_services.connect(people["owner"], event, GOOD_CODE, state=theirs)
    assert not FakeStripe.calls


def test_the_events_stripe_relationship_cannot_be_written(api):
    event, people = staffed_event()
    other, _ = staffed_event()
    give_role(people["owner"], other, "organizer")
    row = StripeAuthorization.objects.create(event=other, stripe_user_id=ACCOUNT)
    response = api.as_user(people["owner"]).patch(
        f"/v1/events/{event.pk}/relationships/stripe-authorization",
        {"data": {"type": "stripe-authorization", "id": str(row.pk)}},
    )
    assert 400 <= response.status_code < SERVER_ERROR
    row.refresh_from_db()
    assert row.event_id == other.pk
    assert not StripeAuthorization.objects.filter(event=event).exists()


def test_stripes_error_words_in_the_callback_are_escaped(client):
    event, people = staffed_event()
    client.force_login(people["owner"])
    state = stripe_services.make_state(people["owner"], event)
    back = client.get(reverse("stripe-callback"), {
        "error": "invalid_scope", "error_description": "<script>alert(1)</script>", "state": state}, follow=True)
    text = back.content.decode()
    assert "<script>alert(1)</script>" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text


@pytest.mark.parametrize("code", [GOOD_CODE, "ac_typed", "ac_long", "ac_typed_tokens"])
def test_no_token_reaches_the_logs_even_at_debug(api, caplog, code):
    caplog.set_level("DEBUG")
    event, people = staffed_event()
    api.as_user(people["owner"]).post("/v1/stripe-authorizations", _doc(event, code))
    assert ACCESS_TOKEN not in caplog.text
    assert REFRESH_TOKEN not in caplog.text
    assert PLATFORM_SECRET not in caplog.text


@pytest.mark.parametrize("event_data", [None, {"type": "event", "id": "999999"}, {"type": "session", "id": "1"},
                                        {"type": "event", "id": "abc"}, []])
def test_a_bad_event_relationship_is_a_jsonapi_error(api, event_data):
    _, people = staffed_event()
    doc = {"data": {"type": "stripe-authorization", "attributes": {"stripe-auth-code": GOOD_CODE},
                    "relationships": {"event": {"data": event_data}}}}
    response = api.as_user(people["owner"]).post("/v1/stripe-authorizations", doc)
    assert_error(response, response.status_code)
    assert 400 <= response.status_code < SERVER_ERROR
    assert not FakeStripe.calls


def test_read_only_attributes_sent_on_create_are_ignored(api):
    event, people = staffed_event()
    doc = _doc(event)
    doc["data"]["attributes"].update({"stripe-publishable-key": "pk_evil", "stripe-user-id": "acct_evil",
                                      "access-token": "sk_evil"})
    response = api.as_user(people["owner"]).post("/v1/stripe-authorizations", doc)
    assert response.status_code in (CREATED, BAD_REQUEST), response.content[:300]
    if response.status_code == CREATED:
        row = StripeAuthorization.objects.get()
        assert (row.stripe_user_id, row.stripe_publishable_key) == (ACCOUNT, PUBLISHABLE)


def test_the_callback_for_an_event_in_the_trash_is_no_500(client):
    event, people = staffed_event()
    client.force_login(people["owner"])
    state = stripe_services.make_state(people["owner"], event)
    event.delete()
    back = client.get(reverse("stripe-callback"), {"code": GOOD_CODE, "state": state})
    assert back.status_code < SERVER_ERROR
    assert not StripeAuthorization.objects.exists()
