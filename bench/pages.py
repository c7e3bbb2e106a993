"""Benchmark the organizer sessions page over the program of bench/program.py (2,000 sessions, 1,500
speakers, 60 rooms): the default page of 50, a later page under a sort, a filtered search, and all
rows on one page (``?size=all``).

    .venv/bin/python bench/pages.py [--sessions 2000] [--speakers 1500] [--rooms 60] [--requests 5]

Same set-up as bench/program.py (its seeding and its measuring: a throwaway SQLite database under a
temporary VAR_DIR, DEBUG off, Django's test client). Prints, per request, rows shown, KiB, median
and p95 latency in milliseconds and the number of SQL queries; one warm-up request precedes the
timed ones.
"""
import argparse
import importlib.util
import shutil
import sys
import tempfile
import time
from pathlib import Path

import report


def _load(name, filename):
    """A sibling bench script as a module (under another name, so ``events`` is still the app)."""
    spec = importlib.util.spec_from_file_location(name, Path(__file__).resolve().parent / filename)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_program = _load("bench_program", "program.py")

PAGES = (
    ("default page (50)", {}),
    ("page 20, by speaker", {"sort": "-speakers", "page": "20"}),
    ("search + filter, page 2", {"q": "data", "state": "accepted", "page": "2"}),
    ("all rows (?size=all)", {"size": "all"}),
)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=2000)
    parser.add_argument("--speakers", type=int, default=1500)
    parser.add_argument("--rooms", type=int, default=60)
    parser.add_argument("--requests", type=int, default=5, help="Timed requests per line (after 1 warm-up).")
    options = parser.parse_args(argv)

    var_dir = Path(tempfile.mkdtemp(prefix="openevent-bench-pages-"))
    try:
        began = time.perf_counter()
        _program.setup_django(var_dir)
        event, owner, n_links = _program.seed(options.sessions, options.speakers, options.rooms)
        print(
            f"Seeded {options.sessions} sessions, {options.speakers} speakers ({n_links} speaker-session links), "
            f"{options.rooms} rooms in {time.perf_counter() - began:.1f} s (SQLite under {var_dir})."
        )
        from django.test import Client  # noqa: PLC0415 -- needs django.setup(), which the bench runs at run time
        from django.urls import reverse  # noqa: PLC0415 -- needs django.setup(), which the bench runs at run time
        from django.utils.http import urlencode  # noqa: PLC0415 -- needs django.setup(), which the bench runs at run time

        browser = Client()
        browser.force_login(owner)
        address = reverse("session-list", args=[event.identifier])
        print(f"{options.requests} timed requests each after 1 warm-up, Django test client, DEBUG off:")
        print(f"GET {address}?…, as the event's owner")
        print(f"{'sessions page':<28} {'rows':>5} {'KiB':>6} {'median ms':>10} {'p95 ms':>8} {'queries':>8}")
        for label, params in PAGES:
            url = f"{address}?{urlencode(params)}" if params else address
            r = _program.measure(browser, url, options.requests)
            print(
                f"{label:<28} {r['rows']:>5} {r['bytes'] / 1024:>6.0f} "
                f"{r['median']:>10.1f} {r['p95']:>8.1f} {r['queries']:>8}"
            )
            report.row(f"sessions page, {label}: median", r["median"], "ms")
            report.row(f"sessions page, {label}: queries", r["queries"], "queries")
    finally:
        shutil.rmtree(var_dir, ignore_errors=True)
    return report.finish()


if __name__ == "__main__":
    sys.exit(main())
