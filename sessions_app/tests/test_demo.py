"""``manage.py demo``: realistic fixed data, written through the services, idempotent."""
import datetime
import itertools
from collections import Counter
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command
from django.utils import timezone

from events import services as event_services
from events.models import (
    Event,
    Microlocation,
    Role,
    RoleInvite,
    SessionType,
    SocialLink,
    SpeakersCall,
    Sponsor,
    Track,
    UsersEventsRoles,
)
from openevent.users.models import User
from openevent.users.tests.factories import UserFactory
from sessions_app import services as program
from sessions_app.management.commands._demo_program import SINGAPORE, SLOTS, build_program
from sessions_app.management.commands.demo import DEMO_PASSWORD, DRAFT_IDENTIFIER, SUMMIT_IDENTIFIER, TEAM
from sessions_app.models import Session, Speaker

pytestmark = pytest.mark.django_db

SPEAKER_LOGINS = {"speaker@example.org", "maintainer@example.org"}


def counts():
    return {
        model.__name__: model._base_manager.count()
        for model in (User, Event, UsersEventsRoles, RoleInvite)
    }


def every_count():
    """Rows of every model of the project, many-to-many tables included."""
    return {model._meta.label: model._base_manager.count() for model in apps.get_models(include_auto_created=True)}


def run_demo():
    out = StringIO()
    call_command("demo", stdout=out)
    return out.getvalue()


@pytest.fixture
def summit():
    run_demo()
    return Event.objects.get(name="Open Tech Summit 2027")


def test_demo_creates_a_published_summit_with_its_team_and_a_draft():
    output = run_demo()

    assert counts() == {"User": 8, "Event": 2, "UsersEventsRoles": 7, "RoleInvite": 6}
    summit = Event.objects.get(name="Open Tech Summit 2027")
    assert summit.is_published
    assert summit.privacy == Event.Privacy.PUBLIC
    assert summit.timezone == "Asia/Singapore"
    assert (summit.ends_at - summit.starts_at).days == 2  # three days, 09:00 to 18:00
    assert summit.is_sessions_speakers_enabled
    assert summit.code_of_conduct
    assert summit.description.count("<p>") >= 3
    team = {(m.user.email, m.role.name) for m in summit.user_roles.select_related("user", "role")}
    assert team == {(email, role_name) for email, _, _, role_name in TEAM}
    pending = RoleInvite.objects.get(status=RoleInvite.Status.PENDING)
    assert (pending.event, pending.email, pending.role.name) == (summit, "volunteer-lead@example.org", Role.MODERATOR)
    assert RoleInvite.objects.filter(status=RoleInvite.Status.ACCEPTED).count() == 5
    draft = Event.objects.get(name="Open Hardware Workshop Day")
    assert draft.state == Event.State.DRAFT
    assert draft.user_roles.get().user.email == "organizer@example.org"
    assert all(u.check_password(DEMO_PASSWORD) and u.is_verified for u in User.objects.all())
    assert DEMO_PASSWORD in output
    assert "organizer@example.org" in output
    assert "speaker@example.org" in output
    assert "80 sessions" in output


def test_the_program_is_planned_the_same_way_every_time():
    first, second = build_program(), build_program()

    assert first == second
    assert len({session.title for session in first.sessions}) == len(first.sessions) == 80


def test_the_summit_has_rooms_tracks_types_sponsors_and_social_links(summit):
    assert Microlocation.objects.filter(event=summit).count() == 6
    tracks = list(Track.objects.filter(event=summit))
    assert len(tracks) == 5
    assert len({track.color.lower() for track in tracks}) == 5
    lengths = dict(SessionType.objects.filter(event=summit).values_list("name", "length"))
    assert lengths == {"Talk": "00:30", "Workshop": "01:30", "Lightning talk": "00:10"}
    sponsors = Sponsor.objects.filter(event=summit)
    assert sponsors.count() >= 6
    assert len({sponsor.level for sponsor in sponsors}) >= 3
    assert SocialLink.objects.filter(event=summit).count() >= 3
    assert summit.schedule_published_on is not None
    assert not Session.objects.filter(event__name="Open Hardware Workshop Day").exists()


def test_sessions_come_in_every_state_most_of_them_accepted(summit):
    sessions = list(Session.objects.filter(event=summit).select_related("session_type", "track"))
    states = Counter(session.state for session in sessions)

    assert 75 <= len(sessions) <= 85
    assert set(states) == set(Session.State.values)
    assert states["accepted"] + states["confirmed"] > len(sessions) / 2
    assert all(session.track and session.session_type for session in sessions)
    assert all(session.short_abstract and session.long_abstract.startswith("<p>") for session in sessions)
    assert any(len(session.long_abstract) > 200 for session in sessions)
    # Submitted sessions went through pending; drafts never did.
    assert all((session.submitted_at is None) == (session.state == "draft") for session in sessions)


def test_scheduled_sessions_lie_within_the_days_without_overlaps_in_a_room(summit):
    sessions = Session.objects.filter(event=summit).select_related("session_type", "microlocation")
    scheduled = [session for session in sessions if session.starts_at is not None]
    unscheduled = [session for session in sessions if session.starts_at is None]

    assert len(scheduled) >= 40
    assert all(session.state in Session.PUBLIC_STATES and session.microlocation for session in scheduled)
    assert all(session.microlocation is None for session in unscheduled)
    assert {session.state for session in unscheduled} >= {"pending", "draft", "rejected", "withdrawn", "canceled"}
    days = {summit.starts_at.astimezone(SINGAPORE).date() + datetime.timedelta(days=n) for n in range(3)}
    by_room = {}
    for session in scheduled:
        starts, ends = session.starts_at.astimezone(SINGAPORE), session.ends_at.astimezone(SINGAPORE)
        assert starts.date() in days
        assert ends.date() == starts.date()
        assert SLOTS[0] <= starts.time()
        assert ends.time() <= datetime.time(18, 0)
        hours, minutes = map(int, session.session_type.length.split(":"))
        assert session.ends_at - session.starts_at == datetime.timedelta(hours=hours, minutes=minutes)
        by_room.setdefault(session.microlocation_id, []).append((session.starts_at, session.ends_at))
    assert len(by_room) == 6
    for slots in by_room.values():
        slots.sort()
        assert all(earlier[1] <= later[0] for earlier, later in itertools.pairwise(slots))


def test_speakers_speak_once_or_more_and_some_log_in(summit):
    speakers = list(Speaker.objects.filter(event=summit).prefetch_related("sessions"))
    talks = Counter(len(speaker.sessions.all()) for speaker in speakers)

    assert 55 <= len(speakers) <= 65
    assert talks[0] == 0
    assert sum(n for count, n in talks.items() if count >= 2) >= 5
    assert len({speaker.email for speaker in speakers}) == len(speakers)
    linked = {speaker.user.email: speaker for speaker in speakers if speaker.user}
    assert set(linked) == SPEAKER_LOGINS | {"moderator@example.org"}
    assert {session.state for session in linked["speaker@example.org"].sessions.all()} >= {
        "draft",
        "pending",
        "accepted",
    }
    # Withdrawals are the speakers' own doing.
    assert {s.state for s in linked["maintainer@example.org"].sessions.all()} >= {"withdrawn"}
    assert Session.objects.filter(event=summit, speakers__isnull=True).count() == 0


def test_the_call_for_speakers_is_open_so_proposals_work(summit):
    call = SpeakersCall.objects.get(event=summit)
    now = timezone.now()

    assert call.privacy == SpeakersCall.Privacy.PUBLIC
    assert call.announcement
    assert call.starts_at < now
    assert call.ends_at > now + datetime.timedelta(days=60)
    assert program.call_for_papers_refusal(summit) is None
    user = UserFactory()
    speaker = program.create_speaker(user, summit, {"name": "New Speaker"})
    proposal = program.propose(user, summit, {"title": "My proposal", "state": "pending"}, [speaker])
    assert proposal.state == "pending"
    assert proposal.creator == user


def test_a_closed_call_is_reopened_by_the_next_run(summit):
    call = SpeakersCall.objects.get(event=summit)
    long_ago = timezone.now() - datetime.timedelta(days=400)
    SpeakersCall.objects.filter(pk=call.pk).update(
        starts_at=long_ago, soft_ends_at=None, ends_at=long_ago + datetime.timedelta(days=30)
    )

    output = run_demo()

    assert "Reopened the call" in output
    assert program.call_for_papers_refusal(summit) is None
    assert SpeakersCall.all_objects.filter(event=summit).count() == 1


def test_second_run_changes_nothing():
    run_demo()
    before = every_count()
    summit = Event.objects.get(name="Open Tech Summit 2027")

    output = run_demo()

    assert every_count() == before
    assert before["sessions_app.Session"] >= 75
    assert before["sessions_app.Speaker_sessions"] >= 80
    assert Event.objects.get(name="Open Tech Summit 2027").identifier == summit.identifier == SUMMIT_IDENTIFIER
    assert "nothing created" in output


def test_edited_demo_rows_are_kept_and_never_created_again(summit):
    before = every_count()
    session = Session.objects.filter(event=summit, state="confirmed").first()
    speaker = session.speakers.first()
    track = Track.objects.get(event=summit, name="Open Hardware")
    owner = summit.user_roles.get(role__name=Role.OWNER).user
    program.update_session(owner, session, {"title": "Renamed by the organizer"})
    program.update_speaker(owner, speaker, {"name": "A New Name", "email": "new-address@example.org"})
    event_services.update_part(owner, track, name="Hardware, renamed")
    event_services.update_event(owner, summit, name="Open Tech Summit 2027, renamed")

    output = run_demo()

    assert every_count() == before
    assert "nothing created" in output
    session.refresh_from_db()
    speaker.refresh_from_db()
    assert session.title == "Renamed by the organizer"
    assert (speaker.name, speaker.email) == ("A New Name", "new-address@example.org")
    assert Track.objects.get(pk=track.pk).name == "Hardware, renamed"
    assert not Track.objects.filter(event=summit, name="Open Hardware").exists()
    assert Event.objects.get(pk=summit.pk).name == "Open Tech Summit 2027, renamed"


def test_rows_a_user_removed_stay_removed(summit):
    session = Session.objects.filter(event=summit, state="confirmed").first()
    title = session.title
    session.delete()
    Track.objects.filter(event=summit, name="Open Hardware").delete()
    UsersEventsRoles.objects.filter(event=summit, role__name=Role.REGISTRAR).delete()
    after = every_count()

    run_demo()

    assert every_count() == after
    assert not Session.all_objects.filter(event=summit, title=title).exists()


def test_a_trashed_demo_event_is_not_made_again():
    run_demo()
    Event.objects.get(identifier=DRAFT_IDENTIFIER).soft_delete()
    before = every_count()

    run_demo()

    assert every_count() == before


def test_a_demo_event_deleted_for_good_is_made_again_with_its_program():
    run_demo()
    full = every_count()
    Event.all_objects.filter(identifier=SUMMIT_IDENTIFIER).delete()

    run_demo()

    assert every_count()["sessions_app.Session"] == full["sessions_app.Session"]
    assert Event.objects.get(identifier=SUMMIT_IDENTIFIER).user_roles.count() == len(TEAM)


def test_a_summit_made_before_fixed_identifiers_is_found_by_its_name_and_owner():
    run_demo()
    Event.objects.filter(identifier=SUMMIT_IDENTIFIER).update(identifier="a1b2c3d4")
    before = every_count()

    output = run_demo()

    assert every_count() == before
    assert "/v1/events/a1b2c3d4" in output
