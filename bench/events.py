"""Benchmark the public event list: latency and queries per request over 2,000 published events.

    .venv/bin/python bench/events.py [--events 2000] [--requests 50] [--keep]

Runs in a throwaway SQLite database under a temporary VAR_DIR (never var/db.sqlite3), with
DEBUG off, through Django's test client (no network, no server): what is measured is URL routing,
the view, the queries and JSON:API rendering. Prints median and p95 latency in milliseconds and the
number of SQL queries per request.
"""
import argparse
import datetime
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import django
import report

ROOT = Path(__file__).resolve().parent.parent
JSONAPI = "application/vnd.api+json"


def setup_django(var_dir, database_url=None, cache_url="locmemcache://", broker_url="memory://"):
    """Point every piece of local state at ``var_dir`` before settings are read, and migrate.
    The database is a SQLite file under ``var_dir`` unless ``database_url`` names another
    (bench/load.py: a throwaway PostgreSQL database); tasks run eagerly in this process."""
    os.environ["VAR_DIR"] = str(var_dir)
    os.environ["DATABASE_URL"] = database_url or f"sqlite:///{var_dir / 'bench.sqlite3'}"
    os.environ["CACHE_URL"] = cache_url
    os.environ["CELERY_BROKER_URL"] = broker_url
    os.environ["CELERY_TASK_ALWAYS_EAGER"] = "true"
    os.environ["EMAIL_BACKEND"] = "django.core.mail.backends.locmem.EmailBackend"
    os.environ["DEBUG"] = "false"
    os.environ["DJANGO_SETTINGS_MODULE"] = "openevent.settings"
    # Run as a script, this folder comes first on sys.path, and this file would shadow the
    # ``events`` app.
    here = Path(__file__).resolve().parent
    sys.path[:] = [str(ROOT)] + [p for p in sys.path if Path(p or ".").resolve() not in (here, ROOT)]

    django.setup()
    from django.core.management import call_command  # noqa: PLC0415 -- needs django.setup(), which the bench runs at run time

    call_command("migrate", verbosity=0, interactive=False)


def seed(n_events, events_per_owner=10):
    """``n_events`` published public events, each with an owner (bulk inserts, no signals)."""

    from django.contrib.auth.hashers import make_password  # noqa: PLC0415 -- needs django.setup(), which the bench runs at run time
    from django.utils import timezone  # noqa: PLC0415 -- needs django.setup(), which the bench runs at run time

    from events.models import Event, Role, UsersEventsRoles  # noqa: PLC0415 -- needs django.setup(), which the bench runs at run time
    from openevent.users.models import User  # noqa: PLC0415 -- needs django.setup(), which the bench runs at run time

    password = make_password("bench-password")
    n_owners = max(1, n_events // events_per_owner)
    User.objects.bulk_create(
        User(email=f"owner{i}@bench.example.org", first_name="Owner", last_name=str(i), password=password)
        for i in range(n_owners)
    )
    owners = list(User.objects.filter(email__endswith="@bench.example.org").order_by("id"))
    start = timezone.now() + datetime.timedelta(days=30)
    Event.objects.bulk_create(
        (
            Event(
                name=f"Bench Conference {i}",
                starts_at=start + datetime.timedelta(hours=i),
                ends_at=start + datetime.timedelta(hours=i, days=2),
                timezone="Asia/Singapore",
                location_name="Singapore",
                searchable_location_name="Singapore",
                description="<p>A conference about open technology, in several paragraphs.</p>" * 3,
                state=Event.State.PUBLISHED,
                privacy=Event.Privacy.PUBLIC,
                is_sessions_speakers_enabled=True,
            )
            for i in range(n_events)
        ),
        batch_size=500,
    )
    owner_role = Role.objects.get(name=Role.OWNER)
    events = Event.objects.order_by("id").values_list("id", flat=True)
    UsersEventsRoles.objects.bulk_create(
        (
            UsersEventsRoles(user=owners[i % n_owners], event_id=event_id, role=owner_role)
            for i, event_id in enumerate(events)
        ),
        batch_size=500,
    )
    return Event.objects.count()


def measure(client, url, requests, warmup=5):
    from django.db import connection  # noqa: PLC0415 -- needs django.setup(), which the bench runs at run time
    from django.test.utils import CaptureQueriesContext  # noqa: PLC0415 -- needs django.setup(), which the bench runs at run time

    for _ in range(warmup):
        response = client.get(url, HTTP_ACCEPT=JSONAPI)
        assert response.status_code == 200, (response.status_code, response.content[:500])
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, HTTP_ACCEPT=JSONAPI)
    n_queries = len(queries)  # now: the log is cleared when the next request starts
    body = response.json()
    timings = []
    for _ in range(requests):
        began = time.perf_counter()
        response = client.get(url, HTTP_ACCEPT=JSONAPI)
        timings.append((time.perf_counter() - began) * 1000)
        assert response.status_code == 200
    timings.sort()
    p95 = timings[min(len(timings) - 1, round(0.95 * len(timings)) - 1)]
    return {
        "url": url,
        "rows": len(body.get("data", [])),
        "included": len(body.get("included", [])),
        "bytes": len(response.content),
        "queries": n_queries,
        "median": statistics.median(timings),
        "p95": p95,
        "mean": statistics.fmean(timings),
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=2000)
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--keep", action="store_true", help="Keep the temporary VAR_DIR and print it.")
    options = parser.parse_args(argv)

    var_dir = Path(tempfile.mkdtemp(prefix="openevent-bench-"))
    try:
        began = time.perf_counter()
        setup_django(var_dir)
        count = seed(options.events)
        print(f"Seeded {count} published events with owners in {time.perf_counter() - began:.1f} s "
              f"(SQLite under {var_dir}).")
        from django.test import Client  # noqa: PLC0415 -- needs django.setup(), which the bench runs at run time

        client = Client()
        print(f"{options.requests} requests each after 5 warm-up requests, anonymous, Django test client:")
        print(f"{'request':<48} {'rows':>5} {'incl':>5} {'KiB':>6} {'median ms':>10} {'p95 ms':>8} {'queries':>8}")
        for url in ("/v1/events?page[size]=100", "/v1/events?page[size]=100&include=owner"):
            r = measure(client, url, options.requests)
            print(
                f"GET {r['url']:<44} {r['rows']:>5} {r['included']:>5} {r['bytes'] / 1024:>6.0f} "
                f"{r['median']:>10.1f} {r['p95']:>8.1f} {r['queries']:>8}"
            )
            report.row(f"GET {url}: median", r["median"], "ms")
            report.row(f"GET {url}: queries", r["queries"], "queries")
    finally:
        if options.keep:
            print(f"Kept {var_dir}")
        else:
            shutil.rmtree(var_dir, ignore_errors=True)
    return report.finish()


if __name__ == "__main__":
    sys.exit(main())
