"""The first window's start-up imports nothing it does not need (issue 14, start-up).

Reports (ReportLab, openpyxl, python-docx), sync (psycopg, cryptography), Alembic (an
up-to-date database), the photo widgets (Pillow) and the checklist library reader (YAML)
each cost start-up time and are imported where they are first used. A module-top import
added to any module on the start-up path would bring that cost back silently; these
tests fail on it instead. They check ``sys.modules`` in a fresh process, not the clock
(the timing is tests/bench/bench_startup.py).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

# Top-level packages and our own modules the first window must not load.
HEAVY = (
    "reportlab", "openpyxl", "docx", "alembic", "psycopg", "cryptography", "PIL", "yaml",
    "auditapp.reports", "auditapp.sync", "auditapp.ledger", "auditapp.checklists.loader",
    "ui.photos", "ui.visit_runner", "ui.reports_dialog", "ui.sync_dialogs", "ui.dashboard",
)

# What the fast start's first window (the last session's home screen, ui/home_snapshot.py)
# is shown without: the ORM, the services, the validated settings. They load in the
# background after the window is shown (and on the usual start, before).
BEFORE_THE_DATABASE = (*HEAVY, "sqlalchemy", "pydantic", "auditapp.db", "auditapp.services", "auditapp.settings")

REPORT = (
    "import atexit, json, sys\n"
    "HEAVY = {heavy!r}\n"
    "def report():\n"
    "    loaded = sorted(m for m in HEAVY if m in sys.modules)  # a submodule loads its packages\n"
    "    print('loaded ' + json.dumps(loaded), flush=True)\n"
    "atexit.register(report)\n"
)


def _run(code: str, env: dict[str, str], heavy: tuple[str, ...] = HEAVY) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", REPORT.format(heavy=heavy) + code],
        capture_output=True, text=True, timeout=300, cwd=REPO, env={**env, "PYTHONPATH": str(REPO)},
    )


def _loaded(out: subprocess.CompletedProcess[str]) -> list[str]:
    lines = [line for line in out.stdout.splitlines() if line.startswith("loaded ")]
    assert lines, f"no report (exit {out.returncode}):\n{out.stdout}\n{out.stderr}"
    return list(json.loads(lines[-1].removeprefix("loaded ")))


def test_the_report_sees_a_heavy_import() -> None:
    """The check itself works: a module that is imported is reported."""
    out = _run("import yaml, auditapp.checklists.loader\n", dict(os.environ))
    assert _loaded(out) == ["auditapp.checklists.loader", "yaml"]


def test_importing_the_first_windows_modules_loads_nothing_heavy() -> None:
    """Not even the ORM, the services or pydantic: the fast start shows the window before them."""
    out = _run("import ui.app, ui.main_window, auditapp.cli.runner\n", dict(os.environ), BEFORE_THE_DATABASE)
    assert out.returncode == 0, out.stderr
    assert _loaded(out) == []


def test_the_report_sees_the_orm() -> None:
    out = _run("import auditapp.db\n", dict(os.environ), BEFORE_THE_DATABASE)
    assert {"sqlalchemy", "auditapp.db"} <= set(_loaded(out))


def test_starting_the_app_on_demo_data_loads_nothing_heavy(demo_data_dir: Path, tmp_path: Path) -> None:
    """The real start (``auditapp`` with no command) up to a window listing the visits, then quit."""
    env = {
        **os.environ,
        "AUDITAPP_DATA_DIR": str(demo_data_dir),
        "AUDITAPP_QUIT_AFTER_MS": "0",
        "QT_QPA_PLATFORM": "offscreen",
    }
    out = _run("import sys, runpy\nsys.argv = ['auditapp']\nrunpy.run_module('auditapp', run_name='__main__')\n", env)
    shown = [line for line in out.stdout.splitlines() if line.startswith("gui ok")]
    assert shown, f"no window (exit {out.returncode}):\n{out.stdout}\n{out.stderr}"
    assert "visible=True institutions=2 " in shown[0], shown[0]
    visits = int(shown[0].split("visits=")[1].split()[0])
    assert visits > 0, shown[0]  # the line the benchmark times comes with the visit list filled
    assert _loaded(out) == []


# At the "gui ok" line (the window shown with its rows), which of BEFORE_THE_DATABASE are loaded.
TAP = (
    "import json, sys\n"
    "class _Tap:\n"
    "    def __init__(self, out): self.out = out\n"
    "    def write(self, text):\n"
    "        if text.startswith('gui ok'):\n"
    "            early = sorted(m for m in {early!r} if m in sys.modules)\n"
    "            self.out.write('at-window ' + json.dumps(early) + '\\n')\n"
    "        return self.out.write(text)\n"
    "    def flush(self): self.out.flush()\n"
    "sys.stdout = _Tap(sys.stdout)\n"
)
START = "import sys, runpy\nsys.argv = ['auditapp']\nrunpy.run_module('auditapp', run_name='__main__')\n"


def _start(env: dict[str, str]) -> tuple[list[str], list[str]]:
    """One start of ``auditapp`` up to its quit: (its "gui ok"/"db ok" lines, what was loaded at the window)."""
    out = _run(TAP.format(early=BEFORE_THE_DATABASE) + START, env)
    lines = [line for line in out.stdout.splitlines() if line.startswith(("gui ok", "db ok"))]
    early = [line for line in out.stdout.splitlines() if line.startswith("at-window ")]
    assert out.returncode == 0 and len(lines) == 2 and early, f"exit {out.returncode}:\n{out.stdout}\n{out.stderr}"
    assert "Traceback" not in out.stderr, out.stderr
    return lines, list(json.loads(early[0].removeprefix("at-window ")))


def test_a_returning_users_window_is_shown_before_the_orm_loads(demo_data_dir: Path) -> None:
    """First start: the usual one (no snapshot yet). The next: the window without SQLAlchemy, then the database."""
    env = {**os.environ, "AUDITAPP_DATA_DIR": str(demo_data_dir), "AUDITAPP_QUIT_AFTER_MS": "0", "QT_QPA_PLATFORM": "offscreen"}
    lines, early = _start(env)
    assert lines[1].endswith("snapshot=no") and "sqlalchemy" in early  # the usual start opens the database first
    lines, early = _start(env)
    assert early == [], early
    assert "visible=True institutions=2 visits=3 " in lines[0], lines
    assert lines[1].startswith("db ok: institutions=2 visits=3") and lines[1].endswith("snapshot=yes"), lines


def test_a_damaged_snapshot_falls_back_to_the_usual_start_silently(demo_data_dir: Path) -> None:
    env = {**os.environ, "AUDITAPP_DATA_DIR": str(demo_data_dir), "AUDITAPP_QUIT_AFTER_MS": "0", "QT_QPA_PLATFORM": "offscreen"}
    _start(env)  # writes the snapshot
    snapshot = demo_data_dir / "cache" / "home-snapshot.json"
    snapshot.write_bytes(snapshot.read_bytes()[:-40])  # truncated
    lines, _early = _start(env)
    assert "visible=True institutions=2 visits=3 " in lines[0], lines
    assert lines[1].endswith("snapshot=no"), lines
