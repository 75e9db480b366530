"""An installed wheel (not the checkout) finds its checklists, resources and migrations."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO_ROOT


@pytest.mark.slow
@pytest.mark.timeout(900)  # a wheel build and `auditapp demo` in child processes: 1–2.5 min on a busy machine
def test_wheel_install_runs_from_another_directory(tmp_path: Path) -> None:
    target = tmp_path / "site"
    # --no-compile: pip would compile every module of the wheel (a third of its time); the
    # commands below compile what they import, as an installer that skips it leaves it to them.
    install = [sys.executable, "-m", "pip", "install", "--no-deps", "--no-compile", "--quiet", "--target", str(target)]
    build = subprocess.run(
        [*install, "--no-build-isolation", str(REPO_ROOT)],
        capture_output=True,
        text=True,
    )
    if build.returncode != 0 and "hatchling" in build.stderr:
        # Without hatchling in this venv, let pip fetch the build backend.
        build = subprocess.run(
            [*install, str(REPO_ROOT)],
            capture_output=True,
            text=True,
        )
    assert build.returncode == 0, build.stderr
    assert (target / "auditapp" / "_bundled" / "checklists").is_dir()
    assert (target / "auditapp" / "_bundled" / "resources" / "fonts" / "wqy-microhei.ttc").is_file()

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = dict(os.environ, PYTHONPATH=str(target), AUDITAPP_DATA_DIR=str(tmp_path / "data"), PYTHONIOENCODING="utf-8")
    env.pop("AUDITAPP_CHECKLISTS_DIR", None)
    probe = subprocess.run(
        [
            sys.executable,
            "-c",
            "import auditapp, auditapp.paths as p; print(auditapp.__file__); print(p.checklists_dir()); "
            "print(p.cjk_font_path()); print(p.migrations_dir())",
        ],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    lines = probe.stdout.splitlines()
    assert all(line.startswith(str(target)) for line in lines), lines

    for args in (["checklists", "validate"], ["demo"], ["visit", "list"]):
        run = subprocess.run(
            [sys.executable, "-m", "auditapp", *args], cwd=elsewhere, env=env, capture_output=True, text=True, encoding="utf-8"
        )
        assert run.returncode == 0, (args, run.stderr)
    assert (tmp_path / "data" / "audit.sqlite3").is_file()
