"""events.services: the publishing rule, handing an event over, changing roles, leaving, and
renewing invites."""

import datetime

import pytest
from django.utils import timezone

from events import services
from events.models import Event, Role, RoleInvite, UsersEventsRoles, hash_token
from events.tests.factories import EventFactory, event_with_owner, give_role
from events.tests.helpers import event_doc, staffed_event
from openevent.core.errors import Conflict, Invalid, NotAllowed
from openevent.users.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def roles_of(event):
    return set(UsersEventsRoles.objects.filter(event=event).values_list("user__email", "role__name"))


# --- publishing -----------------------------------------------------------------------------------
def test_publishing_problems_name_what_is_missing():
    event = EventFactory.build(name=" ", location_name="", online=False)
    assert [field for field, _ in services.publishing_problems(event)] == ["name", "location_name"]
    event.online = True
    assert [field for field, _ in services.publishing_problems(event)] == ["name"]
    event.name = "Named"
    assert services.publishing_problems(event) == []


def test_update_event_refuses_to_publish_an_event_without_a_location_and_changes_nothing():
    event, owner = event_with_owner(state=Event.State.DRAFT, location_name="")
    with pytest.raises(Invalid) as refused:
        services.update_event(owner, event, state=Event.State.PUBLISHED, name="Renamed")
    assert refused.value.field == "location_name"
    assert "Say where the event takes place" in refused.value.message
    assert (event.state, event.name) != (Event.State.PUBLISHED, "Renamed")  # the caller's instance too
    event.refresh_from_db()
    assert event.state == Event.State.DRAFT
    services.update_event(owner, event, state=Event.State.PUBLISHED, online=True)
    event.refresh_from_db()
    assert event.is_published


def test_a_published_event_cannot_lose_its_location():
    event, owner = event_with_owner(state=Event.State.PUBLISHED)
    with pytest.raises(Invalid) as refused:
        services.update_event(owner, event, location_name="")
    assert refused.value.field == "location_name"
    assert Event.objects.get(pk=event.pk).location_name == "Singapore"


def test_create_event_refuses_a_published_event_without_a_location():
    start = timezone.now() + datetime.timedelta(days=5)
    with pytest.raises(Invalid) as refused:
        services.create_event(
            UserFactory(), name="X", starts_at=start, ends_at=start + datetime.timedelta(days=1), state="published"
        )
    assert refused.value.field == "location_name"
    assert not Event.objects.exists()


def test_the_api_refuses_publishing_with_a_422_naming_the_field(api):
    event, owner = event_with_owner(state=Event.State.DRAFT, location_name="")
    response = api.as_user(owner).patch(f"/v1/events/{event.pk}", event_doc({"state": "published"}, event.pk))
    assert response.status_code == 422, response.json_body
    [error] = response.json_body["errors"]
    assert error["source"]["pointer"] == "/data/attributes/location-name"
    assert "cannot be published yet" in error["detail"]
    assert Event.objects.get(pk=event.pk).state == Event.State.DRAFT


# --- handing over ---------------------------------------------------------------------------------
def test_the_owner_hands_over_to_a_member_and_stays_on_as_organizer():
    event, people = staffed_event()
    owner, moderator = people["owner"], people["moderator"]
    services.transfer_ownership(owner, event, moderator)
    held = roles_of(event)
    assert (moderator.email, Role.OWNER) in held
    assert (moderator.email, Role.MODERATOR) in held  # other roles stay
    assert (owner.email, Role.ORGANIZER) in held
    assert (owner.email, Role.OWNER) not in held
    assert UsersEventsRoles.objects.filter(event=event, role__name=Role.OWNER).count() == 1


@pytest.mark.parametrize("who", ["organizer", "coorganizer", "moderator", "plain"])
def test_only_the_owner_hands_over(who):
    event, people = staffed_event()
    with pytest.raises(NotAllowed):
        services.transfer_ownership(people[who], event, people["registrar"])
    assert (people["owner"].email, Role.OWNER) in roles_of(event)


def test_hand_over_needs_a_team_member_other_than_the_owner():
    event, people = staffed_event()
    with pytest.raises(Invalid) as outsider:
        services.transfer_ownership(people["owner"], event, people["plain"])
    assert outsider.value.field == "user"
    with pytest.raises(Invalid):
        services.transfer_ownership(people["owner"], event, people["owner"])


def test_an_accepted_owner_invite_still_hands_over():
    event, owner = event_with_owner()
    newcomer = UserFactory(email="new-owner@example.org", is_verified=True)
    services.accept_invite(services.invite(owner, event, newcomer.email, Role.OWNER), newcomer)
    assert roles_of(event) == {(newcomer.email, Role.OWNER), (owner.email, Role.ORGANIZER)}


# --- changing roles, leaving ----------------------------------------------------------------------
def test_an_organizer_changes_a_members_role():
    event, people = staffed_event()
    membership = UsersEventsRoles.objects.get(event=event, user=people["moderator"])
    services.change_role(people["organizer"], membership, Role.COORGANIZER)
    assert UsersEventsRoles.objects.get(pk=membership.pk).role.name == Role.COORGANIZER


@pytest.mark.parametrize(
    ("who", "member", "to"),
    [
        ("coorganizer", "moderator", Role.REGISTRAR),  # co-organizers do not change roles
        ("moderator", "registrar", Role.MODERATOR),
        ("plain", "registrar", Role.MODERATOR),
        ("organizer", "moderator", Role.OWNER),  # ownership moves only by a hand-over
        ("owner", "owner", Role.ORGANIZER),
        ("admin", "moderator", Role.OWNER),
    ],
)
def test_role_changes_refused(who, member, to):
    event, people = staffed_event()
    people["admin"] = UserFactory(is_admin=True)
    membership = UsersEventsRoles.objects.get(event=event, user=people[member])
    before = membership.role.name
    with pytest.raises(NotAllowed):
        services.change_role(people[who], membership, to)
    assert UsersEventsRoles.objects.get(pk=membership.pk).role.name == before


def test_changing_to_a_role_the_member_holds_too_is_a_conflict():
    event, people = staffed_event()
    give_role(people["moderator"], event, Role.REGISTRAR)
    membership = UsersEventsRoles.objects.get(event=event, user=people["moderator"], role__name=Role.MODERATOR)
    with pytest.raises(Conflict):
        services.change_role(people["organizer"], membership, Role.REGISTRAR)


def test_a_member_leaves_with_every_role_but_the_owner_cannot():
    event, people = staffed_event()
    give_role(people["moderator"], event, Role.REGISTRAR)
    services.leave_event(people["moderator"], event)
    assert not UsersEventsRoles.objects.filter(event=event, user=people["moderator"]).exists()
    with pytest.raises(NotAllowed):
        services.leave_event(people["owner"], event)
    assert (people["owner"].email, Role.OWNER) in roles_of(event)
    with pytest.raises(Invalid):
        services.leave_event(people["plain"], event)


def test_the_owner_is_never_removed_even_by_an_administrator():
    event, people = staffed_event()
    owner_row = UsersEventsRoles.objects.get(event=event, role__name=Role.OWNER)
    for actor in (people["owner"], UserFactory(is_admin=True)):
        with pytest.raises(NotAllowed):
            services.remove_from_team(actor, owner_row)
    assert UsersEventsRoles.objects.filter(pk=owner_row.pk).exists()


# --- renewing invites -----------------------------------------------------------------------------
def test_resend_gives_a_fresh_token_and_lifetime_and_the_old_link_stops_working():
    event, owner = event_with_owner()
    invitation = services.invite(owner, event, "guest@example.org", Role.MODERATOR)
    old_token = invitation.token
    RoleInvite.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - datetime.timedelta(days=1))
    assert services.pending_invite_by_token(old_token).pk == invitation.pk

    renewed = services.resend_invite(owner, invitation)

    stored = RoleInvite.objects.get(pk=invitation.pk)
    assert renewed.token != old_token
    assert stored.token_hash == hash_token(renewed.token)
    assert renewed.token not in {stored.token_hash, stored.email}
    assert stored.expires_at > timezone.now() + datetime.timedelta(days=6)
    assert services.pending_invite_by_token(old_token) is None
    assert services.pending_invite_by_token(renewed.token).pk == invitation.pk


def test_resend_is_for_those_who_may_invite_to_that_role_and_pending_invites_only():
    event, people = staffed_event()
    invitation = services.invite(people["owner"], event, "boss@example.org", Role.ORGANIZER)
    for who in ("coorganizer", "moderator", "plain"):
        with pytest.raises(NotAllowed):
            services.resend_invite(people[who], invitation)
    assert RoleInvite.objects.get(pk=invitation.pk).token_hash == hash_token(invitation.token)
    RoleInvite.objects.filter(pk=invitation.pk).update(status=RoleInvite.Status.DECLINED)
    with pytest.raises(Conflict):
        services.resend_invite(people["owner"], invitation)
