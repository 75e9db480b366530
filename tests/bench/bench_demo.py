"""Benchmark: building the demo data (``auditapp demo``, the README's first command).

    .venv/bin/python tests/bench/bench_demo.py [--runs 3] [--baseline /path/to/other/checkout]

Each run is a fresh child process that opens a new data folder and calls
``create_demo_data`` on the real checklist library (two hospitals, six visits, ~900
answers, ~330 findings, ~700 rectification edits), timing the whole build and the service
calls it is made of: answering the items (``visits.answer_items``), the free-text
findings (``visits.add_finding``) and the rectification edits
(``rectifications.update_rectifications``). It prints seconds per build and
milliseconds per answer, per finding and per rectification edit, and the number of
flushes and SQL statements (what the write paths were made cheaper in).

``--baseline`` builds with another checkout (its own ``.venv``) in the same rounds,
alternating (this checkout, baseline, this checkout, ...) so a burst of load on a shared
machine falls on both alike; the ratio of the medians is the figure to quote, with the
load average printed beside it. The child's CPU time is printed too: on a loaded machine
it moves less than the wall time.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]

# Run in the child, with the checkout under test first on sys.path.
_CHILD = r"""
import json, sys, tempfile, time
from datetime import date
from pathlib import Path
from sqlalchemy import event
from sqlalchemy.orm import Session
from auditapp.checklists import load_library
from auditapp.db import open_database
from auditapp.services import demo, rectifications, visits

spent = {"answers": 0.0, "findings": 0.0, "edits": 0.0}
counts = {"answers": 0, "findings": 0, "edits": 0, "flushes": 0, "sql": 0}

def timed(module, name, key, count):
    real = getattr(module, name)
    def wrapper(*args, **kwargs):
        start = time.perf_counter()
        try:
            return real(*args, **kwargs)
        finally:
            spent[key] += time.perf_counter() - start
            counts[key] += count(args)
    setattr(module, name, wrapper)

timed(visits, "answer_items", "answers", lambda args: len(args[2]))
timed(visits, "add_finding", "findings", lambda args: 1)
timed(rectifications, "update_rectifications", "edits", lambda args: len(args[1]))

@event.listens_for(Session, "before_flush")
def _flushed(*_args):
    counts["flushes"] += 1

library = load_library()
with tempfile.TemporaryDirectory() as tmp:
    db = open_database(Path(tmp) / "data", actor="bench", backup=False)
    @event.listens_for(db.engine, "before_cursor_execute")
    def _statement(*_args):
        counts["sql"] += 1
    start, cpu = time.perf_counter(), time.process_time()
    demo.create_demo_data(db, library=library, today=date(2026, 11, 20))
    total, cpu = time.perf_counter() - start, time.process_time() - cpu
    db.close()
print(json.dumps({"total": total, "cpu": cpu, "spent": spent, "counts": counts}))
"""


def _build(checkout: Path, cache: Path) -> dict[str, object]:
    python = checkout / ".venv" / "bin" / "python"
    env = dict(os.environ, PYTHONPATH=str(checkout), PYTHONPYCACHEPREFIX=str(cache), AUDITAPP_LANG="en")
    proc = subprocess.run([str(python), "-c", _CHILD], env=env, cwd=checkout, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        sys.exit(f"demo build failed in {checkout}:\n{proc.stderr}")
    result: dict[str, object] = json.loads(proc.stdout.strip().splitlines()[-1])
    return result


def _summary(label: str, runs: list[dict[str, object]]) -> tuple[float, float]:
    totals = [float(r["total"]) for r in runs]  # type: ignore[arg-type]
    cpus = [float(r["cpu"]) for r in runs]  # type: ignore[arg-type]
    last = runs[-1]
    spent: dict[str, float] = last["spent"]  # type: ignore[assignment]
    counts: dict[str, int] = last["counts"]  # type: ignore[assignment]

    def per(key: str) -> str:
        return f"{1000 * spent[key] / counts[key]:.1f} ms" if counts[key] else "—"

    print(
        f"{label}: demo build median {statistics.median(totals):.2f} s (runs: {', '.join(f'{t:.2f}' for t in totals)}), "
        f"CPU {statistics.median(cpus):.2f} s; "
        f"per answer {per('answers')} ({counts['answers']}), per free finding {per('findings')} ({counts['findings']}), "
        f"per rectification edit {per('edits')} ({counts['edits']}); {counts['flushes']} flushes, {counts['sql']} SQL statements"
    )
    return statistics.median(totals), statistics.median(cpus)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--baseline", type=Path, help="another checkout (with its own .venv) to build in the same rounds")
    args = parser.parse_args()
    here: list[dict[str, object]] = []
    base: list[dict[str, object]] = []
    with tempfile.TemporaryDirectory() as tmp:
        cache = Path(tmp) / "pycache"
        for _ in range(args.runs):
            here.append(_build(REPO_ROOT, cache / "here"))
            if args.baseline is not None:
                base.append(_build(args.baseline.resolve(), cache / "baseline"))
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    mine = _summary(f"this checkout ({REPO_ROOT.name})", here)
    if args.baseline is not None:
        theirs = _summary(f"baseline ({args.baseline.name})", base)
        print(f"ratio this/baseline: wall {mine[0] / theirs[0]:.2f} (baseline/this {theirs[0] / mine[0]:.2f}x), "
              f"CPU {mine[1] / theirs[1]:.2f} (baseline/this {theirs[1] / mine[1]:.2f}x)")


if __name__ == "__main__":
    main()
