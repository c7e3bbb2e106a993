"""Fill the database with a small, fixed demo: a published three-day summit with a full organizer
team, a pending invite and its program (rooms, tracks, session types, ~80 sessions in every state
with their speakers and schedule, sponsors, social links, an open call for speakers), plus a draft
event.

Everything is written through the service functions, as a page or the API would, with the summit's
owner as the organizer. The program is planned in advance from word lists with a fixed random seed
(``_demo_program.py``), so every run plans the same one.

Running it again creates nothing twice, whatever users did with the demo since. Each demo event
has a fixed identifier (its public key, which nobody edits: ``/v1/events/demo2027``); an event is
created together with everything it holds (its team, invites, program) when no event, trashed ones
included, has its identifier, and a run that finds it leaves it as it is: a renamed session, a
speaker's new name, a moved track or a removed row stay as the user left them. The one change a
later run makes is reopening the call for speakers once it has closed, so proposals can be tried.
"""
import datetime
from zoneinfo import ZoneInfo

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from events import services
from events.models import (
    Event,
    Microlocation,
    Role,
    SessionType,
    SocialLink,
    SpeakersCall,
    Sponsor,
    Track,
    UsersEventsRoles,
)
from openevent.users.models import User
from openevent.users.services import register_user
from sessions_app import services as program
from sessions_app.models import Session, Speaker
from sessions_app.services import schedule

from ._demo_program import CALL_ANNOUNCEMENT, SPEAKER_ACCOUNTS, build_program

DEMO_PASSWORD = "open-tech-demo-2027"  # noqa: S105 -- the public demo accounts' password, printed on purpose
SINGAPORE = ZoneInfo("Asia/Singapore")

# email, first name, last name, role at the summit
TEAM = [
    ("owner@example.org", "Mei Ling", "Tan", Role.OWNER),
    ("organizer@example.org", "Arjun", "Rao", Role.ORGANIZER),
    ("coorganizer@example.org", "Sofia", "Reyes", Role.COORGANIZER),
    ("track-organizer@example.org", "Kwame", "Mensah", Role.TRACK_ORGANIZER),
    ("moderator@example.org", "Hana", "Sato", Role.MODERATOR),
    ("registrar@example.org", "Lukas", "Weber", Role.REGISTRAR),
]
PENDING_INVITE = ("volunteer-lead@example.org", Role.MODERATOR)
SUMMIT_IDENTIFIER = "demo2027"
DRAFT_IDENTIFIER = "demohw27"


def _at(day, hour, minute=0):
    return datetime.datetime(2027, 3, day, hour, minute, tzinfo=SINGAPORE)


SUMMIT = {
    "identifier": SUMMIT_IDENTIFIER,
    "name": "Open Tech Summit 2027",
    "starts_at": _at(18, 9),
    "ends_at": _at(20, 18),
    "timezone": "Asia/Singapore",
    "location_name": "Harbourfront Convention Hall, 1 Maritime Square, Singapore 099253",
    "searchable_location_name": "Singapore",
    "latitude": 1.2653,
    "longitude": 103.8220,
    "is_map_shown": True,
    "external_event_url": "https://summit.example.org",
    "state": Event.State.PUBLISHED,
    "privacy": Event.Privacy.PUBLIC,
    "is_sessions_speakers_enabled": True,
    "is_sponsors_enabled": True,
    "owner_name": "Open Tech Community Singapore",
    "owner_description": (
        "<p>A volunteer-run community of developers, designers and makers who meet every month "
        "in Singapore and once a year for the summit.</p>"
    ),
    "has_owner_info": True,
    "description": (
        "<p>Open Tech Summit brings together people who build open source software, open "
        "hardware and open data in Asia. Three days of talks, workshops and hallway "
        "conversations in the middle of Singapore.</p>"
        "<p>Day one is about the cloud and the web: databases, observability, web standards and "
        "the tools that keep them running. Day two turns to hardware, from microcontrollers to "
        "community-built satellites, with a soldering corner open all day. Day three belongs to "
        "open data, AI you can inspect, and the people who maintain the projects we all depend "
        "on.</p>"
        "<p>Talks are in English, most are recorded, and every workshop has seats for "
        "first-timers. Students and community maintainers attend free of charge.</p>"
    ),
    "code_of_conduct": (
        "<p>Everyone is welcome at Open Tech Summit. We do not tolerate harassment of "
        "participants in any form: offensive comments about gender, gender identity, sexual "
        "orientation, disability, appearance, body size, race, ethnicity, age or religion, "
        "sexual images in public spaces, deliberate intimidation, stalking, photography or "
        "recording without consent, or sustained disruption of talks.</p>"
        "<p>If someone makes you or anyone else feel unsafe, speak to any organizer wearing a "
        "green badge or write to conduct@summit.example.org. We will listen, act promptly and "
        "keep your report confidential.</p>"
    ),
}

DRAFT = {
    "identifier": DRAFT_IDENTIFIER,
    "name": "Open Hardware Workshop Day",
    "starts_at": datetime.datetime(2027, 6, 12, 10, 0, tzinfo=SINGAPORE),
    "ends_at": datetime.datetime(2027, 6, 12, 17, 0, tzinfo=SINGAPORE),
    "timezone": "Asia/Singapore",
    "location_name": "Makerspace at the National Library, Singapore",
    "searchable_location_name": "Singapore",
    "state": Event.State.DRAFT,
    "privacy": Event.Privacy.PUBLIC,
    "is_sessions_speakers_enabled": True,
    "description": (
        "<p>A hands-on day for people who want to build their first open hardware project: "
        "bring a laptop, we bring the boards, sensors and soldering irons.</p>"
        "<p>Draft: the programme is still being put together.</p>"
    ),
}


def call_dates(event):
    """A public call that opened a month ago and closes well after today (whenever the demo
    runs), so proposals can be tried."""
    today = timezone.now().astimezone(SINGAPORE).date()
    opens = datetime.datetime.combine(today - datetime.timedelta(days=30), datetime.time(0, 0), tzinfo=SINGAPORE)
    last_day = max(event.starts_at.astimezone(SINGAPORE).date() - datetime.timedelta(days=30),
                   today + datetime.timedelta(days=90))  # fmt: skip
    closes = datetime.datetime.combine(last_day, datetime.time(23, 59), tzinfo=SINGAPORE)
    return {"starts_at": opens, "soft_ends_at": closes - datetime.timedelta(days=14), "ends_at": closes}


class Command(BaseCommand):
    help = "Create demo users and events (idempotent: a second run leaves the demo events as they are)."

    def handle(self, *args, **options):
        self.created = []
        with transaction.atomic():
            summit = self._existing(SUMMIT, TEAM[0][0])
            if summit is None:
                summit = self._summit()
            else:
                self._reopen_call(summit)
            draft = self._existing(DRAFT, "organizer@example.org")
            if draft is None:
                organizer = self._user(*next(person[:3] for person in TEAM if person[3] == Role.ORGANIZER))
                draft = self._event(organizer, DRAFT)
        self._report(summit, draft)

    # --- steps ----------------------------------------------------------------------------------
    @staticmethod
    def _existing(data, owner_email):
        """The demo event ``data`` describes, trashed or not: the one with its identifier; else,
        in a database filled before demo events had fixed identifiers, the one of its name that
        ``owner_email`` owns."""
        events = Event.all_objects.order_by("id")
        return (
            events.filter(identifier=data["identifier"]).first()
            or events.filter(
                name=data["name"], user_roles__user__email=owner_email, user_roles__role__name=Role.OWNER
            ).first()
        )

    def _summit(self):
        """The summit with its team, a pending invite and its program."""
        people = {email: self._user(email, first, last) for email, first, last, _ in TEAM}
        owner = people[TEAM[0][0]]
        summit = self._event(owner, SUMMIT)
        for email, _, _, role_name in TEAM[1:]:
            self._member(owner, summit, people[email], role_name)
        email, role_name = PENDING_INVITE
        services.invite(people["organizer@example.org"], summit, email, role_name)
        self.created.append(f"invite {email}")
        accounts = {
            email: people.get(email) or self._user(email, first, last) for email, first, last, _ in SPEAKER_ACCOUNTS
        }
        self._program(owner, summit, accounts)
        return summit

    def _user(self, email, first_name, last_name):
        user = User.all_objects.filter(email=email).first()
        if user is None:
            user = register_user(
                email, DEMO_PASSWORD, first_name=first_name, last_name=last_name, is_verified=True
            )
            self.created.append(f"user {email}")
        return user

    def _event(self, owner, data):
        event = services.create_event(owner, **data)
        self.created.append(f"event {event.name}")
        return event

    def _member(self, owner, event, user, role_name):
        """Give ``user`` a role the way a team does it: an invite, then its acceptance."""
        services.accept_invite(services.invite(owner, event, user.email, role_name), user)
        self.created.append(f"{role_name} {user.email}")

    # --- the summit's program ----------------------------------------------------------------------
    def _program(self, owner, event, accounts):
        plan = build_program()
        rooms = self._parts(owner, event, Microlocation, [
            {"name": name, "room": room, "floor": floor, "position": position}
            for position, (name, room, floor) in enumerate(plan.rooms)
        ])  # fmt: skip
        tracks = self._parts(owner, event, Track, [
            {"name": t.name, "color": t.color, "description": t.description, "position": position}
            for position, t in enumerate(plan.tracks)
        ])  # fmt: skip
        types = self._parts(owner, event, SessionType, [
            {"name": name, "length": length, "position": position}
            for position, (name, length) in enumerate(plan.session_types)
        ])  # fmt: skip
        self._parts(owner, event, Sponsor, [
            {"name": name, "level": level, "type": kind, "description": f"<p>{text}</p>",
             "url": f"https://{name.lower().replace(' ', '-')}.example.com"}
            for name, level, kind, text in plan.sponsors
        ])  # fmt: skip
        self._parts(owner, event, SocialLink, [
            {"name": name, "link": link, "identifier": identifier} for name, link, identifier in plan.social_links
        ])  # fmt: skip
        services.create_part(owner, SpeakersCall, event, announcement=CALL_ANNOUNCEMENT,
                             privacy=SpeakersCall.Privacy.PUBLIC, **call_dates(event))  # fmt: skip
        self.created.append("call for speakers")
        speakers = self._speakers(owner, event, plan.speakers, accounts)
        self._sessions(owner, event, plan.sessions, {"microlocation": rooms, "track": tracks, "session_type": types},
                       speakers)  # fmt: skip
        schedule.release_schedule(owner, event, comment="The demo's first schedule.", send_email=False)
        self.created.append("released schedule")

    def _parts(self, owner, event, model, rows):
        """The ``model`` rows of the new event, by name."""
        made = {row["name"]: services.create_part(owner, model, event, **row) for row in rows}
        self.created.extend(f"{model._meta.verbose_name} {name}" for name in made)
        return made

    def _speakers(self, owner, event, plans, accounts):
        """The planned speakers by e-mail address; the demo accounts' profiles are linked to
        their users."""
        made = {}
        for plan in plans:
            data = plan.fields()
            if plan.account:
                data["user"] = accounts[plan.email]
            made[plan.email] = program.create_speaker(owner, event, data)
            self.created.append(f"speaker {plan.email}")
        return made

    def _sessions(self, owner, event, plans, parts, speakers):
        """Each planned session, submitted (a draft stays unsubmitted), then moved to its state
        through the state machine, as the organizers would. A withdrawal is made by the
        session's speaker, who logs in as a demo account."""
        for plan in plans:
            data = plan.fields()
            data["track"] = parts["track"][plan.track]
            data["session_type"] = parts["session_type"][plan.session_type]
            data["microlocation"] = parts["microlocation"][plan.room] if plan.room else None
            data["state"] = Session.State.DRAFT if plan.state == Session.State.DRAFT else Session.State.PENDING
            session = program.create_session(owner, event, data, [speakers[email] for email in plan.speakers])
            if plan.state != session.state:
                actor = speakers[plan.speakers[0]].user if plan.state == Session.State.WITHDRAWN else owner
                program.change_state(actor, session, plan.state, send_email=False)
            self.created.append(f"session {plan.title}")

    def _reopen_call(self, event):
        """The summit's call for speakers, reopened by its owner if it has closed since the last
        run (it is left alone if someone removed it or the summit has no owner)."""
        call = SpeakersCall.objects.filter(event=event).first()
        owner = UsersEventsRoles.objects.filter(event=event, role__name=Role.OWNER).select_related("user").first()
        if call is None or owner is None or call.starts_at <= timezone.now() < call.ends_at:
            return
        dates = call_dates(event)
        services.update_part(owner.user, call, **dates)
        self.stdout.write(f"Reopened the call for speakers until {dates['ends_at']:%d %B %Y}.")

    # --- output ---------------------------------------------------------------------------------
    def _report(self, summit, draft):
        write = self.stdout.write
        if self.created:
            write(self.style.SUCCESS(f"Demo data: created {len(self.created)} object(s)."))
        else:
            write("Demo data: already present, nothing created.")
        write(f"  {summit.name} ({summit.state}, {summit.privacy})  /v1/events/{summit.identifier}")
        write(f"  {draft.name} ({draft.state})  /v1/events/{draft.identifier}")
        write(f"  Demo logins, password '{DEMO_PASSWORD}':")
        for email, _, _, role_name in TEAM:
            write(f"    {email:<30} {role_name} of {summit.name}")
        write(f"    {'organizer@example.org':<30} owner of {draft.name}")
        for email, _, _, states in SPEAKER_ACCOUNTS:
            write(f"    {email:<30} speaker at {summit.name} ({', '.join(states)} sessions)")
        write(f"  Pending invite: {PENDING_INVITE[0]} as {PENDING_INVITE[1]} of {summit.name}")
        sessions = Session.objects.filter(event=summit)
        call = SpeakersCall.objects.filter(event=summit).first()
        write(
            f"  Program of {summit.name}: {sessions.count()} sessions "
            f"({sessions.filter(starts_at__isnull=False).count()} scheduled), "
            f"{Speaker.objects.filter(event=summit).count()} speakers, "
            f"{Microlocation.objects.filter(event=summit).count()} rooms, "
            f"{Track.objects.filter(event=summit).count()} tracks, "
            f"{Sponsor.objects.filter(event=summit).count()} sponsors"
        )
        if call is not None:
            write(f"  Call for speakers open until {call.ends_at.astimezone(SINGAPORE):%d %B %Y %H:%M} (Singapore)")
