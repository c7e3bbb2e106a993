"""/v1/role-invites and /v1/events/<id>/role-invites: inviting, answering, editing, guarding."""
import datetime
import json

import pytest
from django.utils import timezone

from events import services
from events.models import Event, Role, RoleInvite, UsersEventsRoles
from events.tests.helpers import count_queries, staffed_event
from openevent.api.tests.documents import assert_error
from openevent.users.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def invite_doc(event, email="new@example.org", role_name="coorganizer", id=None, **attributes):
    data = {
        "type": "role-invite",
        "attributes": {"email": email, "role-name": role_name, **attributes},
        "relationships": {"event": {"data": {"type": "event", "id": str(event.pk)}}},
    }
    if id is not None:
        data["id"] = str(id)
    return {"data": data}


def patch_doc(invite, **attributes):
    return {"data": {"type": "role-invite", "id": str(invite.pk), "attributes": attributes}}


@pytest.fixture
def staffed():
    return staffed_event()


@pytest.fixture
def pending(staffed):
    event, people = staffed
    invitee = UserFactory(email="invitee@example.org")
    invitation = services.invite(people["owner"], event, invitee.email, Role.COORGANIZER)
    return event, people, invitee, invitation


# --- creating ---------------------------------------------------------------------------------
def test_owner_invites_and_no_secret_is_serialized(api, staffed):
    event, people = staffed
    response = api.as_user(people["owner"]).post("/v1/role-invites", invite_doc(event, email="New@Example.org"))
    assert response.status_code == 201, response.json_body
    data = response.json_body["data"]
    assert data["attributes"]["email"] == "new@example.org"
    assert data["attributes"]["status"] == "pending"
    assert data["attributes"]["role-name"] == "coorganizer"
    assert data["relationships"]["role"]["data"]["type"] == "role"
    invitation = RoleInvite.objects.get()
    raw = response.content.decode()
    assert invitation.token_hash not in raw
    assert "token" not in raw
    assert "hash" not in raw
    assert invitation.expires_at - invitation.created_at == datetime.timedelta(days=7)


def test_invite_via_role_relationship(api, staffed):
    event, people = staffed
    role = Role.objects.get(name=Role.MODERATOR)
    body = invite_doc(event)
    del body["data"]["attributes"]["role-name"]
    body["data"]["relationships"]["role"] = {"data": {"type": "role", "id": str(role.pk)}}
    response = api.as_user(people["organizer"]).post("/v1/role-invites", body)
    assert response.status_code == 201, response.json_body
    assert RoleInvite.objects.get().role == role


def test_nested_list_under_event_identifier(api, staffed):
    event, people = staffed
    api.as_user(people["coorganizer"])
    response = api.post("/v1/role-invites", invite_doc(event, role_name="moderator"))
    assert response.status_code == 201, response.json_body
    listing = api.get(f"/v1/events/{event.identifier}/role-invites")
    assert listing.status_code == 200
    assert [row["attributes"]["email"] for row in listing.json_body["data"]] == ["new@example.org"]


@pytest.mark.parametrize(
    ("inviter", "role_name", "status"),
    [
        ("coorganizer", "owner", 403),
        ("coorganizer", "organizer", 403),
        ("organizer", "owner", 403),
        ("track_organizer", "moderator", 403),
        ("moderator", "moderator", 403),
        ("registrar", "registrar", 403),
        ("plain", "moderator", 403),
        ("other_organizer", "moderator", 403),
        ("anonymous", "moderator", 401),
    ],
)
def test_invite_refusals(api, staffed, inviter, role_name, status):
    event, people = staffed
    response = api.as_user(people[inviter]).post("/v1/role-invites", invite_doc(event, role_name=role_name))
    assert_error(response, status)
    assert not RoleInvite.objects.exists()


@pytest.mark.parametrize(
    ("inviter", "role_name"),
    [("owner", "owner"), ("organizer", "organizer"), ("coorganizer", "coorganizer"), ("admin", "owner")],
)
def test_invite_allowed(api, staffed, inviter, role_name):
    event, people = staffed
    response = api.as_user(people[inviter]).post("/v1/role-invites", invite_doc(event, role_name=role_name))
    assert response.status_code == 201, response.json_body


def test_inviting_into_a_draft_you_cannot_see_is_refused(api):
    event, people = staffed_event(state=Event.State.DRAFT)
    response = api.as_user(people["moderator"]).post("/v1/role-invites", invite_doc(event, role_name="moderator"))
    assert response.status_code in (403, 422)
    assert not RoleInvite.objects.exists()


def test_duplicates_are_409(api, pending):
    event, people, invitee, _invitation = pending
    api.as_user(people["owner"])
    assert_error(api.post("/v1/role-invites", invite_doc(event, email=invitee.email)), 409)
    member = people["moderator"]
    assert_error(api.post("/v1/role-invites", invite_doc(event, email=member.email, role_name="moderator")), 409)
    assert RoleInvite.objects.count() == 1


@pytest.mark.parametrize(
    ("change", "pointer"),
    [
        ({"attributes": {"email": "not-an-email"}}, "/data/attributes/email"),
        ({"attributes": {"role-name": "king"}}, "/data/attributes/role-name"),
        ({"relationships": {}}, "/data/relationships/event"),
    ],
)
def test_invalid_invites_are_422_with_pointer(api, staffed, change, pointer):
    event, people = staffed
    body = invite_doc(event)
    for key, value in change.items():
        if key == "relationships":
            body["data"]["relationships"] = value
        else:
            body["data"]["attributes"].update(value)
    response = api.as_user(people["owner"]).post("/v1/role-invites", body)
    assert_error(response, 422)
    assert pointer in [e["source"]["pointer"] for e in response.json_body["errors"]]
    assert not RoleInvite.objects.exists()


# --- reading ------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("viewer", "status"), [("anonymous", 401), ("plain", 403), ("moderator", 403), ("other_organizer", 403)]
)
def test_event_invite_list_is_for_coorganizers(api, pending, viewer, status):
    event, people, _invitee, _invitation = pending
    assert_error(api.as_user(people[viewer]).get(f"/v1/events/{event.pk}/role-invites"), status)


def test_invitee_lists_own_invites_only(api, pending):
    event, people, invitee, invitation = pending
    services.invite(people["owner"], event, "someone-else@example.org", Role.MODERATOR)
    listing = api.as_user(invitee).get("/v1/role-invites")
    assert [row["id"] for row in listing.json_body["data"]] == [str(invitation.pk)]
    assert api.get(f"/v1/role-invites/{invitation.pk}").status_code == 200
    assert api.as_user(people["plain"]).get("/v1/role-invites").json_body["data"] == []
    assert_error(api.get(f"/v1/role-invites/{invitation.pk}"), 404)


def test_invite_relationship_routes_are_guarded_like_the_invite(api, pending):
    event, people, invitee, invitation = pending
    for url in (
        f"/v1/role-invites/{invitation.pk}/event",
        f"/v1/role-invites/{invitation.pk}/relationships/event",
        f"/v1/role-invites/{invitation.pk}/role",
    ):
        assert_error(api.as_user(people["plain"]).get(url), 404)
        assert_error(api.as_user(None).get(url), 401)
        assert api.as_user(invitee).get(url).status_code == 200
    assert api.get(f"/v1/role-invites/{invitation.pk}/relationships/event").json_body["data"] == {
        "type": "event",
        "id": str(event.pk),
    }


@pytest.mark.parametrize(("relation", "target"), [("event", "other_event"), ("role", "owner_role")])
def test_nobody_repoints_an_invite(api, pending, relation, target):
    event, people, invitee, invitation = pending
    other_event, _ = staffed_event()
    targets = {"other_event": ("event", other_event.pk), "owner_role": ("role", Role.objects.get(name="owner").pk)}
    kind, pk = targets[target]
    body = {"data": {"type": kind, "id": str(pk)}}
    for actor in (people["owner"], invitee, people["admin"]):
        response = api.as_user(actor).patch(f"/v1/role-invites/{invitation.pk}/relationships/{relation}", body)
        assert_error(response, 403)
    doc = patch_doc(invitation)
    doc["data"]["relationships"] = {relation: body}
    assert_error(api.as_user(people["owner"]).patch(f"/v1/role-invites/{invitation.pk}", doc), 403)
    invitation.refresh_from_db()
    assert invitation.event == event
    assert invitation.role.name == Role.COORGANIZER


def test_event_role_invites_relationship_lists_ids(api, pending):
    event, people, _invitee, invitation = pending
    response = api.as_user(people["owner"]).get(f"/v1/events/{event.pk}/relationships/role-invites")
    assert response.json_body["data"] == [{"type": "role-invite", "id": str(invitation.pk)}]
    assert_error(api.as_user(people["moderator"]).get(f"/v1/events/{event.pk}/role-invites"), 403)


def test_invite_list_runs_constant_queries(api, staffed):
    event, people = staffed
    owner = people["owner"]
    services.invite(owner, event, "first@example.org", Role.MODERATOR)
    api.as_user(owner)

    def fetch():
        return api.get(f"/v1/events/{event.pk}/role-invites", include="role,event")

    _, one = count_queries(fetch)
    for n in range(15):
        services.invite(owner, event, f"guest{n}@example.org", Role.REGISTRAR)
    response, many = count_queries(fetch)
    assert len(response.json_body["data"]) == 16
    assert one == many


# --- answering ----------------------------------------------------------------------------------
def test_invitee_accepts_and_gets_the_role_atomically(api, pending):
    event, _people, invitee, invitation = pending
    response = api.as_user(invitee).patch(f"/v1/role-invites/{invitation.pk}", patch_doc(invitation, status="accepted"))
    assert response.status_code == 200, response.json_body
    assert response.json_body["data"]["attributes"]["status"] == "accepted"
    assert UsersEventsRoles.objects.filter(user=invitee, event=event, role__name=Role.COORGANIZER).exists()
    # Works once.
    again = api.patch(f"/v1/role-invites/{invitation.pk}", patch_doc(invitation, status="accepted"))
    assert_error(again, 409)
    declined = api.patch(f"/v1/role-invites/{invitation.pk}", patch_doc(invitation, status="declined"))
    assert_error(declined, 409)
    assert UsersEventsRoles.objects.filter(user=invitee, event=event).count() == 1


def test_invitee_declines_and_cannot_accept_later(api, pending):
    event, _people, invitee, invitation = pending
    api.as_user(invitee)
    assert api.patch(f"/v1/role-invites/{invitation.pk}", patch_doc(invitation, status="declined")).status_code == 200
    assert_error(api.patch(f"/v1/role-invites/{invitation.pk}", patch_doc(invitation, status="accepted")), 409)
    assert not UsersEventsRoles.objects.filter(user=invitee, event=event).exists()


def test_expired_invites_cannot_be_accepted(api, pending):
    event, _people, invitee, invitation = pending
    RoleInvite.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    response = api.as_user(invitee).patch(f"/v1/role-invites/{invitation.pk}", patch_doc(invitation, status="accepted"))
    assert_error(response, 422)
    assert not UsersEventsRoles.objects.filter(user=invitee, event=event).exists()


@pytest.mark.parametrize("actor", ["owner", "admin", "plain"])
def test_only_the_invitee_can_accept(api, pending, actor):
    event, people, invitee, invitation = pending
    response = api.as_user(people[actor]).patch(
        f"/v1/role-invites/{invitation.pk}", patch_doc(invitation, status="accepted")
    )
    assert response.status_code in (403, 404)
    invitation.refresh_from_db()
    assert invitation.status == "pending"
    assert not UsersEventsRoles.objects.filter(user=invitee, event=event).exists()


@pytest.mark.parametrize(
    "attributes", [{"status": "accepted", "role-name": "owner"}, {"role-name": "owner"}, {"email": "me@example.org"}]
)
def test_invitee_may_change_nothing_but_status(api, pending, attributes):
    _event, _people, invitee, invitation = pending
    response = api.as_user(invitee).patch(f"/v1/role-invites/{invitation.pk}", patch_doc(invitation, **attributes))
    assert_error(response, 403)
    invitation.refresh_from_db()
    assert invitation.status == "pending"
    assert invitation.role.name == Role.COORGANIZER
    assert invitation.email == "invitee@example.org"


def test_bad_status_value_is_422(api, pending):
    _event, _people, invitee, invitation = pending
    response = api.as_user(invitee).patch(f"/v1/role-invites/{invitation.pk}", patch_doc(invitation, status="maybe"))
    error = assert_error(response, 422)
    assert error["source"]["pointer"] == "/data/attributes/status"


def test_owner_invite_hands_ownership_over(api, staffed):
    event, people = staffed
    old_owner = people["owner"]
    successor = people["plain"]
    invitation = services.invite(old_owner, event, successor.email, Role.OWNER)
    response = api.as_user(successor).patch(
        f"/v1/role-invites/{invitation.pk}", patch_doc(invitation, status="accepted")
    )
    assert response.status_code == 200, response.json_body
    owners = UsersEventsRoles.objects.filter(event=event, role__name=Role.OWNER)
    assert [m.user for m in owners] == [successor]
    assert UsersEventsRoles.objects.filter(event=event, user=old_owner, role__name=Role.ORGANIZER).exists()


# --- editing and deleting -----------------------------------------------------------------------
def test_organizers_edit_pending_invites(api, pending):
    _event, people, _invitee, invitation = pending
    api.as_user(people["organizer"])
    response = api.patch(
        f"/v1/role-invites/{invitation.pk}",
        patch_doc(invitation, **{"role-name": "moderator", "email": "x@example.org"}),
    )
    assert response.status_code == 200, response.json_body
    invitation.refresh_from_db()
    assert invitation.role.name == Role.MODERATOR
    assert invitation.email == "x@example.org"


def test_coorganizer_cannot_raise_an_invite_to_organizer(api, pending):
    _event, people, _invitee, invitation = pending
    response = api.as_user(people["coorganizer"]).patch(
        f"/v1/role-invites/{invitation.pk}", patch_doc(invitation, **{"role-name": "organizer"})
    )
    assert_error(response, 403)
    invitation.refresh_from_db()
    assert invitation.role.name == Role.COORGANIZER


def test_answered_invites_cannot_be_edited(api, pending):
    _event, people, invitee, invitation = pending
    services.accept_invite(invitation, invitee)
    response = api.as_user(people["owner"]).patch(
        f"/v1/role-invites/{invitation.pk}", patch_doc(invitation, email="y@example.org")
    )
    assert_error(response, 409)


@pytest.mark.parametrize(("actor", "status"), [("moderator", 404), ("plain", 404), ("anonymous", 401)])
def test_others_cannot_edit_or_delete(api, pending, actor, status):
    _event, people, _invitee, invitation = pending
    api.as_user(people[actor])
    assert_error(api.patch(f"/v1/role-invites/{invitation.pk}", patch_doc(invitation, email="y@example.org")), status)
    assert_error(api.delete(f"/v1/role-invites/{invitation.pk}"), status)
    assert RoleInvite.objects.filter(pk=invitation.pk, email="invitee@example.org").exists()


def test_invitee_cannot_delete_but_organizer_can(api, pending):
    _event, people, invitee, invitation = pending
    assert_error(api.as_user(invitee).delete(f"/v1/role-invites/{invitation.pk}"), 403)
    assert api.as_user(people["coorganizer"]).delete(f"/v1/role-invites/{invitation.pk}").status_code == 200
    assert not RoleInvite.objects.exists()


def test_invite_with_garbage_and_wrong_type(api, staffed):
    event, people = staffed
    api.as_user(people["owner"])
    assert_error(api.post("/v1/role-invites", raw="[1,2"), 400)
    wrong = invite_doc(event)
    wrong["data"]["type"] = "event"
    assert_error(api.post("/v1/role-invites", wrong), 409)
    assert_error(
        api.post("/v1/role-invites", raw=json.dumps(invite_doc(event)), content_type="multipart/form-data; boundary=x"),
        415,
    )
    assert not RoleInvite.objects.exists()
