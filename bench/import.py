"""Benchmark event import: the FOSSASIA Summit 2017 zip (target: under 3 s) and generated zips of
2,500, 5,000 and 10,000 sessions, whose peak memory should stay flat (streamed JSON, batched
inserts): it must not grow with the number of sessions beyond the import's id maps.

    .venv/bin/python bench/import.py [--sizes 2500,5000,10000] [--runs 3] [--shared DIR]

Each measurement runs in a fresh process (``--one``), in a throwaway SQLite database under a
temporary VAR_DIR (never var/db.sqlite3), with DEBUG off, through the job's own path
(``services.importing.run_import_job``: the stored upload read, the whole import in one
transaction, the source deleted). Printed per line: wall time of the job; peak of Python
allocations during the job (tracemalloc, in a second run of its own, since tracing slows Python
down); and the process's peak RSS (VmHWM, reset just before the job).
"""
import argparse
import contextlib
import datetime
import json
import os
import subprocess
import sys
import tempfile
import time
import tracemalloc
import zipfile
from pathlib import Path

import report

ROOT = Path(__file__).resolve().parent.parent
MIB = 1024 * 1024
FOSSASIA = "FOSSASIASummit2017"
TRACKS, ROOMS, TYPES = 20, 30, 4
SPEAKER_EVERY = 2  # one speaker per two sessions
START = datetime.datetime(2031, 6, 1, 9, 0, tzinfo=datetime.UTC)


def find_shared(explicit):
    candidates = [Path(explicit)] if explicit else [ROOT.parent / "shared"]
    for candidate in candidates:
        if (candidate / "fixtures" / "open-event-samples").is_dir():
            return candidate
    sys.exit("../shared/fixtures/open-event-samples not found: pass --shared DIR")


def _write_list(archive, name, items):
    with archive.open(name, "w") as member:
        member.write(b"[")
        for index, item in enumerate(items):
            if index:
                member.write(b",")
            member.write(json.dumps(item).encode())
        member.write(b"]")


def generate_zip(path, sessions):
    """An Open Event zip of ``sessions`` sessions, written item by item (dashed keys, nested
    track/room/type objects, speaker id lists), with the event, tracks, rooms and speakers."""
    speakers = max(1, sessions // SPEAKER_EVERY)
    event = {"id": 1, "name": f"Generated {sessions}", "timezone": "UTC", "starts-at": START.isoformat(),
             "ends-at": (START + datetime.timedelta(days=5)).isoformat(), "description": "<p>Bench</p>"}
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("event", json.dumps(event))
        _write_list(archive, "tracks", ({"id": t, "name": f"Track {t}", "color": "#336699"} for t in range(TRACKS)))
        _write_list(archive, "microlocations", ({"id": r, "name": f"Room {r}", "floor": 1} for r in range(ROOMS)))
        _write_list(archive, "session_types",
                    ({"id": t, "name": f"Type {t}", "length": "00:30"} for t in range(TYPES)))
        _write_list(archive, "speakers", (
            {"id": s, "name": f"Speaker {s}", "email": f"speaker{s}@bench.invalid", "organisation": "Bench",
             "short-biography": "<p>Speaks <b>often</b>.</p>", "sessions": []}
            for s in range(speakers)
        ))
        _write_list(archive, "sessions", (
            {"id": n, "title": f"Session {n}", "short-abstract": "<p>An abstract with <i>markup</i>.</p>",
             "long-abstract": "Long " * 40, "state": "accepted",
             "starts-at": (START + datetime.timedelta(minutes=30 * (n // ROOMS))).isoformat(),
             "ends-at": (START + datetime.timedelta(minutes=30 * (n // ROOMS) + 25)).isoformat(),
             "track": {"id": n % TRACKS}, "microlocation": {"id": n % ROOMS, "name": f"Room {n % ROOMS}"},
             "session-type": {"id": n % TYPES}, "speakers": [n // SPEAKER_EVERY % speakers]}
            for n in range(sessions)
        ))


def _reset_rss_peak():
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")


def _rss_peak_mib():
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def one(zip_path, trace):
    """Import ``zip_path`` once in this process; print a JSON line of the figures."""
    var_dir = Path(tempfile.mkdtemp(prefix="bench-import-"))
    sys.path.insert(0, str(ROOT))
    os.environ.update({
        "VAR_DIR": str(var_dir), "DATABASE_URL": f"sqlite:///{var_dir / 'bench.sqlite3'}",
        "CACHE_URL": "locmemcache://", "CELERY_BROKER_URL": "memory://", "DEBUG": "false",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend", "MEDIA_ROOT": str(var_dir / "media"),
        "DJANGO_SETTINGS_MODULE": "openevent.settings",
    })
    import django  # noqa: PLC0415 -- configured by the environment above, at run time

    django.setup()
    from django.core.files import File  # noqa: PLC0415 -- needs django.setup()
    from django.core.files.storage import default_storage  # noqa: PLC0415 -- needs django.setup()
    from django.core.management import call_command  # noqa: PLC0415 -- needs django.setup()

    from exports.models import ImportJob  # noqa: PLC0415 -- needs django.setup()
    from exports.services import importing  # noqa: PLC0415 -- needs django.setup()
    from openevent.users.models import User  # noqa: PLC0415 -- needs django.setup()

    call_command("migrate", verbosity=0, interactive=False)
    user = User.objects.create(email="bench@bench.invalid", first_name="Bench")
    with open(zip_path, "rb") as source:
        name = default_storage.save("imports/bench.zip", File(source))
    job = ImportJob.objects.create(user=user, source_name=name, original_name=Path(zip_path).name)
    _reset_rss_peak()
    if trace:
        tracemalloc.start()
    started = time.perf_counter()
    importing.run_import_job(job.pk)
    seconds = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1] / MIB if trace else None
    job.refresh_from_db()
    if job.status != "SUCCESS":
        sys.exit(f"import failed: {job.error}")
    print(json.dumps({"seconds": seconds, "traced_peak_mib": peak, "rss_peak_mib": _rss_peak_mib(),
                      "sessions": job.counts.get("sessions"), "speakers": job.counts.get("speakers")}))


def measure(zip_path, trace):
    done = subprocess.run([sys.executable, __file__, "--one", str(zip_path)] + (["--trace"] if trace else []),
                          capture_output=True, text=True, check=False)
    if done.returncode:
        sys.exit(done.stderr[-2000:] or done.stdout)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="2500,5000,10000")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--shared")
    parser.add_argument("--one")
    parser.add_argument("--trace", action="store_true")
    args = parser.parse_args()
    if args.one:
        one(args.one, args.trace)
        return 0
    fossasia = find_shared(args.shared) / "fixtures" / "open-event-samples" / f"{FOSSASIA}.zip"
    times = sorted(measure(fossasia, trace=False)["seconds"] for _ in range(args.runs))
    verdict = "ok" if times[len(times) // 2] < 3 else "OVER TARGET"
    print(f"FOSSASIA Summit 2017 zip: median {times[len(times) // 2]:.2f} s over {args.runs} runs "
          f"(min {times[0]:.2f} s; target < 3 s: {verdict})")
    report.row("FOSSASIA Summit 2017 zip: median", times[len(times) // 2], "s", below=3)
    peaks = []
    with tempfile.TemporaryDirectory(prefix="bench-import-zips-") as folder:
        for size in (int(s) for s in args.sizes.split(",")):
            path = Path(folder) / f"generated-{size}.zip"
            generate_zip(path, size)
            timed = measure(path, trace=False)
            traced = measure(path, trace=True)
            print(f"{size:>6} sessions ({timed['speakers']} speakers, zip {path.stat().st_size / MIB:.1f} MiB): "
                  f"{timed['seconds']:.2f} s, traced peak {traced['traced_peak_mib']:.1f} MiB, "
                  f"peak RSS {timed['rss_peak_mib']:.0f} MiB")
            report.row(f"{size} sessions: import", timed["seconds"], "s")
            report.row(f"{size} sessions: traced peak", traced["traced_peak_mib"], "MiB")
            peaks.append((size, traced["traced_peak_mib"]))
    if len(peaks) > 1:
        # Flat memory: how the Python peak grows from the smallest import to the largest (the id
        # maps grow with the sessions, the rows must not be held); a figure to read, no bound set.
        (small, low), (large, high) = min(peaks), max(peaks)
        report.row(f"traced peak, {large} / {small} sessions", high / low, "x")
    return report.finish()


if __name__ == "__main__":
    sys.exit(main())
