"""Benchmark: dashboard figures at a bureau's volume, and the window's longest stall while they load.

Run: python tests/bench/bench_dashboard.py [DATA_DIR] [--repeat 5] [--no-gui]

Without DATA_DIR a fresh data set is generated first (tests/bench/make_bureau_data.py:
50 institutions × 24 monthly visits × 200 answers = 240,000 answers). Prints, each the
median of ``--repeat`` runs (first run reported apart: it parses the checklist snapshots,
and on a data set no dashboard has read yet it fills the per-visit section sums,
auditapp.stats.sections; a data folder at revision 0008 is migrated when opened):
all institutions over all 24 months and over the default half-year, one institution,
the duty matrix of all leaders, wall and CPU time, peak Python memory (tracemalloc),
and the longest event-loop gap while the dashboard window loads all institutions.
Targets (issue 17): all institutions < 1 s, one institution < 0.2 s, no stall > 50 ms.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
import tracemalloc
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "bench"))

from auditapp.db import open_database  # noqa: E402
from auditapp.stats.figures import compute_dashboard, default_period  # noqa: E402
from auditapp.stats.scope import Scope  # noqa: E402


def _measure(fn, repeat: int) -> tuple[float, float, float, float]:  # type: ignore[no-untyped-def]
    """(first wall s, median wall s, median cpu s, peak MB of the first run)."""
    walls, cpus = [], []
    tracemalloc.start()
    first = peak = 0.0
    for n in range(repeat):
        w, c = time.perf_counter(), time.process_time()
        fn()
        walls.append(time.perf_counter() - w)
        cpus.append(time.process_time() - c)
        if n == 0:
            first = walls[0]
            peak = tracemalloc.get_traced_memory()[1] / 1e6
            tracemalloc.stop()
    rest = walls[1:] or walls
    return first, statistics.median(rest), statistics.median(cpus[1:] or cpus), peak


def _gui_stall(data_dir: Path) -> tuple[float, int]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QElapsedTimer, QEventLoop, QTimer

    from ui.app import create_application
    from ui.dashboard import DashboardWindow

    create_application()
    db = open_database(data_dir)
    clock = QElapsedTimer()
    longest = [0]
    last = [0]

    def tick() -> None:
        now = clock.elapsed()
        longest[0] = max(longest[0], now - last[0])
        last[0] = now

    timer = QTimer()
    timer.setInterval(5)
    timer.timeout.connect(tick)
    clock.start()
    timer.start()
    started = time.perf_counter()
    window = DashboardWindow(db, institution_id=None)  # starts loading the default half-year
    window.show()
    loop = QEventLoop()
    window.loaded.connect(loop.quit)
    QTimer.singleShot(60_000, loop.quit)
    loop.exec()
    took = time.perf_counter() - started
    window.from_edit.setDate(window.from_edit.date().addYears(-2))  # then all 24 months
    # The first stall measured includes building the window itself; measure a reload alone.
    longest[0] = 0
    last[0] = clock.elapsed()
    window.reload()
    loop2 = QEventLoop()
    window.loaded.connect(loop2.quit)
    QTimer.singleShot(60_000, loop2.quit)
    loop2.exec()
    timer.stop()
    window.close()
    db.close()
    return took, longest[0]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data_dir", nargs="?", type=Path)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--no-gui", action="store_true")
    parser.add_argument("--gui-only", action="store_true")
    args = parser.parse_args()
    data_dir = args.data_dir
    if data_dir is None:
        from make_bureau_data import make_bureau_data

        data_dir = Path(tempfile.mkdtemp(prefix="auditapp-bureau-")) / "data"
        with open_database(data_dir) as db:
            started = time.perf_counter()
            counts = make_bureau_data(db)
        print(f"generated {counts} in {time.perf_counter() - started:.0f} s")
    if args.gui_only:
        took, stall = _gui_stall(data_dir)
        print(f"dashboard window, all institutions: shown in {took:.2f} s; longest event-loop stall while reloading {stall} ms")
        return 0
    db = open_database(data_dir)
    today = date.today()
    with db.engine.connect() as conn:
        n_answers = conn.exec_driver_sql("SELECT count(*) FROM answers").scalar()
        n_findings = conn.exec_driver_sql("SELECT count(*) FROM findings").scalar()
        first_inst = conn.exec_driver_sql("SELECT id FROM institutions ORDER BY name LIMIT 1").scalar()
    print(f"{data_dir}: {n_answers:,} answers, {n_findings:,} problems; load average {os.getloadavg()[0]:.1f} "
          f"on {os.cpu_count()} cores")
    half = default_period(today)
    cases = [
        ("all institutions, all months", lambda: compute_dashboard(db, Scope(), today=today)),
        ("all institutions, half-year", lambda: compute_dashboard(db, Scope(date_from=half[0], date_to=half[1]), today=today)),
        ("one institution, all months", lambda: compute_dashboard(db, Scope(institution_ids=(first_inst,)), today=today)),
    ]
    from auditapp.services.duty import duty_matrix

    cases.append(("duty matrix, all leaders, 12 months", lambda: duty_matrix(db, months=12, today=today)))
    print(f"{'figures':40} {'first':>8} {'median':>8} {'cpu':>8} {'peak MB':>8}")
    for name, fn in cases:
        first, median, cpu, peak = _measure(fn, args.repeat)
        print(f"{name:40} {first:8.3f} {median:8.3f} {cpu:8.3f} {peak:8.1f}")
    d = compute_dashboard(db, Scope(), today=today)
    parts = ", ".join(f"{k} {v:.0f}" for k, v in d.timings_ms.items() if k.endswith("cpu"))
    print(f"cpu ms by figure (all institutions): {parts}")
    db.close()
    if not args.no_gui:
        took, stall = _gui_stall(data_dir)
        print(f"dashboard window, all institutions: shown in {took:.2f} s; longest event-loop stall while reloading {stall} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
