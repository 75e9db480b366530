"""Benchmark: the home screen's visit list (``visits.list_visits``) of one institution at a bureau's volume.

Run: python tests/bench/bench_visit_list.py DATA_DIR [--institutions 5]

DATA_DIR: a data folder such as tests/bench/make_bureau_data.py makes (24 visits × 200
answers per institution). Prints the median time and the number of queries of one
institution's list over the first ``--institutions`` institutions by name (the first
call, which parses the checklist snapshots, is left out), and the machine's load.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

import sqlalchemy as sa  # noqa: E402

from auditapp.db import open_database  # noqa: E402
from auditapp.services import visits  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data_dir", type=Path)
    parser.add_argument("--institutions", type=int, default=5)
    args = parser.parse_args()
    db = open_database(args.data_dir, backup=False)
    with db.engine.connect() as conn:
        ids = list(conn.exec_driver_sql(
            "SELECT id FROM institutions WHERE deleted_at IS NULL ORDER BY name LIMIT ?", (args.institutions,)
        ).scalars())
    queries = [0]
    sa.event.listen(db.engine, "before_cursor_execute", lambda *_a: queries.__setitem__(0, queries[0] + 1))
    visits.list_visits(db, institution=ids[0])
    walls, counts, rows = [], [], 0
    for inst in ids:
        queries[0] = 0
        started = time.perf_counter()
        rows = len(visits.list_visits(db, institution=inst))
        walls.append(time.perf_counter() - started)
        counts.append(queries[0])
    db.close()
    print(f"list_visits, one institution ({rows} visits): median {statistics.median(walls) * 1000:.0f} ms, "
          f"{statistics.median(counts):.0f} queries; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
