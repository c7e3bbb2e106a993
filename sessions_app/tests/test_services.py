"""sessions_app.services: the one place sessions and speakers are written."""
import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from events.models import Event, SpeakersCall
from events.tests.factories import EventFactory, MicrolocationFactory, SessionTypeFactory, TrackFactory
from openevent.core.errors import Conflict, Invalid, NotAllowed, NotAuthenticated
from openevent.users.tests.factories import UserFactory
from sessions_app import services
from sessions_app.models import Session, Speaker
from sessions_app.tests.factories import SessionFactory, SpeakerFactory
from sessions_app.tests.helpers import Program

pytestmark = pytest.mark.django_db


# --- the call for papers ---------------------------------------------------------------------------
def test_call_for_papers_refusals_name_the_reason(program):
    event, call = program.event, program.call
    assert services.call_for_papers_refusal(event) is None
    now = timezone.now()
    assert "not opened" in services.call_for_papers_refusal(event, at=call.starts_at - datetime.timedelta(seconds=1))
    assert "closed" in services.call_for_papers_refusal(event, at=call.ends_at + datetime.timedelta(seconds=1))
    SpeakersCall.objects.filter(pk=call.pk).update(privacy="private")
    event.refresh_from_db()
    assert "private" in services.call_for_papers_refusal(event, at=now)
    assert services.call_for_papers_refusal(event, hash=SpeakersCall.objects.get(pk=call.pk).hash, at=now) is None
    event.is_sessions_speakers_enabled = False
    assert "does not take" in services.call_for_papers_refusal(event)
    event.is_sessions_speakers_enabled, event.state = True, Event.State.DRAFT
    assert "not published" in services.call_for_papers_refusal(event)


def test_propose_is_create_session():
    assert services.propose is services.create_session


def test_anonymous_proposals_need_a_login(program):
    with pytest.raises(NotAuthenticated):
        services.create_session(AnonymousUser(), program.event, {"title": "Anon"})
    with pytest.raises(NotAuthenticated):
        services.create_speaker(AnonymousUser(), program.event, {"name": "Anon"})


def test_a_draft_events_call_takes_no_proposals_even_if_open(program):
    Event.objects.filter(pk=program.event.pk).update(state=Event.State.DRAFT)
    program.event.refresh_from_db()
    with pytest.raises(NotAllowed):
        services.create_session(program.people["plain"], program.event, {"title": "Hidden"})
    assert not Session.objects.filter(title="Hidden").exists()


# --- creating sessions ----------------------------------------------------------------------------
def test_a_proposal(program):
    proposer = program.people["plain"]
    session = services.create_session(
        proposer, program.event, {"title": "Idea", "state": "pending", "track": program.track}
    )
    assert (session.creator, session.state, session.track, session.event) == (
        proposer,
        "pending",
        program.track,
        program.event,
    )
    assert session.submitted_at is not None
    assert session.starts_at is None


def test_a_proposal_may_name_schedule_fields_only_empty(program):
    session = services.create_session(
        program.people["plain"], program.event,
        {"title": "Idea", "starts_at": None, "ends_at": None, "microlocation": None, "is_locked": False,
            "is_mail_sent": False},
    )  # fmt: skip
    assert session.pk


@pytest.mark.parametrize("field", ["starts_at", "microlocation", "is_locked", "is_mail_sent"])
def test_a_proposal_cannot_set_organizer_fields(program, field):
    values = {"starts_at": program.at(1), "microlocation": program.room, "is_locked": True, "is_mail_sent": True}
    data = {"title": "Sneaky", field: values[field]}
    if field == "starts_at":
        data["ends_at"] = program.at(2)
    with pytest.raises(NotAllowed) as refused:
        services.create_session(program.people["plain"], program.event, data)
    assert refused.value.field == field
    assert not Session.objects.filter(title="Sneaky").exists()


@pytest.mark.parametrize("state", ["accepted", "confirmed", "rejected", "withdrawn", "canceled"])
def test_a_proposal_starts_as_draft_or_pending(program, state):
    with pytest.raises(NotAllowed) as refused:
        services.create_session(program.people["plain"], program.event, {"title": "Sneaky", "state": state})
    assert refused.value.field == "state"


@pytest.mark.parametrize("actor", ["owner", "coorganizer", "admin"])
def test_organizers_create_in_any_state_with_a_schedule(program, actor):
    session = services.create_session(
        program.people[actor], program.event,
        {"title": "Keynote", "state": "confirmed", "starts_at": program.at(1), "ends_at": program.at(2),
         "microlocation": program.room, "is_locked": True},
        speakers=[program.speaker],
    )  # fmt: skip
    assert session.state == "confirmed"
    assert session.submitted_at is None
    assert session.is_locked
    assert list(session.speakers.all()) == [program.speaker]


@pytest.mark.parametrize(
    ("schedule", "field"),
    [
        ((2, 1), "ends_at"),
        ((2, 2), "ends_at"),
        ((-1, 1), "starts_at"),
        ((47, 49), "ends_at"),
        ((48, 49), "starts_at"),
        ((1, None), "ends_at"),
        ((None, 1), "starts_at"),
    ],
)
def test_a_scheduled_session_lies_within_its_event(program, schedule, field):
    starts, ends = (None if h is None else program.at(h) for h in schedule)
    with pytest.raises(Invalid) as invalid:
        services.create_session(
            program.people["owner"], program.event, {"title": "Off", "starts_at": starts, "ends_at": ends}
        )
    assert invalid.value.field == field
    assert not Session.objects.filter(title="Off").exists()


def test_a_session_filling_the_whole_event_is_fine(program):
    event = program.event
    session = services.create_session(
        program.people["owner"], event, {"title": "All", "starts_at": event.starts_at, "ends_at": event.ends_at}
    )
    assert session.pk


@pytest.mark.parametrize("part", ["track", "session_type", "microlocation"])
def test_parts_must_be_live_parts_of_the_same_event(program, part):
    other = EventFactory()
    factories = {"track": TrackFactory, "microlocation": MicrolocationFactory, "session_type": SessionTypeFactory}
    foreign = factories[part](event=other)
    with pytest.raises(Invalid) as invalid:
        services.create_session(program.people["owner"], program.event, {"title": "Mixed", part: foreign})
    assert invalid.value.field == part
    trashed = factories[part](event=program.event)
    trashed.soft_delete()
    with pytest.raises(Invalid):
        services.create_session(program.people["owner"], program.event, {"title": "Mixed", part: trashed})
    assert not Session.objects.filter(title="Mixed").exists()


def test_unknown_fields_are_refused(program):
    with pytest.raises(Invalid) as invalid:
        services.create_session(
            program.people["owner"], program.event, {"title": "X", "creator": program.people["plain"]}
        )
    assert invalid.value.field == "creator"
    with pytest.raises(Invalid):
        services.update_session(program.people["owner"], program.own_session, {"submitted_at": timezone.now()})


def test_html_is_sanitized_on_the_way_in(program):
    session = services.create_session(
        program.people["plain"], program.event,
        {"title": "T", "short_abstract": "<p>ok<script>bad()</script></p>",
            "long_abstract": '<a href="javascript:x">l</a>', "comments": "<style>x</style>c"},
    )  # fmt: skip
    assert session.short_abstract == "<p>ok</p>"
    assert "javascript" not in session.long_abstract
    assert session.comments == "c"
    services.update_session(program.people["owner"], session, {"long_abstract": "<b onmouseover=x>b</b>"})
    assert Session.objects.get(pk=session.pk).long_abstract == "<b>b</b>"


# --- updating sessions ----------------------------------------------------------------------------
def test_speakers_edit_own_unlocked_sessions_only(program):
    session = program.own_session
    services.update_session(program.speaker_user, session, {"title": "Mine", "starts_at": None, "is_locked": False})
    assert Session.objects.get(pk=session.pk).title == "Mine"
    with pytest.raises(NotAllowed):
        services.update_session(program.people["plain"], session, {"title": "Theirs"})
    with pytest.raises(NotAllowed):
        services.update_session(program.people["moderator"], session, {"title": "Moderated"})
    Session.objects.filter(pk=session.pk).update(is_locked=True)
    session.refresh_from_db()
    with pytest.raises(NotAllowed):
        services.update_session(program.speaker_user, session, {"title": "Locked"})
    assert Session.objects.get(pk=session.pk).title == "Mine"


@pytest.mark.parametrize("field", ["starts_at", "ends_at", "microlocation", "is_locked", "is_mail_sent"])
def test_speakers_cannot_change_organizer_fields(program, field):
    values = {
        "starts_at": program.at(1),
        "ends_at": program.at(2),
        "microlocation": program.room,
        "is_locked": True,
        "is_mail_sent": True,
    }
    with pytest.raises(NotAllowed) as refused:
        services.update_session(program.speaker_user, program.own_session, {field: values[field]})
    assert refused.value.field == field


def test_a_failed_update_leaves_nothing_behind(program):
    session = program.own_session
    title = session.title
    with pytest.raises(NotAllowed):
        services.update_session(program.speaker_user, session, {"title": "Half done", "state": "accepted"})
    stored = Session.objects.get(pk=session.pk)
    assert (stored.title, stored.state) == (title, "pending")


def test_sessions_do_not_move_between_events(program):
    with pytest.raises(NotAllowed) as refused:
        services.update_session(program.people["owner"], program.own_session, {"event": EventFactory()})
    assert refused.value.field == "event"
    services.update_session(
        program.people["owner"], program.own_session, {"event": program.event, "title": "Same event"}
    )


def test_updating_the_schedule_checks_the_merged_values(program):
    session = SessionFactory(event=program.event, starts_at=program.at(1), ends_at=program.at(2))
    with pytest.raises(Invalid) as invalid:
        services.update_session(program.people["owner"], session, {"starts_at": program.at(3)})
    assert invalid.value.field == "ends_at"
    services.update_session(program.people["owner"], session, {"starts_at": None, "ends_at": None})
    assert Session.objects.get(pk=session.pk).starts_at is None


# --- speakers of a session ------------------------------------------------------------------------
def test_set_session_speakers_modes(program):
    session = SessionFactory(event=program.event)
    a, b, c = (SpeakerFactory(event=program.event) for _ in range(3))
    owner = program.people["owner"]
    services.set_session_speakers(owner, session, [a, b], services.ADD)
    services.set_session_speakers(owner, session, [b, c], services.ADD)
    assert set(session.speakers.all()) == {a, b, c}
    services.set_session_speakers(owner, session, [a], services.REMOVE)
    assert set(session.speakers.all()) == {b, c}
    services.set_session_speakers(owner, session, [a], services.REPLACE)
    assert set(session.speakers.all()) == {a}
    services.set_session_speakers(owner, session, [], services.REPLACE)
    assert not session.speakers.exists()
    with pytest.raises(ValueError, match="Unknown mode 'shuffle'"):
        services.set_session_speakers(owner, session, [a], "shuffle")


def test_speakers_must_belong_to_the_sessions_event(program):
    session = SessionFactory(event=program.event)
    with pytest.raises(Invalid) as invalid:
        services.set_session_speakers(program.people["owner"], session, [SpeakerFactory()], services.ADD)
    assert invalid.value.field == "speakers"
    trashed = SpeakerFactory(event=program.event)
    trashed.soft_delete()
    with pytest.raises(Invalid):
        services.set_session_speakers(program.people["owner"], session, [trashed], services.ADD)
    assert not session.speakers.exists()


def test_a_speaker_links_only_their_own_row_on_their_own_unlocked_session(program):
    session = program.own_session
    stranger = SpeakerFactory(event=program.event)
    me = program.speaker_user
    with pytest.raises(NotAllowed):
        services.set_session_speakers(me, session, [program.speaker, stranger], services.REPLACE)
    with pytest.raises(NotAllowed):
        services.set_session_speakers(me, session, [stranger], services.ADD)
    assert list(session.speakers.all()) == [program.speaker]
    # Sending the unchanged list is no change at all.
    services.set_session_speakers(me, session, [program.speaker], services.REPLACE)
    assert list(session.speakers.all()) == [program.speaker]


def test_a_speaker_may_remove_their_own_row(program):
    session = program.own_session
    services.set_session_speakers(program.speaker_user, session, [program.speaker], services.REMOVE)
    assert not session.speakers.exists()


def test_a_speaker_cannot_touch_the_speakers_of_locked_or_foreign_sessions(program):
    locked = program.own_session
    Session.objects.filter(pk=locked.pk).update(is_locked=True)
    locked.refresh_from_db()
    with pytest.raises(NotAllowed):
        services.set_session_speakers(program.speaker_user, locked, [program.speaker], services.REMOVE)
    foreign = SessionFactory(event=program.event)
    with pytest.raises(NotAllowed):
        services.set_session_speakers(program.speaker_user, foreign, [program.speaker], services.ADD)
    assert not foreign.speakers.exists()


# --- speakers -------------------------------------------------------------------------------------
def test_organizers_create_speakers_with_any_address_and_account(program):
    account = UserFactory()
    speaker = services.create_speaker(
        program.people["coorganizer"], program.event,
        {"name": "Grace", "email": " Grace@Example.ORG ", "user": account, "is_featured": True,
            "long_biography": "<p>x<script>y</script></p>"},
    )  # fmt: skip
    assert (speaker.email, speaker.user, speaker.is_featured, speaker.long_biography) == (
        "grace@example.org",
        account,
        True,
        "<p>x</p>",
    )


def test_a_user_creates_their_own_profile(program):
    user = program.people["plain"]
    speaker = services.create_speaker(user, program.event, {"name": "Me", "email": user.email.upper()})
    assert (speaker.user, speaker.email) == (user, user.email)
    with pytest.raises(Conflict) as duplicate:
        services.create_speaker(user, program.event, {"name": "Me twice"})
    assert duplicate.value.field == "email"


@pytest.mark.parametrize("field", ["email", "user", "is_featured"])
def test_a_users_own_profile_is_theirs_alone(program, field):
    values = {"email": "other@example.org", "user": UserFactory(), "is_featured": True}
    with pytest.raises(NotAllowed) as refused:
        services.create_speaker(program.people["plain"], program.event, {"name": "Me", field: values[field]})
    assert refused.value.field == field


def test_self_made_profiles_need_an_open_call(program):
    program.call.soft_delete()
    with pytest.raises(NotAllowed):
        services.create_speaker(program.people["plain"], program.event, {"name": "Late"})


def test_speakers_need_a_name(program):
    with pytest.raises(Invalid) as invalid:
        services.create_speaker(program.people["owner"], program.event, {"name": "  "})
    assert invalid.value.field == "name"


def test_speaker_email_is_unique_among_live_rows_of_the_event(program):
    owner = program.people["owner"]
    with pytest.raises(Conflict):
        services.create_speaker(owner, program.event, {"name": "Twin", "email": program.speaker.email})
    other = services.create_speaker(owner, program.event, {"name": "Other", "email": "other@example.org"})
    with pytest.raises(Conflict):
        services.update_speaker(owner, other, {"email": program.speaker.email.upper()})
    # Blank addresses do not clash.
    services.create_speaker(owner, program.event, {"name": "No mail 1"})
    services.create_speaker(owner, program.event, {"name": "No mail 2", "email": ""})
    program.speaker.soft_delete()
    services.create_speaker(owner, program.event, {"name": "Twin", "email": program.speaker.email})


def test_speakers_edit_only_their_own_row(program):
    services.update_speaker(
        program.speaker_user, program.speaker, {"city": "Hue", "email": program.speaker.email, "is_featured": False}
    )
    assert Speaker.objects.get(pk=program.speaker.pk).city == "Hue"
    someone = SpeakerFactory(event=program.event)
    for actor in (program.speaker_user, program.people["moderator"], program.people["plain"]):
        with pytest.raises(NotAllowed):
            services.update_speaker(actor, someone, {"city": "Hijacked"})
    # Having a speaker row at another event grants nothing here.
    elsewhere = Program()
    with pytest.raises(NotAllowed):
        services.update_speaker(elsewhere.speaker_user, someone, {"city": "Hijacked"})
    assert not Speaker.objects.filter(city="Hijacked").exists()


@pytest.mark.parametrize("field", ["email", "user", "is_featured"])
def test_speakers_cannot_change_organizer_fields_of_their_row(program, field):
    values = {"email": "new@example.org", "user": UserFactory(), "is_featured": True}
    with pytest.raises(NotAllowed) as refused:
        services.update_speaker(program.speaker_user, program.speaker, {field: values[field]})
    assert refused.value.field == field


def test_speakers_do_not_move_between_events(program):
    with pytest.raises(NotAllowed):
        services.update_speaker(program.people["owner"], program.speaker, {"event": EventFactory()})


# --- deleting and restoring -----------------------------------------------------------------------
def test_deleting_sessions(program):
    session = SessionFactory(event=program.event)
    with pytest.raises(NotAllowed):
        services.delete_session(program.people["moderator"], session)
    with pytest.raises(NotAllowed):
        services.delete_session(program.people["owner"], session, permanent=True)
    services.delete_session(program.people["owner"], session)
    assert Session.all_objects.get(pk=session.pk).deleted_at is not None
    with pytest.raises(NotAllowed):
        services.restore_session(program.speaker_user, session)
    services.restore_session(program.people["owner"], session)
    assert Session.objects.filter(pk=session.pk).exists()
    services.delete_session(program.people["admin"], session, permanent=True)
    assert not Session.all_objects.filter(pk=session.pk).exists()


def test_a_speaker_deletes_only_their_own_unlocked_draft(program):
    session = program.own_session
    with pytest.raises(NotAllowed):
        services.delete_session(program.speaker_user, session)
    Session.objects.filter(pk=session.pk).update(state="draft", is_locked=True)
    session.refresh_from_db()
    with pytest.raises(NotAllowed):
        services.delete_session(program.speaker_user, session)
    Session.objects.filter(pk=session.pk).update(is_locked=False)
    session.refresh_from_db()
    services.delete_session(program.speaker_user, session)
    assert not Session.objects.filter(pk=session.pk).exists()


def test_deleting_and_restoring_speakers(program):
    someone = SpeakerFactory(event=program.event, email="someone@example.org")
    with pytest.raises(NotAllowed):
        services.delete_speaker(program.speaker_user, someone)
    services.delete_speaker(program.speaker_user, program.speaker)
    services.delete_speaker(program.people["coorganizer"], someone)
    assert not Speaker.objects.filter(pk__in=[someone.pk, program.speaker.pk]).exists()
    SpeakerFactory(event=program.event, email="someone@example.org")
    with pytest.raises(Conflict):
        services.restore_speaker(program.people["owner"], someone)
    with pytest.raises(NotAllowed):
        services.restore_speaker(program.speaker_user, program.speaker)
    services.restore_speaker(program.people["owner"], program.speaker)
    assert Speaker.objects.filter(pk=program.speaker.pk).exists()
    with pytest.raises(NotAllowed):
        services.delete_speaker(program.people["owner"], program.speaker, permanent=True)


# --- change_states: one bulk state change for the page and the admin ------------------------------------
def test_change_states_moves_each_session_through_the_state_machine_and_reports_per_session(
    program, django_capture_on_commit_callbacks
):
    event = program.event
    pending = SessionFactory(event=event, state="pending", title="Pending")
    accepted = SessionFactory(event=event, state="accepted", title="Accepted")
    withdrawn = SessionFactory(event=event, state="withdrawn", title="Withdrawn")
    trashed = SessionFactory(event=event, state="pending", title="Trashed")
    trashed.soft_delete()

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        report = services.change_states(
            program.people["coorganizer"], [pending.pk, accepted.pk, withdrawn.pk, trashed.pk], "accepted"
        )

    assert report.state == "accepted"
    assert [s.title for s in report.changed] == ["Pending"]
    assert [s.title for s in report.unchanged] == ["Accepted"]
    assert [(s.title, why) for s, why in report.refused] == [
        ("Withdrawn", "Organizers cannot move a session from withdrawn to accepted."),
        ("Trashed", "This session is in the trash."),
    ]
    states = dict(Session.all_objects.filter(event=event).values_list("title", "state"))
    assert (states["Pending"], states["Withdrawn"], states["Trashed"]) == ("accepted", "withdrawn", "pending")
    assert len(callbacks) == 1  # one session_state_changed, for the one session that moved


def test_change_states_refuses_people_who_may_not_change_a_state(program):
    other = SessionFactory(event=program.event, state="pending", title="Not theirs")

    report = services.change_states(program.people["moderator"], [other], "accepted")

    assert report.changed == []
    assert [s for s, _ in report.refused] == [other]
    other.refresh_from_db()
    assert other.state == "pending"
    with pytest.raises(Invalid):
        services.change_states(program.people["owner"], [other], "archived")


def test_only_administrators_set_a_sessions_creator(program):
    admin = UserFactory(is_admin=True)
    session = services.create_session(admin, program.event, {"title": "By proxy", "creator": program.speaker_user})
    assert session.creator == program.speaker_user
    services.update_session(admin, session, {"creator": None})
    session.refresh_from_db()
    assert session.creator is None
    with pytest.raises(Invalid) as invalid:
        services.update_session(program.people["owner"], session, {"creator": program.people["owner"]})
    assert invalid.value.field == "creator"
