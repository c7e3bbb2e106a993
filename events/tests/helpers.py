"""Shared helpers for the events tests."""
import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext

from events.models import Role
from events.tests.factories import EventFactory, give_role
from openevent.users.tests.factories import UserFactory


def event_doc(attributes, id=None, relationships=None):
    data = {"type": "event", "attributes": attributes}
    if id is not None:
        data["id"] = str(id)
    if relationships:
        data["relationships"] = relationships
    return {"data": data}


def valid_event_attributes(**overrides):
    start = datetime.datetime(2027, 3, 10, 9, 0, tzinfo=datetime.UTC)
    attributes = {
        "name": "Open Tech Summit",
        "starts-at": start.isoformat(),
        "ends-at": (start + datetime.timedelta(days=2)).isoformat(),
        "timezone": "Asia/Singapore",
        "location-name": "Singapore",
    }
    attributes.update(overrides)
    return attributes


def staffed_event(**kwargs):
    """An event with one user in every role, plus outsiders. Returns (event, people)."""
    event = EventFactory(**kwargs)
    people = {name: UserFactory(email=f"{name}-{event.pk}@example.org") for name in Role.NAMES}
    for name, user in people.items():
        give_role(user, event, name)
    people["plain"] = UserFactory()
    people["admin"] = UserFactory(is_admin=True)
    other_event = EventFactory()
    people["other_organizer"] = UserFactory()
    give_role(people["other_organizer"], other_event, Role.ORGANIZER)
    people["anonymous"] = None
    return event, people


def count_queries(fn):
    """Queries run by ``fn()``, after one warm-up call (which may touch last-access stamps)."""
    fn()
    with CaptureQueriesContext(connection) as ctx:
        response = fn()
    return response, len(ctx.captured_queries)
