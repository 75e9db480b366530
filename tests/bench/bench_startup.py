"""Start-up benchmark: a new process until the main window is shown and usable, against
an empty PySide6 window started the same way (the floor no Qt app can beat).

    .venv/bin/python tests/bench/bench_startup.py [--runs 7] [--baseline /path/to/other/checkout]

Each run is a fresh process (imports, Qt, fonts, translations, opening the database).
The clock stops when the process prints its "gui ok" line: the empty window prints it on
the first event-loop turn after show(); the app prints it once the visit list holds the
first institution's visits (``AUDITAPP_QUIT_AFTER_MS=0``, see ``ui/app.py``): a usable
window, not a splash. The app's "db ok" line follows when the window works on its open
database (at once on the usual start; after the background open on the fast start,
which shows the last session's home screen first, see ``ui/home_snapshot.py``); its
time is the second figure. The time until the process has exited is printed beside them.

What is timed is a **returning user's** start: the first start after the demo data is
made has no snapshot yet, so every kind is started once before timing (which also warms
the file and bytecode caches). The **cold** start (no snapshot: the first start, or the
first after the database changed behind the app's back) is timed too, in the same
rounds, as "cold": its snapshot is deleted before each of its starts.

The kinds of start alternate (app, [baseline app,] empty, app, ...) so that a burst of load
on a shared machine falls on all of them alike; the ratio of the medians is the figure to
quote, with the load average printed beside it. ``--baseline`` times another checkout
(its own ``.venv`` and its own demo data) in the same rounds: before/after in one sitting.

Python's bytecode cache is on (in a temporary folder, ``PYTHONPYCACHEPREFIX``), as in an
installed app, even where the environment sets ``PYTHONDONTWRITEBYTECODE``;
``--no-bytecode-cache`` times the other way (every module of the app compiled from source
at every start).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
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


@dataclass
class Kind:
    """One kind of start: its command, where it runs, and the times measured."""

    label: str
    cmd: list[str]
    env: dict[str, str]
    cwd: Path
    before: Path | None = None  # a file deleted before each start (the cold start's snapshot)
    window: list[float] = field(default_factory=list)
    db_ready: list[float] = field(default_factory=list)
    exited: list[float] = field(default_factory=list)

    def run(self) -> tuple[float, float, float]:
        """One start: seconds to the "gui ok" line, to the "db ok" line (or "gui ok" without one), to exit."""
        if self.before is not None:
            self.before.unlink(missing_ok=True)
        started = time.perf_counter()
        proc = subprocess.Popen(self.cmd, env=self.env, cwd=self.cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        assert proc.stdout is not None
        shown = ready = None
        seen: list[str] = []
        for line in proc.stdout:
            seen.append(line)
            if line.startswith("gui ok"):
                shown = time.perf_counter() - started
            elif line.startswith("db ok"):
                ready = time.perf_counter() - started
                break
        rest, err = proc.communicate(timeout=120)
        exited = time.perf_counter() - started
        if shown is None or proc.returncode != 0:
            raise SystemExit(f"no window: {self.cmd} (exit {proc.returncode})\n{''.join(seen)}{rest}\n{err}")
        # An empty window, or a checkout from before the fast start, prints no "db ok":
        # its window is on the database when it is shown.
        return shown, shown if ready is None else ready, exited

    def time_once(self) -> None:
        shown, ready, exited = self.run()
        self.window.append(shown)
        self.db_ready.append(ready)
        self.exited.append(exited)

    def line(self) -> str:
        w, d, x = self.window, self.db_ready, self.exited
        return (
            f"{self.label:<40} window median {statistics.median(w) * 1000:5.0f} ms "
            f"(min {min(w) * 1000:4.0f}, max {max(w) * 1000:4.0f}); db ready median {statistics.median(d) * 1000:5.0f} ms; "
            f"exited median {statistics.median(x) * 1000:5.0f} ms"
        )


def _env(work: Path, checkout: Path, *, bytecode_cache: bool) -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen" if not env.get("DISPLAY") else "xcb")
    env.update(
        AUDITAPP_DATA_DIR=str(work / "data"),
        XDG_CONFIG_HOME=str(work / "config"),
        XDG_CACHE_HOME=str(work / "cache"),
        AUDITAPP_QUIT_AFTER_MS="0",
        PYTHONPATH=str(checkout),
    )
    if bytecode_cache:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(work / "pycache")  # nothing written into the checkout
    else:
        env["PYTHONDONTWRITEBYTECODE"] = "1"
        env.pop("PYTHONPYCACHEPREFIX", None)
    return env


def _app(label: str, checkout: Path, work: Path, *, bytecode_cache: bool) -> tuple[Kind, Kind]:
    """The app of ``checkout`` on demo data made by that checkout (once, before timing): warm and cold.

    Both start on the same data folder; the cold one deletes the home screen's snapshot
    first (``ui/home_snapshot.py``: ``<data>/cache/home-snapshot.json``), and writes it
    again when it quits, so the warm start after it finds one.
    """
    python = checkout / ".venv" / "bin" / "python"
    env = _env(work, checkout, bytecode_cache=bytecode_cache)
    subprocess.run([str(python), "-m", "auditapp", "demo"], env=env, check=True, capture_output=True, cwd=checkout)
    cmd = [str(python), "-m", "auditapp"]
    snapshot = work / "data" / "cache" / "home-snapshot.json"
    return Kind(label, cmd, env, checkout), Kind(f"{label}, cold", cmd, env, checkout, before=snapshot)


def _load() -> str:
    return " / ".join(f"{x:.2f}" for x in os.getloadavg())


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7, help="timed starts of each kind (default 7)")
    parser.add_argument("--baseline", type=Path, help="another checkout (with its own .venv) to time in the same rounds")
    parser.add_argument("--no-bytecode-cache", action="store_true", help="compile the app's modules at every start")
    args = parser.parse_args()
    cache = not args.no_bytecode_cache
    root = Path(tempfile.mkdtemp(prefix="auditapp-startup-"))
    try:
        return _bench(args, root, cache=cache)
    finally:
        shutil.rmtree(root, ignore_errors=True)  # demo data, bytecode cache: nothing left behind


def _bench(args: argparse.Namespace, root: Path, *, cache: bool) -> int:
    kinds = [*_app(f"auditapp ({REPO.name})", REPO, root / "app", bytecode_cache=cache)]
    if args.baseline is not None:
        warm, _cold = _app(f"auditapp ({args.baseline.name}, baseline)", args.baseline.resolve(), root / "baseline", bytecode_cache=cache)
        kinds.append(warm)  # a checkout from before the snapshot: every start of it is cold
    empty_env = _env(root / "empty", REPO, bytecode_cache=cache)
    empty = Kind("empty PySide6 window", [sys.executable, "-c", EMPTY_WINDOW], empty_env, REPO)
    kinds.append(empty)
    for kind in kinds:  # warm the file, bytecode and translation caches; the first start writes the snapshot
        kind.run()
    load_before = _load()
    for _ in range(args.runs):
        for kind in kinds:
            kind.time_once()
    print(
        f"platform: {empty_env['QT_QPA_PLATFORM']}, {args.runs} runs each, alternating, bytecode cache {'on' if cache else 'off'}; "
        f"load average (1/5/15 min) {load_before} before, {_load()} after"
    )
    for kind in kinds:
        print(kind.line())
    floor = statistics.median(empty.window)
    for kind in kinds[:-1]:
        a, d = statistics.median(kind.window), statistics.median(kind.db_ready)
        print(
            f"{kind.label}: window {a / floor:.1f}x the empty window ({(a - floor) * 1000:.0f} ms of its own start-up work); "
            f"db ready {d / floor:.1f}x"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
