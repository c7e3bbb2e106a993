"""The program of the demo summit, worked out in advance: rooms, tracks, session types, ~80
sessions with their speakers and schedule, sponsors and social links.

Pure data: ``build_program()`` touches no database and draws every choice from one
``random.Random`` with a fixed seed, so every run (and every machine) plans the same program.
``manage.py demo`` then writes what is missing through the service functions. (A leading
underscore keeps Django from taking this module for a command.)
"""
import datetime
import random
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

SEED = 2027
SINGAPORE = ZoneInfo("Asia/Singapore")
DAYS = (datetime.date(2027, 3, 18), datetime.date(2027, 3, 19), datetime.date(2027, 3, 20))
#: Every room's slots, each day: 45 minutes each (a 30-minute talk and a break), lunch at 12:30.
SLOTS = tuple(
    datetime.time(hour, minute)
    for hour, minute in (
        (9, 30),
        (10, 15),
        (11, 0),
        (11, 45),
        (13, 30),
        (14, 15),
        (15, 0),
        (15, 45),
        (16, 30),
        (17, 15),
    )
)
#: Slots that open after lunch; a workshop (two slots) never spans lunch.
AFTER_LUNCH = {4}

# name, room number, floor
ROOMS = [
    ("Main Hall", "Hall 1", 1),
    ("Marina Room", "2-01", 2),
    ("Sentosa Room", "2-02", 2),
    ("Changi Room", "2-03", 2),
    ("Bukit Timah Room", "3-01", 3),
    ("Maker Lab", "3-05", 3),
]
MAIN_HALL, TALK_ROOMS, WORKSHOP_ROOM = ROOMS[0][0], [r[0] for r in ROOMS[1:5]], ROOMS[5][0]

TALK, WORKSHOP, LIGHTNING = "Talk", "Workshop", "Lightning talk"
# name, length "HH:MM"
SESSION_TYPES = [(TALK, "00:30"), (WORKSHOP, "01:30"), (LIGHTNING, "00:10")]
# How many sessions of each type the summit has (80 in all).
TYPE_COUNTS = {TALK: 59, WORKSHOP: 9, LIGHTNING: 12}

# How many sessions end up in each state: most accepted or confirmed.
STATE_COUNTS = {
    "accepted": 30,
    "confirmed": 26,
    "pending": 11,
    "draft": 4,
    "rejected": 5,
    "withdrawn": 2,
    "canceled": 2,
}
#: Accepted sessions left for the organizers to place with the scheduler.
UNSCHEDULED_ACCEPTED = 6


@dataclass(frozen=True)
class TrackPlan:
    name: str
    color: str
    description: str
    day: int  # index into DAYS: the day the track's talks are held
    topics: tuple
    tools: tuple


TRACKS = [
    TrackPlan(
        "Cloud & Infrastructure",
        "#1f6feb",
        "<p>Databases, containers, observability and the tools that keep services running.</p>",
        0,
        ("PostgreSQL replication", "Kubernetes operators", "OpenTelemetry tracing", "infrastructure as code",
         "zero-downtime migrations", "self-hosted object storage", "service meshes", "eBPF observability",
         "disaster recovery drills", "container image supply chains", "database connection pooling",
         "log pipelines"),
        ("Prometheus", "Terraform", "Ansible", "Grafana", "Nix", "Podman", "Vector", "Ceph"),
    ),
    TrackPlan(
        "Web & Frontend",
        "#8250df",
        "<p>Web standards, accessibility, browsers and the people who build for them.</p>",
        0,
        ("web components", "accessible forms", "progressive enhancement", "CSS container queries",
         "offline-first web apps", "server-rendered HTML", "browser performance budgets", "design systems",
         "WebAssembly in the browser", "internationalised interfaces", "keyboard navigation",
         "static site generators"),
        ("HTMX", "Lit", "Playwright", "Eleventy", "Vite", "Svelte", "axe-core", "Astro"),
    ),
    TrackPlan(
        "Open Hardware",
        "#cf222e",
        "<p>From microcontrollers to community-built satellites, with a soldering corner open all day.</p>",
        1,
        ("RISC-V microcontrollers", "open source PCB design", "LoRa sensor networks", "3D-printed enclosures",
         "community satellites", "repairable laptops", "firmware updates over the air", "air quality sensors",
         "open source keyboards", "solar-powered weather stations", "FPGA toolchains", "mesh radio"),
        ("KiCad", "Zephyr", "MicroPython", "Arduino", "FreeCAD", "Meshtastic", "Yosys", "PlatformIO"),
    ),
    TrackPlan(
        "Data & AI",
        "#1a7f37",
        "<p>Open data, reproducible analysis and machine learning you can inspect.</p>",
        2,
        ("open government data", "reproducible notebooks", "small language models", "data pipelines",
         "privacy-preserving analytics", "geospatial data", "model evaluation", "vector search",
         "data cleaning at scale", "speech recognition for Southeast Asian languages", "open datasets",
         "explainable models"),
        ("DuckDB", "Jupyter", "pandas", "Apache Arrow", "QGIS", "scikit-learn", "Polars", "dbt"),
    ),
    TrackPlan(
        "Community & Maintainers",
        "#9a6700",
        "<p>The people who maintain the projects we all depend on, and how to keep them going.</p>",
        2,
        ("maintainer burnout", "governance for small projects", "first-time contributors",
         "funding open source", "documentation sprints", "code review culture", "security disclosures",
         "release management", "translation communities", "mentoring programmes", "community events",
         "licence compliance"),
        ("GitHub Actions", "Weblate", "Discourse", "Matrix", "Sphinx", "Zulip", "OpenSSF Scorecard", "Forgejo"),
    ),
]

TALK_TITLES = (
    "{Topic} in production: what broke and what we changed",
    "A practical guide to {topic}",
    "{Topic} for the rest of us",
    "Scaling {topic} without losing sleep",
    "What {years} years of {topic} taught us",
    "The hidden costs of {topic}",
    "{Topic} with {tool}: a field report",
    "Why we moved our {topic} to {tool}",
    "Lessons from {years} years of maintaining {tool}",
    "Beyond the hype: {topic} in Southeast Asia",
    "Debugging {topic} at three in the morning",
    "{Topic}, the boring way",
    "How a small team runs {topic}",
    "Ten mistakes we made with {topic}",
    "{Tool} under the hood",
)
WORKSHOP_TITLES = (
    "Hands-on {topic} with {tool}",
    "Build your first project with {tool}",
    "{Topic} from zero to production",
    "{Topic} workshop: bring your own laptop",
    "An afternoon of {topic}",
)
LIGHTNING_TITLES = (
    "{Topic} in ten minutes",
    "A tiny tool for {topic}",
    "One thing I wish I knew about {topic}",
    "{Tool} tricks you have not seen",
    "{Topic}: a five-slide story",
)
SUBTITLES = (
    "", "", "", "A case study", "Notes from the trenches", "With live demos", "An honest retrospective",
)

OPENINGS = (
    "This {kind} walks through {topic} as we run it at {org}, with the numbers, the mistakes and the fixes.",
    "Everyone talks about {topic}; few teams describe what it costs to keep it running.",
    "Two years ago our approach to {topic} was a pile of scripts and good intentions.",
    "{Topic} looks simple on a slide and gets interesting the moment real users arrive.",
    "We rebuilt our {topic} around {tool}, and this {kind} is the story of how that went.",
    "If you have ever been paged because of {topic}, this {kind} is for you.",
    "{Tool} changed how our community thinks about {topic}.",
)
MIDDLES = (
    "We start from the problem we had, not from the tool we chose.",
    "You will see the architecture, the trade-offs we argued about, and the parts we threw away.",
    "Along the way we look at what the documentation does not tell you.",
    "We compare three approaches on the same workload and show where each one falls over.",
    "The examples come from a real deployment serving users across Southeast Asia.",
    "Most of the work turned out to be about people and process rather than code.",
    "We measured everything, and some of the results surprised us.",
    "Expect diagrams, a short live demo and a few honest failure stories.",
    "Every step is reproducible with open source tools and a laptop.",
    "We also cover how to convince your team to try it.",
)
WORKSHOP_NOTES = (
    "Bring a laptop with {tool} installed; we will send setup notes a week before the summit.",
    "Seats are limited to thirty; beginners are welcome and every table has a mentor.",
    "Hardware and sample data are provided; you only need a laptop and curiosity.",
)
CLOSINGS = (
    "You will leave with a checklist you can apply on Monday.",
    "All slides, code and data are published under an open licence.",
    "No prior experience with {tool} is needed.",
    "Questions and war stories from the audience are very welcome.",
    "The {kind} ends with the open problems we would love help with.",
)
LEVELS = ("Beginner", "Intermediate", "Intermediate", "Advanced")
LANGUAGES = ("English",) * 9 + ("Bahasa Indonesia",)

FIRST_NAMES = (
    "Aditi", "Bao", "Chen", "Daniel", "Elif", "Farah", "Gabriel", "Hiroshi", "Ines", "Jun", "Kavya",
    "Liam", "Maya", "Nguyen", "Omar", "Priya", "Quang", "Rina", "Siti", "Tomas", "Uma", "Vikram",
    "Wei", "Xin", "Yusuf", "Zara", "Amir", "Bianca", "Chloe", "Dewi", "Emeka", "Fatima", "Grace",
    "Hamid", "Isabel", "Jasmine", "Kenji", "Lina", "Marco", "Nadia", "Oscar", "Putri", "Ravi", "Sakura",
    "Tariq", "Valentina", "Wira", "Yuki",
)  # fmt: skip
LAST_NAMES = (
    "Abdullah", "Bautista", "Chua", "Dasgupta", "Evans", "Fernando", "Goh", "Hakimi", "Ito", "Jain",
    "Kim", "Lim", "Menon", "Nakamura", "Ong", "Pereira", "Quek", "Ramos", "Santoso", "Tran", "Umar",
    "Varga", "Wong", "Yamada", "Zhang", "Kaur", "Osei", "Lindqvist", "Park", "Suryadi",
)  # fmt: skip
ORGANISATIONS = (
    "Harbour Cloud", "Lion City Labs", "Kampung Open Source", "Merlion Data", "Straits Robotics",
    "Equator Systems", "Monsoon Software", "Nusantara Maps", "Padi Analytics", "Orchid Hardware Co-op",
    "Tembusu University", "Open Data Jakarta", "Mekong Devices", "Pandan Studio", "Rojak Security",
)  # fmt: skip
POSITIONS = (
    "Software Engineer", "Site Reliability Engineer", "Staff Engineer", "Hardware Engineer",
    "Data Scientist", "Developer Advocate", "Research Fellow", "Engineering Manager", "Maintainer",
    "Frontend Developer", "PhD Student", "Founder", "Community Manager", "Security Engineer",
)  # fmt: skip
PLACES = (
    ("Singapore", "Singapore"), ("Singapore", "Singapore"), ("Singapore", "Singapore"),
    ("Jakarta", "Indonesia"), ("Kuala Lumpur", "Malaysia"), ("Manila", "Philippines"),
    ("Bangkok", "Thailand"), ("Ho Chi Minh City", "Vietnam"), ("Hanoi", "Vietnam"),
    ("Bengaluru", "India"), ("Taipei", "Taiwan"), ("Seoul", "South Korea"), ("Tokyo", "Japan"),
    ("Sydney", "Australia"), ("Berlin", "Germany"), ("Lagos", "Nigeria"),
)  # fmt: skip
BIO_EXTRAS = (
    "Outside work {first} mentors first-time contributors.",
    "{first} has spoken at meetups across the region.",
    "{first} maintains a handful of small open source libraries.",
    "{first} believes good documentation is the best onboarding.",
    "When not at a keyboard, {first} is usually out on a bicycle.",
    "{first} co-organises a monthly meetup.",
    "",
)
EXPERIENCE = (
    "First conference talk.",
    "Spoken at local meetups.",
    "Regular speaker at regional conferences.",
    "Keynoted two international conferences.",
)

#: Demo accounts with a speaker profile, so that the speaker's side can be tried out. Each is
#: pinned to sessions in the states worth trying: (email, first name, last name, states).
#: ``moderator@example.org`` belongs to the team; the others are created by the demo command.
SPEAKER_ACCOUNTS = [
    ("speaker@example.org", "Aisha", "Rahman", ("draft", "pending", "accepted", "confirmed")),
    ("maintainer@example.org", "Diego", "Alvarez", ("withdrawn", "confirmed", "pending")),
    ("moderator@example.org", "Hana", "Sato", ("withdrawn", "accepted")),
]
N_SPEAKERS = 60

SPONSORS = [
    # name, level, type, description
    ("Harbour Cloud", 1, "Platinum", "Managed open source databases and object storage in Asia."),
    ("Merlion Data", 1, "Platinum", "Open data infrastructure for cities."),
    ("Lion City Labs", 2, "Gold", "A product studio building with open web standards."),
    ("Straits Robotics", 2, "Gold", "Open hardware robots for schools and makers."),
    ("Monsoon Software", 2, "Gold", "Observability tools for teams of every size."),
    ("Orchid Hardware Co-op", 3, "Silver", "A co-operative of hardware makers in Singapore."),
    ("Padi Analytics", 3, "Silver", "Analytics for agriculture, built on open source."),
    ("Kampung Open Source", 4, "Community", "Volunteers who run open source meetups across the region."),
    ("Tembusu University", 4, "Community", "Students and researchers in computer science."),
]
SOCIAL_LINKS = [
    # name, link, identifier
    ("Website", "https://summit.example.org", ""),
    ("Mastodon", "https://social.example.org/@opentechsummit", "@opentechsummit@social.example.org"),
    ("Blog", "https://summit.example.org/blog", ""),
    ("Code", "https://code.example.org/open-tech-summit", "open-tech-summit"),
    ("Videos", "https://video.example.org/c/opentechsummit", "opentechsummit"),
]
CALL_ANNOUNCEMENT = (
    "<p>Open Tech Summit 2027 is looking for talks, workshops and lightning talks about open source "
    "software, open hardware, open data and the communities around them.</p>"
    "<p>First-time speakers are very welcome: tell us what you built, what broke and what you "
    "learned. Every speaker gets a free ticket, and we offer travel support to community "
    "maintainers from Southeast Asia.</p>"
)


@dataclass
class SpeakerPlan:
    name: str
    email: str
    organisation: str = ""
    position: str = ""
    city: str = ""
    country: str = ""
    short_biography: str = ""
    speaking_experience: str = ""
    website: str = ""
    is_featured: bool = False
    account: bool = False  # the speaker logs in with ``email`` (a demo account)

    def fields(self):
        """Attributes for ``sessions_app.services.create_speaker`` (``user`` is added there)."""
        return {
            name: getattr(self, name)
            for name in ("name", "email", "organisation", "position", "city", "country", "short_biography",
                         "speaking_experience", "website", "is_featured")
        }  # fmt: skip


@dataclass
class SessionPlan:
    title: str
    track: str
    session_type: str
    state: str
    subtitle: str = ""
    short_abstract: str = ""
    long_abstract: str = ""
    language: str = "English"
    level: str = ""
    speakers: list = field(default_factory=list)  # e-mail addresses; the first is the main speaker
    room: str | None = None
    starts_at: datetime.datetime | None = None
    ends_at: datetime.datetime | None = None

    def fields(self):
        """Attributes for ``create_session`` other than the event's parts and the state."""
        names = ("title", "subtitle", "short_abstract", "long_abstract", "language", "level", "starts_at", "ends_at")
        return {name: getattr(self, name) for name in names}


@dataclass
class ProgramPlan:
    rooms: list
    tracks: list
    session_types: list
    speakers: list
    sessions: list
    sponsors: list
    social_links: list


def _fill(template, rng, track, kind):
    topic = rng.choice(track.topics)
    tool = rng.choice(track.tools)
    values = {
        "topic": topic,
        "Topic": topic if topic[1:2].isupper() else topic[0].upper() + topic[1:],
        "tool": tool,
        "Tool": tool,
        "kind": kind,
        "years": rng.choice(("three", "five", "ten")),
        "org": rng.choice(ORGANISATIONS),
    }
    return template.format(**values), values


def _title(rng, track, session_type, taken):
    templates = {TALK: TALK_TITLES, WORKSHOP: WORKSHOP_TITLES, LIGHTNING: LIGHTNING_TITLES}[session_type]
    while True:
        title, values = _fill(rng.choice(templates), rng, track, "")
        if title not in taken:
            taken.add(title)
            return title, values


def _abstracts(rng, session_type, values):
    kind = {TALK: "talk", WORKSHOP: "workshop", LIGHTNING: "lightning talk"}[session_type]
    values = {**values, "kind": kind}
    opening = rng.choice(OPENINGS).format(**values)
    middles = rng.sample(MIDDLES, 3)
    closing = rng.choice(CLOSINGS).format(**values)
    short = f"{opening} {middles[0]}"
    paragraphs = [f"{opening} {middles[0]}", f"{middles[1]} {middles[2]}"]
    if session_type == WORKSHOP:
        paragraphs.append(rng.choice(WORKSHOP_NOTES).format(**values))
    paragraphs.append(closing)
    return short, "".join(f"<p>{text}</p>" for text in paragraphs)


def _speakers(rng):
    """The generated speakers (the demo accounts' profiles come first)."""
    speakers = [
        SpeakerPlan(
            name=f"{first} {last}",
            email=email,
            organisation="Open Tech Community Singapore",
            position="Volunteer",
            city="Singapore",
            country="Singapore",
            short_biography=(
                f"<p>Volunteer at Open Tech Community Singapore. {first} works on open source tools for meetups.</p>"
            ),
            speaking_experience=EXPERIENCE[1],
            account=True,
        )
        for email, first, last, _ in SPEAKER_ACCOUNTS
    ]
    names = set()
    while len(speakers) < N_SPEAKERS:
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        if (first, last) in names:
            continue
        names.add((first, last))
        organisation, position = rng.choice(ORGANISATIONS), rng.choice(POSITIONS)
        city, country = rng.choice(PLACES)
        track = rng.choice(TRACKS)
        handle = f"{first}.{last}".lower()
        extra = rng.choice(BIO_EXTRAS).format(first=first)
        bio = f"{position} at {organisation}, {city}. {first} works on {rng.choice(track.topics)}."
        speakers.append(
            SpeakerPlan(
                name=f"{first} {last}",
                email=f"{handle}@{rng.choice(('example.org', 'example.com', 'example.net'))}",
                organisation=organisation,
                position=position,
                city=city,
                country=country,
                short_biography=f"<p>{bio} {extra}".rstrip() + "</p>",
                speaking_experience=rng.choice(EXPERIENCE),
                website=f"https://{handle.replace('.', '-')}.example.net" if rng.random() < 0.6 else "",
                is_featured=rng.random() < 0.15,
            )
        )
    return speakers


def _assign_speakers(rng, sessions, speakers):
    """Each session gets a main speaker; every speaker speaks at least once, some several times;
    workshops and a few talks get a second speaker. The demo accounts get their pinned states."""
    accounts = {email: list(states) for email, _, _, states in SPEAKER_ACCOUNTS}
    open_sessions = []
    for session in sessions:
        for email, states in accounts.items():
            if session.state in states:
                states.remove(session.state)
                session.speakers.append(email)
                break
        else:
            open_sessions.append(session)
    others = [s.email for s in speakers if not s.account]
    prolific = rng.sample(others, 10)
    mains = others + [prolific[i % len(prolific)] for i in range(len(open_sessions) - len(others))]
    rng.shuffle(mains)
    for session, email in zip(open_sessions, mains, strict=False):  # mains may outnumber the sessions
        session.speakers.append(email)
    for session in sessions:
        if session.session_type == WORKSHOP or rng.random() < 0.12:
            partner = rng.choice(others)
            if partner not in session.speakers:
                session.speakers.append(partner)


def _at(day, time):
    return datetime.datetime.combine(DAYS[day], time, tzinfo=SINGAPORE)


def _minutes(length):
    hours, minutes = length.split(":")
    return int(hours) * 60 + int(minutes)


class _Grid:
    """The summit's timetable: every room has the same 45-minute slots each day (SLOTS). A talk
    takes one slot, a workshop two in a row (never across lunch), and a Main Hall slot holds up to
    three lightning talks one after another. Each slot is given out once, so no two sessions in a
    room overlap, and every session lies within its day."""

    def __init__(self, rng):
        self.rng = rng
        self.free = {
            (day, room, slot) for day in range(len(DAYS)) for room, _, _ in ROOMS for slot in range(len(SLOTS))
        }
        self.lightning = {}  # (day, slot) of the Main Hall -> lightning talks already there

    def _start(self, day, slot, offset=0):
        return _at(day, SLOTS[slot]) + datetime.timedelta(minutes=offset)

    def place(self, day, session_type, minutes):
        """A random free (room, start, end) on ``day`` for a session of ``session_type``, or None."""
        length = datetime.timedelta(minutes=minutes)
        if session_type == LIGHTNING:
            started = sorted(key for key, count in self.lightning.items() if key[0] == day and count < 3)
            if started:
                key = started[0]
            else:
                slots = sorted(slot for d, room, slot in self.free if d == day and room == MAIN_HALL)
                if not slots:
                    return None
                key = (day, self.rng.choice(slots))
                self.free.discard((day, MAIN_HALL, key[1]))
            offset = 15 * self.lightning.get(key, 0)
            self.lightning[key] = self.lightning.get(key, 0) + 1
            start = self._start(day, key[1], offset)
            return MAIN_HALL, start, start + length
        if session_type == WORKSHOP:
            pairs = sorted(
                (room, slot)
                for d, room, slot in self.free
                if d == day
                and room == WORKSHOP_ROOM
                and (day, room, slot + 1) in self.free
                and slot + 1 not in AFTER_LUNCH
            )
            if not pairs:
                return None
            room, slot = self.rng.choice(pairs)
            self.free -= {(day, room, slot), (day, room, slot + 1)}
        else:
            cells = sorted((room, slot) for d, room, slot in self.free if d == day and room in [*TALK_ROOMS, MAIN_HALL])
            if not cells:
                return None
            room, slot = self.rng.choice(cells)
            self.free.discard((day, room, slot))
        start = self._start(day, slot)
        return room, start, start + length


def _schedule(rng, sessions):
    """Give most accepted and every confirmed session a room and a time, on its track's day where
    there is room."""
    lengths = dict(SESSION_TYPES)
    home = {track.name: track.day for track in TRACKS}
    grid = _Grid(rng)
    unscheduled_accepted = 0
    for session in sessions:
        if session.state not in ("accepted", "confirmed"):
            continue
        if session.state == "accepted" and unscheduled_accepted < UNSCHEDULED_ACCEPTED:
            unscheduled_accepted += 1
            continue
        first = home[session.track]
        for day in [first] + [d for d in range(len(DAYS)) if d != first]:
            slot = grid.place(day, session.session_type, _minutes(lengths[session.session_type]))
            if slot:
                session.room, session.starts_at, session.ends_at = slot
                break


def build_program(seed=SEED):
    """The whole program, the same on every call."""
    rng = random.Random(seed)
    states = [state for state, count in STATE_COUNTS.items() for _ in range(count)]
    types = [name for name, count in TYPE_COUNTS.items() for _ in range(count)]
    rng.shuffle(states)
    rng.shuffle(types)
    tracks = [TRACKS[i % len(TRACKS)] for i in range(len(states))]
    rng.shuffle(tracks)
    taken, sessions = set(), []
    for state, session_type, track in zip(states, types, tracks, strict=False):  # the shortest list sets the count
        title, values = _title(rng, track, session_type, taken)
        short, long = _abstracts(rng, session_type, values)
        sessions.append(
            SessionPlan(
                title=title,
                subtitle=rng.choice(SUBTITLES) if session_type == TALK else "",
                track=track.name,
                session_type=session_type,
                state=state,
                short_abstract=short,
                long_abstract=long,
                language=rng.choice(LANGUAGES),
                level=rng.choice(LEVELS),
            )
        )
    speakers = _speakers(rng)
    _assign_speakers(rng, sessions, speakers)
    _schedule(rng, sessions)
    return ProgramPlan(
        rooms=ROOMS,
        tracks=TRACKS,
        session_types=SESSION_TYPES,
        speakers=speakers,
        sessions=sessions,
        sponsors=SPONSORS,
        social_links=SOCIAL_LINKS,
    )
