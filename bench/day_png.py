"""Benchmark the scheduler's day picture: one day with 60 rooms and about 300 scheduled sessions.

    .venv/bin/python bench/day_png.py [--sessions 480] [--rooms 60] [--runs 5]

Seeds one day of bench/program.py's program (bulk inserts into a throwaway SQLite database under a
temporary VAR_DIR, DEBUG off) plus two breaks for all rooms, then prints the median and max
milliseconds of: the geometry (``day_grid``: the queries and the layout), the drawing and PNG
encoding (``render_grid``, Pillow), and the whole ``GET …/schedule/day/<date>.png`` through
Django's test client as the event's owner; and the picture's size. The target is under 1.5 s for
the whole request.
"""
import argparse
import datetime
import importlib.util
import shutil
import statistics
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


def timed(fn, runs):
    """``fn``'s result and its median and max milliseconds over ``runs`` calls after one warm-up."""
    result = fn()
    timings = []
    for _ in range(runs):
        began = time.perf_counter()
        result = fn()
        timings.append((time.perf_counter() - began) * 1000)
    return result, statistics.median(timings), max(timings)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=480, help="Sessions seeded (about 5 in 8 get placed).")
    parser.add_argument("--rooms", type=int, default=60)
    parser.add_argument("--runs", type=int, default=5)
    options = parser.parse_args(argv)
    var_dir = Path(tempfile.mkdtemp(prefix="openevent-bench-day-png-"))
    try:
        _program.setup_django(var_dir)
        event, owner, _ = _program.seed(options.sessions, options.sessions // 2, options.rooms, days=1)
        from django.test import Client  # noqa: PLC0415 -- needs django.setup(), which the bench runs at run time

        from sessions_app.models import ScheduleBlock  # noqa: PLC0415 -- needs django.setup(), which the bench runs at run time
        from sessions_app.services.day_export import day_sessions  # noqa: PLC0415 -- needs django.setup()
        from sessions_app.services.day_grid import day_grid  # noqa: PLC0415 -- needs django.setup()
        from sessions_app.services.day_png import Image, render_grid  # noqa: PLC0415 -- needs django.setup()

        day = event.starts_at.date()
        for hour, title in ((3, "Coffee"), (6, "Lunch")):
            starts_at = event.starts_at + datetime.timedelta(hours=hour, minutes=45)
            ScheduleBlock.objects.create(event=event, title=title, starts_at=starts_at,
                                         ends_at=starts_at + datetime.timedelta(minutes=15))  # fmt: skip
        print(f"{len(day_sessions(event, day))} sessions scheduled on {day} in {options.rooms} rooms, 2 breaks.")
        grid, median, worst = timed(lambda: day_grid(event, day), options.runs)
        print(f"day_grid (queries and layout): median {median:.0f} ms, max {worst:.0f} ms; "
              f"picture {grid['size'][0]} x {grid['size'][1]} px, {len(grid['boxes'])} boxes")  # fmt: skip
        report.row("day_grid (queries and layout): median", median, "ms")
        if Image is None:
            print("Pillow is not installed (requirements.txt pins it): drawing not measured.")
            return report.finish()
        png, median, worst = timed(lambda: render_grid(grid), options.runs)
        print(f"render_grid (Pillow, PNG): median {median:.0f} ms, max {worst:.0f} ms; {len(png) / 1024:.0f} KiB")
        report.row("render_grid (Pillow, PNG): median", median, "ms")
        client = Client()
        client.force_login(owner)
        url = f"/events/{event.identifier}/schedule/day/{day.isoformat()}.png"
        response, median, worst = timed(lambda: client.get(url), options.runs)
        assert response.status_code == 200, response.status_code
        print(f"GET {url}: median {median:.0f} ms, max {worst:.0f} ms (target < 1500 ms)")
        report.row("GET …/schedule/day/<date>.png: median", median, "ms", below=1500)
    finally:
        shutil.rmtree(var_dir, ignore_errors=True)
    return report.finish()


if __name__ == "__main__":
    sys.exit(main())
