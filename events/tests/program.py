"""What the tests of the program's parts (tracks, session types, rooms, sponsors, social links,
speakers calls, copyrights) share: one description per resource, documents and rows."""
import datetime
from dataclasses import dataclass, field

from events.models import EventCopyright, Microlocation, SessionType, SocialLink, SpeakersCall, Sponsor, Track
from openevent.api.tests.documents import ids, pointers, resource_doc  # noqa: F401 (re-exported)

CALL_START = datetime.datetime(2027, 1, 10, 9, 0, tzinfo=datetime.UTC)
#: Parts an event has one of (a to-one relationship of the event).
ONE_PER_EVENT = {"speakers-call", "event-copyright"}


@dataclass
class Resource:
    type: str
    plural: str
    model: type
    attributes: dict  # a valid creation (wire names)
    change: tuple  # (wire name, python name, value) for a valid update
    row: dict = field(default_factory=dict)  # python values for a row made in the database
    manager: str = "coorganizer"  # the lowest role that writes it

    @property
    def relation(self):
        """The event's relationship segment: ``tracks``, ``speakers-call``…"""
        return self.type if self.type in ONE_PER_EVENT else self.plural

    @property
    def to_many(self):
        return self.type not in ONE_PER_EVENT


RESOURCES = {
    "track": Resource(
        "track", "tracks", Track, {"name": "Web", "color": "#1f6feb", "description": "The web"},
        ("name", "name", "Renamed"), {"name": "Track"}, manager="track_organizer",
    ),
    "session-type": Resource(
        "session-type", "session-types", SessionType, {"name": "Talk", "length": "00:45"},
        ("name", "name", "Renamed"), {"name": "Type"},
    ),
    "microlocation": Resource(
        "microlocation", "microlocations", Microlocation,
        {"name": "Hall A", "room": "A1", "floor": 2, "latitude": 1.3, "longitude": 103.8},
        ("name", "name", "Renamed"), {"name": "Room"},
    ),
    "sponsor": Resource(
        "sponsor", "sponsors", Sponsor, {"name": "ACME", "url": "https://acme.example", "level": 1, "type": "Gold"},
        ("name", "name", "Renamed"), {"name": "Sponsor"},
    ),
    "social-link": Resource(
        "social-link", "social-links", SocialLink,
        {"name": "Mastodon", "link": "https://social.example/@conf", "identifier": "mastodon"},
        ("name", "name", "Renamed"), {"name": "Link", "link": "https://example.org"},
    ),
    "speakers-call": Resource(
        "speakers-call", "speakers-calls", SpeakersCall,
        {
            "announcement": "Send us your talks",
            "starts-at": CALL_START.isoformat(),
            "soft-ends-at": (CALL_START + datetime.timedelta(days=20)).isoformat(),
            "ends-at": (CALL_START + datetime.timedelta(days=30)).isoformat(),
            "privacy": "public",
        },
        ("announcement", "announcement", "Renamed"),
    ),
    "event-copyright": Resource(
        "event-copyright", "event-copyrights", EventCopyright,
        {
            "holder": "FOSSASIA", "holder-url": "https://fossasia.org", "licence": "CC BY-SA 4.0",
            "licence-url": "https://creativecommons.org/licenses/by-sa/4.0/", "year": 2027,
            "logo-url": "https://example.org/cc.png",
        },
        ("holder", "holder", "Renamed"), {"licence": "CC BY 4.0"},
    ),
}  # fmt: skip
LISTS = [key for key, resource in RESOURCES.items() if resource.to_many]

# Roles of ``staffed_event`` ordered from most to least powerful at the event.
ROLE_LADDER = ["owner", "organizer", "coorganizer", "track_organizer", "moderator", "registrar"]
OUTSIDERS = [("anonymous", 401), ("plain", 403), ("other_organizer", 403)]


def writers(resource):
    """Roles that may write ``resource`` (admins included)."""
    lowest = ROLE_LADDER.index(resource.manager)
    return [*ROLE_LADDER[: ROLE_LADDER.index("coorganizer") + 1], *([resource.manager] if lowest > 2 else []), "admin"]


def refused(resource):
    """(role, status) of everyone who may not write ``resource``."""
    allowed = set(writers(resource))
    return [*OUTSIDERS, *((name, 403) for name in ROLE_LADDER if name not in allowed)]


def make(resource, event, **values):
    """A live row of ``resource`` at ``event``."""
    data = dict(resource.row)
    if resource.model is SpeakersCall:
        data.update(starts_at=CALL_START, ends_at=CALL_START + datetime.timedelta(days=30))
    data.update(values)
    return resource.model.objects.create(event=event, **data)


def part_doc(resource, event=None, id=None, **attributes):
    return resource_doc(resource.type, attributes, id=id, event=event)


def create_doc(resource, event, **overrides):
    return part_doc(resource, event, **{**resource.attributes, **overrides})
