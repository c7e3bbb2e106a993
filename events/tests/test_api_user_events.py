"""A user's events (``events.api.team``): the attributes ``is-user-owner`` … ``is-user-registrar``
and the relationships ``events``, ``owner-events`` … ``registrar-events``, private to the user and
admins like their e-mail address, with the routes ``/v1/users/<id>/events`` … (self and admins)."""

import pytest

from events.models import Event, Role
from events.tests.factories import EventFactory, give_role
from events.tests.helpers import count_queries
from openevent.api.tests.documents import assert_error, ids, pointers
from openevent.users.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

FLAGS = [f"is-user-{role.replace('_', '-')}" for role in Role.NAMES]
RELATIONS = {
    "events": None,
    "owner-events": Role.OWNER,
    "organizer-events": Role.ORGANIZER,
    "coorganizer-events": Role.COORGANIZER,
    "track-organizer-events": Role.TRACK_ORGANIZER,
    "moderator-events": Role.MODERATOR,
    "registrar-events": Role.REGISTRAR,
}


@pytest.fixture
def member():
    """A user who owns one event, organizes and moderates another, and moderates a draft."""
    user = UserFactory()
    owned, organized, draft = EventFactory(), EventFactory(), EventFactory(state=Event.State.DRAFT)
    give_role(user, owned, Role.OWNER)
    give_role(user, organized, Role.ORGANIZER)
    give_role(user, organized, Role.MODERATOR)
    give_role(user, draft, Role.MODERATOR)
    trashed = EventFactory()
    give_role(user, trashed, Role.REGISTRAR)
    trashed.soft_delete()
    return user, {"owned": owned, "organized": organized, "draft": draft}


def linkage(*events):
    return [{"type": "event", "id": str(event.pk)} for event in sorted(events, key=lambda event: event.pk)]


def test_the_user_sees_their_roles_and_events(api, member):
    user, events = member
    response = api.as_user(user).get(f"/v1/users/{user.pk}")
    assert response.status_code == 200
    data = response.json_body["data"]
    attributes = data["attributes"]
    assert {name: attributes[name] for name in FLAGS} == {
        "is-user-owner": True,
        "is-user-organizer": True,
        "is-user-coorganizer": False,
        "is-user-track-organizer": False,
        # The draft counts (they hold the role) though they may not see it; trashed events do not.
        "is-user-moderator": True,
        "is-user-registrar": False,
    }
    found = data["relationships"]
    for wire in RELATIONS:
        assert set(found[wire]) == {"links", "data", "meta"}
        assert found[wire]["links"]["self"].endswith(f"/v1/users/{user.pk}/relationships/{wire}")
        assert found[wire]["links"]["related"].endswith(f"/v1/users/{user.pk}/{wire}")
    # A moderator does not see a draft: it is named nowhere.
    assert found["events"]["data"] == linkage(events["owned"], events["organized"])
    assert found["owner-events"]["data"] == linkage(events["owned"])
    assert found["organizer-events"]["data"] == linkage(events["organized"])
    assert found["moderator-events"]["data"] == linkage(events["organized"])
    assert found["registrar-events"]["data"] == []


def test_admins_see_them_and_drafts_too(api, member):
    user, events = member
    response = api.as_user(UserFactory(is_admin=True)).get(f"/v1/users/{user.pk}")
    found = response.json_body["data"]["relationships"]
    assert found["moderator-events"]["data"] == linkage(events["organized"], events["draft"])
    assert response.json_body["data"]["attributes"]["is-user-owner"] is True


@pytest.mark.parametrize("viewer", ["anonymous", "plain", "organizer_of_their_event"])
def test_others_see_none_of_it(api, member, viewer):
    user, events = member
    other = {"anonymous": None, "plain": UserFactory(), "organizer_of_their_event": UserFactory()}[viewer]
    if viewer == "organizer_of_their_event":
        give_role(other, events["owned"], Role.ORGANIZER)
    response = api.as_user(other).get(f"/v1/users/{user.pk}")
    assert response.status_code == 200
    data = response.json_body["data"]
    assert not set(FLAGS) & set(data["attributes"])
    assert "email" not in data["attributes"]
    for wire in RELATIONS:
        assert set(data["relationships"][wire]) == {"links"}


@pytest.mark.parametrize("viewer", ["self", "admin"])
def test_routes_list_the_events(api, member, viewer):
    user, events = member
    api.as_user(user if viewer == "self" else UserFactory(is_admin=True))
    expected = {
        "events": {events["owned"], events["organized"]},
        "owner-events": {events["owned"]},
        "organizer-events": {events["organized"]},
        "coorganizer-events": set(),
        "track-organizer-events": set(),
        "moderator-events": {events["organized"]},
        "registrar-events": set(),
    }
    if viewer == "admin":
        expected["events"] |= {events["draft"]}
        expected["moderator-events"] |= {events["draft"]}
    for wire, shown in expected.items():
        listed = api.get(f"/v1/users/{user.pk}/{wire}")
        assert listed.status_code == 200, wire
        assert {row["type"] for row in listed.json_body["data"]} <= {"event"}
        assert ids(listed) == {str(event.pk) for event in shown}, wire
        assert listed.json_body["meta"]["count"] == len(shown)
        relationship = api.get(f"/v1/users/{user.pk}/relationships/{wire}")
        assert relationship.status_code == 200
        assert relationship.json_body["data"] == linkage(*shown)


@pytest.mark.parametrize(("viewer", "status"), [("anonymous", 401), ("plain", 403), ("organizer_of_their_event", 403)])
def test_routes_refuse_others(api, member, viewer, status):
    user, events = member
    other = None if viewer == "anonymous" else UserFactory()
    if viewer == "organizer_of_their_event":
        give_role(other, events["owned"], Role.ORGANIZER)
    api.as_user(other)
    for wire in RELATIONS:
        assert_error(api.get(f"/v1/users/{user.pk}/{wire}"), status)
        assert_error(api.get(f"/v1/users/{user.pk}/relationships/{wire}"), status)


def test_unknown_user_is_404(api):
    api.as_user(UserFactory(is_admin=True))
    assert_error(api.get("/v1/users/999999/events"), 404)
    assert_error(api.get("/v1/users/999999/relationships/owner-events"), 404)


@pytest.mark.parametrize("method", ["post", "patch", "delete"])
def test_the_relationships_are_read_only(api, member, method):
    user, events = member
    body = {"data": [{"type": "event", "id": str(EventFactory().pk)}]}
    api.as_user(user)
    assert_error(getattr(api, method)(f"/v1/users/{user.pk}/relationships/events", body), 403)
    assert ids(api.get(f"/v1/users/{user.pk}/events")) == {str(events["owned"].pk), str(events["organized"].pk)}


def test_the_user_list_costs_the_same_for_one_and_many_users(api):
    admin = UserFactory(is_admin=True)

    def add_user():
        user = UserFactory()
        give_role(user, EventFactory(), Role.ORGANIZER)

    add_user()

    def fetch():
        response = api.as_user(admin).get("/v1/users?page[size]=0")
        assert response.status_code == 200
        return response

    _, one = count_queries(fetch)
    for _ in range(5):
        add_user()
    response, six = count_queries(fetch)
    assert six == one
    organizers = [row for row in response.json_body["data"] if row["attributes"]["is-user-organizer"]]
    assert len(organizers) == 6
    assert all(len(row["relationships"]["organizer-events"]["data"]) == 1 for row in organizers)


def test_writing_them_in_the_user_document_is_refused(api, member):
    user, _events = member
    body = {
        "data": {
            "type": "user",
            "id": str(user.pk),
            "attributes": {"first-name": "Renamed"},
            "relationships": {"owner-events": {"data": [{"type": "event", "id": str(EventFactory().pk)}]}},
        }
    }
    response = api.as_user(user).patch(f"/v1/users/{user.pk}", body)
    assert_error(response, 422)
    assert pointers(response) == ["/data/relationships/owner-events"]
    user.refresh_from_db()
    assert user.first_name != "Renamed"
