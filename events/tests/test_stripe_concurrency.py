"""Stripe Connect under real parallel writes (PostgreSQL): the roles are seeded before the fake
Stripe's platform settings, as a transactional test before this one flushed them."""
import threading

import pytest
from django.db import connection

from events.models import StripeAuthorization
from events.services import stripe as stripe_services
from events.tests.factories import give_role
from events.tests.helpers import staffed_event
from events.tests.test_stripe_connect import (
    ACCOUNT,
    GOOD_CODE,
    fake_stripe,  # noqa: F401 (the fake Stripe server, a fixture stripe_on uses)
    stripe_on,  # noqa: F401 (a fixture)
)
from events.tests.test_stripe_hostile import _deauthorized

# In this order: the roles first (staffed_event in stripe_on needs them).
pytestmark = pytest.mark.usefixtures("seeded_roles", "stripe_on")


def test_two_events_sharing_an_account_that_disconnect_at_once_revoke_it_once():
    """Each sees the other's row only if it is still there: the last one out revokes."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite serializes the two writers and has no row locks")
    event, people = staffed_event()
    other, _ = staffed_event()
    owner = people["owner"]
    give_role(owner, other, "organizer")
    for linked in (event, other):
        stripe_services.connect(owner, linked, GOOD_CODE)
    start = threading.Barrier(2)
    errors = []

    def disconnect(linked):
        try:
            start.wait(timeout=10)
            stripe_services.disconnect(owner, linked)
        except Exception as error:  # reported by the assertion below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=disconnect, args=(linked,)) for linked in (event, other)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    assert not StripeAuthorization.objects.exists()
    assert _deauthorized() == [ACCOUNT]
