"""events.services: events, the team and invites, as the API, the pages and the admin use them."""
import pytest

from events import services
from events.models import Event, Role, RoleInvite, UsersEventsRoles
from events.tests.factories import EventFactory
from events.tests.helpers import staffed_event
from openevent.core.errors import Conflict, Invalid, NotAllowed
from openevent.users.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_the_time_zone_is_checked_by_the_service():
    user = UserFactory()
    event = EventFactory()
    with pytest.raises(Invalid) as invalid:
        services.create_event(user, name="X", starts_at=event.starts_at, ends_at=event.ends_at, timezone="Mars/Olympus")
    assert (invalid.value.field, invalid.value.message) == ("timezone", "Unknown time zone.")
    with pytest.raises(Invalid):
        services.update_event(UserFactory(is_admin=True), event, timezone="Nowhere/Else")
    assert services.update_event(UserFactory(is_admin=True), event, timezone="Asia/Jakarta").timezone == "Asia/Jakarta"


def test_owners_trash_events_admins_delete_them_organizers_restore_them():
    event, people = staffed_event()
    with pytest.raises(NotAllowed):
        services.delete_event(people["organizer"], event)
    with pytest.raises(NotAllowed):
        services.delete_event(people["owner"], event, permanent=True)
    services.delete_event(people["owner"], event)
    assert Event.all_objects.get(pk=event.pk).deleted_at is not None
    with pytest.raises(NotAllowed):
        services.restore_event(people["coorganizer"], event)
    services.restore_event(people["organizer"], event)
    assert Event.objects.filter(pk=event.pk).exists()
    services.delete_event(people["admin"], event, permanent=True)
    assert not Event.all_objects.filter(pk=event.pk).exists()


def test_team_rows_are_added_directly_by_administrators_only_and_never_as_owner():
    event, people = staffed_event()
    newcomer = UserFactory()
    with pytest.raises(NotAllowed):
        services.add_to_team(people["owner"], event, newcomer, Role.ORGANIZER)
    with pytest.raises(NotAllowed) as refused:
        services.add_to_team(people["admin"], event, newcomer, Role.OWNER)
    assert refused.value.field == "role"
    row = services.add_to_team(people["admin"], event, newcomer, Role.MODERATOR)
    assert row.role.name == Role.MODERATOR
    with pytest.raises(Conflict):
        services.add_to_team(people["admin"], event, newcomer, Role.MODERATOR)
    assert UsersEventsRoles.objects.filter(user=newcomer).count() == 1


def test_team_rows_are_re_pointed_by_administrators_but_the_owner_row_only_by_invite():
    event, people = staffed_event()
    row = UsersEventsRoles.objects.get(event=event, user=people["moderator"])
    with pytest.raises(NotAllowed):
        services.change_membership(people["owner"], row, role=Role.REGISTRAR)
    with pytest.raises(NotAllowed) as refused:
        services.change_membership(people["admin"], row, event=EventFactory())
    assert refused.value.field == "event"
    assert services.change_membership(people["admin"], row, role=Role.REGISTRAR).role.name == Role.REGISTRAR
    owner_row = UsersEventsRoles.objects.get(event=event, role__name=Role.OWNER)
    with pytest.raises(NotAllowed):
        services.change_membership(people["admin"], owner_row, user=people["plain"])
    assert UsersEventsRoles.objects.get(pk=owner_row.pk).user == people["owner"]


def test_update_invite_lets_the_invitee_answer_and_organizers_edit():
    event, people = staffed_event()
    invitee = UserFactory(email="invitee@example.org", is_verified=True)
    invitation = services.invite(people["owner"], event, invitee.email, Role.MODERATOR)

    with pytest.raises(NotAllowed):
        services.update_invite(invitee, invitation, {"status": "accepted", "email": "x@example.org"})
    with pytest.raises(NotAllowed):
        services.update_invite(invitee, invitation, {"email": "x@example.org"})
    with pytest.raises(NotAllowed):
        services.update_invite(people["owner"], invitation, {"event": EventFactory()})
    edited = services.update_invite(people["owner"], invitation, {"role_name": Role.REGISTRAR})
    assert edited.role.name == Role.REGISTRAR

    answered = services.update_invite(invitee, invitation, {"status": "accepted"})
    assert answered.status == RoleInvite.Status.ACCEPTED
    assert UsersEventsRoles.objects.filter(event=event, user=invitee, role__name=Role.REGISTRAR).exists()


def test_administrators_revise_invites_but_never_accept_them():
    event, people = staffed_event()
    invitation = services.invite(people["owner"], event, "someone@example.org", Role.MODERATOR)
    with pytest.raises(NotAllowed):
        services.revise_invite(people["owner"], invitation, status="declined")
    with pytest.raises(Invalid):
        services.revise_invite(people["admin"], invitation, status="accepted")
    assert services.revise_invite(people["admin"], invitation, status="declined").status == "declined"
    again = services.invite(people["owner"], event, "someone@example.org", Role.MODERATOR)
    with pytest.raises(Conflict):  # a second pending invite for the same address and role
        services.revise_invite(people["admin"], RoleInvite.objects.get(pk=invitation.pk), status="pending")
    assert again.status == "pending"
