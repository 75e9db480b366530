"""Start-up benchmark: a new process until the main window is shown and usable, against
an empty PySide6 window started the same way (the floor no Qt app can beat).

    .venv/bin/python tests/bench/bench_startup.py [--runs 7]

Each run is a fresh process (imports, Qt, fonts, translations, opening the database);
the clock stops when the first event-loop turn after show() prints its line.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

EMPTY_WINDOW = """
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication([])
w = QMainWindow(); w.resize(1280, 800); w.show()
def done():
    print("gui ok", flush=True); app.quit()
QTimer.singleShot(0, done)
app.exec()
"""


def timed(cmd: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    out = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=120, cwd=REPO)
    took = time.perf_counter() - started
    if "gui ok" not in out.stdout:
        raise SystemExit(f"no window: {cmd}\n{out.stdout}\n{out.stderr}")
    return took


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="auditapp-startup-"))
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen" if not env.get("DISPLAY") else "xcb")
    env.update(
        AUDITAPP_DATA_DIR=str(work / "data"),
        XDG_CONFIG_HOME=str(work / "config"),
        XDG_CACHE_HOME=str(work / "cache"),
        AUDITAPP_QUIT_AFTER_MS="0",
        PYTHONPATH=str(REPO),
    )
    # Create the data (demo hospitals) once, so every timed start opens an existing database.
    subprocess.run([sys.executable, "-m", "auditapp", "demo"], env=env, check=True, capture_output=True, cwd=REPO)
    timed([sys.executable, "-m", "auditapp"], env)  # warm the file cache and the translation cache
    app = [timed([sys.executable, "-m", "auditapp"], env) for _ in range(args.runs)]
    empty = [timed([sys.executable, "-c", EMPTY_WINDOW], env) for _ in range(args.runs)]
    a, e = statistics.median(app), statistics.median(empty)
    print(f"platform: {env['QT_QPA_PLATFORM']}, {args.runs} runs each")
    print(f"auditapp main window (demo data): median {a * 1000:.0f} ms (min {min(app) * 1000:.0f}, max {max(app) * 1000:.0f})")
    print(f"empty PySide6 window:             median {e * 1000:.0f} ms (min {min(empty) * 1000:.0f}, max {max(empty) * 1000:.0f})")
    print(f"the app's own start-up work: {(a - e) * 1000:.0f} ms ({a / e:.1f}x the empty window)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
