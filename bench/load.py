"""Load test: 50 concurrent locust users for 30 s against the production-like set-up: gunicorn
(DEBUG off, static files by whitenoise), PostgreSQL, Redis as cache and Celery broker, a worker.

    .venv/bin/python bench/load.py [--users 50] [--spawn-rate 50] [--seconds 30] [--workers 4]
                                   [--sessions 300] [--rooms 12] [--speakers 200] [--accounts 500]
                                   [--database-url postgres://postgres@127.0.0.1:5432/openevent_bench_load]
                                   [--redis-url redis://127.0.0.1:6379/6]

One command does it all and undoes it all, also on Ctrl-C or a failure: creates the throwaway
database (dropped first if a previous run left it), migrates it and seeds a released schedule with
bench/public_schedule.py's ``seed_released`` (pretalx's bench shape: every session confirmed and
placed, a lunch across all rooms each day and a coffee break, released twice) and ``--accounts``
users who may log in; collects the static files as production does (compressed, manifest names);
starts ``gunicorn openevent.wsgi --workers N`` on a free port of 127.0.0.1 and a Celery worker, both
with the environment of production (DEBUG off, the database, ``CACHE_URL`` and ``CELERY_BROKER_URL``
on the Redis database given, which is flushed before and after: it must be this bench's alone);
then runs ``locust --headless`` (bench/locustfile.py: the public schedule page and its stylesheets,
the program API's sessions with their includes and the speakers, and the JWT login, each user
pausing 1-2 s between actions). It prints, per endpoint and in total, requests, failures, median,
p95 and p99 in ms and requests per second (locust's figures), stops every process it started,
drops the database, and exits 1 when any request failed (the target is none).

Nothing in the production settings is relaxed: the login throttle counts failed logins only, and
every login here is a right password of one of many accounts.
"""
import argparse
import contextlib
import csv
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import report

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
DATABASE_URL = "postgres://postgres@127.0.0.1:5432/openevent_bench_load"
REDIS_URL = "redis://127.0.0.1:6379/6"
PASSWORD = "bench-load-password"  # noqa: S105 -- the seeded accounts' password, in a throwaway database
EMAIL = "load{}@bench.invalid"
STOP_SECONDS = 20
#: Production's static files (README "Production"): compressed, with manifest names.
STATICFILES_BACKEND = "whitenoise.storage.CompressedManifestStaticFilesStorage"


def _load(name, filename):
    """A sibling bench script as a module (under another name, so ``events`` is still the app)."""
    import importlib.util  # noqa: PLC0415 -- only this loader needs it

    spec = importlib.util.spec_from_file_location(name, Path(__file__).resolve().parent / filename)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _database(url):
    """(the server's maintenance URL, the database name) of a postgres:// URL."""
    parts = urllib.parse.urlsplit(url)
    name = parts.path.lstrip("/")
    if parts.scheme not in ("postgres", "postgresql") or not name.startswith("openevent_bench"):
        raise SystemExit(f"{url}: a postgres:// URL of a throwaway database named openevent_bench… is needed")
    maintenance = urllib.parse.urlunsplit(("postgresql", parts.netloc, "/postgres", "", ""))
    return maintenance, name


def _admin(maintenance, statement):
    import psycopg  # noqa: PLC0415 -- pinned in requirements.txt; imported where the bench needs it
    from psycopg import sql  # noqa: PLC0415 -- as above

    with psycopg.connect(maintenance, autocommit=True) as connection:
        connection.execute(sql.SQL(statement[0]).format(sql.Identifier(statement[1])))


def create_database(url):
    maintenance, name = _database(url)
    _admin(maintenance, ("DROP DATABASE IF EXISTS {} WITH (FORCE)", name))
    _admin(maintenance, ("CREATE DATABASE {}", name))


def drop_database(url):
    maintenance, name = _database(url)
    _admin(maintenance, ("DROP DATABASE IF EXISTS {} WITH (FORCE)", name))


def flush_redis(url):
    import redis  # noqa: PLC0415 -- pinned in requirements.txt; imported where the bench needs it

    client = redis.Redis.from_url(url)
    try:
        client.flushdb()
    finally:
        client.close()


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def seed(var_dir, database_url, redis_url, sessions, rooms, speakers, accounts):
    """Migrate and seed the database in this process; the event and how long it took."""
    began = time.perf_counter()
    os.environ["STATICFILES_BACKEND"] = STATICFILES_BACKEND  # collectstatic below writes the manifest
    _public = _load("bench_public_schedule", "public_schedule.py")
    _public._sidebyside._event_bench().setup_django(var_dir, database_url=database_url, cache_url=redis_url,
                                                    broker_url=redis_url)  # fmt: skip
    from django.contrib.auth.hashers import make_password  # noqa: PLC0415 -- needs django.setup(), which the bench runs at run time
    from django.core.management import call_command  # noqa: PLC0415 -- needs django.setup(), which the bench runs at run time
    from django.db import connections  # noqa: PLC0415 -- needs django.setup(), which the bench runs at run time

    from openevent.users.models import User  # noqa: PLC0415 -- needs django.setup(), which the bench runs at run time

    event = _public.seed_released(sessions, rooms, speakers, "organizer@bench.invalid")
    password = make_password(PASSWORD)  # one hash (the production hasher) shared by every account
    User.objects.bulk_create(
        (User(email=EMAIL.format(i), first_name="Load", last_name=str(i), password=password, is_verified=True)
         for i in range(accounts)),
        batch_size=500,
    )  # fmt: skip
    call_command("collectstatic", interactive=False, verbosity=0)
    connections.close_all()
    return event, time.perf_counter() - began


def server_environment(var_dir, database_url, redis_url):
    """Production's settings: DEBUG off, PostgreSQL, Redis for the cache and the broker, manifest
    static files, a secret of this run; mail kept in memory (nothing is sent by these requests)."""
    environment = {
        **os.environ,
        "DEBUG": "false",
        "SECRET_KEY": os.urandom(32).hex(),
        "ALLOWED_HOSTS": "127.0.0.1",
        "VAR_DIR": str(var_dir),
        "DATABASE_URL": database_url,
        "CACHE_URL": redis_url,
        "CELERY_BROKER_URL": redis_url,
        "STATICFILES_BACKEND": STATICFILES_BACKEND,
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "DJANGO_SETTINGS_MODULE": "openevent.settings",
    }
    environment.pop("CELERY_TASK_ALWAYS_EAGER", None)
    return environment


def start(command, environment, log):
    # A session of its own: Ctrl-C reaches this script only, which then stops the whole group.
    return subprocess.Popen(command, cwd=ROOT, env=environment, stdout=log, stderr=subprocess.STDOUT,
                            start_new_session=True)  # fmt: skip


def stop(process):
    """SIGTERM the process's group, wait, then SIGKILL whatever is left."""
    if process is None or process.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(STOP_SECONDS)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def wait_for(url, process, seconds=120):
    deadline = time.monotonic() + seconds
    last = None
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"gunicorn exited with {process.returncode} before answering {url}")
        try:
            with urllib.request.urlopen(url, timeout=10) as answer:
                if answer.status == 200:
                    return
        except urllib.error.HTTPError as error:
            raise SystemExit(f"{url} answered {error.code}") from None
        except (urllib.error.URLError, OSError) as error:
            last = error
        time.sleep(0.3)
    raise SystemExit(f"no answer from {url} within {seconds} s (last: {last})")


def read_stats(path):
    """locust's ``*_stats.csv``: one dict per endpoint, the total last."""
    with open(path, newline="", encoding="utf-8") as source:
        rows = list(csv.DictReader(source))
    return [row for row in rows if row["Name"] != "Aggregated"] + [row for row in rows if row["Name"] == "Aggregated"]


def print_stats(rows):
    print(f"{'endpoint':<72} {'requests':>8} {'failures':>8} {'median ms':>9} {'p95 ms':>7} {'p99 ms':>7} "
          f"{'req/s':>6}")  # fmt: skip
    for row in rows:
        name = "total" if row["Name"] == "Aggregated" else row["Name"]
        print(f"{name:<72} {row['Request Count']:>8} {row['Failure Count']:>8} {row['50%']:>9} {row['95%']:>7} "
              f"{row['99%']:>7} {float(row['Requests/s']):>6.1f}")  # fmt: skip


def report_stats(rows):
    for row in rows:
        name = "total" if row["Name"] == "Aggregated" else row["Name"].split("?")[0]  # the includes are above
        report.row(f"{name}: failures", int(row["Failure Count"]), "requests", at_most=0)
        report.row(f"{name}: p95", float(row["95%"]), "ms")
        report.row(f"{name}: throughput", float(row["Requests/s"]), "req/s")
        if row["Name"] == "Aggregated":
            report.row("total: requests", int(row["Request Count"]), "requests")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--spawn-rate", type=int, default=50, help="Users started per second.")
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn's sync workers (README's production: 4).")
    parser.add_argument("--sessions", type=int, default=300)
    parser.add_argument("--rooms", type=int, default=12)
    parser.add_argument("--speakers", type=int, default=200)
    parser.add_argument("--accounts", type=int, default=500, help="Users who log in, one after the other.")
    parser.add_argument("--database-url", default=DATABASE_URL)
    parser.add_argument("--redis-url", default=REDIS_URL, help="A Redis database of this bench alone (flushed).")
    options = parser.parse_args(argv)

    # SIGTERM ends the run like Ctrl-C: through the finally below.
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
    var_dir = Path(tempfile.mkdtemp(prefix="openevent-bench-load-"))
    web = worker = None
    created = False
    began = time.perf_counter()
    try:
        create_database(options.database_url)
        created = True
        flush_redis(options.redis_url)
        event, seconds = seed(var_dir, options.database_url, options.redis_url, options.sessions, options.rooms,
                              options.speakers, options.accounts)  # fmt: skip
        print(f"Seeded a released schedule of {options.sessions} sessions, {options.speakers} speakers, "
              f"{options.rooms} rooms and {options.accounts} accounts in {seconds:.1f} s "
              f"(PostgreSQL {_database(options.database_url)[1]}, static files collected).", flush=True)  # fmt: skip

        environment = server_environment(var_dir, options.database_url, options.redis_url)
        log = (var_dir / "servers.log").open("w")
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        web = start([str(BIN / "gunicorn"), "openevent.wsgi", "--bind", f"127.0.0.1:{port}",
                     "--workers", str(options.workers)], environment, log)  # fmt: skip
        worker = start([str(BIN / "celery"), "-A", "openevent", "worker", "--pool=solo", "--loglevel=WARNING"],
                       environment, log)  # fmt: skip
        try:
            wait_for(f"{base}/e/{event.identifier}/schedule/", web)
        except SystemExit:
            log.flush()
            print((var_dir / "servers.log").read_text()[-4000:], file=sys.stderr)
            raise
        print(f"gunicorn on {base} ({options.workers} sync workers, DEBUG off), a Celery worker, Redis "
              f"{options.redis_url}; load before the run: {os.getloadavg()[0]:.2f}", flush=True)  # fmt: skip

        stats = var_dir / "locust"
        locust_environment = {
            **os.environ,
            "BENCH_EVENT_ID": str(event.pk),
            "BENCH_EVENT_IDENTIFIER": event.identifier,
            "BENCH_ACCOUNTS": str(options.accounts),
            "BENCH_ACCOUNT_EMAIL": EMAIL,
            "BENCH_ACCOUNT_PASSWORD": PASSWORD,
        }
        print(f"locust: {options.users} users (spawned {options.spawn_rate}/s) for {options.seconds} s …", flush=True)
        locust = subprocess.run(
            [str(BIN / "locust"), "-f", str(Path(__file__).with_name("locustfile.py")), "--headless",
             "--host", base, "-u", str(options.users), "-r", str(options.spawn_rate), "-t", f"{options.seconds}s",
             "--csv", str(stats), "--only-summary", "--loglevel", "WARNING", "--stop-timeout", "10"],
            cwd=ROOT, env=locust_environment, capture_output=True, text=True, check=False,
        )  # fmt: skip
        stats_file = stats.with_name("locust_stats.csv")
        if not stats_file.exists():
            print(locust.stdout[-3000:], locust.stderr[-3000:], sep="\n", file=sys.stderr)
            raise SystemExit(f"locust exited with {locust.returncode} and wrote no statistics")
        rows = read_stats(stats_file)
        print(f"load at the end of the run: {os.getloadavg()[0]:.2f}")
        print_stats(rows)
        failures = var_dir / "locust_failures.csv"
        if failures.exists():
            with open(failures, newline="", encoding="utf-8") as source:
                for failure in csv.DictReader(source):
                    print(f"  failed {failure['Occurrences']}x: {failure['Method']} {failure['Name']}: "
                          f"{failure['Error'][:200]}")  # fmt: skip
        report_stats(rows)
    finally:
        stop(web)
        stop(worker)
        with contextlib.suppress(Exception):
            from django.db import connections  # noqa: PLC0415 -- set up by seed() when it got that far

            connections.close_all()
        if created:
            drop_database(options.database_url)
        with contextlib.suppress(Exception):
            flush_redis(options.redis_url)
        shutil.rmtree(var_dir, ignore_errors=True)
        print(f"Stopped gunicorn and the worker, dropped the database ({time.perf_counter() - began:.0f} s in all).")
    return report.finish()


if __name__ == "__main__":
    sys.exit(main())
