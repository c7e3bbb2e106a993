"""Domain signals fire once, after commit, with the documented arguments."""
import pytest
from django.db import transaction

from events import services, signals
from events.models import Event, Role
from events.signals import schedule_published
from events.tests.helpers import staffed_event
from openevent.users.tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def received():
    calls = []

    def make(name):
        def receiver(sender, **kwargs):
            calls.append((name, kwargs))

        return receiver

    receivers = {name: make(name) for name in ("published", "created", "accepted", "declined")}
    pairs = [
        (signals.event_published, receivers["published"]),
        (signals.role_invite_created, receivers["created"]),
        (signals.role_invite_accepted, receivers["accepted"]),
        (signals.role_invite_declined, receivers["declined"]),
    ]
    for signal, receiver in pairs:
        signal.connect(receiver)
    yield calls
    for signal, receiver in pairs:
        signal.disconnect(receiver)


@pytest.fixture(autouse=True)
def roles():
    # Transactional tests flush the seeded roles.
    for name in Role.NAMES:
        Role.objects.get_or_create(name=name, defaults={"title_name": name.title()})


def test_event_published_fires_after_commit_only(received):
    user = UserFactory()
    with transaction.atomic():
        event = services.create_event(
            user, name="E", starts_at="2027-01-01T10:00Z", ends_at="2027-01-02T10:00Z", state="published",
            location_name="Singapore",
        )
        assert received == []
    assert received == [("published", {"event": event, "actor": user, "signal": signals.event_published})]


def publish_then_roll_back(user):
    with transaction.atomic():
        services.create_event(
            user, name="E", starts_at="2027-01-01T10:00Z", ends_at="2027-01-02T10:00Z", state="published",
            location_name="Singapore",
        )
        raise RuntimeError


def test_rolled_back_publication_sends_nothing(received):
    user = UserFactory()
    with pytest.raises(RuntimeError):
        publish_then_roll_back(user)
    assert received == []


def test_publishing_a_draft_fires_once(received):
    event, people = staffed_event(state=Event.State.DRAFT)
    services.update_event(people["owner"], event, state="published")
    services.update_event(people["owner"], event, name="Renamed")
    assert [name for name, _ in received] == ["published"]


def test_invite_signals_carry_invite_token_and_user(received):
    event, people = staffed_event()
    invitee = UserFactory(email="in@example.org")
    invitation = services.invite(people["owner"], event, invitee.email, Role.MODERATOR)
    (name, kwargs), = received
    assert name == "created"
    assert kwargs["invite"] == invitation
    assert invitation.token_hash != kwargs["token"]
    assert len(kwargs["token"]) > 30
    services.accept_invite(invitation, invitee)
    assert received[-1][0] == "accepted"
    assert received[-1][1]["user"] == invitee
    assert received[-1][1]["invite"].pk == invitation.pk
    second = services.invite(people["owner"], event, invitee.email, Role.REGISTRAR)
    services.decline_invite(second, invitee)
    assert [name for name, _ in received] == ["created", "accepted", "created", "declined"]


def test_schedule_published_fires_once_when_it_becomes_public(received):
    calls = []

    def receiver(sender, **kwargs):
        calls.append(kwargs["event"].pk)

    schedule_published.connect(receiver)
    try:
        event, people = staffed_event()
        services.publish_schedule(people["owner"], event)
        services.update_event(people["owner"], event, name="Renamed")
        services.unpublish_schedule(people["owner"], event)
        event.refresh_from_db()
        assert event.schedule_published_on is None
    finally:
        schedule_published.disconnect(receiver)
    assert calls == [event.pk]
