"""Domain changes become in-app notifications for exactly the people concerned, once each, and an
administrator's switch of the action turns them off."""
import datetime

import pytest
from django.db import transaction
from django.utils import timezone

from events import services as event_services
from events.models import Event, Role
from events.tests.factories import EventFactory, give_role
from notifications.models import MessageSettings, Notification
from openevent.users.tests.factories import UserFactory
from sessions_app import services as session_services
from sessions_app.tests.factories import SessionFactory, SpeakerFactory
from sessions_app.tests.helpers import Program

pytestmark = pytest.mark.django_db


@pytest.fixture
def program(db):
    return Program()


def received(action):
    """(user id, count) of the notifications of ``action``."""
    rows = Notification.objects.filter(action=action).values_list("user_id", flat=True)
    counts = {}
    for user_id in rows:
        counts[user_id] = counts.get(user_id, 0) + 1
    return counts


def switch_off(action):
    MessageSettings.objects.filter(action=action).update(notification_status=False)


# --- session state changes: the session's speakers with an account --------------------------------
def accept(program):
    return session_services.change_state(program.people["organizer"], program.own_session, "accepted")


def test_an_accepted_session_tells_each_of_its_speakers_with_an_account(program):
    co_speaker = UserFactory()
    program.own_session.speakers.add(
        SpeakerFactory(event=program.event, user=co_speaker, email=co_speaker.email),
        SpeakerFactory(event=program.event, user=None),  # no account: mail only
    )
    accept(program)
    assert received("session_state_change") == {program.speaker_user.pk: 1, co_speaker.pk: 1}
    note = Notification.objects.get(user=program.speaker_user)
    assert note.title == f"Your session “{program.own_session.title}” was accepted"
    assert note.event == program.event
    assert not note.is_read
    # The speaker holds no role at the event: the team's session page would refuse them.
    assert note.link == ""


def test_a_speaker_on_the_team_gets_the_link_to_the_session(program):
    give_role(program.speaker_user, program.event, Role.MODERATOR)
    accept(program)
    note = Notification.objects.get(user=program.speaker_user)
    assert note.link == f"/events/{program.event.identifier}/sessions/{program.own_session.pk}/"


def test_the_speaker_who_withdraws_is_not_told_what_they_did(program):
    session_services.change_state(program.speaker_user, program.own_session, "withdrawn")
    assert received("session_state_change") == {}


def test_the_switch_turns_state_notifications_off(program):
    switch_off("session_state_change")
    accept(program)
    assert received("session_state_change") == {}


def test_a_rolled_back_change_leaves_no_notification(program):
    def accept_then_fail():
        with transaction.atomic():
            accept(program)
            raise RuntimeError

    with pytest.raises(RuntimeError):
        accept_then_fail()
    assert Notification.objects.count() == 0


# --- new proposals: the event's organizers ---------------------------------------------------------
def organizers(program):
    return {program.people[name].pk: 1 for name in (Role.OWNER, Role.ORGANIZER, Role.COORGANIZER)}


def propose(program, state="pending"):
    return session_services.create_session(
        program.speaker_user, program.event, {"title": "My proposal", "state": state}, speakers=[program.speaker]
    )


def test_a_proposal_tells_the_organizers(program):
    session = propose(program)
    assert received("new_session") == organizers(program)
    note = Notification.objects.get(user=program.people[Role.OWNER])
    assert note.title == f"New session proposal “My proposal” for “{program.event.name}”"
    assert note.link == f"/events/{program.event.identifier}/sessions/{session.pk}/"


def test_a_draft_tells_them_when_it_is_submitted(program):
    session = propose(program, state="draft")
    assert received("new_session") == {}
    session_services.change_state(program.speaker_user, session, "pending")
    assert received("new_session") == organizers(program)


def test_a_session_the_team_adds_is_no_proposal(program):
    organizer = program.people[Role.ORGANIZER]
    session_services.create_session(organizer, program.event, {"title": "Keynote", "state": "pending"})
    assert received("new_session") == {}


def test_the_switch_turns_proposal_notifications_off(program):
    switch_off("new_session")
    propose(program)
    assert received("new_session") == {}


# --- schedule changes: the speakers, once the schedule is published ---------------------------------
def move(program):
    start = program.at(2)
    session_services.update_session(
        program.people[Role.ORGANIZER],
        program.own_session,
        {"starts_at": start, "ends_at": start + datetime.timedelta(minutes=45)},
    )


def test_a_move_in_a_published_schedule_tells_the_speakers(program):
    Event.objects.filter(pk=program.event.pk).update(schedule_published_on=timezone.now())
    program.own_session.event.refresh_from_db()
    move(program)
    assert received("session_schedule_change") == {program.speaker_user.pk: 1}
    assert Notification.objects.get(action="session_schedule_change").title == (
        f"Your session “{program.own_session.title}” was rescheduled"
    )


def test_a_move_in_an_unpublished_schedule_tells_nobody(program):
    move(program)
    assert received("session_schedule_change") == {}


def test_the_switch_turns_schedule_notifications_off(program):
    Event.objects.filter(pk=program.event.pk).update(schedule_published_on=timezone.now())
    program.own_session.event.refresh_from_db()
    switch_off("session_schedule_change")
    move(program)
    assert received("session_schedule_change") == {}


# --- invites: the invitee's account; the inviter when accepted ----------------------------------------
def invite(program, email="invitee@example.org"):
    return event_services.invite(program.people[Role.OWNER], program.event, email, Role.COORGANIZER)


def test_an_invite_tells_the_account_with_that_address_without_its_token(program):
    invitee = UserFactory(email="Invitee@example.org")
    invitation = invite(program)
    assert received("event_role") == {invitee.pk: 1}
    note = Notification.objects.get(action="event_role")
    assert note.title == f"You are invited to be Co-organizer of “{program.event.name}”"
    assert note.link == "/invites/"
    for text in (note.title, note.message, note.link):
        assert invitation.token not in text


def test_an_invite_to_an_unknown_or_unproved_address_tells_nobody(program):
    UserFactory(email="unproved@example.org", is_verified=False)
    invite(program, "unproved@example.org")
    invite(program, "nobody@example.org")
    assert Notification.objects.count() == 0


def test_a_resent_invite_adds_nothing(program):
    UserFactory(email="invitee@example.org")
    invitation = invite(program)
    event_services.resend_invite(program.people[Role.OWNER], invitation)
    assert sum(received("event_role").values()) == 1


def test_the_switch_turns_invite_notifications_off(program):
    UserFactory(email="invitee@example.org")
    switch_off("event_role")
    invite(program)
    assert received("event_role") == {}


def test_an_accepted_invite_tells_the_inviter(program):
    invitee = UserFactory(email="invitee@example.org", first_name="Ada", last_name="Lovelace", public_name="")
    event_services.accept_invite(invite(program), invitee)
    assert received("event_role_accepted") == {program.people[Role.OWNER].pk: 1}
    note = Notification.objects.get(action="event_role_accepted")
    assert note.title == f"Ada Lovelace accepted your invite to be Co-organizer of “{program.event.name}”"
    assert note.link == f"/events/{program.event.identifier}/team/"


def test_the_switch_turns_acceptance_notifications_off(program):
    invitee = UserFactory(email="invitee@example.org")
    switch_off("event_role_accepted")
    event_services.accept_invite(invite(program), invitee)
    assert received("event_role_accepted") == {}


# --- publishing: the organizers ---------------------------------------------------------------------
def draft_event():
    event = EventFactory(state=Event.State.DRAFT)
    people = {name: UserFactory() for name in Role.NAMES}
    for name, user in people.items():
        give_role(user, event, name)
    UserFactory()
    return event, people


def test_publishing_tells_the_other_organizers(db):
    event, people = draft_event()
    event_services.update_event(people[Role.ORGANIZER], event, state=Event.State.PUBLISHED)
    # The organizer who published it knows.
    team = (Role.OWNER, Role.COORGANIZER)
    assert received("event_published") == {people[name].pk: 1 for name in team}
    note = Notification.objects.get(user=people[Role.OWNER])
    assert note.title == f"“{event.name}” is published"
    assert note.link == f"/events/{event.identifier}/"


def test_the_switch_turns_publishing_notifications_off(db):
    event, people = draft_event()
    switch_off("event_published")
    event_services.update_event(people[Role.OWNER], event, state=Event.State.PUBLISHED)
    assert received("event_published") == {}


def test_other_changes_notify_nobody(program):
    session_services.update_session(program.people[Role.ORGANIZER], program.own_session, {"title": "Renamed"})
    SessionFactory(event=program.event)
    assert Notification.objects.count() == 0
