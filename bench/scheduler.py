"""Benchmark the organizers' scheduler page in chromium: 1,000 sessions in 60 rooms over 3 days.

    .venv/bin/python bench/scheduler.py [--sessions 1000] [--speakers 800] [--rooms 60] [--days 3]
                                        [--runs 3] [--moves 10]

Seeds the program of bench/program.py (its seeding: bulk inserts into a throwaway SQLite database
under a temporary VAR_DIR, DEBUG off) and serves it from a threaded WSGI server in this process on
a free port of 127.0.0.1. Playwright drives Debian's /usr/bin/chromium (never a downloaded browser)
as the event's owner. Prints:

- per run, from navigation start (``performance.now()``, the page's time origin): the grid painted
  (the frame after the shown day's cards were built) and a drag accepted (a session dragged from
  the "Unscheduled" pane into a room right after the paint, and the PATCH of that drop answered);
  the cards in the DOM and the page's size;
- when the drop's PATCH left the browser and when its answer came (resource timing): the time
  between the paint and the drop is Playwright moving the mouse, between the answer and "drag
  accepted" the card redrawn and the test's polling;
- the server time of a drop (the PATCH of ``/v1/sessions/<id>``, timed around the WSGI
  application, so without the browser and the network): median and max over the drag drops and
  ``--moves`` keyboard moves;
- the server time of the page's refresh of the whole event's conflicts after a change (the GET of
  ``/events/<id>/schedule/conflicts``), which "drag accepted" includes: the page says it is idle
  once the conflicts are redrawn.

Each day has a lunch break across all rooms (a ``ScheduleBlock``), drawn on the grid.
"""
import argparse
import datetime
import importlib.util
import os
import shutil
import socket
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

import report

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
PX_PER_MINUTE = 2  # static/js/scheduler.js
COLUMN_WIDTH = 176
WAIT_MS = 60000


def _load(name, filename):
    """A sibling bench script as a module (under another name, so ``events`` is still the app)."""
    spec = importlib.util.spec_from_file_location(name, Path(__file__).resolve().parent / filename)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_program = _load("bench_program", "program.py")


class PatchTimer:
    """WSGI middleware: how long each PATCH (``timings``) and each GET of the page's conflicts
    (``conflict_timings``) took inside the application, in milliseconds."""

    def __init__(self, app):
        self.app = app
        self.timings = []
        self.conflict_timings = []

    def __call__(self, environ, start_response):
        if environ.get("REQUEST_METHOD") == "PATCH":
            timings = self.timings
        elif environ.get("PATH_INFO", "").endswith("/schedule/conflicts"):
            timings = self.conflict_timings
        else:
            return self.app(environ, start_response)
        began = time.perf_counter()
        body = list(self.app(environ, start_response))
        timings.append((time.perf_counter() - began) * 1000)
        return body


def serve(app):
    """Serve ``app`` on a free port of 127.0.0.1 in a daemon thread; returns the base URL."""
    from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler  # noqa: PLC0415 -- needs django.setup(), which the bench runs at run time

    class QuietHandler(WSGIRequestHandler):
        def log_message(self, *args):
            pass

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = ThreadedWSGIServer(("127.0.0.1", port), QuietHandler)
    server.set_app(app)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{port}"


#: The first column from ``room`` with no card between the day's second and fourth hour (the API
#: refuses a double booking, so each run drops into a free slot).
FREE_COLUMN = """([room, width, top, bottom]) => {
  const columns = document.querySelectorAll('.sched-grid__room').length;
  const busy = new Set();
  for (const card of document.querySelectorAll('[data-canvas] [data-session]')) {
    const y = parseFloat(card.style.top), h = parseFloat(card.style.height);
    if (y < bottom && y + h > top) busy.add(Math.round(parseFloat(card.style.left) / width));
  }
  for (let c = room; c < columns; c += 1) if (!busy.has(c)) return c;
  return room;
}"""


def one_run(browser, base, cookie, url, room=0):
    """Open the scheduler, drag the first unscheduled session into the first free column from
    ``room`` at the day's second hour as soon as the grid is painted; the figures of that run."""
    context = browser.new_context(viewport={"width": 1600, "height": 1000})
    context.add_cookies([{"name": "sessionid", "value": cookie, "url": base}])
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(url, wait_until="commit")
    root = page.locator("[data-scheduler][data-painted-at]")
    root.wait_for(state="attached", timeout=WAIT_MS)
    painted = int(root.get_attribute("data-painted-at"))
    timing = page.evaluate(
        "() => { const [n] = performance.getEntriesByType('navigation');"
        " return {response: n.responseEnd, loaded: n.domContentLoadedEventEnd}; }"
    )
    source = page.locator("[data-list] [data-session]").first
    box = source.bounding_box()
    canvas = page.locator("[data-canvas]").bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + 4)
    page.mouse.down()
    column = page.evaluate(FREE_COLUMN, [room, COLUMN_WIDTH, 60 * PX_PER_MINUTE, 180 * PX_PER_MINUTE])
    target = (canvas["x"] + COLUMN_WIDTH * (column + 0.5), canvas["y"] + 60 * PX_PER_MINUTE + 1)
    page.mouse.move(*target, steps=4)
    page.mouse.up()
    page.wait_for_function(
        "() => document.querySelector('[data-scheduler]').dataset.saving === '0'", timeout=WAIT_MS
    )
    accepted = page.evaluate("() => performance.now()")
    # The drop's PATCH as the browser saw it: sent at (the pointer released) and answered at.
    patch = page.evaluate(
        "() => performance.getEntriesByType('resource').filter((e) => e.name.includes('/v1/sessions/'))"
        ".map((e) => [e.startTime, e.responseEnd]).pop()"
    )
    status = page.locator("[data-status]").inner_text()
    failure = page.locator("[data-error]").inner_text()
    cards = page.locator("[data-canvas] [data-session]").count()
    size = page.evaluate("() => document.documentElement.outerHTML.length")
    dropped = page.locator("[data-canvas] [data-session]:focus")
    return {
        "painted": painted, "response": timing["response"], "loaded": timing["loaded"], "accepted": accepted,
        "sent": patch[0], "answered": patch[1],
        "status": status, "failure": failure, "cards": cards, "size": size, "errors": errors,
        "context": context, "page": page, "dropped": dropped,
    }  # fmt: skip


def keyboard_moves(run, moves):
    """Move the dropped card down one step at a time (one PATCH each), each awaited."""
    page = run["page"]
    for i in range(moves):
        run["dropped"].press("ArrowDown" if i % 2 == 0 else "ArrowUp")
        page.wait_for_function(
            "() => document.querySelector('[data-scheduler]').dataset.saving === '0'", timeout=WAIT_MS
        )


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=1000)
    parser.add_argument("--speakers", type=int, default=800)
    parser.add_argument("--rooms", type=int, default=60)
    parser.add_argument("--days", type=int, default=3)
    parser.add_argument("--runs", type=int, default=3, help="Page loads (each with one drag).")
    parser.add_argument("--moves", type=int, default=10, help="Keyboard moves after the last drag (one PATCH each).")
    options = parser.parse_args(argv)
    if not Path(CHROMIUM).exists():
        raise SystemExit(f"{CHROMIUM} is absent: apt-get install -y chromium")

    var_dir = Path(tempfile.mkdtemp(prefix="openevent-bench-scheduler-"))
    # Plain http on 127.0.0.1: cookies without the Secure flag.
    os.environ["SESSION_COOKIE_SECURE"] = os.environ["CSRF_COOKIE_SECURE"] = "false"
    try:
        began = time.perf_counter()
        _program.setup_django(var_dir)
        event, owner, n_links = _program.seed(options.sessions, options.speakers, options.rooms, days=options.days)
        print(
            f"Seeded {options.sessions} sessions, {options.speakers} speakers ({n_links} links), "
            f"{options.rooms} rooms, {options.days} days in {time.perf_counter() - began:.1f} s "
            f"(SQLite under {var_dir})."
        )
        from django.core.wsgi import get_wsgi_application  # noqa: PLC0415 -- needs django.setup(), which the bench runs at run time
        from django.test import Client  # noqa: PLC0415 -- needs django.setup(), which the bench runs at run time
        from playwright.sync_api import sync_playwright  # noqa: PLC0415 -- only the bench needs it

        from sessions_app.models import ScheduleBlock, Session  # noqa: PLC0415 -- needs django.setup(), which the bench runs at run time

        lunch_hour = 3  # hours after each day's start
        ScheduleBlock.objects.bulk_create(
            ScheduleBlock(event=event, title="Lunch", kind="lunch",
                          starts_at=event.starts_at + datetime.timedelta(days=day, hours=lunch_hour),
                          ends_at=event.starts_at + datetime.timedelta(days=day, hours=lunch_hour + 1))
            for day in range(options.days)
            if event.starts_at + datetime.timedelta(days=day, hours=lunch_hour + 1) <= event.ends_at
        )  # fmt: skip

        placed = Session.objects.filter(event=event, state__in=("accepted", "confirmed"), starts_at__isnull=False)
        print(f"{placed.count()} sessions placed, "
              f"{Session.objects.filter(event=event, state__in=('accepted', 'confirmed'), starts_at=None).count()} "
              "waiting in the pane.")  # fmt: skip
        app = PatchTimer(get_wsgi_application())
        base = serve(app)
        client = Client()
        client.force_login(owner)
        cookie = client.cookies["sessionid"].value
        url = f"{base}/events/{event.identifier}/schedule/"
        print(f"GET {url} in chromium (headless), as the event's owner, {options.runs} runs:")
        print(f"{'run':>4} {'HTML in ms':>11} {'DOM ready ms':>13} {'painted ms':>11} {'drop sent ms':>13} "
              f"{'drop answered':>14} {'drag accepted ms':>17} {'cards':>6} {'KiB':>6}  status")  # fmt: skip
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
            runs = []
            for number in range(1, options.runs + 1):
                run = one_run(browser, base, cookie, url, room=number - 1)
                runs.append(run)
                outcome = run["failure"] or run["status"]
                print(f"{number:>4} {run['response']:>11.0f} {run['loaded']:>13.0f} {run['painted']:>11.0f} "
                      f"{run['sent']:>13.0f} {run['answered']:>14.0f} {run['accepted']:>17.0f} {run['cards']:>6} "
                      f"{run['size'] / 1024:>6.0f}  {outcome[:70]}")  # fmt: skip
                if run["errors"]:
                    print("     page errors:", run["errors"])
                if number < options.runs:
                    run["context"].close()
            keyboard_moves(runs[-1], options.moves)
            runs[-1]["context"].close()
            browser.close()
        print(f"median: painted {statistics.median(r['painted'] for r in runs):.0f} ms, "
              f"drag accepted {statistics.median(r['accepted'] for r in runs):.0f} ms")  # fmt: skip
        report.row("grid painted (from navigation start): median", statistics.median(r["painted"] for r in runs), "ms")
        report.row("drag accepted (from navigation start): median", statistics.median(r["accepted"] for r in runs),
                   "ms")  # fmt: skip
        report.row("drags refused or failed", sum(1 for r in runs if r["failure"]), "drags", at_most=0)
        drops = app.timings
        print(f"server time of a drop (PATCH /v1/sessions/<id>, {len(drops)} drops and moves): "
              f"median {statistics.median(drops):.1f} ms, max {max(drops):.1f} ms")  # fmt: skip
        report.row("drop, server time (PATCH): median", statistics.median(drops), "ms")
        refreshes = app.conflict_timings
        if refreshes:
            print(f"server time of the conflicts' refresh (GET /events/<id>/schedule/conflicts, {len(refreshes)}): "
                  f"median {statistics.median(refreshes):.1f} ms, max {max(refreshes):.1f} ms")  # fmt: skip
            report.row("conflicts' refresh, server time: median", statistics.median(refreshes), "ms")
    finally:
        shutil.rmtree(var_dir, ignore_errors=True)
    return report.finish()


if __name__ == "__main__":
    sys.exit(main())
