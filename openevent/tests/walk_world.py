"""One world for the query walk (``test_query_walk``): ``seed(n)`` makes ``n`` of every kind of row
around one published event, so that every list endpoint, page and admin changelist has ``n`` rows
to show (or ``min(n, k)`` where the model allows only ``k``, as message settings per action).

Rows that a list shows through a relation are distinct per listed row where they can be (each
public session has its own track, room, type and speaker), so an ``include`` or a template that
loads per row is caught; the parents of nested lists are shared (``w.track`` holds every pending
session), so those lists have ``n`` rows too. Plain rows are bulk-created: the walk measures the
reads, and the seeding has to stay cheap (it runs twice per test process).
"""
import datetime
import uuid

from django.contrib.auth.models import Group
from django.utils import timezone
from django_celery_results.models import GroupResult, TaskResult
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken

from events.models import (
    CustomForm,
    Event,
    EventCopyright,
    Microlocation,
    Reviewer,
    ReviewSettings,
    Role,
    RoleInvite,
    SessionType,
    SocialLink,
    SpeakersCall,
    Sponsor,
    StripeAuthorization,
    Track,
    UsersEventsRoles,
)
from events.tests.helpers import staffed_event
from exports.models import ExportJob, ImportJob, JobStatus
from mailing.models import Mail, MailTemplate
from mailing.organizer import overridable_actions
from notifications.models import EmailNotification, Notification
from openevent.users.models import User
from openevent.users.tests.factories import UserFactory
from sessions_app.models import Review, ScheduleBlock, ScheduleRelease, Session, Speaker
from sessions_app.services.schedule import release_schedule

#: The event's first day starts here (UTC); its sessions run on that day, 20 minutes apart.
START = datetime.datetime(2031, 5, 6, 8, 0, tzinfo=datetime.UTC)


class World:
    """What ``seed`` made: ``event`` and its ``people`` (one user per role, ``admin``, ``plain``,
    ``speaker``, ``invitee``) and the parents the nested routes name."""

    def __init__(self, n, event, people):
        self.n = n
        self.event = event
        self.people = people


def _users(prefix, n):
    return User.objects.bulk_create(
        User(email=f"{prefix}{i}@walk.example.org", first_name=f"{prefix.title()} {i}", last_name="Walker",
             is_verified=True)
        for i in range(n)
    )  # fmt: skip


def _events(prefix, n, **fields):
    return Event.objects.bulk_create(
        Event(name=f"{prefix} {i}", starts_at=START, ends_at=START + datetime.timedelta(days=2),
              location_name="Singapore", description="<p>An event of the walk.</p>", **fields)
        for i in range(n)
    )  # fmt: skip


def _roles(users, events, role):
    return UsersEventsRoles.objects.bulk_create(
        UsersEventsRoles(user=user, event=event, role=role) for user, event in zip(users, events, strict=True)
    )


def seed(n):
    """``n`` of every kind of row for one event (and ``n`` events, users… for the global lists)."""
    role = {r.name: r for r in Role.objects.all()}
    event, people = staffed_event(
        is_sessions_speakers_enabled=True, is_sponsors_enabled=True, is_map_shown=True,
        starts_at=START, ends_at=START + datetime.timedelta(days=2),
    )  # fmt: skip
    owner, organizer = people["owner"], people["organizer"]
    speaker_user = people["speaker"] = UserFactory(email=f"speaker-{event.pk}@walk.example.org")
    invitee = people["invitee"] = UserFactory(email=f"invitee-{event.pk}@walk.example.org")
    w = World(n, event, people)
    SpeakersCall.objects.create(event=event, announcement="Send us your talks",
                                starts_at=timezone.now() - datetime.timedelta(days=1),
                                ends_at=timezone.now() + datetime.timedelta(days=10))  # fmt: skip

    # --- the program's parts: n of each, and the shared parents of the nested lists -----------
    def parts(model, label, **fields):
        return model.objects.bulk_create(model(event=event, name=f"{label} {i}", **fields) for i in range(n + 1))

    tracks = parts(Track, "Track", color="#1f6feb")
    rooms = parts(Microlocation, "Room")
    types = parts(SessionType, "Type", length="00:20")
    w.track, w.room, w.session_type = tracks[-1], rooms[-1], types[-1]
    Sponsor.objects.bulk_create(Sponsor(event=event, name=f"Sponsor {i}", level=i % 3, type="Gold") for i in range(n))
    SocialLink.objects.bulk_create(
        SocialLink(event=event, name=f"Link {i}", link=f"https://social.example/{i}") for i in range(n)
    )
    CustomForm.objects.bulk_create(
        CustomForm(event=event, form=form, field_identifier=f"walk{i}", name=f"Question {i}", is_complex=True,
                   is_public=True, position=100 + i)
        for form in (CustomForm.Form.SESSION, CustomForm.Form.SPEAKER) for i in range(n)
    )  # fmt: skip

    # --- sessions: n public ones (each with its own track, room, type and speaker, and the
    # speaker user's profile ``w.speaker``), a panel with n speakers, n pending proposals in the
    # shared track/room/type ----------------------------------------------------------------
    speaker_users = _users(f"speaker{event.pk}-", n)
    speakers = Speaker.objects.bulk_create(
        Speaker(event=event, user=user, name=f"Speaker {i}", email=user.email, short_biography="<p>Bio</p>",
                complex_field_values={"walk0": f"Answer {i}"})
        for i, user in enumerate(speaker_users)
    )  # fmt: skip
    w.speaker = Speaker.objects.create(event=event, user=speaker_user, name="Star Speaker", email=speaker_user.email)
    public = Session.objects.bulk_create(
        Session(event=event, title=f"Talk {i}", short_abstract="<p>About it.</p>", language="English",
                state=Session.State.CONFIRMED if i % 2 else Session.State.ACCEPTED, track=tracks[i],
                microlocation=rooms[i], session_type=types[i], creator=speaker_user,
                starts_at=START + datetime.timedelta(minutes=20 * i),
                ends_at=START + datetime.timedelta(minutes=20 * i + 15), complex_field_values={"walk0": "A"})
        for i in range(n)
    )  # fmt: skip
    w.session = Session.objects.create(event=event, title="Panel", state=Session.State.ACCEPTED, track=w.track,
                                       microlocation=w.room, session_type=w.session_type,
                                       starts_at=START - datetime.timedelta(hours=1), ends_at=START)  # fmt: skip
    pending = Session.objects.bulk_create(
        Session(event=event, title=f"Proposal {i}", short_abstract="<p>Maybe.</p>", state=Session.State.PENDING,
                track=w.track, microlocation=w.room, session_type=w.session_type, creator=speaker_user,
                starts_at=START + datetime.timedelta(days=1, minutes=20 * i),
                ends_at=START + datetime.timedelta(days=1, minutes=20 * i + 15))
        for i in range(n)
    )  # fmt: skip
    links = Speaker.sessions.through
    links.objects.bulk_create(
        [links(session=s, speaker=sp) for s, sp in zip(public, speakers, strict=True)]
        + [links(session=s, speaker=w.speaker) for s in public + pending]
        + [links(session=w.session, speaker=sp) for sp in speakers]
        + [links(session=s, speaker=sp) for s, sp in zip(pending, speakers, strict=True)]
    )
    ScheduleBlock.objects.bulk_create(
        ScheduleBlock(event=event, title=f"Break {i}", starts_at=START + datetime.timedelta(minutes=20 * i + 15),
                      ends_at=START + datetime.timedelta(minutes=20 * i + 20),
                      microlocation=None if i % 2 else rooms[i])
        for i in range(n)
    )  # fmt: skip

    # --- the team: n members of each role below owner, reviewers, invites ------------------
    members = {}
    for name in (Role.ORGANIZER, Role.COORGANIZER, Role.TRACK_ORGANIZER, Role.MODERATOR, Role.REGISTRAR):
        members[name] = _users(f"{name}{event.pk}-", n)
        _roles(members[name], [event] * n, role[name])
    reviewers = Reviewer.objects.bulk_create(Reviewer(event=event, user=user) for user in members[Role.REGISTRAR])
    through = Reviewer.tracks.through
    through.objects.bulk_create(through(reviewer=r, track=t) for r, t in zip(reviewers, tracks, strict=False))
    Reviewer.objects.create(event=event, user=people["moderator"])
    # ``w.pending`` is reviewed by every reviewing registrar; the registrar reviews every proposal.
    # The moderator reviewed every proposal but ``w.pending`` (their queue's next one).
    w.pending = pending[0]
    Review.objects.bulk_create(
        [Review(session=w.pending, reviewer=user, score=i % 4, comment=f"Comment {i}")
         for i, user in enumerate(members[Role.REGISTRAR])]
        + [Review(session=session, reviewer=people["registrar"], score=1) for session in pending]
        + [Review(session=session, reviewer=people["moderator"], score=2, comment="Good") for session in pending[1:]]
    )  # fmt: skip
    Reviewer.objects.create(event=event, user=people["registrar"])
    ReviewSettings.objects.create(event=event)
    expires = timezone.now() + datetime.timedelta(days=7)
    invites = [RoleInvite(event=event, email=f"guest{i}-{event.pk}@walk.example.org", role=role[Role.REGISTRAR],
                          invited_by=owner, expires_at=expires) for i in range(n)]  # fmt: skip

    # --- other events: n of the owner's (published, each with its one-per-event rows, the
    # invitee invited, the speaker user speaking, the organizer's mail preferences) and n in
    # the trash that the organizer organizes ---------------------------------------------
    others = _events(f"Walk {event.pk}", n, state=Event.State.PUBLISHED)
    _roles([owner] * n, others, role[Role.OWNER])
    invites += [RoleInvite(event=other, email=invitee.email, role=role[Role.MODERATOR], invited_by=owner,
                           expires_at=expires) for other in others]  # fmt: skip
    for invite in invites:
        invite.set_new_token()
    RoleInvite.objects.bulk_create(invites)
    SpeakersCall.objects.bulk_create(
        SpeakersCall(event=other, announcement="Talks please", starts_at=START - datetime.timedelta(days=60),
                     ends_at=START - datetime.timedelta(days=30))
        for other in others
    )  # fmt: skip
    EventCopyright.objects.bulk_create(EventCopyright(event=other, holder=f"Holder {other.pk}") for other in others)
    ReviewSettings.objects.bulk_create(ReviewSettings(event=other) for other in others)
    StripeAuthorization.objects.bulk_create(
        StripeAuthorization(event=other, stripe_user_id=f"acct_{other.pk}", stripe_publishable_key="pk_test",
                            created_by=owner)
        for other in others
    )  # fmt: skip
    other_sessions = Session.objects.bulk_create(
        Session(event=other, title=f"Elsewhere {other.pk}", state=Session.State.ACCEPTED) for other in others
    )
    profiles = Speaker.objects.bulk_create(
        Speaker(event=other, user=speaker_user, name="Star Speaker", email=speaker_user.email) for other in others
    )
    links.objects.bulk_create(links(session=s, speaker=p) for s, p in zip(other_sessions, profiles, strict=True))
    EmailNotification.objects.bulk_create(EmailNotification(user=organizer, event=other) for other in others)
    trashed = _events(f"Trashed {event.pk}", n, state=Event.State.PUBLISHED, deleted_at=timezone.now())
    _roles([organizer] * n, trashed, role[Role.ORGANIZER])

    # --- mail, notifications, jobs ----------------------------------------------------------
    Mail.objects.bulk_create(
        Mail(recipient=user.email, user=user, event=event, session=public[i], action="speaker_mail",
             subject=f"About talk {i}", message="Hello", status=Mail.Status.SENT, sent_at=timezone.now())
        for i, user in enumerate(speaker_users)
    )  # fmt: skip
    Mail.objects.bulk_create(
        Mail(recipient=speaker_user.email, user=speaker_user, event=event, session=s, action="session_state_change",
             subject=f"Decision on {s.title}", message="Accepted", status=Mail.Status.SENT)
        for s in public
    )  # fmt: skip
    Notification.objects.bulk_create(
        Notification(user=user, event=event, action="new_session", title=f"New proposal {i}", link="/")
        for user in (organizer, speaker_user) for i in range(n)
    )  # fmt: skip
    MailTemplate.objects.bulk_create(
        MailTemplate(event=event, action=action, subject="Subject {event_name}", body="Body", updated_by=owner)
        for action in [a.key for a in overridable_actions()][:n]
    )  # fmt: skip
    finished = timezone.now()
    ExportJob.objects.bulk_create(
        ExportJob(user=organizer, event=event, status=JobStatus.SUCCESS, finished_at=finished) for _ in range(n)
    )
    ImportJob.objects.bulk_create(
        ImportJob(user=organizer, status=JobStatus.FAILURE, error="Not a zip.", original_name=f"e{i}.zip",
                  finished_at=finished)
        for i in range(n)
    )  # fmt: skip

    # --- what only the Django admin lists ----------------------------------------------------
    Group.objects.bulk_create(Group(name=f"Group {event.pk}-{i}") for i in range(n))
    outstanding = OutstandingToken.objects.bulk_create(
        OutstandingToken(user=user, jti=uuid.uuid4().hex, token="t", expires_at=expires) for user in speaker_users
    )
    BlacklistedToken.objects.bulk_create(BlacklistedToken(token=token) for token in outstanding)
    TaskResult.objects.bulk_create(TaskResult(task_id=str(uuid.uuid4()), status="SUCCESS") for _ in range(n))
    GroupResult.objects.bulk_create(GroupResult(group_id=str(uuid.uuid4())) for _ in range(n))

    # --- the released schedule: n-1 older versions, then the current one --------------------
    # n older versions (at least one: a first release skips the feeds' SEQUENCE query), then the current one.
    ScheduleRelease.objects.bulk_create(
        ScheduleRelease(event=event, version=v, released_by=owner, comment=f"Version {v}") for v in range(1, n + 1)
    )
    release_schedule(owner, event, "Current", send_email=False)
    event.refresh_from_db()
    w.day = START.date()
    return w
