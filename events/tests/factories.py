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
