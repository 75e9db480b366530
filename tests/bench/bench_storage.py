"""Benchmark: how long one autosaved answer takes, and opening a database.

Run: python tests/bench/bench_storage.py
Prints the median and 95th percentile of `answer_item` (one committed unit of work,
WAL + synchronous=FULL) and of `open_database` on an existing data folder.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from auditapp.checklists import load_library
from auditapp.db import open_database
from auditapp.services import institutions, visits


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


def main() -> None:
    library = load_library()
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp)
        db = open_database(data)
        inst = institutions.add_institution(db, name="基准医院", kind="tcm", level=3, alliance_lead=True)
        visit = visits.start_visit(db, institution=inst.id, inspector="bench", library=library)
        items = [v.item.id for v in visits.visit_detail(db, visit.id).items]
        timings = []
        for n in range(300):
            start = time.perf_counter()
            visits.answer_item(db, visit.id, items[n % len(items)], result=("conform", "nonconform", "na")[n % 3])
            timings.append((time.perf_counter() - start) * 1000)
        db.close()
        opens = []
        for _ in range(10):
            start = time.perf_counter()
            open_database(data, backup=False).close()
            opens.append((time.perf_counter() - start) * 1000)
    print(f"items in visit: {len(items)}")
    print(f"answer_item (autosaved): median {statistics.median(timings):.1f} ms, p95 {_percentile(timings, 0.95):.1f} ms")
    print(f"open_database (existing): median {statistics.median(opens):.1f} ms")


if __name__ == "__main__":
    main()
