"""The one way a bench script reports its figures: rows of (bench, figure, value, unit, target).

A script calls ``row()`` for each figure it wants in the summary, beside what it prints for
people, and ends with ``sys.exit(finish())``. Run alone, ``finish()`` prints the script's rows as a
table. Run by bench/all.py (``make bench``), the environment names a file (``BENCH_REPORT``) that
each row is appended to as a JSON line the moment it is measured, so the runner prints one table
of every script and rows measured before a crash are kept. Either way ``finish()`` answers 1 when
a row missed its target, else 0.

A target is a bound: ``below`` (value < bound), ``at_most`` (value <= bound) or ``at_least``
(value >= bound). A row without one is a figure to read, neither passed nor failed.
"""
import json
import math
import os
import sys
from pathlib import Path

#: The environment variable naming the file rows are appended to (set by bench/all.py).
REPORT_ENV = "BENCH_REPORT"
_OPERATORS = {"below": "<", "at_most": "<=", "at_least": ">="}

_rows = []


def row(figure, value, unit, *, below=None, at_most=None, at_least=None, bench=None):
    """Record one figure of this script (``bench`` defaults to the script's file name)."""
    bounds = [(name, bound) for name, bound in (("below", below), ("at_most", at_most), ("at_least", at_least))
              if bound is not None]  # fmt: skip
    if len(bounds) > 1:
        raise ValueError("a row has at most one target")
    entry = {
        "bench": bench or Path(sys.argv[0]).stem,
        "figure": figure,
        "value": value,
        "unit": unit,
        "target": list(bounds[0]) if bounds else None,
    }
    _rows.append(entry)
    if os.environ.get(REPORT_ENV):
        with open(os.environ[REPORT_ENV], "a", encoding="utf-8") as out:
            out.write(json.dumps(entry) + "\n")
    return entry


def passed(entry):
    """True or False against the row's target; None when it has none."""
    if not entry["target"]:
        return None
    name, bound = entry["target"]
    value = entry["value"]
    if not isinstance(value, (int, float)) or math.isnan(value):
        return False
    return {"below": value < bound, "at_most": value <= bound, "at_least": value >= bound}[name]


def read(path):
    """The rows appended to ``path`` (one JSON object a line)."""
    text = Path(path).read_text(encoding="utf-8") if Path(path).exists() else ""
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def _number(value):
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, int) or abs(value) >= 100:
        return f"{value:,.0f}"
    return f"{value:.2f}" if abs(value) < 10 else f"{value:.1f}"


def table(rows, out=None):
    """Print ``rows`` as one aligned table with each row's target and verdict."""
    out = out or sys.stdout
    lines = [("bench", "figure", "value", "unit", "target", "result")]
    for entry in rows:
        verdict = passed(entry)
        target = f"{_OPERATORS[entry['target'][0]]} {_number(entry['target'][1])}" if entry["target"] else "-"
        lines.append((entry["bench"], entry["figure"], _number(entry["value"]), entry["unit"], target,
                      "-" if verdict is None else ("pass" if verdict else "FAIL")))  # fmt: skip
    widths = [max(len(line[i]) for line in lines) for i in range(len(lines[0]))]
    right = {2, 4}  # numbers and bounds line up on the right
    for number, line in enumerate(lines):
        cells = [cell.rjust(widths[i]) if i in right else cell.ljust(widths[i]) for i, cell in enumerate(line)]
        print("  ".join(cells).rstrip(), file=out)
        if number == 0:
            print("  ".join("-" * width for width in widths), file=out)


def failures(rows):
    return [entry for entry in rows if passed(entry) is False]


def finish():
    """Print this script's table when run alone; 1 if a row missed its target, else 0."""
    if not os.environ.get(REPORT_ENV) and _rows:
        print()
        table(_rows)
    return 1 if failures(_rows) else 0
