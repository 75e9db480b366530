"""Shared fixtures for the whole suite. Use these rather than writing your own.

Always on (autouse), for every test:

* ``_isolated_user_dirs`` — HOME, XDG folders and ``AUDITAPP_DATA_DIR`` point into a
  temporary folder; messages are in English (``AUDITAPP_LANG=en``) unless the test sets
  ``zh_CN``.
* ``dialogs`` — no dialog can block (``tests/dialogs_support.py``). Message boxes
  (static and ``exec()``), file and input dialogs, ``QDialog.exec()`` of any dialog and
  context menus (``QMenu.exec``) return a scripted answer at once. A dialog the test did
  not script is answered "cancel" and **fails the test**, naming the line that opened
  it; so does a scripted dialog that never opened. Request the fixture to script::

      def test_finalize(window, dialogs):
          dialogs.expect_question(Button.Yes, match="Finalize")
          dialogs.expect_file(tmp_path / "list.pdf")           # open or save dialog
          dialogs.expect_files([a, b]); dialogs.expect_folder(path)
          dialogs.expect_input("扶手松动")                       # QInputDialog.get*
          dialogs.expect_error(match="broken.jpg"); dialogs.expect_info()
          dialogs.expect_dialog(SettingsDialog, lambda d: d.inspector_edit.setText("王"))
          dialogs.expect_menu("Delete")                        # context menu action
          ...
          assert [s.kind for s in dialogs.seen] == [...]       # what opened, in order

  Expectations of one kind are met in the order given; ``match`` is a regex searched
  in the dialog's title, text and informative text. ``Button`` is
  ``QMessageBox.StandardButton`` (exported here and from ``dialogs_support``).
* ``_background_work`` — on teardown, every ``QThreadPool`` of the app (the global one
  and the pools in ``ui.workers``) is waited for and every ``QProcess`` started in the
  test (report processes) is killed, so no task outlives its test
  (``tests/workers_support.py``). The ``db`` fixture drains before it closes the
  database, too. Call ``drain_background_work()`` inside a test to wait for workers
  explicitly, but prefer ``qtbot.waitSignal(task.signals.finished)`` or the widget's
  own signal.

Data:

* ``data_dir`` — a fresh, not yet created data folder (``tmp_path / "data"``).
* ``db`` — a new empty database in ``data_dir`` (copied from a migrated template made
  once per session), closed after the test.
* ``demo_db`` — a database with the demo hospitals (``create_demo_data`` on the real
  checklist library), in its own folder, closed after the test. The demo data is built
  once per run (``demo_template``, about 20 s; under pytest-xdist by the first worker
  that needs it, the others reuse it: ``built_once``) and copied per test: database
  and photos. The copy sits at another path, so it opens as a new replica with its own
  device id (``auditapp/db/engine.py``). ``demo_data_dir`` gives the copied folder only,
  for tests that open it themselves (CLI, reports in a child process).
* ``fixture_library`` — the small, stable library in ``tests/fixtures/library``
  (session-scoped, read-only); ``real_library`` — the shipped checklists.

Pytest settings that back this up (pyproject.toml): ``timeout`` (pytest-timeout; a
hung test fails the run with a stack dump instead of hanging CI; mark a test that
legitimately needs longer with ``@pytest.mark.timeout(N)``), ``qt_log_level_fail =
WARNING`` (a Qt warning fails the test; ignore one with ``qt_log_ignore`` and a reason),
``xfail_strict``.
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Callable, Generator, Iterator
from pathlib import Path
from typing import Any

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def _cache_bytecode_outside_the_checkout() -> None:
    """Keep compiled modules where PYTHONDONTWRITEBYTECODE asked for none: in the system temp folder.

    With no bytecode at all, every test run recompiles the app and rewrites every test
    module's asserts (about 6 s of CPU per process), and every ``python -m auditapp``
    child a test starts compiles the app again. A ``pycache_prefix`` outside the
    checkout keeps the tree as clean as PYTHONDONTWRITEBYTECODE does; the children
    (and pytest-xdist workers) inherit it through the environment.
    """
    if not sys.dont_write_bytecode or sys.pycache_prefix:
        return
    import tempfile

    prefix = os.path.join(tempfile.gettempdir(), f"auditapp-tests-pycache-{os.getuid()}")
    sys.pycache_prefix = prefix
    sys.dont_write_bytecode = False
    os.environ["PYTHONPYCACHEPREFIX"] = prefix
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)


_cache_bytecode_outside_the_checkout()


def _temporary_folders_in_memory(root: str = "/dev/shm", room: int = 4 << 30) -> None:
    """Tests' temporary folders (``tmp_path``, the templates built once) on tmpfs when it has room.

    The app commits every change at once with ``synchronous=FULL``, so a test that writes
    a few hundred records waits for a few hundred fsyncs: 5.5 ms each on this machine's
    disk, 0.05 ms in memory (tests of the database layer measured 25 % faster side by
    side). A full run leaves about 0.8 GB there; pyproject.toml keeps only the last run
    (``tmp_path_retention_count = 1``). Set ``PYTEST_DEBUG_TEMPROOT`` (pytest's own
    variable) to put them elsewhere, or ``AUDITAPP_TEST_TMPFS=0`` to keep the default.
    """
    if os.environ.get("PYTEST_DEBUG_TEMPROOT") or os.environ.get("AUDITAPP_TEST_TMPFS") == "0":
        return
    try:
        usable = os.access(root, os.W_OK) and shutil.disk_usage(root).free >= room
    except OSError:
        usable = False
    if usable:
        os.environ["PYTEST_DEBUG_TEMPROOT"] = root  # inherited by xdist workers and CLI child processes


_temporary_folders_in_memory()

REPO_ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
LIBRARY_FIXTURE = FIXTURES / "library"

if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from auditapp.db import Database, open_database  # noqa: E402
from dialogs_support import Button, DialogScript  # noqa: E402
from workers_support import BackgroundWork  # noqa: E402

__all__ = ["LIBRARY_FIXTURE", "REPO_ROOT", "Button", "built_once", "cli_env", "drain_background_work"]

_work = BackgroundWork()


def drain_background_work() -> None:
    """Wait for every pool task, end every child process, deliver their queued results."""
    problems = _work.drain()
    if problems:
        pytest.fail("background work outlived its test: " + "; ".join(problems), pytrace=False)


@pytest.fixture(autouse=True)
def _isolated_user_dirs(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep tests away from the real user data, config and cache folders."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / "cache"))
    monkeypatch.delenv("AUDITAPP_DATA_DIR", raising=False)
    # Messages in English unless a test asks for Chinese (AUDITAPP_LANG=zh_CN or set_language).
    monkeypatch.setenv("AUDITAPP_LANG", "en")
    from auditapp import language

    language.set_language(None)
    language.forget_cached_settings()


@pytest.fixture(autouse=True)
def dialogs(monkeypatch: pytest.MonkeyPatch) -> Iterator[DialogScript]:
    """Scripted answers for every dialog; see the module docstring."""
    script = DialogScript()
    script.install(monkeypatch)
    yield script
    script.verify()  # what opened during teardown, or was left unmet by a failing test


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Generator[None, Any, Any]:
    """Report a dialog that went against the script as the test's failure, not a teardown error."""
    result = yield
    script = getattr(item, "funcargs", {}).get("dialogs")
    if isinstance(script, DialogScript):
        script.verify()
    return result


@pytest.fixture(autouse=True)
def _background_work(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    _work.install(monkeypatch)
    yield
    drain_background_work()


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


def built_once(tmp_path_factory: pytest.TempPathFactory, name: str, build: Callable[[Path], None]) -> Path:
    """``build(folder)`` once per test run, also when pytest-xdist runs it in several worker processes.

    Without xdist this is a session fixture's own folder. Under xdist the first worker to
    ask builds it in the run's shared temporary folder while holding a lock; the others
    wait for the lock and reuse the result instead of building the same data again. A
    build that failed leaves no "done" mark, so the next worker tries again (and fails
    with its own traceback).
    """
    if not os.environ.get("PYTEST_XDIST_WORKER"):
        folder = tmp_path_factory.mktemp(name) / "data"
        build(folder)
        return folder
    import fcntl

    root = tmp_path_factory.getbasetemp().parent / f"built-once-{name}"  # the run's folder, above popen-gwN
    root.mkdir(exist_ok=True)
    folder, done = root / "data", root / "done"
    with (root / "lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not done.exists():
            shutil.rmtree(folder, ignore_errors=True)
            build(folder)
            done.touch()
    return folder


@pytest.fixture(scope="session")
def empty_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A new data folder with its database migrated to head, made once. Never open it: copy it."""
    return built_once(tmp_path_factory, "empty-template", lambda folder: open_database(folder, actor="tester").close())


@pytest.fixture
def db(data_dir: Path, empty_template: Path) -> Iterator[Database]:
    """A new, empty database of the test's own in ``data_dir``.

    Copied from ``empty_template`` rather than created: running the migrations costs
    0.2–0.5 s a test. Opened without the daily backup, as a just-created database is,
    so ``data_dir`` holds the database alone, as before.
    """
    shutil.copytree(empty_template, data_dir)
    database = open_database(data_dir, actor="tester", backup=False)
    yield database
    drain_background_work()  # before the database closes under a running task
    database.close()


@pytest.fixture(scope="session")
def fixture_library():  # type: ignore[no-untyped-def]
    """A small, stable library (tests/fixtures/library) independent of the real content."""
    from auditapp.checklists import load_library

    return load_library(LIBRARY_FIXTURE)


@pytest.fixture(scope="session")
def real_library():  # type: ignore[no-untyped-def]
    from auditapp.checklists import load_library

    return load_library()


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory, real_library) -> Path:  # type: ignore[no-untyped-def]
    """A data folder with the demo hospitals, built once per session. Never open it: copy it."""
    from auditapp.services.demo import create_demo_data

    def build(folder: Path) -> None:
        database = open_database(folder, actor="tester")
        try:
            create_demo_data(database, library=real_library)
        finally:
            database.close()  # the last connection checkpoints the WAL into the file

    return built_once(tmp_path_factory, "demo-template", build)


@pytest.fixture
def demo_data_dir(demo_template: Path, tmp_path: Path) -> Path:
    """A private copy of the demo data folder (database and photos, no backups)."""
    target = tmp_path / "demo-data"
    shutil.copytree(demo_template, target, ignore=shutil.ignore_patterns("backups"))
    return target


@pytest.fixture
def demo_db(demo_data_dir: Path) -> Iterator[Database]:
    """The demo data, opened as a test's own database (a new replica of the template)."""
    database = open_database(demo_data_dir, actor="tester")
    yield database
    drain_background_work()
    database.close()


def cli_env(data_dir: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["AUDITAPP_DATA_DIR"] = str(data_dir)
    env["PYTHONPATH"] = str(REPO_ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    env["PYTHONIOENCODING"] = "utf-8"
    return env
