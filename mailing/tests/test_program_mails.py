"""The mails of events and their program (``mailing.program``): each cause, through its real
service, mails the right people exactly once with the right link, and nobody else; the
``send_email`` flag, the users' preferences and the administrator's switch hold."""
import datetime
import re

import pytest
from django.db import transaction
from django.template import engines
from django.urls import reverse
from django.utils import timezone

from events import services as event_services
from events.models import Event, Role, SpeakersCall
from events.tests.factories import SpeakersCallFactory, event_with_owner, give_role
from exports import signals as export_signals
from mailing import actions, tasks
from mailing import program as mail_program
from mailing.models import Mail, MailTemplate
from mailing.services import render_mail
from notifications.models import EmailNotification, MessageSettings
from openevent.core.signals import send_after_commit
from openevent.users.services import site_url
from openevent.users.tests.factories import UserFactory
from sessions_app.models import Session
from sessions_app.services import schedule as schedule_services
from sessions_app.services import sessions as session_services
from sessions_app.services import speakers as speaker_services
from sessions_app.tests.factories import SessionFactory, SpeakerFactory
from sessions_app.tests.helpers import Program

pytestmark = pytest.mark.django_db
ORGANIZER_ROLES = (Role.OWNER, Role.ORGANIZER, Role.COORGANIZER)


@pytest.fixture
def program():
    return Program()


@pytest.fixture
def capture(django_capture_on_commit_callbacks):
    """Run the cause and what it defers to after commit (the sending)."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def received(mailoutbox):
    """{address: [subject, ...]} of the mails sent."""
    got = {}
    for message in mailoutbox:
        for address in message.to:
            got.setdefault(address, []).append(message.subject)
    return got


def organizers_of(program):
    return sorted(program.people[name].email for name in ORGANIZER_ROLES)


def only_to(mailoutbox, addresses, action):
    """Exactly one mail to each of ``addresses``, none to anyone else, all of ``action``."""
    assert sorted(received(mailoutbox)) == sorted(addresses)
    assert all(len(subjects) == 1 for subjects in received(mailoutbox).values()), received(mailoutbox)
    # The log has them as sent (mails queued before, in the fixtures, were never sent).
    sent = Mail.objects.filter(status=Mail.Status.SENT)
    assert set(sent.values_list("action", flat=True)) == {action}
    assert sorted(sent.values_list("recipient", flat=True)) == sorted(addresses)


def body_of(mailoutbox, address):
    [message] = [message for message in mailoutbox if address in message.to]
    return message.body, message.alternatives[0][0]


def preference(user, event, **values):
    EmailNotification.objects.update_or_create(user=user, event=event, defaults=values)


def switch_off(action):
    MessageSettings.objects.update_or_create(action=action, defaults={"mail_status": False})


# --- role invites ---------------------------------------------------------------------------------
INVITE_LINK = re.compile(r"(\S+/invites/link/)(\S+)")


def test_an_invite_mails_the_invited_address_the_link_to_the_accept_page(program, mailoutbox, capture):
    owner = program.people["owner"]
    with capture():
        invitation = event_services.invite(owner, program.event, "New@Example.org", Role.COORGANIZER)
    only_to(mailoutbox, ["new@example.org"], "event_role")
    text, html = body_of(mailoutbox, "new@example.org")
    origin, token = INVITE_LINK.search(text).groups()
    assert origin == site_url() + "/invites/link/"
    assert token == invitation.token
    assert event_services.pending_invite_by_token(token) == invitation
    assert f"/invites/link/{token}" in html
    assert program.event.name in mailoutbox[0].subject
    assert owner.display_name in text
    # The log keeps the mail without the live link.
    mail = Mail.objects.get()
    assert token not in mail.message + mail.html_message
    assert "[redacted link]" in mail.message
    assert mail.event == program.event


def test_resending_an_invite_mails_the_new_link_only(program, mailoutbox, capture):
    owner = program.people["owner"]
    invitation = event_services.invite(owner, program.event, "new@example.org", Role.COORGANIZER)
    old_token = invitation.token
    with capture():
        renewed = event_services.resend_invite(owner, invitation)
    assert list(received(mailoutbox)) == ["new@example.org"]
    assert len(mailoutbox) == 1
    text, _ = body_of(mailoutbox, "new@example.org")
    assert INVITE_LINK.search(text).group(2) == renewed.token != old_token


def test_accepting_an_invite_mails_the_inviter_the_team_page(program, mailoutbox, capture):
    coorganizer = program.people["coorganizer"]
    invitation = event_services.invite(coorganizer, program.event, "new@example.org", Role.MODERATOR)
    invitee = UserFactory(email="new@example.org", first_name="Ada", last_name="Lovelace")
    with capture():
        event_services.accept_invite(invitation, invitee)
    only_to(mailoutbox, [coorganizer.email], "event_role_accepted")
    text, _ = body_of(mailoutbox, coorganizer.email)
    assert site_url() + reverse("event-team", args=[program.event.identifier]) in text
    assert "Ada Lovelace" in text


def test_declining_an_invite_mails_nobody(program, mailoutbox, capture):
    invitation = event_services.invite(program.people["owner"], program.event, "new@example.org", Role.MODERATOR)
    with capture():
        event_services.decline_invite(invitation, UserFactory(email="new@example.org"))
    assert mailoutbox == []


# --- proposals ------------------------------------------------------------------------------------
@pytest.fixture
def proposer(program):
    user = UserFactory(email="proposer@example.org")
    return user, SpeakerFactory(event=program.event, user=user, email=user.email, name="Ada Lovelace")


def test_a_submitted_proposal_mails_the_organizers_and_its_speaker(program, proposer, mailoutbox, capture):
    user, speaker = proposer
    with capture():
        session = session_services.create_session(
            user, program.event, {"title": "Open hardware", "state": "pending"}, speakers=[speaker]
        )
    got = received(mailoutbox)
    assert sorted(got) == sorted([*organizers_of(program), user.email])
    assert all(len(subjects) == 1 for subjects in got.values())
    link = site_url() + reverse("session-detail", args=[program.event.identifier, session.pk])
    for address in organizers_of(program):
        text, html = body_of(mailoutbox, address)
        assert link in text
        assert link in html
        assert "Ada Lovelace" in text
        assert "Open hardware" in text
    # The speaker gets the receipt.
    assert Mail.objects.get(recipient=user.email).action == "session_pending"
    assert Mail.objects.filter(action="new_session").count() == 3


def test_a_draft_tells_nobody_until_its_speaker_submits_it(program, proposer, mailoutbox, capture):
    user, speaker = proposer
    with capture():
        session = session_services.create_session(user, program.event, {"title": "Open hardware"}, speakers=[speaker])
    assert mailoutbox == []
    with capture():
        session_services.change_state(user, session, Session.State.PENDING)
    assert sorted(received(mailoutbox)) == sorted([*organizers_of(program), user.email])
    assert len(mailoutbox) == 4


def test_a_session_an_organizer_creates_is_no_proposal(program, mailoutbox, capture):
    speaker = SpeakerFactory(event=program.event)
    with capture():
        session_services.create_session(
            program.people["organizer"], program.event, {"title": "Keynote", "state": "pending"}, speakers=[speaker]
        )
    assert mailoutbox == []


def test_organizers_who_turned_off_new_proposals_get_none(program, proposer, mailoutbox, capture):
    user, speaker = proposer
    preference(program.people["organizer"], program.event, new_paper=False)
    with capture():
        session_services.create_session(user, program.event, {"title": "Talk", "state": "pending"}, speakers=[speaker])
    assert program.people["organizer"].email not in received(mailoutbox)
    assert program.people["owner"].email in received(mailoutbox)


# --- decisions ------------------------------------------------------------------------------------
@pytest.fixture
def two_speakers(program):
    """The program's own session, spoken by its speaker (with an account) and a guest (without)."""
    guest = SpeakerFactory(event=program.event, email="guest@example.org", name="Grace Hopper")
    program.own_session.speakers.add(guest)
    return program.own_session, [program.speaker_user.email, "guest@example.org"]


def test_a_decision_mails_each_speaker_once(program, two_speakers, mailoutbox, capture):
    session, speakers = two_speakers
    with capture():
        session_services.change_state(program.people["organizer"], session, Session.State.ACCEPTED)
    only_to(mailoutbox, speakers, "session_accepted")
    text, html = body_of(mailoutbox, "guest@example.org")
    assert "Hello Grace Hopper," in text
    link = f"{site_url()}/e/{program.event.identifier}/session/{session.pk}"
    assert link in text
    assert link in html
    mail = Mail.objects.get(recipient=program.speaker_user.email)
    assert mail.user == program.speaker_user
    assert Mail.objects.get(recipient="guest@example.org").user is None


@pytest.mark.parametrize("state", ["rejected", "confirmed", "canceled"])
def test_every_decision_has_its_mail(program, two_speakers, mailoutbox, capture, state):
    session, speakers = two_speakers
    if state == "confirmed":
        Session.objects.filter(pk=session.pk).update(state="accepted")
        session.refresh_from_db()
    with capture():
        session_services.change_state(program.people["owner"], session, state)
    only_to(mailoutbox, speakers, f"session_{state}")


def test_no_mail_when_the_organizer_says_so(program, two_speakers, mailoutbox, capture):
    session, _ = two_speakers
    with capture():
        session_services.update_session(program.people["organizer"], session, {"state": "accepted"}, send_email=False)
    assert Session.objects.get(pk=session.pk).state == "accepted"
    assert mailoutbox == []
    assert not Mail.objects.exists()


def test_a_speaker_who_turned_off_decisions_gets_none(program, two_speakers, mailoutbox, capture):
    session, _ = two_speakers
    preference(program.speaker_user, program.event, session_accept_reject=False)
    with capture():
        session_services.change_state(program.people["organizer"], session, Session.State.REJECTED)
    only_to(mailoutbox, ["guest@example.org"], "session_rejected")


def test_the_preference_counts_only_where_users_control_the_action(program, two_speakers, mailoutbox, capture):
    session, speakers = two_speakers
    preference(program.speaker_user, program.event, session_accept_reject=False)
    MessageSettings.objects.update_or_create(action="session_state_change", defaults={"user_control_status": False})
    with capture():
        session_services.change_state(program.people["organizer"], session, Session.State.REJECTED)
    only_to(mailoutbox, speakers, "session_rejected")


def test_the_administrators_switch_stops_every_decision_mail(program, two_speakers, mailoutbox, capture):
    session, _ = two_speakers
    switch_off("session_state_change")
    with capture():
        session_services.change_state(program.people["organizer"], session, Session.State.ACCEPTED)
    assert mailoutbox == []
    assert not Mail.objects.exists()


def test_a_speaker_withdrawing_tells_the_other_speakers_not_themself(program, two_speakers, mailoutbox, capture):
    session, _ = two_speakers
    with capture():
        session_services.change_state(program.speaker_user, session, Session.State.WITHDRAWN)
    only_to(mailoutbox, ["guest@example.org"], "session_withdrawn")


def test_the_events_own_wording_is_used(program, two_speakers, mailoutbox, capture):
    session, _ = two_speakers
    MailTemplate.objects.create(
        event=program.event, action="session_accepted", subject="Yes: {session_title}", body="Dear {speaker_name}."
    )
    with capture():
        session_services.change_state(program.people["organizer"], session, Session.State.ACCEPTED)
    assert {message.subject for message in mailoutbox} == {f"Yes: {session.title}"}
    assert "Dear Grace Hopper." in body_of(mailoutbox, "guest@example.org")[0]


def test_speakers_of_other_sessions_and_deleted_speakers_get_nothing(program, two_speakers, mailoutbox, capture):
    session, _ = two_speakers
    SpeakerFactory(event=program.event, sessions=[SessionFactory(event=program.event)])
    gone = SpeakerFactory(event=program.event, email="gone@example.org", sessions=[session])
    speaker_services.delete_speaker(program.people["organizer"], gone)
    with capture():
        session_services.change_state(program.people["organizer"], session, Session.State.ACCEPTED)
    assert "gone@example.org" not in received(mailoutbox)
    assert len(mailoutbox) == 2


# --- schedule changes and releases ---------------------------------------------------------------
@pytest.fixture
def scheduled(program, two_speakers):
    """The accepted session in the program's room, on a schedule released in Singapore."""
    session, speakers = two_speakers
    Event.objects.filter(pk=program.event.pk).update(timezone="Asia/Singapore")
    program.event.refresh_from_db()
    Session.objects.filter(pk=session.pk).update(
        state="accepted", starts_at=program.at(1), ends_at=program.at(1, 45), microlocation=program.room
    )
    session.refresh_from_db()
    schedule_services.release_schedule(program.people["organizer"], program.event)
    Mail.objects.all().delete()
    return session, speakers


def move(program, session, hours=2):
    return session_services.update_session(
        program.people["organizer"],
        session,
        {"starts_at": program.at(hours), "ends_at": program.at(hours, 45), "microlocation": program.room},
    )


def release(program):
    return schedule_services.release_schedule(program.people["organizer"], program.event)


def test_a_move_in_the_work_in_progress_mails_nobody(program, scheduled, mailoutbox, capture):
    # The schedule is published, yet a move is not public until the next release.
    session, _ = scheduled
    assert program.event.schedule_published_on is not None
    with capture():
        move(program, session)
    assert mailoutbox == []


def test_a_release_mails_each_speaker_of_a_moved_session_once(program, scheduled, mailoutbox, capture):
    session, speakers = scheduled
    move(program, session)
    with capture():
        release(program)
    only_to(mailoutbox, speakers, "schedule_released")
    text, html = body_of(mailoutbox, "guest@example.org")
    starts = program.at(2).astimezone(datetime.timezone(datetime.timedelta(hours=8)))
    was = program.at(1).astimezone(datetime.timezone(datetime.timedelta(hours=8)))
    assert f"Moved: “{session.title}”, now {starts:%a} {starts.day} {starts:%B %Y, %H:%M}" in text
    assert f"(was {was:%a} {was.day} {was:%B %Y, %H:%M}" in text
    assert "Asia/Singapore" in text
    assert program.room.name in text
    assert "version 2" in mailoutbox[0].subject
    assert f"/e/{program.event.identifier}/schedule" in html


def test_the_first_release_mails_the_speakers_of_every_released_session(program, two_speakers, mailoutbox, capture):
    session, speakers = two_speakers
    Session.objects.filter(pk=session.pk).update(state="confirmed", starts_at=program.at(1), ends_at=program.at(2))
    with capture():
        release(program)
    only_to(mailoutbox, speakers, "schedule_released")
    assert f"New: “{session.title}”" in body_of(mailoutbox, "guest@example.org")[0]


def test_a_release_lists_a_speakers_changed_sessions_in_one_mail(program, scheduled, mailoutbox, capture):
    session, _ = scheduled
    organizer = program.people["organizer"]
    other = SessionFactory(event=program.event, state="accepted", starts_at=program.at(3), ends_at=program.at(4))
    other.speakers.add(program.speaker)
    unchanged = SessionFactory(event=program.event, state="accepted", starts_at=program.at(5), ends_at=program.at(6))
    bystander = SpeakerFactory(event=program.event, email="bystander@example.org", sessions=[unchanged])
    release(program)
    Mail.objects.all().delete()
    mailoutbox.clear()
    move(program, session)
    session_services.change_state(organizer, other, Session.State.CANCELED, send_email=False)
    with capture():
        release(program)
    # The speaker of both changed sessions gets one mail naming both; nobody else's session changed.
    only_to(mailoutbox, [program.speaker_user.email, "guest@example.org"], "schedule_released")
    text, _ = body_of(mailoutbox, program.speaker_user.email)
    assert f"Moved: “{session.title}”" in text
    assert f"Off the schedule: “{other.title}”" in text
    assert unchanged.title not in text
    assert bystander.email not in received(mailoutbox)
    guest_text, _ = body_of(mailoutbox, "guest@example.org")
    assert other.title not in guest_text
    # A mail about one session names it in the log (the speaker's page finds it); about two, none.
    assert Mail.objects.get(recipient="guest@example.org").session == session
    assert Mail.objects.get(recipient=program.speaker_user.email).session is None


def test_a_release_without_changes_for_anyone_mails_nobody(program, scheduled, mailoutbox, capture):
    schedule_services.unpublish_schedule(program.people["organizer"], program.event)
    with capture():
        release(program)
    assert mailoutbox == []


def test_a_speaker_who_turned_off_schedule_mails_gets_no_release_mail(program, scheduled, mailoutbox, capture):
    session, _ = scheduled
    preference(program.speaker_user, program.event, session_schedule=False)
    move(program, session)
    with capture():
        release(program)
    only_to(mailoutbox, ["guest@example.org"], "schedule_released")


def test_a_release_with_send_email_off_mails_nobody(program, scheduled, mailoutbox, capture):
    session, _ = scheduled
    move(program, session)
    with capture():
        schedule_services.release_schedule(program.people["organizer"], program.event, send_email=False)
    assert mailoutbox == []
    assert not Mail.objects.exists()


def test_release_mails_follow_the_schedule_change_switch(program, scheduled, mailoutbox, capture):
    session, _ = scheduled
    switch_off("session_schedule_change")
    move(program, session)
    with capture():
        release(program)
    assert mailoutbox == []


# --- publishing -----------------------------------------------------------------------------------
def test_publishing_an_event_mails_its_organizers(mailoutbox, capture):
    event, owner = event_with_owner(state=Event.State.DRAFT)
    organizer, moderator = UserFactory(), UserFactory()
    give_role(organizer, event, Role.COORGANIZER)
    give_role(moderator, event, Role.MODERATOR)
    with capture():
        event_services.update_event(owner, event, state=Event.State.PUBLISHED)
    only_to(mailoutbox, [owner.email, organizer.email], "event_published")
    text, _ = body_of(mailoutbox, owner.email)
    assert site_url() + reverse("event-dashboard", args=[event.identifier]) in text
    # Saving it again (still published) sends nothing more.
    with capture():
        event_services.update_event(owner, event, name="Renamed")
    assert len(mailoutbox) == 2


# --- the links of the mails lead to this server's pages when no front end is configured ----------
def path_of(link):
    assert link.startswith(site_url()), link
    return link.removeprefix(site_url())


def test_the_call_for_speakers_link_of_a_mail_opens_the_call(mailoutbox, capture, client):
    event, owner = event_with_owner()
    with capture():
        event_services.create_part(owner, SpeakersCall, event, **call_data())
    text, _ = body_of(mailoutbox, owner.email)
    [link] = re.findall(rf"\S+/e/{event.identifier}/cfs\b", text)
    response = client.get(path_of(link), follow=True)
    assert response.redirect_chain == [(reverse("cfp", args=[event.identifier]), 302)]
    assert response.status_code == 200
    assert event.name in response.content.decode()


def test_the_session_link_of_a_decision_mail_leads_to_the_sessions_page(program, two_speakers, mailoutbox, capture,
                                                                        client):  # fmt: skip
    session, _speakers = two_speakers
    with capture():
        session_services.change_state(program.people["organizer"], session, Session.State.ACCEPTED)
    text, _ = body_of(mailoutbox, "guest@example.org")
    [link] = re.findall(rf"\S+/e/{program.event.identifier}/session/{session.pk}\b", text)
    response = client.get(path_of(link))
    assert response.status_code == 302
    assert response["Location"] == reverse("public-session", args=[program.event.identifier, session.pk])


# --- the call for speakers ------------------------------------------------------------------------
def call_data(starts_in_hours=-1, days=10):
    now = timezone.now()
    starts_at = now + datetime.timedelta(hours=starts_in_hours)
    return {"starts_at": starts_at, "ends_at": now + datetime.timedelta(days=days)}


def test_opening_a_call_tells_the_organizers_once(mailoutbox, capture):
    event, owner = event_with_owner()
    with capture():
        call = event_services.create_part(owner, SpeakersCall, event, **call_data())
    only_to(mailoutbox, [owner.email], "speakers_call_opened")
    text, _ = body_of(mailoutbox, owner.email)
    assert f"/e/{event.identifier}/cfs" in text
    # Editing the open call is the same opening.
    with capture():
        event_services.update_part(owner, call, announcement="Send us talks!")
    assert len(mailoutbox) == 1
    # The hourly job finds it announced.
    with capture():
        tasks.task_announce_speakers_calls.delay()
    assert len(mailoutbox) == 1


def test_a_call_that_opens_later_is_announced_by_the_beat_job_once(mailoutbox, capture):
    event, owner = event_with_owner()
    with capture():
        call = event_services.create_part(owner, SpeakersCall, event, **call_data(starts_in_hours=2))
    assert mailoutbox == []
    # Time passes: the call opened half an hour ago.
    opened = timezone.now() - datetime.timedelta(minutes=30)
    SpeakersCall.objects.filter(pk=call.pk).update(starts_at=opened)
    # The hourly job's rounds: the first announces it, the next finds it announced.
    with capture():
        assert mail_program.announce_open_calls() == 1
        assert mail_program.announce_open_calls() == 0
    only_to(mailoutbox, [owner.email], "speakers_call_opened")


def test_a_call_of_a_draft_event_is_announced_when_the_event_is_published(mailoutbox, capture):
    event, owner = event_with_owner(state=Event.State.DRAFT)
    with capture():
        event_services.create_part(owner, SpeakersCall, event, **call_data())
    assert mailoutbox == []
    with capture():
        event_services.update_event(owner, event, state=Event.State.PUBLISHED)
    assert sorted(Mail.objects.values_list("action", flat=True)) == ["event_published", "speakers_call_opened"]
    assert len(mailoutbox) == 2


def test_a_closed_call_is_not_announced(mailoutbox, capture):
    event, owner = event_with_owner()
    call = SpeakersCallFactory(event=event)
    with capture():
        event_services.update_part(owner, call, ends_at=timezone.now() - datetime.timedelta(minutes=1))
    assert mailoutbox == []


# --- after the event ------------------------------------------------------------------------------
def test_the_daily_job_mails_the_organizers_of_yesterdays_events_once(mailoutbox, capture, monkeypatch):
    # The job runs at 06:00 UTC: "yesterday" is the day before, in each event's time zone.
    at = timezone.now().replace(hour=6, minute=0, second=0, microsecond=0)
    yesterday = at - datetime.timedelta(hours=12)  # 18:00 UTC yesterday
    event, owner = event_with_owner(
        starts_at=yesterday - datetime.timedelta(days=2), ends_at=yesterday, timezone="Europe/Berlin"
    )
    coorganizer = UserFactory()
    give_role(coorganizer, event, Role.COORGANIZER)
    give_role(UserFactory(), event, Role.REGISTRAR)
    # Ended two days ago, and ended today (in Singapore 18:00 UTC is already tomorrow's 02:00).
    event_with_owner(starts_at=at - datetime.timedelta(days=4), ends_at=at - datetime.timedelta(days=2))
    event_with_owner(starts_at=yesterday - datetime.timedelta(days=2), ends_at=yesterday, timezone="Asia/Singapore")
    # Yesterday's, but a draft.
    event_with_owner(starts_at=yesterday - datetime.timedelta(days=2), ends_at=yesterday, state=Event.State.DRAFT)
    with capture():
        assert mail_program.send_after_event_mails(at) == 2
        assert mail_program.send_after_event_mails(at + datetime.timedelta(hours=3)) == 0
    only_to(mailoutbox, [owner.email, coorganizer.email], "after_event")
    assert {mail.event for mail in Mail.objects.all()} == {event}


def test_the_daily_task_runs_the_round(mailoutbox, capture):
    midnight = timezone.now().replace(hour=0, minute=0, second=0, microsecond=0)
    end = midnight - datetime.timedelta(hours=1)  # 23:00 UTC yesterday
    _, owner = event_with_owner(starts_at=end - datetime.timedelta(days=1), ends_at=end)
    with capture():
        tasks.task_send_after_event_mails.delay()
        tasks.task_send_after_event_mails.delay()
    only_to(mailoutbox, [owner.email], "after_event")


# --- import and export ----------------------------------------------------------------------------
def finish(signal, **kwargs):
    with transaction.atomic():
        send_after_commit(signal, None, **kwargs)


def test_a_finished_export_mails_its_user_the_download_link(mailoutbox, capture):
    event, owner = event_with_owner()
    url = "https://files.example.org/exports/1.zip"
    with capture():
        finish(export_signals.export_finished, user=owner, event=event, download_url=url, error=None)
    only_to(mailoutbox, [owner.email], "event_exported")
    assert url in body_of(mailoutbox, owner.email)[0]


def test_a_failed_export_mails_its_user_the_reason(mailoutbox, capture):
    event, owner = event_with_owner()
    with capture():
        finish(export_signals.export_finished, user=owner, event=event, download_url=None, error="Disk <full>")
    only_to(mailoutbox, [owner.email], "event_export_fail")
    text, html = body_of(mailoutbox, owner.email)
    assert "Disk <full>" in text
    assert "Disk &lt;full&gt;" in html


def test_a_finished_import_mails_its_user(mailoutbox, capture):
    event, owner = event_with_owner()
    with capture():
        finish(export_signals.import_finished, user=owner, event=event, error=None)
    only_to(mailoutbox, [owner.email], "event_imported")
    assert site_url() + reverse("event-dashboard", args=[event.identifier]) in body_of(mailoutbox, owner.email)[0]


def test_a_failed_import_mails_its_user(mailoutbox, capture):
    user = UserFactory()
    with capture():
        finish(export_signals.import_finished, user=user, event=None, error="Not a zip file.")
    only_to(mailoutbox, [user.email], "event_import_fail")
    assert "Not a zip file." in body_of(mailoutbox, user.email)[0]


def test_the_export_switch_stops_its_mail(mailoutbox, capture):
    event, owner = event_with_owner()
    switch_off("event_exported")
    with capture():
        finish(export_signals.export_finished, user=owner, event=event, download_url="https://x.example/1", error=None)
    assert mailoutbox == []


# --- every action renders -------------------------------------------------------------------------
#: Actions whose wording is always the sender's own (an organizer's mail to speakers).
SENDERS_WORDING = {
    "speaker_mail": MailTemplate(subject="News for {speaker_name}", body="Hello {speaker_name}: {event_name}"),
}


@pytest.fixture
def strict_templates(settings):
    """A placeholder a template uses but the action does not offer shows up in the output."""
    options = settings.TEMPLATES[0].get("OPTIONS", {})
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "OPTIONS": {**options, "string_if_invalid": "UNKNOWN-%s-"}}]
    # The setting reaches the template engine (the check checks).
    assert "UNKNOWN-nothing-" in engines["django"].from_string("{{ nothing }}").render({})


@pytest.mark.parametrize("key", sorted(actions.ACTIONS))
def test_every_action_renders_with_its_sample_values(key, strict_templates):
    action = actions.get(key)
    values = {name: sample for name, (_, sample) in action.all_placeholders.items()}
    rendered = render_mail(key, values, template=SENDERS_WORDING.get(key))
    for part in (rendered.subject, rendered.text, rendered.html):
        assert part.strip()
        assert "{{" not in part
        assert "{%" not in part
        assert "UNKNOWN-" not in part, part
    assert "\n" not in rendered.subject
    assert values["event_name"] in rendered.subject + rendered.text if "event_name" in values else True
