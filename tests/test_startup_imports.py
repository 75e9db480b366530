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
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

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
    return _lines_and_early(_run(TAP.format(early=BEFORE_THE_DATABASE) + START, env))


def _lines_and_early(out: subprocess.CompletedProcess[str]) -> tuple[list[str], list[str]]:
    lines = [line for line in out.stdout.splitlines() if line.startswith(("gui ok", "db ok"))]
    early = [line for line in out.stdout.splitlines() if line.startswith("at-window ")]
    assert out.returncode == 0 and len(lines) == 2 and early, f"exit {out.returncode}:\n{out.stdout}\n{out.stderr}"
    assert "Traceback" not in out.stderr, out.stderr
    return lines, list(json.loads(early[0].removeprefix("at-window ")))


@dataclass(frozen=True)
class FirstStart:
    """The first start of ``auditapp`` on a fresh copy of the demo data (no home snapshot yet), up to its quit."""

    folder: Path
    env: dict[str, str]
    lines: list[str]  # its "gui ok" and "db ok" lines
    early: list[str]  # what of BEFORE_THE_DATABASE was loaded when the window was shown
    loaded: list[str]  # what of HEAVY was loaded at the process's exit


@pytest.fixture(scope="module")
def first_start(demo_template: Path, tmp_path_factory: pytest.TempPathFactory) -> FirstStart:
    """One usual start shared by the tests about it (an app start costs 2–3 s of CPU).

    test_starting_the_app… checks what that start loaded, test_a_returning_user… starts
    the app a second time on the same folder (the snapshot is bound to the folder, so it
    cannot be copied). Its own home folders and language, as the autouse fixtures give a
    test: this runs before them.
    """
    root = tmp_path_factory.mktemp("first-start")
    folder = root / "demo-data"
    shutil.copytree(demo_template, folder, ignore=shutil.ignore_patterns("backups"))
    home = root / "home"
    env = {
        **os.environ,
        "HOME": str(home),
        "XDG_DATA_HOME": str(home / "data"),
        "XDG_CONFIG_HOME": str(home / "config"),
        "XDG_CACHE_HOME": str(home / "cache"),
        "AUDITAPP_LANG": "en",
        "AUDITAPP_DATA_DIR": str(folder),
        "AUDITAPP_QUIT_AFTER_MS": "0",
        "QT_QPA_PLATFORM": "offscreen",
    }
    out = _run(TAP.format(early=BEFORE_THE_DATABASE) + START, env)
    lines, early = _lines_and_early(out)
    return FirstStart(folder, env, lines, early, _loaded(out))


def test_starting_the_app_on_demo_data_loads_nothing_heavy(first_start: FirstStart) -> None:
    """The real start (``auditapp`` with no command) up to a window listing the visits, then quit."""
    shown = first_start.lines[0]
    assert shown.startswith("gui ok"), first_start.lines
    assert "visible=True institutions=2 " in shown, shown
    visits = int(shown.split("visits=")[1].split()[0])
    assert visits > 0, shown  # the line the benchmark times comes with the visit list filled
    assert first_start.loaded == []


def test_a_returning_users_window_is_shown_before_the_orm_loads(first_start: FirstStart) -> None:
    """First start: the usual one (no snapshot yet). The next: the window without SQLAlchemy, then the database."""
    lines, early = first_start.lines, first_start.early
    assert lines[1].endswith("snapshot=no") and "sqlalchemy" in early  # the usual start opens the database first
    lines, early = _start(first_start.env)
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
