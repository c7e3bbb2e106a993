"""Side by side with pretalx: seed our server with pretalx's bench data, serve both under gunicorn and
time them in turns with ../shared/sidebyside/pairs.py.

    .venv/bin/python bench/sidebyside.py [--talks 2000] [--rooms 60] [--speakers 1500] [--runs 7]
                                         [--shared DIR] [--port PORT] [--no-pretalx-seed] [--only TEXT]

One command: sets pretalx up once if it is not yet (``pretalx.sh setup``, about three minutes),
seeds it (``pretalx.sh seed``), starts it and logs in (unless it is already running), seeds our
SQLite database in the same shape as ``pretalx_seed.py`` (event "bench" over 3 days from 09:00 UTC,
ROOMS rooms, 8 tracks, 3 session types of 30/45/90 minutes in a 60/30/10 mix drawn with the same
fixed seed, SPEAKERS speakers, every third talk with a second speaker, every talk confirmed and
placed back to back per room with 5-minute gaps, the schedule published, an organizer account),
serves it with gunicorn (2 sync workers, DEBUG off, SQLite, no cache) on a free port of 127.0.0.1,
writes the pairs to ``$SIDEBYSIDE_DIR/ours-pairs.json``, runs ``pairs.py`` on them and stops every
server it started. Everything of ours lives under ``$SIDEBYSIDE_DIR/ours`` (default
/tmp/sidebyside/ours); nothing from ../shared is copied into this repository.

The pairs: the full program through the API as organizer and anonymous, the organizer's list of
sessions in its default view (pretalx: 50 a page; ours: the default page of 50), that list
with all rows, the public schedule without JavaScript (pretalx's ``/schedule/nojs``; ours
``/e/<identifier>/schedule/``, the released version), and the schedule exports: frab XML
(pretalx's ``/bench/schedule.xml``; ours ``/v1/events/<identifier>.xml``), frab JSON
(``schedule.json``; ours ``.json``) and iCal (``schedule.ics``; ours ``.ics``), each twice: ours
cold (the server above, whose cache is Django's dummy cache: every request builds the file) and
ours warm (a second server of ours on the same database with a file-based cache shared by its two
workers, so the file built for this schedule version is read back; pairs.py's warm-ups fill it).
pretalx is the same no-cache server in both.
"""

import argparse
import datetime
import importlib.util
import json
import math
import os
import random
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import report

ROOT = Path(__file__).resolve().parent.parent
TRACKS = ["Web", "Data", "Security", "Community", "Hardware", "Science", "Ops", "Design"]
TYPES = [("Talk", "00:30", 30), ("Long talk", "00:45", 45), ("Workshop", "01:30", 90)]
START = datetime.datetime(2026, 6, 1, 9, 0, tzinfo=datetime.UTC)
DAYS, GAP = 3, datetime.timedelta(minutes=5)
ORGANIZER = ("admin@bench.invalid", "bench-admin-pw")
INCLUDES = "speakers,track,microlocation,session-type"
PRETALX_PORT = int(os.environ.get("PRETALX_PORT", "8345"))
#: The pairs with a target: at least this many times faster than pretalx (README, the exports).
TARGETS = {"frab XML, cold": 3, "frab JSON, cold": 10, "iCal, cold": 5}


def find_shared(explicit):
    """``../shared/sidebyside`` next to this checkout (or next to the main checkout when this is a
    git worktree), or ``--shared``."""
    candidates = [Path(explicit)] if explicit else [ROOT.parent / "shared" / "sidebyside"]
    if not explicit:
        common = subprocess.run(
            ["git", "-C", str(ROOT), "rev-parse", "--path-format=absolute", "--git-common-dir"],
            capture_output=True, text=True, check=False,
        )  # fmt: skip
        if common.returncode == 0:
            candidates.append(Path(common.stdout.strip()).parent.parent / "shared" / "sidebyside")
    for candidate in candidates:
        if (candidate / "pairs.py").is_file() and (candidate / "pretalx.sh").is_file():
            return candidate
    sys.exit(
        "The side-by-side scripts are absent: looked for pairs.py and pretalx.sh in "
        + ", ".join(str(c) for c in candidates)
        + ". They live in ../shared/sidebyside/ of the project's workspace, not in this repository; "
        "pass --shared DIR if they are elsewhere."
    )


def _event_bench():
    spec = importlib.util.spec_from_file_location("bench_events", Path(__file__).resolve().parent / "events.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def schedule(durations, n_rooms):
    """pretalx_seed.build_slots: talks round-robin over the rooms, each room's talks split over the
    days, back to back from 09:00 with 5-minute gaps. Returns (room index, starts, ends) per talk."""
    slots = [None] * len(durations)
    for room in range(n_rooms):
        talks = list(range(room, len(durations), n_rooms))
        per_day = math.ceil(len(talks) / DAYS)
        for day in range(DAYS):
            starts = START + datetime.timedelta(days=day)
            for talk in talks[day * per_day : (day + 1) * per_day]:
                ends = starts + datetime.timedelta(minutes=durations[talk])
                if ends.date() != starts.date():
                    sys.exit("too many talks per room: a day would overflow")
                slots[talk] = (room, starts, ends)
                starts = ends + GAP
    return slots


def seed(n_talks, n_rooms, n_speakers):
    """Our database in pretalx_seed.py's shape. Returns the event and its organizer."""
    from django.contrib.auth.hashers import make_password  # noqa: PLC0415 -- needs django.setup(), which the bench runs at run time
    from django.db import transaction  # noqa: PLC0415 -- needs django.setup(), which the bench runs at run time
    from django.utils import timezone  # noqa: PLC0415 -- needs django.setup(), which the bench runs at run time

    from events.models import Event, Microlocation, Role, SessionType, Track, UsersEventsRoles  # noqa: PLC0415 -- needs django.setup(), which the bench runs at run time
    from openevent.users.models import User  # noqa: PLC0415 -- needs django.setup(), which the bench runs at run time
    from sessions_app.models import Session, Speaker  # noqa: PLC0415 -- needs django.setup(), which the bench runs at run time
    from sessions_app.services.schedule import release_schedule  # noqa: PLC0415 -- needs django.setup(), which the bench runs at run time

    rng = random.Random(42)  # the same draws as pretalx_seed.py: 60 % 30 min, 30 % 45 min, 10 % 90 min
    kinds = [rng.choices(range(len(TYPES)), weights=[6, 3, 1])[0] for _ in range(n_talks)]
    slots = schedule([TYPES[kind][2] for kind in kinds], n_rooms)
    now = timezone.now()
    with transaction.atomic():
        organizer = User.objects.create(
            email=ORGANIZER[0], first_name="Bench", last_name="Admin", password=make_password(ORGANIZER[1]),
            is_verified=True,
        )  # fmt: skip
        event = Event.objects.create(
            name="Bench Conf", starts_at=START, ends_at=max(ends for _, _, ends in slots), timezone="UTC",
            state=Event.State.PUBLISHED, privacy=Event.Privacy.PUBLIC, is_sessions_speakers_enabled=True,
            location_name="Bench Hall",  # a published event says where it takes place (releasing checks it)
        )  # fmt: skip
        UsersEventsRoles.objects.create(user=organizer, event=event, role=Role.objects.get(name=Role.OWNER))
        rooms = Microlocation.objects.bulk_create(
            Microlocation(event=event, name=f"Room {r + 1:03d}", position=r) for r in range(n_rooms)
        )
        tracks = Track.objects.bulk_create(
            Track(event=event, name=name, color=f"#{(i * 0x1F3D5B) % 0xFFFFFF:06x}", position=i)
            for i, name in enumerate(TRACKS)
        )
        types = SessionType.objects.bulk_create(
            SessionType(event=event, name=name, length=length, position=i) for i, (name, length, _) in enumerate(TYPES)
        )
        speakers = Speaker.objects.bulk_create(
            (
                Speaker(event=event, name=f"Speaker {s:05d}", email=f"speaker{s:05d}@bench.invalid",
                        short_biography=f"Speaker {s:05d} works on things. " * 5)
                for s in range(n_speakers)
            ),
            batch_size=500,
        )  # fmt: skip
        sessions = Session.objects.bulk_create(
            (
                Session(
                    event=event, title=f"Talk {i:05d}: about topic {i % 97}",
                    short_abstract=f"Abstract of talk {i}. " * 4,
                    long_abstract=f"Description of talk {i}. " * 10, session_type=types[kinds[i]],
                    track=tracks[i % len(tracks)], microlocation=rooms[slots[i][0]], starts_at=slots[i][1],
                    ends_at=slots[i][2], state=Session.State.CONFIRMED, creator=organizer, submitted_at=now,
                    last_modified_at=now,
                )
                for i in range(n_talks)
            ),
            batch_size=500,
        )  # fmt: skip
        through = Speaker.sessions.through
        links = []
        for i, session in enumerate(sessions):
            links.append(through(session_id=session.pk, speaker_id=speakers[i % n_speakers].pk))
            second = (i * 7 + 1) % n_speakers
            if i % 3 == 0 and second != i % n_speakers:  # every third talk: two speakers
                links.append(through(session_id=session.pk, speaker_id=speakers[second].pk))
        through.objects.bulk_create(links, batch_size=1000)
        # pretalx's seed releases its schedule: ours too (version 1, publishing it; nobody mailed).
        release_schedule(organizer, event, send_email=False)
    return event, organizer, len(links)


def login_cookie(user, jar):
    """A logged-in session of ``user`` in our database, written to a curl cookie jar (not marked
    secure, so curl sends it over plain http to 127.0.0.1)."""
    from django.conf import settings  # noqa: PLC0415 -- needs django.setup(), which the bench runs at run time
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: PLC0415 -- needs django.setup(), which the bench runs at run time
    from django.contrib.sessions.backends.db import SessionStore  # noqa: PLC0415 -- needs django.setup(), which the bench runs at run time

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    jar.write_text(
        "# Netscape HTTP Cookie File\n"
        f"127.0.0.1\tFALSE\t/\tFALSE\t0\t{settings.SESSION_COOKIE_NAME}\t{session.session_key}\n"
    )


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(url, process, headers=None, seconds=120):
    """Poll ``url`` until it answers 200; give up if ``process`` dies or time runs out."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            sys.exit(f"the server exited with {process.returncode} before answering {url}")
        try:
            with urllib.request.urlopen(urllib.request.Request(url, headers=headers or {}), timeout=30) as answer:
                if answer.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.5)
    sys.exit(f"no answer from {url} within {seconds} s")


def server_env(var_dir, database, cache_url="dummycache://"):
    return {
        **os.environ,
        "VAR_DIR": str(var_dir),
        "DATABASE_URL": f"sqlite:///{database}",
        "CACHE_URL": cache_url,
        "CELERY_BROKER_URL": "memory://",
        "CELERY_TASK_ALWAYS_EAGER": "true",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "DEBUG": "false",
        "DJANGO_SETTINGS_MODULE": "openevent.settings",
        "JWT_ACCESS_MINUTES": "600",
    }


#: The schedule exports timed: (label, pretalx's path under /bench/, our feed's extension).
EXPORTS = [("frab XML", "schedule.xml", "xml"), ("frab JSON", "schedule.json", "json"), ("iCal", "schedule.ics", "ics")]
WARM = "cached by version"


def export_pairs(pretalx, ours, warm, event):
    """The schedule exports, ours cold (built on every request) and warm (``warm``: the server
    with a cache)."""
    found = []
    for label, path, extension in EXPORTS:
        feed = f"/v1/events/{event.identifier}.{extension}"
        found.append({"label": f"{label}, cold", "pretalx": {"url": f"{pretalx}/bench/{path}"},
                      "ours": {"url": f"{ours}{feed}"}})  # fmt: skip
        found.append({"label": f"{label}, {WARM}", "pretalx": {"url": f"{pretalx}/bench/{path}"},
                      "ours": {"url": f"{warm}{feed}"}})  # fmt: skip
    return found


def pairs(pretalx_dir, event, token, cookies, port, warm_port):
    pretalx = f"http://127.0.0.1:{PRETALX_PORT}"
    ours = f"http://127.0.0.1:{port}"
    pretalx_token = (pretalx_dir / "pretalx-data" / "api_token").read_text().strip()
    pretalx_cookies = str(pretalx_dir / "pretalx.cookies")
    program = f"{pretalx}/api/events/bench/submissions/?expand=speakers,track,slots&page_size=2000"
    # page[size] with its brackets percent-encoded: curl would read them as a glob.
    api = f"{ours}/v1/events/{event.pk}/sessions?include={INCLUDES}&page%5Bsize%5D=0"
    jsonapi = "Accept: application/vnd.api+json"
    page = f"{ours}/events/{event.identifier}/sessions/"
    return [
        {"label": "full program, organizer",
         "pretalx": {"url": program, "headers": [f"Authorization: Token {pretalx_token}"]},
         "ours": {"url": api, "headers": [jsonapi, f"Authorization: JWT {token}"]}},
        {"label": "full program, anonymous", "pretalx": {"url": program}, "ours": {"url": api, "headers": [jsonapi]}},
        {"label": "organizer list, default view (50 a page)",
         "pretalx": {"url": f"{pretalx}/orga/event/bench/submissions/?page_size=50", "cookies": pretalx_cookies},
         "ours": {"url": page, "cookies": str(cookies)}},
        {"label": "organizer list, all rows",
         "pretalx": {"url": f"{pretalx}/orga/event/bench/submissions/?page_size=2000", "cookies": pretalx_cookies},
         "ours": {"url": f"{page}?size=all", "cookies": str(cookies)}},
        # The public schedule without JavaScript, every session of the released version, uncached
        # (the bench serves both with no cache: ours renders it on every request).
        {"label": "public schedule, no JS",
         "pretalx": {"url": f"{pretalx}/bench/schedule/nojs"},
         "ours": {"url": f"{ours}/e/{event.identifier}/schedule/"}},
        *export_pairs(pretalx, ours, f"http://127.0.0.1:{warm_port}", event),
    ]  # fmt: skip


def check(side, what):
    """One request of a pair's side: it must answer 200 (a login page would time the wrong thing)."""
    args = ["curl", "-s", "-o", "/dev/null", "-w", "%{http_code}"]
    for header in side.get("headers", []):
        args += ["-H", header]
    if side.get("cookies"):
        args += ["-b", side["cookies"]]
    code = subprocess.run([*args, side["url"]], capture_output=True, text=True, check=True).stdout
    if code != "200":
        sys.exit(f"{what}: {side['url']} answered {code}, not 200")


def pretalx_running(directory):
    pid = directory / "pretalx.pid"
    if not pid.is_file():
        return False
    try:
        os.kill(int(pid.read_text().strip()), 0)
    except (ValueError, ProcessLookupError, PermissionError):
        return False
    return True


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--talks", type=int, default=2000)
    parser.add_argument("--rooms", type=int, default=60)
    parser.add_argument("--speakers", type=int, default=1500)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--shared", help="The folder of pairs.py and pretalx.sh (default: ../shared/sidebyside).")
    parser.add_argument("--port", type=int, help="Our server's port (default: a free one).")
    parser.add_argument("--no-pretalx-seed", action="store_true", help="Keep pretalx's database as it is.")
    parser.add_argument(
        "--only",
        help="Time only the pairs whose label contains this text (e.g. 'public'); "
        "several texts separated by | ('XML|JSON|iCal').",
    )
    options = parser.parse_args(argv)

    shared = find_shared(options.shared)
    directory = Path(os.environ.get("SIDEBYSIDE_DIR", "/tmp/sidebyside"))
    pretalx_sh = str(shared / "pretalx.sh")
    started_pretalx, ours, warm = False, None, None
    try:
        if not (directory / "pretalx-data" / "db.empty.sqlite3").is_file():
            print("pretalx is not set up yet: pretalx.sh setup (about three minutes) …", flush=True)
            subprocess.run([pretalx_sh, "setup"], check=True)
        if pretalx_running(directory):
            print("pretalx is already running: using it as it is (not reseeded, not stopped).", flush=True)
        else:
            if not options.no_pretalx_seed:
                subprocess.run(
                    [pretalx_sh, "seed", str(options.talks), str(options.rooms), str(options.speakers)], check=True
                )
            subprocess.run([pretalx_sh, "start"], check=True)
            started_pretalx = True
        subprocess.run([pretalx_sh, "login"], check=True)

        # Ours: a fresh SQLite database under $SIDEBYSIDE_DIR/ours.
        var_dir = directory / "ours"
        shutil.rmtree(var_dir, ignore_errors=True)
        var_dir.mkdir(parents=True)
        began = time.perf_counter()
        _event_bench().setup_django(var_dir)  # migrates bench.sqlite3 under var_dir, DEBUG off
        event, organizer, n_links = seed(options.talks, options.rooms, options.speakers)
        cookies = var_dir / "ours.cookies"
        login_cookie(organizer, cookies)
        from django.db import connections  # noqa: PLC0415 -- needs django.setup(), which the bench runs at run time

        from openevent.users.services import issue_tokens  # noqa: PLC0415 -- needs django.setup(), which the bench runs at run time

        token = issue_tokens(organizer)["access_token"]
        connections.close_all()
        print(f"ours: seeded {options.talks} sessions, {options.rooms} rooms, {options.speakers} speakers, "
              f"{n_links} speaker links in {time.perf_counter() - began:.1f} s", flush=True)  # fmt: skip

        port = options.port or free_port()
        gunicorn = Path(sys.executable).with_name("gunicorn")
        log = (var_dir / "gunicorn.log").open("w")
        ours = subprocess.Popen(
            [str(gunicorn), "openevent.wsgi", "--workers", "2", "--bind", f"127.0.0.1:{port}", "--timeout", "600"],
            cwd=ROOT, env=server_env(var_dir, var_dir / "bench.sqlite3"), stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        wait_for(f"http://127.0.0.1:{port}/v1/events/{event.pk}", ours, {"Accept": "application/vnd.api+json"})
        print(
            f"ours on http://127.0.0.1:{port} (gunicorn pid {ours.pid}, 2 sync workers, DEBUG off, SQLite)", flush=True
        )

        # The warm side of the export pairs: the same database, a file cache both workers share.
        warm_port = free_port()
        warm_env = server_env(var_dir, var_dir / "bench.sqlite3", cache_url=f"filecache://{var_dir / 'cache'}")
        warm = subprocess.Popen(
            [str(gunicorn), "openevent.wsgi", "--workers", "2", "--bind", f"127.0.0.1:{warm_port}", "--timeout", "600"],
            cwd=ROOT, env=warm_env, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        wait_for(f"http://127.0.0.1:{warm_port}/v1/events/{event.pk}", warm, {"Accept": "application/vnd.api+json"})

        pair_list = [pair for pair in pairs(directory, event, token, cookies, port, warm_port)
                     if not options.only or any(text in pair["label"] for text in options.only.split("|"))]  # fmt: skip
        for pair in pair_list:
            check(pair["pretalx"], f"pretalx, {pair['label']}")
            check(pair["ours"], f"ours, {pair['label']}")
        pairs_file = directory / "ours-pairs.json"
        pairs_file.write_text(json.dumps(pair_list, indent=2))
        print(f"pairs in {pairs_file}; timing in turns ({options.runs} runs after 2 warm-ups) …", flush=True)
        timed = subprocess.run(
            [sys.executable, str(shared / "pairs.py"), str(pairs_file), "--runs", str(options.runs)],
            check=True, capture_output=True, text=True,
        )  # fmt: skip
        print(timed.stdout, end="", flush=True)
        report_pairs(timed.stdout)
    finally:
        for server in (ours, warm):
            if server is not None:
                server.terminate()
                server.wait(timeout=60)
        if started_pretalx:
            subprocess.run([pretalx_sh, "stop"], check=False)
    return report.finish()


def report_pairs(table):
    """A row per pair of pairs.py's Markdown table (``| label | pretalx ms (…) | ours ms (…) |
    ratio (min–max) | load1 |``): ours in ms and the ratio pretalx/ours, with its target if any."""
    for line in table.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) != 5 or not cells[2][:1].isdigit():
            continue  # the header, its rule, or a pair without our side
        label, ours, ratio = cells[0], float(cells[2].split()[0]), float(cells[3].split()[0])
        report.row(f"{label}: ours", ours, "ms")
        report.row(f"{label}: pretalx / ours", ratio, "x", at_least=TARGETS.get(label))


if __name__ == "__main__":
    sys.exit(main())
