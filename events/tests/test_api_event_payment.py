"""The event's payment settings, as Open Event's event wizard writes and reads them."""

import pytest

from events.tests.factories import event_with_owner
from events.tests.helpers import event_doc, staffed_event
from openevent.api.tests.documents import assert_error

pytestmark = pytest.mark.django_db

SETTINGS = {
    "payment-currency": "eur",
    "payment-country": "de",
    "can-pay-by-paypal": True,
    "paypal-email": "pay@example.org",
    "can-pay-by-cheque": True,
    "cheque-details": "Payable to FOSS e.V.",
    "can-pay-by-bank": True,
    "bank-details": "IBAN DE00 0000 0000 0000",
    "can-pay-onsite": True,
    "onsite-details": "Cash at the desk",
    "can-pay-by-omise": False,
    "is-tax-enabled": True,
    "refund-policy": "Refunds until a week before the event.",
}
KEYS = set(SETTINGS) | {"can-pay-by-stripe", "is-stripe-linked"}


def test_defaults_are_read_by_anyone(api):
    event, _ = event_with_owner()
    attributes = api.get(f"/v1/events/{event.pk}").json_body["data"]["attributes"]
    assert set(attributes) >= KEYS
    assert attributes["can-pay-by-paypal"] is False
    assert attributes["payment-country"] == ""


@pytest.mark.parametrize("editor", ["owner", "organizer", "coorganizer"])
def test_organizers_write_and_read_back(api, editor):
    event, people = staffed_event()
    response = api.as_user(people[editor]).patch(f"/v1/events/{event.pk}", event_doc(SETTINGS, event.pk))
    assert response.status_code == 200, response.json_body
    attributes = response.json_body["data"]["attributes"]
    assert attributes["payment-currency"] == "EUR"
    assert attributes["payment-country"] == "DE"
    assert attributes["paypal-email"] == "pay@example.org"
    assert attributes["is-tax-enabled"] is True
    event.refresh_from_db()
    assert (event.payment_currency, event.can_pay_onsite, event.onsite_details) == ("EUR", True, "Cash at the desk")


@pytest.mark.parametrize("editor", ["track_organizer", "moderator", "registrar", "plain"])
def test_others_cannot_write(api, editor):
    event, people = staffed_event()
    response = api.as_user(people[editor]).patch(f"/v1/events/{event.pk}", event_doc(SETTINGS, event.pk))
    assert_error(response, 403)
    event.refresh_from_db()
    assert not event.can_pay_by_paypal


@pytest.mark.parametrize(
    ("attributes", "pointer"),
    [
        ({"payment-currency": "EU"}, "payment-currency"),
        ({"payment-currency": "XYZ"}, "payment-currency"),
        ({"payment-country": "Germany"}, "payment-country"),
        ({"payment-currency": "EUR", "can-pay-by-paypal": True}, "paypal-email"),
        ({"payment-currency": "EUR", "can-pay-by-paypal": True, "paypal-email": "not-mail"}, "paypal-email"),
        ({"payment-currency": "EUR", "can-pay-by-cheque": True, "cheque-details": "  "}, "cheque-details"),
        ({"payment-currency": "EUR", "can-pay-by-bank": True}, "bank-details"),
        ({"payment-currency": "EUR", "can-pay-onsite": True}, "onsite-details"),
        ({"can-pay-by-bank": True, "bank-details": "IBAN"}, "payment-currency"),
    ],
)
def test_invalid_settings_are_refused_with_a_pointer(api, attributes, pointer):
    event, owner = event_with_owner()
    response = api.as_user(owner).patch(f"/v1/events/{event.pk}", event_doc(attributes, event.pk))
    error = assert_error(response, 422)
    assert error["source"]["pointer"] == f"/data/attributes/{pointer}"
    event.refresh_from_db()
    assert not event.can_pay_by_paypal
    assert not event.can_pay_by_bank
    assert not event.payment_currency


def test_a_method_checks_its_stored_details(api):
    event, owner = event_with_owner()
    api.as_user(owner).patch(f"/v1/events/{event.pk}", event_doc(SETTINGS, event.pk))
    cleared = {"bank-details": ""}
    error = assert_error(api.as_user(owner).patch(f"/v1/events/{event.pk}", event_doc(cleared, event.pk)), 422)
    assert error["source"]["pointer"] == "/data/attributes/bank-details"
    off = {"can-pay-by-bank": False, "bank-details": ""}
    assert api.as_user(owner).patch(f"/v1/events/{event.pk}", event_doc(off, event.pk)).status_code == 200
