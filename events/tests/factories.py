import datetime

import factory
from django.utils import timezone

from events.models import Event, Role, UsersEventsRoles
from openevent.users.tests.factories import UserFactory


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event

    name = factory.Sequence(lambda n: f"Conference {n}")
    starts_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=30))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + datetime.timedelta(days=2))
    state = Event.State.PUBLISHED
    location_name = "Singapore"
    description = "A conference about open technology."


def give_role(user, event, role_name):
    return UsersEventsRoles.objects.create(user=user, event=event, role=Role.objects.get(name=role_name))


def event_with_owner(owner=None, **kwargs):
    owner = owner or UserFactory()
    event = EventFactory(**kwargs)
    give_role(owner, event, Role.OWNER)
    return event, owner


# --- the program's parts (small factories for the sessions and speakers tests) --------------------
class TrackFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "events.Track"

    event = factory.SubFactory(EventFactory)
    name = factory.Sequence(lambda n: f"Track {n}")


class SessionTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "events.SessionType"

    event = factory.SubFactory(EventFactory)
    name = factory.Sequence(lambda n: f"Type {n}")
    length = "00:45"


class MicrolocationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "events.Microlocation"

    event = factory.SubFactory(EventFactory)
    name = factory.Sequence(lambda n: f"Room {n}")


class SpeakersCallFactory(factory.django.DjangoModelFactory):
    """An open public call for speakers (opened yesterday, closes in ten days)."""

    class Meta:
        model = "events.SpeakersCall"

    event = factory.SubFactory(EventFactory)
    announcement = "Send us your talks"
    starts_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=1))
    ends_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=10))
