"""Benchmark an event's program: latency and queries of the full sessions list with its includes,
and of the organizer sessions page, over 2,000 sessions, 1,500 speakers and 60 rooms.

    .venv/bin/python bench/program.py [--sessions 2000] [--speakers 1500] [--rooms 60]
                                      [--requests 5] [--keep]

Runs in a throwaway SQLite database under a temporary VAR_DIR (never var/db.sqlite3), with DEBUG
off, through Django's test client (no network, no server): what is measured is URL routing, the
view, the queries and the rendering (JSON:API or the page's template). Seeds with bulk inserts (no
services, no signals) for speed. Prints, per request, median and p95 latency in milliseconds and
the number of SQL queries; one warm-up request precedes the timed ones.

The API lines come in pairs measured in the same run on the same data: the library path
(djangorestframework-jsonapi's serializers and renderer, ``API_FAST_READS=False``) and the fast
read path (``openevent/api/fast``), with the ratio of their medians and a check that both
documents are equal. "cold" lines clear Django's cache before every request, so a document cache
(if the project has one) never answers them; the "cached" line is measured when responses carry
an ``ETag`` (an anonymous document cache exists).
"""
import argparse
import datetime
import importlib.util
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import report


def _load_event_bench():
    """bench/events.py (the event list benchmark), for its set-up. Loaded under another name: as
    ``events`` it would stand in for the events app."""
    spec = importlib.util.spec_from_file_location("bench_events", Path(__file__).resolve().parent / "events.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_event_bench = _load_event_bench()
JSONAPI, setup_django = _event_bench.JSONAPI, _event_bench.setup_django

SEED = 2000
INCLUDES = "speakers,track,microlocation,session-type"
STATES = (
    ("accepted", 45), ("confirmed", 25), ("pending", 15), ("draft", 5), ("rejected", 5), ("withdrawn", 3),
    ("canceled", 2),
)  # fmt: skip
WORDS = [
    "open", "source", "observability", "database", "replication", "kubernetes", "hardware", "firmware",
    "community", "maintainers", "accessibility", "browser", "standards", "data", "pipeline", "notebooks",
    "privacy", "sensors", "satellites", "governance", "release", "security", "documentation", "translation",
    "mentoring", "funding", "scale", "latency", "caching", "migrations", "testing",
]


def sentence(rng, words=14):
    text = " ".join(rng.choice(WORDS) for _ in range(words))
    return text[0].upper() + text[1:] + "."


def seed(n_sessions, n_speakers, n_rooms, n_tracks=10, days=5):
    """An event with ``n_rooms`` rooms, tracks, session types, ``n_sessions`` sessions (most of them
    accepted or confirmed and scheduled) and ``n_speakers`` speakers, each speaking at least once.
    Returns the event and its owner."""
    from django.contrib.auth.hashers import make_password  # noqa: PLC0415 -- needs django.setup(), which the bench runs at run time
    from django.utils import timezone  # noqa: PLC0415 -- needs django.setup(), which the bench runs at run time

    from events.models import Event, Microlocation, Role, SessionType, Track, UsersEventsRoles  # noqa: PLC0415 -- needs django.setup(), which the bench runs at run time
    from openevent.users.models import User  # noqa: PLC0415 -- needs django.setup(), which the bench runs at run time
    from sessions_app.models import Session, Speaker  # noqa: PLC0415 -- needs django.setup(), which the bench runs at run time

    rng = random.Random(SEED)
    owner = User.objects.create(
        email="organizer@bench.example.org", first_name="Bench", last_name="Organizer",
        password=make_password("bench-password"), is_verified=True,
    )  # fmt: skip
    starts = (timezone.now() + datetime.timedelta(days=60)).replace(hour=1, minute=0, second=0, microsecond=0)
    event = Event.objects.create(
        name="Bench Program Conference",
        starts_at=starts,
        ends_at=starts + datetime.timedelta(days=days - 1, hours=10),
        timezone="UTC",
        location_name="Singapore",
        description="<p>A conference with a very large program.</p>",
        state=Event.State.PUBLISHED,
        privacy=Event.Privacy.PUBLIC,
        is_sessions_speakers_enabled=True,
    )
    UsersEventsRoles.objects.create(user=owner, event=event, role=Role.objects.get(name=Role.OWNER))
    Microlocation.objects.bulk_create(
        Microlocation(event=event, name=f"Room {i + 1:02d}", floor=i // 10, position=i) for i in range(n_rooms)
    )
    Track.objects.bulk_create(
        Track(event=event, name=f"Track {i + 1}", color=f"#{rng.randrange(0x1000000):06x}", position=i,
              description=f"<p>{sentence(rng)}</p>")
        for i in range(n_tracks)
    )  # fmt: skip
    types = [("Talk", "00:30", 30), ("Long talk", "00:45", 45), ("Workshop", "01:30", 90), ("Lightning", "00:10", 10)]
    SessionType.objects.bulk_create(
        SessionType(event=event, name=name, length=length, position=i) for i, (name, length, _) in enumerate(types)
    )
    rooms = list(event.microlocations.all())
    tracks = list(event.tracks.all())
    session_types = list(event.session_types.all())
    minutes = {t.name: m for t, (_, _, m) in zip(session_types, types, strict=True)}

    # Schedule: ten 1-hour slots a day in every room, each used once, so nothing overlaps.
    slots = [(day, hour, room) for day in range(days) for hour in range(10) for room in rooms]
    rng.shuffle(slots)
    states = [state for state, weight in STATES for _ in range(weight)]
    now = timezone.now()
    sessions = []
    for i in range(n_sessions):
        state = rng.choice(states)
        session_type = rng.choice(session_types)
        scheduled = state in ("accepted", "confirmed") and rng.random() < 0.9 and slots
        if scheduled:
            day, hour, room = slots.pop()
            starts_at = starts + datetime.timedelta(days=day, hours=hour)
            ends_at = starts_at + datetime.timedelta(minutes=min(minutes[session_type.name], 60))
        else:
            room = starts_at = ends_at = None
        sessions.append(
            Session(
                event=event,
                title=f"{sentence(rng, 6)[:-1]} ({i + 1})",
                short_abstract=sentence(rng, 30),
                long_abstract="".join(f"<p>{sentence(rng, 40)}</p>" for _ in range(3)),
                language="English",
                level=rng.choice(("Beginner", "Intermediate", "Advanced")),
                track=rng.choice(tracks),
                session_type=session_type,
                microlocation=room,
                starts_at=starts_at,
                ends_at=ends_at,
                state=state,
                creator=owner,
                submitted_at=None if state == "draft" else now - datetime.timedelta(minutes=rng.randrange(100000)),
                last_modified_at=now,
            )
        )
    Session.objects.bulk_create(sessions, batch_size=500)
    Speaker.objects.bulk_create(
        (
            Speaker(
                event=event,
                name=f"Speaker {i + 1}",
                email=f"speaker{i + 1}@bench.example.org",
                mobile="+65 5555 0000",
                organisation=rng.choice(("Harbour Cloud", "Lion City Labs", "Merlion Data", "Straits Robotics")),
                position="Engineer",
                city="Singapore",
                country="Singapore",
                short_biography=f"<p>{sentence(rng, 30)}</p>",
                long_biography=f"<p>{sentence(rng, 60)}</p>",
                website=f"https://speaker{i + 1}.example.net",
                complex_field_values={"tshirt": rng.choice("SML")},
            )
            for i in range(n_speakers)
        ),
        batch_size=500,
    )
    session_ids = list(Session.objects.filter(event=event).order_by("id").values_list("id", flat=True))
    speaker_ids = list(Speaker.objects.filter(event=event).order_by("id").values_list("id", flat=True))
    # Every speaker speaks once; the remaining sessions get a speaker at random; a third of all
    # sessions get a second speaker.
    links = set()
    rng.shuffle(session_ids)
    for i, session_id in enumerate(session_ids):
        links.add((session_id, speaker_ids[i] if i < len(speaker_ids) else rng.choice(speaker_ids)))
        if rng.random() < 0.33:
            links.add((session_id, rng.choice(speaker_ids)))
    Through = Speaker.sessions.through
    Through.objects.bulk_create((Through(session_id=s, speaker_id=p) for s, p in sorted(links)), batch_size=1000)
    return event, owner, len(links)


def measure(client, url, requests, warmup=1, before_each=None, **headers):
    """Median and p95 of ``requests`` timed GETs of ``url``, and the queries of one of them.
    ``before_each`` runs (untimed) before every request."""

    from django.db import connection  # noqa: PLC0415 -- needs django.setup(), which the bench runs at run time
    from django.test.utils import CaptureQueriesContext  # noqa: PLC0415 -- needs django.setup(), which the bench runs at run time

    before_each = before_each or (lambda: None)
    for _ in range(warmup):
        before_each()
        response = client.get(url, **headers)
        assert response.status_code == 200, (url, response.status_code, response.content[:500])
    before_each()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **headers)
    n_queries = len(queries)
    timings = []
    for _ in range(requests):
        before_each()
        began = time.perf_counter()
        response = client.get(url, **headers)
        timings.append((time.perf_counter() - began) * 1000)
        assert response.status_code == 200
    timings.sort()
    if response["Content-Type"].startswith(JSONAPI):
        body = response.json()
        rows, included = len(body.get("data", [])), len(body.get("included", []))
    else:
        rows, included = response.content.count(b"<tr data-pk="), None
    return {
        "rows": rows,
        "included": included,
        "bytes": len(response.content),
        "queries": n_queries,
        "median": statistics.median(timings),
        "p95": timings[min(len(timings) - 1, round(0.95 * len(timings)) - 1)],
        "document": response.json() if response["Content-Type"].startswith(JSONAPI) else None,
        "etag": response.get("ETag"),
    }


def on_path(fast):
    """Settings for the fast read path (``fast``) or the library path."""
    from django.test import override_settings  # noqa: PLC0415 -- needs django.setup(), which the bench runs at run time

    return override_settings(API_FAST_READS=fast)


def print_line(label, r, ratio=None):
    """Print one measured request and report its median and queries (and speed-up)."""
    report.row(f"{label}: median", r["median"], "ms")
    report.row(f"{label}: queries", r["queries"], "queries")
    if ratio is not None:
        report.row(f"{label}: speed-up", ratio, "x")
    included = "-" if r["included"] is None else r["included"]
    ratio = "" if ratio is None else f"{ratio:>7.1f}x"
    print(
        f"{label:<34} {r['rows']:>5} {included:>5} {r['bytes'] / 1024:>6.0f} "
        f"{r['median']:>10.1f} {r['p95']:>8.1f} {r['queries']:>8} {ratio}"
    )


def sessions_page_url(event):
    """The organizer sessions page, if the project has one yet."""
    from django.urls import NoReverseMatch, reverse  # noqa: PLC0415 -- needs django.setup(), which the bench runs at run time

    try:
        return reverse("session-list", args=[event.identifier])
    except NoReverseMatch:
        return None


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=2000)
    parser.add_argument("--speakers", type=int, default=1500)
    parser.add_argument("--rooms", type=int, default=60)
    parser.add_argument("--requests", type=int, default=5, help="Timed requests per line (after 1 warm-up).")
    parser.add_argument("--keep", action="store_true", help="Keep the temporary VAR_DIR and print it.")
    options = parser.parse_args(argv)

    var_dir = Path(tempfile.mkdtemp(prefix="openevent-bench-"))
    try:
        began = time.perf_counter()
        setup_django(var_dir)
        event, owner, n_links = seed(options.sessions, options.speakers, options.rooms)
        print(
            f"Seeded {options.sessions} sessions, {options.speakers} speakers ({n_links} speaker-session links), "
            f"{options.rooms} rooms in {time.perf_counter() - began:.1f} s (SQLite under {var_dir})."
        )
        from django.test import Client  # noqa: PLC0415 -- needs django.setup(), which the bench runs at run time

        from openevent.users.services import issue_tokens  # noqa: PLC0415 -- needs django.setup(), which the bench runs at run time

        token = issue_tokens(owner)["access_token"]
        api = f"/v1/events/{event.pk}/sessions?include={INCLUDES}&page[size]=0"
        jsonapi = {"HTTP_ACCEPT": JSONAPI}
        page = sessions_page_url(event)
        if page:
            browser = Client()
            browser.force_login(owner)
        print(f"{options.requests} timed requests each after 1 warm-up, Django test client, DEBUG off:")
        print(f"GET {api}")
        print(
            f"{'request':<34} {'rows':>5} {'incl':>5} {'KiB':>6} {'median ms':>10} {'p95 ms':>8} {'queries':>8} "
            f"{'speed-up':>8}"
        )
        from django.core.cache import cache  # noqa: PLC0415 -- needs django.setup(), which the bench runs at run time

        viewers = [
            ("organizer (JWT)", {**jsonapi, "HTTP_AUTHORIZATION": f"JWT {token}"}),
            ("anonymous", jsonapi),
        ]
        for viewer, headers in viewers:
            results = {}
            for path, fast in (("library", False), ("fast", True)):
                with on_path(fast):
                    results[path] = measure(Client(), api, options.requests, before_each=cache.clear, **headers)
            library, fast = results["library"], results["fast"]
            print_line(f"API, {viewer}, cold, library", library)
            print_line(f"API, {viewer}, cold, fast", fast, library["median"] / fast["median"])
            same = "same document" if library["document"] == fast["document"] else "DOCUMENTS DIFFER"
            print(f"{'':<34} ({same} on both paths)")
            differ = int(library["document"] != fast["document"])
            report.row(f"API, {viewer}: documents differing between paths", differ, "documents", at_most=0)
            if viewer == "anonymous":
                if fast["etag"]:
                    with on_path(True):
                        cached = measure(Client(), api, options.requests, **headers)
                    print_line(f"API, {viewer}, cached, fast", cached, library["median"] / cached["median"])
                else:
                    print(f"{'API, anonymous, cached':<34} not measured: no anonymous document cache (no ETag)")
        if page:
            r = measure(browser, page, options.requests)
            print_line("sessions page, organizer", r)
        if page:
            print(f"(sessions page: GET {page})")
        else:
            print("Sessions page: not measured, the project has no URL named 'session-list' yet.")
    finally:
        if options.keep:
            print(f"Kept {var_dir}")
        else:
            shutil.rmtree(var_dir, ignore_errors=True)
    return report.finish()


if __name__ == "__main__":
    sys.exit(main())
