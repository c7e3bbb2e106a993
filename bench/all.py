"""Run every benchmark and print one table of their figures: ``make bench``.

    .venv/bin/python bench/all.py [--only events,load] [--skip import] [--sidebyside]

Runs each script of bench/ in turn in a process of its own, with its default arguments; what
each prints goes to a log of its own (the folder is printed; the detailed tables are there), and
the rows it reports (bench/report.py) go to one file, so the runner prints them all as one
aligned table with each row's target and verdict, and each script's run time. The browser benches
need Debian's /usr/bin/chromium and bench/load.py PostgreSQL and Redis on 127.0.0.1; without them
those are skipped and said so. bench/sidebyside.py (against pretalx, many minutes) runs only with
``--sidebyside``. Exits 1 when a row missed its target or a script failed.
"""
import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import report

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
CHROMIUM = "/usr/bin/chromium"


def _answers(port):
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
    except OSError:
        return False


def _chromium():
    return None if Path(CHROMIUM).exists() else f"{CHROMIUM} is absent"


def _services():
    missing = [name for name, port in (("PostgreSQL", 5432), ("Redis", 6379)) if not _answers(port)]
    return f"{' and '.join(missing)} not answering on 127.0.0.1" if missing else None


def _pretalx():
    setup = Path(os.environ.get("SIDEBYSIDE_DIR", "/tmp/sidebyside")) / "pretalx-data" / "db.empty.sqlite3"
    return None if setup.is_file() else "pretalx is not set up (../shared/sidebyside/pretalx.sh setup)"


#: Every bench script, in the order run, with what it needs (a check answering why not, or None).
BENCHES = [
    ("events", None),
    ("program", None),
    ("pages", None),
    ("day_png", None),
    ("formats", None),
    ("import", None),
    ("public_schedule", _chromium),
    ("scheduler", _chromium),
    ("load", _services),
    ("sidebyside", _pretalx),
]


def run(name, log_dir):
    """Run bench/<name>.py; its exit status and wall time."""
    began = time.perf_counter()
    with (log_dir / f"{name}.log").open("w") as log:
        done = subprocess.run(
            [sys.executable, str(HERE / f"{name}.py")], cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, check=False
        )
    return done.returncode, time.perf_counter() - began


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", help="Comma-separated names of the benches to run (e.g. events,load).")
    parser.add_argument("--skip", default="", help="Comma-separated names of benches not to run.")
    parser.add_argument("--sidebyside", action="store_true", help="Also run bench/sidebyside.py (pretalx).")
    options = parser.parse_args(argv)
    only = set(options.only.split(",")) if options.only else None
    skip = set(filter(None, options.skip.split(",")))
    known = {name for name, _ in BENCHES}
    if unknown := ((only or set()) | skip) - known:
        parser.error(f"no such bench: {', '.join(sorted(unknown))} (known: {', '.join(sorted(known))})")

    log_dir = Path(tempfile.mkdtemp(prefix="openevent-bench-logs-"))
    rows_file = log_dir / "rows.jsonl"
    os.environ[report.REPORT_ENV] = str(rows_file)  # the scripts' rows and this runner's, in one file
    print(f"Each bench's own output goes to {log_dir}/<bench>.log.", file=sys.stderr, flush=True)
    skipped, crashed = [], []
    began = time.perf_counter()
    for name, needs in BENCHES:
        if (only is not None and name not in only) or name in skip:
            continue
        if name == "sidebyside" and not options.sidebyside and only is None:
            skipped.append((name, "run only with --sidebyside (pretalx; many minutes)"))
            continue
        reason = needs() if needs else None
        if reason:
            skipped.append((name, reason))
            continue
        print(f"{name + '.py':<20} …", end=" ", file=sys.stderr, flush=True)
        status, seconds = run(name, log_dir)
        print(f"{seconds:.0f} s (exit status {status})", file=sys.stderr, flush=True)
        report.row("run time", seconds, "s", bench=name)
        mine = [entry for entry in report.read(rows_file) if entry["bench"] == name]
        if status and not report.failures(mine):  # not a missed target: the script failed
            crashed.append(name)
            report.row("exit status", status, "", at_most=0, bench=name)
            tail = (log_dir / f"{name}.log").read_text(errors="replace").splitlines()[-15:]
            print("\n".join(f"    {line}" for line in tail), file=sys.stderr, flush=True)

    rows = report.read(rows_file)
    print()
    report.table(rows)
    for name, reason in skipped:
        print(f"not run: {name}.py ({reason})")
    failed = report.failures(rows)
    load = os.getloadavg()
    print(f"{len(rows)} rows, {len(failed)} missed their target; {time.perf_counter() - began:.0f} s in all; "
          f"load average at the end {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}; logs in {log_dir}")  # fmt: skip
    return 1 if failed or crashed else 0


if __name__ == "__main__":
    sys.exit(main())
