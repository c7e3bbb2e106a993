"""An event's team as relationships: ``organizers``, ``coorganizers``, ``track-organizers``,
``moderators`` and ``registrars`` (to-many users, read-only), shown to those who see the event's
users-events-roles rows (``rules.can_see_team``), links only for everyone else."""

import pytest

from events.models import Event, Role
from events.tests.factories import give_role
from events.tests.helpers import count_queries, event_doc, staffed_event, valid_event_attributes
from openevent.api.tests.documents import assert_error, ids, pointers
from openevent.users.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

TEAM = {
    "organizers": Role.ORGANIZER,
    "coorganizers": Role.COORGANIZER,
    "track-organizers": Role.TRACK_ORGANIZER,
    "moderators": Role.MODERATOR,
    "registrars": Role.REGISTRAR,
}
TEAM_READERS = ["owner", "organizer", "coorganizer", "track_organizer", "moderator", "registrar", "admin"]
OUTSIDERS = ["anonymous", "plain", "other_organizer"]


def relationships(response):
    return response.json_body["data"]["relationships"]


@pytest.mark.parametrize("viewer", TEAM_READERS)
def test_the_team_sees_who_holds_each_role(api, viewer):
    event, people = staffed_event()
    response = api.as_user(people[viewer]).get(f"/v1/events/{event.pk}")
    assert response.status_code == 200
    found = relationships(response)
    for wire, role in TEAM.items():
        member = found[wire]
        assert set(member) == {"links", "data", "meta"}
        assert member["links"]["self"].endswith(f"/v1/events/{event.pk}/relationships/{wire}")
        assert member["links"]["related"].endswith(f"/v1/events/{event.pk}/{wire}")
        assert member["data"] == [{"type": "user", "id": str(people[role].pk)}]
        assert member["meta"] == {"count": 1}


@pytest.mark.parametrize("viewer", OUTSIDERS)
def test_others_get_links_only(api, viewer):
    event, people = staffed_event()
    response = api.as_user(people[viewer]).get(f"/v1/events/{event.pk}")
    assert response.status_code == 200
    for wire in TEAM:
        assert set(relationships(response)[wire]) == {"links"}
    listed = {row["id"]: row for row in api.get("/v1/events").json_body["data"]}
    assert set(listed[str(event.pk)]["relationships"]["organizers"]) == {"links"}


def test_a_list_shows_each_event_team_to_its_own_team_only(api):
    event, people = staffed_event()
    other, _other_people = staffed_event()
    response = api.as_user(people["moderator"]).get("/v1/events?page[size]=0")
    by_id = {row["id"]: row["relationships"] for row in response.json_body["data"]}
    assert by_id[str(event.pk)]["moderators"]["data"] == [{"type": "user", "id": str(people["moderator"].pk)}]
    assert set(by_id[str(other.pk)]["moderators"]) == {"links"}


def test_several_holders_trashed_users_left_out(api):
    event, people = staffed_event()
    second, gone = UserFactory(), UserFactory()
    give_role(second, event, Role.ORGANIZER)
    give_role(gone, event, Role.ORGANIZER)
    gone.soft_delete()
    response = api.as_user(people["owner"]).get(f"/v1/events/{event.pk}")
    organizers = relationships(response)["organizers"]
    assert [row["id"] for row in organizers["data"]] == sorted([str(people["organizer"].pk), str(second.pk)], key=int)
    assert ids(api.get(f"/v1/events/{event.pk}/organizers")) == {str(people["organizer"].pk), str(second.pk)}


def test_include_names_the_users_for_the_team_and_nothing_for_others(api):
    event, people = staffed_event()
    url = f"/v1/events/{event.identifier}?include=owner,organizers,moderators,registrars"
    included = api.as_user(people["coorganizer"]).get(url).json_body["included"]
    assert {(row["type"], row["id"]) for row in included} == {
        ("user", str(people[name].pk)) for name in ("owner", "organizer", "moderator", "registrar")
    }
    # Included users show their public attributes only.
    assert all("email" not in row["attributes"] for row in included)
    response = api.as_user(None).get(url)
    assert response.status_code == 200
    assert {row["id"] for row in response.json_body["included"]} == {str(people["owner"].pk)}


@pytest.mark.parametrize("viewer", ["organizer", "moderator", "admin"])
def test_related_and_relationship_routes_for_the_team(api, viewer):
    event, people = staffed_event()
    api.as_user(people[viewer])
    for wire, role in TEAM.items():
        listed = api.get(f"/v1/events/{event.pk}/{wire}")
        assert listed.status_code == 200
        assert [(row["type"], row["id"]) for row in listed.json_body["data"]] == [("user", str(people[role].pk))]
        assert listed.json_body["meta"]["count"] == 1
        linkage = api.get(f"/v1/events/{event.identifier}/relationships/{wire}")
        assert linkage.status_code == 200
        assert linkage.json_body["data"] == [{"type": "user", "id": str(people[role].pk)}]
        assert linkage.json_body["links"]["related"].endswith(f"/{wire}")


@pytest.mark.parametrize(("viewer", "status"), [("anonymous", 401), ("plain", 403), ("other_organizer", 403)])
def test_routes_refuse_outsiders(api, viewer, status):
    event, people = staffed_event()
    api.as_user(people[viewer])
    for wire in TEAM:
        assert_error(api.get(f"/v1/events/{event.pk}/{wire}"), status)
        assert_error(api.get(f"/v1/events/{event.pk}/relationships/{wire}"), status)


@pytest.mark.parametrize("viewer", ["track_organizer", "moderator", "registrar", "plain"])
def test_a_drafts_team_is_hidden_below_coorganizer(api, viewer):
    """A draft is 404 below co-organizer, its team relationships and routes too."""
    event, people = staffed_event(state=Event.State.DRAFT)
    api.as_user(people[viewer])
    assert_error(api.get(f"/v1/events/{event.pk}/organizers"), 404)
    assert_error(api.get(f"/v1/events/{event.pk}/relationships/organizers"), 404)
    assert_error(api.get(f"/v1/events/{event.pk}/users-events-roles"), 404)


def test_a_drafts_team_for_coorganizers(api):
    event, people = staffed_event(state=Event.State.DRAFT)
    api.as_user(people["coorganizer"])
    assert ids(api.get(f"/v1/events/{event.pk}/track-organizers")) == {str(people["track_organizer"].pk)}
    data = relationships(api.get(f"/v1/events/{event.pk}"))["registrars"]["data"]
    assert data == [{"type": "user", "id": str(people["registrar"].pk)}]


@pytest.mark.parametrize("method", ["post", "patch", "delete"])
def test_the_relationships_are_read_only(api, method):
    event, people = staffed_event()
    body = {"data": [{"type": "user", "id": str(people["plain"].pk)}]}
    api.as_user(people["owner"])
    assert_error(getattr(api, method)(f"/v1/events/{event.pk}/relationships/organizers", body), 403)
    assert ids(api.get(f"/v1/events/{event.pk}/organizers")) == {str(people["organizer"].pk)}


def test_sending_them_back_unchanged_is_accepted(api):
    """Open Event's web client sends every to-many relationship it loaded with each save."""
    event, people = staffed_event()
    api.as_user(people["owner"])
    loaded = relationships(api.get(f"/v1/events/{event.pk}"))
    body = event_doc(
        {"name": "Renamed"},
        id=event.pk,
        relationships={wire: {"data": loaded[wire]["data"]} for wire in TEAM},
    )
    response = api.patch(f"/v1/events/{event.pk}", body)
    assert response.status_code == 200
    assert response.json_body["data"]["attributes"]["name"] == "Renamed"
    created = api.post("/v1/events", event_doc(valid_event_attributes(), relationships={"moderators": {"data": []}}))
    assert created.status_code == 201


def test_a_new_event_cannot_name_its_team(api):
    _event, people = staffed_event()
    body = event_doc(
        valid_event_attributes(),
        relationships={"moderators": {"data": [{"type": "user", "id": str(people["plain"].pk)}]}},
    )
    response = api.as_user(people["owner"]).post("/v1/events", body)
    assert_error(response, 422)
    assert pointers(response) == ["/data/relationships/moderators"]


def test_writing_them_in_the_event_document_is_refused(api):
    event, people = staffed_event()
    body = event_doc(
        {"name": "Renamed"},
        id=event.pk,
        relationships={"organizers": {"data": [{"type": "user", "id": str(people["plain"].pk)}]}},
    )
    response = api.as_user(people["owner"]).patch(f"/v1/events/{event.pk}", body)
    assert_error(response, 422)
    assert pointers(response) == ["/data/relationships/organizers"]
    event.refresh_from_db()
    assert event.name != "Renamed"
    assert ids(api.get(f"/v1/events/{event.pk}/organizers")) == {str(people["organizer"].pk)}


@pytest.mark.parametrize("viewer", ["owner", "admin"])
def test_event_lists_with_the_team_cost_the_same_for_one_and_many_events(api, viewer):
    owner = UserFactory()
    admin = UserFactory(is_admin=True)
    user = owner if viewer == "owner" else admin

    def add_event():
        event, _people = staffed_event()
        give_role(owner, event, Role.OWNER)

    add_event()

    def fetch():
        response = api.as_user(user).get("/v1/events?include=owner,organizers,moderators&page[size]=0")
        assert response.status_code == 200
        return response

    _, one = count_queries(fetch)
    for _ in range(5):
        add_event()
    response, six = count_queries(fetch)
    assert six == one
    assert len(response.json_body["data"]) >= 6
    organizers = {row["id"] for row in response.json_body["included"] if row["type"] == "user"}
    assert len(organizers) >= 12
