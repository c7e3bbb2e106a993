"""A speaker of an event (no role in its team) neither connects, disconnects nor reads its Stripe
account (Stripe Connect: events.services.stripe; the rest in events/tests/test_stripe_connect.py)."""
import pytest
from django.urls import reverse

from events.models import StripeAuthorization
from events.services import stripe as stripe_services
from events.tests.helpers import staffed_event
from openevent.core import services as core_services
from sessions_app.tests.factories import SpeakerFactory

pytestmark = pytest.mark.django_db

REFUSED = (401, 403, 404)


@pytest.fixture
def speaker_world(settings):
    # Nothing listens there: a call to "Stripe" would fail the test loudly.
    settings.STRIPE_CONNECT_BASE = settings.STRIPE_API_BASE = "http://127.0.0.1:9"
    event, people = staffed_event(state="published")
    core_services.update_platform_settings(
        {"stripe_client_id": "ca_x", "stripe_secret_key": "sk_test_x"}, people["admin"]
    )
    speaker = SpeakerFactory(event=event, user=people["plain"])
    return event, speaker.user


def test_a_speaker_is_refused_everywhere(client, api, speaker_world):
    event, user = speaker_world
    with pytest.raises(stripe_services.NotAllowed):
        stripe_services.connect(user, event, "ac_any")
    with pytest.raises(stripe_services.NotAllowed):
        stripe_services.authorize_url(user, event, "http://testserver/events/stripe/callback")
    client.force_login(user)
    assert client.post(reverse("stripe-connect", args=[event.identifier])).status_code in REFUSED
    doc = {"data": {
        "type": "stripe-authorization", "attributes": {"stripe-auth-code": "ac_any"},
        "relationships": {"event": {"data": {"type": "event", "id": str(event.pk)}}},
    }}  # fmt: skip
    assert api.as_user(user).post("/v1/stripe-authorizations", doc).status_code in REFUSED
    row = StripeAuthorization.objects.create(event=event, stripe_user_id="acct_x", stripe_publishable_key="pk_x")
    assert api.as_user(user).get(f"/v1/stripe-authorizations/{row.pk}").status_code in REFUSED
    assert api.as_user(user).delete(f"/v1/stripe-authorizations/{row.pk}").status_code in REFUSED
    assert client.post(reverse("stripe-disconnect", args=[event.identifier])).status_code in REFUSED
    assert StripeAuthorization.objects.filter(pk=row.pk).exists()
