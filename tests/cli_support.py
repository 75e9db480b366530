"""Running ``auditapp`` from tests: in-process (fast, the default) or as a real subprocess.

In-process runs call :func:`auditapp.cli.main` with the data folder and checklist library
set through the environment (``monkeypatch``) and stdout/stderr captured by ``capsys``.
Use :class:`SubprocessCli` only where a real process is the point: the entry point,
exit codes seen by a shell, broken pipes, argv bytes that are not UTF-8.

Test modules take the fixtures by importing them: ``from cli_support import cli  # noqa: F401``.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import sqlite3
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from conftest import LIBRARY_FIXTURE, REPO_ROOT, cli_env


@dataclass
class CliResult:
    returncode: int
    stdout: str
    stderr: str


class InProcessCli:
    """``auditapp …`` through ``main(argv)`` in this process."""

    def __init__(
        self,
        data_dir: Path,
        monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str],
        checklists: Path | None = LIBRARY_FIXTURE,
    ) -> None:
        self.data_dir = data_dir
        self._capsys = capsys
        monkeypatch.setenv("AUDITAPP_DATA_DIR", str(data_dir))
        if checklists is not None:
            monkeypatch.setenv("AUDITAPP_CHECKLISTS_DIR", str(checklists))
        else:
            monkeypatch.delenv("AUDITAPP_CHECKLISTS_DIR", raising=False)

    def run(self, *args: str, expect: int = 0) -> CliResult:
        from auditapp.cli import main

        self._capsys.readouterr()
        code = main(list(args))
        out, err = self._capsys.readouterr()
        assert code == expect, f"exit {code}\nstdout:{out}\nstderr:{err}"
        return CliResult(code, out, err)

    def json(self, *args: str) -> Any:
        return json.loads(self.run(*args, "--json").stdout)


class SubprocessCli:
    """``python -m auditapp …`` as a separate process."""

    def __init__(self, data_dir: Path, checklists: Path | None = LIBRARY_FIXTURE) -> None:
        self.data_dir = data_dir
        self.env = cli_env(data_dir)
        if checklists is not None:
            self.env["AUDITAPP_CHECKLISTS_DIR"] = str(checklists)

    def command(self, *args: str | bytes) -> list[str | bytes]:
        return [sys.executable, "-m", "auditapp", *args]

    def run(self, *args: str | bytes, expect: int = 0) -> CliResult:
        proc = subprocess.run(
            self.command(*args), env=self.env, capture_output=True, cwd=REPO_ROOT, timeout=120, check=False
        )
        out, err = proc.stdout.decode("utf-8", "replace"), proc.stderr.decode("utf-8", "replace")
        assert proc.returncode == expect, f"exit {proc.returncode}\nstdout:{out}\nstderr:{err}"
        return CliResult(proc.returncode, out, err)

    def json(self, *args: str) -> Any:
        return json.loads(self.run(*args, "--json").stdout)


def run_main(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """``auditapp ARGS`` on ``data_dir`` in this process, answered as ``subprocess.run(..., text=True)`` would.

    For tests written against a child process that need none of what only a process
    gives (see the module docstring): the same exit code, stdout and stderr, without
    the 1–2 s a fresh interpreter spends importing the app.
    """
    from auditapp.cli import main

    out, err = io.StringIO(), io.StringIO()
    saved = os.environ.get("AUDITAPP_DATA_DIR")
    os.environ["AUDITAPP_DATA_DIR"] = str(data_dir)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = main(list(args))
            except SystemExit as exc:  # argparse usage errors, as a process would exit with them
                code = exc.code if isinstance(exc.code, int) else 1
    finally:
        if saved is None:
            os.environ.pop("AUDITAPP_DATA_DIR", None)
        else:
            os.environ["AUDITAPP_DATA_DIR"] = saved
    return subprocess.CompletedProcess(["auditapp", *args], code, out.getvalue(), err.getvalue())


@pytest.fixture
def cli(data_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> InProcessCli:
    return InProcessCli(data_dir, monkeypatch, capsys)


@pytest.fixture
def visit_id(cli: InProcessCli, empty_template: Path) -> str:
    """A visit of a TCM hospital on the fixture library.

    The data folder starts as a copy of the migrated empty one (conftest ``empty_template``)
    rather than being created by the first command: creating it runs every migration
    (0.2–0.5 s). Either way the folder ends up with the database and one daily backup.
    """
    import shutil

    shutil.copytree(empty_template, cli.data_dir)
    cli.run("institution", "add", "--name", "示例中医院", "--kind", "tcm", "--level", "3", "--alliance-lead")
    return cli.run("visit", "new", "--institution", "示例中医院", "--inspector", "王院长").stdout.strip()


def folder_state(folder: Path) -> dict[str, Any]:
    """Everything a command could change in a data folder: every table's rows and every file's hash.

    The database is read row by row (not hashed as a file: SQLite may rewrite pages
    without changing content), the other files by content.
    """
    state: dict[str, Any] = {}
    if not folder.exists():
        return state
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        rel = str(path.relative_to(folder))
        if rel.startswith(("audit.sqlite3", "logs/")):
            continue
        state[rel] = hashlib.sha256(path.read_bytes()).hexdigest()
    db = folder / "audit.sqlite3"
    if db.exists():
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
        try:
            tables = [r[0] for r in con.execute("select name from sqlite_master where type='table' order by name")]
            for table in tables:
                rows = con.execute(f'select * from "{table}"').fetchall()
                state[f"table:{table}"] = sorted(repr(r) for r in rows)
        finally:
            con.close()
    return state


@pytest.fixture(scope="session")
def populated_template(tmp_path_factory: pytest.TempPathFactory, empty_template: Path) -> tuple[Path, dict[str, str]]:
    """A data folder with a TCM hospital, one visit with a finding and one photo, built once per session.

    It starts as a copy of the migrated empty folder (conftest ``empty_template``; migrating
    costs 0.5–1 s), opened without a backup as a just-created database is.
    """
    import shutil

    from PIL import Image

    from auditapp.checklists import load_library
    from auditapp.db import open_database
    from auditapp.services.institutions import add_institution
    from auditapp.services.photos import add_photos
    from auditapp.services.visits import add_finding, start_visit

    root = tmp_path_factory.mktemp("populated")
    folder = root / "data"
    image = root / "p.png"
    Image.new("RGB", (200, 100), "white").save(image)
    shutil.copytree(empty_template, folder)
    db = open_database(folder, actor="tester", backup=False)
    try:
        inst = add_institution(db, name="示例中医院", kind="tcm", level=3, alliance_lead=True, departments=["门诊部"])
        visit = start_visit(db, institution=inst.id, inspector="王院长", library=load_library(LIBRARY_FIXTURE))
        finding = add_finding(db, visit.id, text="候诊区座椅不足", department="门诊部")
        photo = add_photos(db, visit.id, [image])[0]
    finally:
        db.close()
    return folder, {"institution": inst.id, "visit": visit.id, "finding": finding.id, "photo": photo.id}


@pytest.fixture
def populated(populated_template: tuple[Path, dict[str, str]], cli: InProcessCli) -> dict[str, str]:
    """A copy of the populated folder as this test's data folder (opened once, so it has settled there)."""
    import shutil

    from auditapp.db import open_database

    template, ids = populated_template
    shutil.copytree(template, cli.data_dir)
    open_database(cli.data_dir, actor="tester").close()  # a copied folder takes its new device id now
    return ids
