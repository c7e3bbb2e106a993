"""Benchmark the schedule feeds (iCal, xCal, frab XML, frab JSON) on 2,000 released sessions,
cold and cached, without pretalx.

    .venv/bin/python bench/formats.py [--sessions 2000] [--rooms 60] [--speakers 1500] [--runs 5]
                                      [--cached-runs 20] [--profile FORMAT]

Seeds a throwaway SQLite database under a temporary VAR_DIR (DEBUG off) with bench/public_schedule.py's
``seed_released`` (pretalx's bench shape, plus a lunch each day and a coffee break, released twice),
then times ``GET /v1/events/<identifier>.<ext>`` through Django's test client (routing, the view,
the queries, the exporter; no network): cold with the document cache off (``API_DOCUMENT_CACHE=False``:
built on every request), median and max of ``--runs``; and cached (the file from the cache),
median of ``--cached-runs`` after one warm-up. ``--profile ics`` prints cProfile's top entries (by own time) of one
cold build of that feed.
"""

import argparse
import cProfile
import importlib.util
import os
import pstats
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import report

FORMATS = ("ics", "xcs", "xml", "json")
PROFILE_LINES = 25


def _load(name, filename):
    spec = importlib.util.spec_from_file_location(name, Path(__file__).resolve().parent / filename)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_public = _load("bench_public_schedule", "public_schedule.py")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=2000)
    parser.add_argument("--rooms", type=int, default=60)
    parser.add_argument("--speakers", type=int, default=1500)
    parser.add_argument("--runs", type=int, default=5, help="Cold requests (cache off) per feed.")
    parser.add_argument("--cached-runs", type=int, default=20)
    parser.add_argument("--profile", choices=FORMATS, help="Profile one cold request of this feed.")
    options = parser.parse_args(argv)

    var_dir = Path(tempfile.mkdtemp(prefix="openevent-bench-formats-"))
    try:
        began = time.perf_counter()
        _public._sidebyside._event_bench().setup_django(var_dir)
        event = _public.seed_released(options.sessions, options.rooms, options.speakers, "admin@bench.invalid")
        print(f"Seeded a released event of {options.sessions} sessions (blocks included, 2 releases) in "
              f"{time.perf_counter() - began:.1f} s (SQLite under {var_dir}, DEBUG off).")  # fmt: skip
        if options.profile:
            from django.test import Client, override_settings  # noqa: PLC0415 -- needs django.setup(), which the bench runs at run time

            with override_settings(API_DOCUMENT_CACHE=False):
                client = Client()
                client.get(f"/v1/events/{event.identifier}.{options.profile}")
                profile = cProfile.Profile()
                profile.enable()
                client.get(f"/v1/events/{event.identifier}.{options.profile}")
                profile.disable()
            pstats.Stats(profile).sort_stats("tottime").print_stats(PROFILE_LINES)
            return report.finish()
        for extension in FORMATS:
            url = f"/v1/events/{event.identifier}.{extension}"
            cold, cached, size = _public.server_times(url, options.runs, options.cached_runs)
            print(f"GET {url} ({size / 1024:.0f} KiB):")
            print("  " + _public.line("cold (document cache off)", cold))
            print("  " + _public.line("cached (the file from the cache)", cached))
            report.row(f".{extension} feed, cold: median", statistics.median(cold), "ms")
            report.row(f".{extension} feed, cached: median", statistics.median(cached), "ms")
    finally:
        if not os.environ.get("BENCH_KEEP"):
            shutil.rmtree(var_dir, ignore_errors=True)
    return report.finish()


if __name__ == "__main__":
    sys.exit(main())
