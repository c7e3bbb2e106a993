"""Fill the database with a small, fixed demo: a published three-day summit with a full organizer
team and a pending invite, plus a draft event.

Everything is written through the service functions, as a page or the API would. Running it again
finds what exists and creates nothing twice.
"""
import datetime
from zoneinfo import ZoneInfo

from django.core.management.base import BaseCommand
from django.db import transaction

from events import services
from events.models import Event, Role, RoleInvite, UsersEventsRoles
from openevent.users.models import User
from openevent.users.services import register_user

DEMO_PASSWORD = "open-tech-demo-2027"
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


def _at(day, hour, minute=0):
    return datetime.datetime(2027, 3, day, hour, minute, tzinfo=SINGAPORE)


SUMMIT = {
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


class Command(BaseCommand):
    help = "Create demo users and events (idempotent: a second run reuses what exists)."

    def handle(self, *args, **options):
        self.created = []
        with transaction.atomic():
            people = {email: self._user(email, first, last) for email, first, last, _ in TEAM}
            owner = people[TEAM[0][0]]
            summit = self._event(owner, SUMMIT)
            for email, _, _, role_name in TEAM[1:]:
                self._member(owner, summit, people[email], role_name)
            organizer = people["organizer@example.org"]
            self._pending_invite(organizer, summit, *PENDING_INVITE)
            draft = self._event(organizer, DRAFT)
        self._report(summit, draft)

    # --- steps ----------------------------------------------------------------------------------
    def _user(self, email, first_name, last_name):
        user = User.all_objects.filter(email=email).first()
        if user is None:
            user = register_user(
                email, DEMO_PASSWORD, first_name=first_name, last_name=last_name, is_verified=True
            )
            self.created.append(f"user {email}")
        return user

    def _event(self, owner, data):
        """The demo event of this name owned by ``owner``, created if missing."""
        event = (
            Event.all_objects.filter(
                name=data["name"], user_roles__user=owner, user_roles__role__name=Role.OWNER
            )
            .order_by("id")
            .first()
        )
        if event is None:
            event = services.create_event(owner, **data)
            self.created.append(f"event {event.name}")
        return event

    def _member(self, owner, event, user, role_name):
        """Give ``user`` a role the way a team does it: an invite, then its acceptance."""
        if UsersEventsRoles.objects.filter(event=event, user=user, role__name=role_name).exists():
            return
        invitation = RoleInvite.objects.filter(
            event=event, email=user.email, role__name=role_name, status=RoleInvite.Status.PENDING
        ).first() or services.invite(owner, event, user.email, role_name)
        services.accept_invite(invitation, user)
        self.created.append(f"{role_name} {user.email}")

    def _pending_invite(self, actor, event, email, role_name):
        if not RoleInvite.objects.filter(event=event, email=email, role__name=role_name).exists():
            services.invite(actor, event, email, role_name)
            self.created.append(f"invite {email}")

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
        write(f"  Pending invite: {PENDING_INVITE[0]} as {PENDING_INVITE[1]} of {summit.name}")
