"""Benchmark the public schedule: its server render time over 2,000 sessions, cold and cached, and
a keystroke of its live search over 1,000 sessions in chromium.

    .venv/bin/python bench/public_schedule.py [--sessions 2000] [--rooms 60] [--speakers 1500]
                                              [--browser-sessions 1000] [--runs 5] [--cached-runs 20]

Seeds a throwaway SQLite database under a temporary VAR_DIR (never var/db.sqlite3; DEBUG off) with
bench/sidebyside.py's ``seed()`` (pretalx's bench shape: every talk confirmed and placed, the
schedule released), then adds a lunch across all rooms on each day and a coffee break in the first
room and releases again (version 2), so the page shows blocks as well. Prints:

- the server time of ``GET /e/<identifier>/schedule/`` (list, and ``?view=grid``) through Django's
  test client (routing, the view, the queries, the template; no network): cold with the document
  cache off (``API_DOCUMENT_CACHE=False``), median and max of ``--runs``; and cached (the body
  from the cache), median of ``--cached-runs`` after one warm-up;
- in chromium (Debian's /usr/bin/chromium through Playwright, never a downloaded browser), on a
  second event of ``--browser-sessions`` sessions served from a threaded WSGI server in this
  process: per keystroke typed into the search box, the time from the input event (its
  ``timeStamp``) until the list is updated (the page's handler has hidden and shown the cards:
  "script"), and until the browser has also recomputed style and layout for it ("layout",
  forced right after): median and max over every keystroke.
"""
import argparse
import importlib.util
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import report

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
#: What the browser part types, one keystroke at a time (each box cleared first).
SEARCHES = ("speaker 0001", "talk 00999", "about topic 42", "nobody at all")
WAIT_MS = 60000
#: Records, after the page's own handler (on the form, so it runs first), when each input event
#: began, when the handler was done and when a forced style and layout were.
PROBE = """() => {
  window.__keys = [];
  window.__paused = false;
  window.addEventListener("input", (event) => {
    if (window.__paused) return;
    const handled = performance.now();
    void document.body.offsetHeight;
    window.__keys.push([handled - event.timeStamp, performance.now() - event.timeStamp]);
  });
}"""


def _load(name, filename):
    """A sibling bench script as a module (under another name, so ``events`` is still the app)."""
    spec = importlib.util.spec_from_file_location(name, Path(__file__).resolve().parent / filename)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_sidebyside = _load("bench_sidebyside", "sidebyside.py")
_scheduler = _load("bench_scheduler", "scheduler.py")


def seed_released(n_talks, n_rooms, n_speakers, organizer_email):
    """sidebyside's bench event, plus blocks (a lunch across all rooms each day, a coffee break
    in the first room), released again. Returns the event."""
    import datetime  # noqa: PLC0415 -- kept beside the Django imports of this function

    from events.models import Microlocation  # noqa: PLC0415 -- needs django.setup(), which the bench runs at run time
    from sessions_app.services.schedule import create_block, release_schedule  # noqa: PLC0415 -- needs django.setup(), which the bench runs at run time

    _sidebyside.ORGANIZER = (organizer_email, _sidebyside.ORGANIZER[1])
    event, organizer, _ = _sidebyside.seed(n_talks, n_rooms, n_speakers)
    first_room = Microlocation.objects.filter(event=event).order_by("position", "pk").first()
    hour = datetime.timedelta(hours=1)
    for day in range(_sidebyside.DAYS):
        noon = _sidebyside.START + datetime.timedelta(days=day, hours=3)
        create_block(organizer, event, {"title": "Lunch", "kind": "lunch", "starts_at": noon, "ends_at": noon + hour})
        coffee = noon + 3 * hour
        create_block(organizer, event, {"title": "Coffee", "kind": "coffee", "starts_at": coffee,
                                        "ends_at": coffee + hour / 2, "microlocation": first_room})  # fmt: skip
    event.refresh_from_db()
    release_schedule(organizer, event, comment="With breaks.", send_email=False)
    event.refresh_from_db()
    return event


def server_times(url, runs, cached_runs):
    """(cold timings, cached timings) in milliseconds, and the body's size."""
    from django.core.cache import cache  # noqa: PLC0415 -- needs django.setup(), which the bench runs at run time
    from django.test import Client, override_settings  # noqa: PLC0415 -- needs django.setup(), which the bench runs at run time

    client = Client()

    def timed():
        began = time.perf_counter()
        response = client.get(url)
        elapsed = (time.perf_counter() - began) * 1000
        if response.status_code != 200:
            raise SystemExit(f"GET {url} answered {response.status_code}")
        return elapsed, len(response.content)

    with override_settings(API_DOCUMENT_CACHE=False):
        timed()  # warm-up: imports, template loading
        cold = [timed() for _ in range(runs)]
    cache.clear()
    with override_settings(API_DOCUMENT_CACHE=True):
        timed()
        cached = [timed() for _ in range(cached_runs)]
    cache.clear()
    return [t for t, _ in cold], [t for t, _ in cached], cold[0][1]


def keystrokes(base, identifier):
    """Every keystroke's (script, layout) milliseconds, and the number of cards on the page."""
    from playwright.sync_api import sync_playwright  # noqa: PLC0415 -- only the bench needs it

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.goto(f"{base}/e/{identifier}/schedule/", timeout=WAIT_MS)
            cards = page.locator("[data-session]").count()
            page.evaluate(PROBE)
            box = page.get_by_label("Search title, speaker, position or organisation")
            for text in SEARCHES:
                # Clearing the box is not a keystroke: not recorded (the list is shown whole again).
                page.evaluate("() => { window.__paused = true; }")
                box.fill("")
                page.evaluate("() => { window.__paused = false; }")
                box.press_sequentially(text)
            timings = page.evaluate("() => window.__keys")
        finally:
            browser.close()
    return timings, cards


def line(label, values):
    return f"{label:<44} median {statistics.median(values):>8.1f} ms   max {max(values):>8.1f} ms   (n={len(values)})"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=2000)
    parser.add_argument("--rooms", type=int, default=60)
    parser.add_argument("--speakers", type=int, default=1500)
    parser.add_argument("--browser-sessions", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=5, help="Cold requests (cache off) per view.")
    parser.add_argument("--cached-runs", type=int, default=20)
    options = parser.parse_args(argv)
    if not Path(CHROMIUM).exists():
        raise SystemExit(f"{CHROMIUM} is absent: apt-get install -y chromium")

    var_dir = Path(tempfile.mkdtemp(prefix="openevent-bench-public-"))
    try:
        began = time.perf_counter()
        _sidebyside._event_bench().setup_django(var_dir)
        event = seed_released(options.sessions, options.rooms, options.speakers, "admin@bench.invalid")
        small = seed_released(options.browser_sessions, options.rooms // 2 or 1, options.speakers // 2 or 1,
                              "admin2@bench.invalid")  # fmt: skip
        print(f"Seeded two released events ({options.sessions} and {options.browser_sessions} sessions, blocks "
              f"included) in {time.perf_counter() - began:.1f} s (SQLite under {var_dir}, DEBUG off).")  # fmt: skip

        for query in ("", "?view=grid"):
            url = f"/e/{event.identifier}/schedule/{query}"
            cold, cached, size = server_times(url, options.runs, options.cached_runs)
            print(f"GET {url} ({options.sessions} sessions, {size / 1024:.0f} KiB):")
            print("  " + line("server, cold (document cache off)", cold))
            print("  " + line("server, cached (body from the cache)", cached))
            view = "grid" if query else "list"
            report.row(f"schedule page ({view}), cold: median", statistics.median(cold), "ms")
            report.row(f"schedule page ({view}), cached: median", statistics.median(cached), "ms")

        from django.core.wsgi import get_wsgi_application  # noqa: PLC0415 -- needs django.setup(), which the bench runs at run time

        base = _scheduler.serve(get_wsgi_application())
        timings, cards = keystrokes(base, small.identifier)
        print(f"chromium, /e/{small.identifier}/schedule/ with {cards} session cards, "
              f"{len(timings)} keystrokes typed into the search box:")  # fmt: skip
        print("  " + line("input event -> list updated (script)", [t for t, _ in timings]))
        print("  " + line("input event -> style and layout done", [t for _, t in timings]))
        report.row("search keystroke -> list updated: median", statistics.median(t for t, _ in timings), "ms")
        # The browser test holds a keystroke under 50 ms (README, "The public site").
        report.row("search keystroke -> layout done: median", statistics.median(t for _, t in timings), "ms", below=50)
    finally:
        if not os.environ.get("BENCH_KEEP"):
            shutil.rmtree(var_dir, ignore_errors=True)
    return report.finish()


if __name__ == "__main__":
    sys.exit(main())
