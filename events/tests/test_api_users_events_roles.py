"""/v1/users-events-roles, /v1/events/<id>/users-events-roles and /v1/roles."""
import pytest

from events.models import Role, UsersEventsRoles
from events.tests.helpers import count_queries, staffed_event
from openevent.api.tests.documents import assert_error
from openevent.users.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def membership(event, user):
    return UsersEventsRoles.objects.get(event=event, user=user)


def test_roles_are_public_and_read_only(api):
    response = api.get("/v1/roles")
    assert response.status_code == 200
    assert [row["attributes"]["name"] for row in response.json_body["data"]] == Role.NAMES
    assert response.json_body["data"][0]["type"] == "role"
    admin = UserFactory(is_admin=True)
    body = {"data": {"type": "role", "attributes": {"name": "king", "title-name": "King"}}}
    assert_error(api.as_user(admin).post("/v1/roles", body), 403)
    assert_error(api.delete(f"/v1/roles/{Role.objects.first().pk}"), 403)


def test_team_members_see_their_team(api):
    event, people = staffed_event()
    for member in ("owner", "moderator", "registrar"):
        response = api.as_user(people[member]).get(f"/v1/events/{event.identifier}/users-events-roles", include="role")
        assert response.status_code == 200
        assert response.json_body["meta"]["count"] == len(Role.NAMES)
        assert response.json_body["data"][0]["type"] == "users-events-roles"


@pytest.mark.parametrize(("viewer", "status"), [("anonymous", 401), ("plain", 403), ("other_organizer", 403)])
def test_outsiders_do_not_see_the_team(api, viewer, status):
    event, people = staffed_event()
    assert_error(api.as_user(people[viewer]).get(f"/v1/events/{event.pk}/users-events-roles"), status)
    row = membership(event, people["moderator"])
    detail = api.get(f"/v1/users-events-roles/{row.pk}")
    assert detail.status_code in (401, 404)
    for url in (f"/v1/users-events-roles/{row.pk}/user", f"/v1/users-events-roles/{row.pk}/relationships/role"):
        assert api.get(url).status_code in (401, 404)


def test_top_level_list_shows_own_and_team_rows_only(api):
    event, people = staffed_event()
    _other_event, _others = staffed_event()
    rows = api.as_user(people["moderator"]).get("/v1/users-events-roles", **{"page[size]": "0"}).json_body["data"]
    assert {row["relationships"]["event"]["data"]["id"] for row in rows} == {str(event.pk)}


def test_rows_are_never_repointed(api):
    event, people = staffed_event()
    row = membership(event, people["moderator"])
    owner_role = Role.objects.get(name=Role.OWNER)
    for actor in ("owner", "moderator", "admin"):
        api.as_user(people[actor])
        body = {"data": {"type": "role", "id": str(owner_role.pk)}}
        assert_error(api.patch(f"/v1/users-events-roles/{row.pk}/relationships/role", body), 403)
        user_body = {"data": {"type": "user", "id": str(people["plain"].pk)}}
        assert_error(api.patch(f"/v1/users-events-roles/{row.pk}/relationships/user", user_body), 403)
        doc = {"data": {"type": "users-events-roles", "id": str(row.pk), "relationships": {"role": body}}}
        assert_error(api.patch(f"/v1/users-events-roles/{row.pk}", doc), 403)
    row.refresh_from_db()
    assert row.role.name == Role.MODERATOR
    assert row.user == people["moderator"]


@pytest.mark.parametrize("actor", ["coorganizer", "organizer", "moderator"])
def test_nobody_but_admins_creates_rows_directly(api, actor):
    event, people = staffed_event()
    role = Role.objects.get(name=Role.OWNER if actor != "coorganizer" else Role.ORGANIZER)
    body = {
        "data": {
            "type": "users-events-roles",
            "relationships": {
                "user": {"data": {"type": "user", "id": str(people[actor].pk)}},
                "event": {"data": {"type": "event", "id": str(event.pk)}},
                "role": {"data": {"type": "role", "id": str(role.pk)}},
            },
        }
    }
    assert_error(api.as_user(people[actor]).post("/v1/users-events-roles", body), 403)
    assert not UsersEventsRoles.objects.filter(user=people[actor], role=role).exists()


def test_admin_cannot_create_an_owner_row_directly(api):
    event, people = staffed_event()
    body = {
        "data": {
            "type": "users-events-roles",
            "relationships": {
                "user": {"data": {"type": "user", "id": str(people["plain"].pk)}},
                "event": {"data": {"type": "event", "id": str(event.pk)}},
                "role": {"data": {"type": "role", "id": str(Role.objects.get(name=Role.OWNER).pk)}},
            },
        }
    }
    assert_error(api.as_user(people["admin"]).post("/v1/users-events-roles", body), 403)
    body["data"]["relationships"]["role"]["data"]["id"] = str(Role.objects.get(name=Role.MODERATOR).pk)
    assert api.post("/v1/users-events-roles", body).status_code == 201
    assert_error(api.post("/v1/users-events-roles", body), 409)


def test_coorganizer_removes_a_moderator_but_not_an_organizer_or_the_owner(api):
    event, people = staffed_event()
    api.as_user(people["coorganizer"])
    for target in ("organizer", "owner"):
        assert_error(api.delete(f"/v1/users-events-roles/{membership(event, people[target]).pk}"), 403)
    assert api.delete(f"/v1/users-events-roles/{membership(event, people['moderator']).pk}").status_code == 200
    assert not UsersEventsRoles.objects.filter(event=event, user=people["moderator"]).exists()
    assert UsersEventsRoles.objects.filter(event=event, role__name__in=["owner", "organizer"]).count() == 2


def test_members_may_leave_and_others_may_not_remove_them(api):
    event, people = staffed_event()
    row = membership(event, people["registrar"])
    assert_error(api.as_user(people["moderator"]).delete(f"/v1/users-events-roles/{row.pk}"), 403)
    assert api.as_user(people["registrar"]).delete(f"/v1/users-events-roles/{row.pk}").status_code == 200
    owner_row = membership(event, people["owner"])
    assert_error(api.as_user(people["owner"]).delete(f"/v1/users-events-roles/{owner_row.pk}"), 403)


def test_team_list_runs_constant_queries(api):
    event, people = staffed_event()
    api.as_user(people["owner"])

    def fetch():
        return api.get(f"/v1/events/{event.pk}/users-events-roles", include="user,role,event", **{"page[size]": "0"})

    _, few = count_queries(fetch)
    for _ in range(20):
        UsersEventsRoles.objects.create(user=UserFactory(), event=event, role=Role.objects.get(name=Role.REGISTRAR))
    response, many = count_queries(fetch)
    assert response.json_body["meta"]["count"] == len(Role.NAMES) + 20
    assert few == many
