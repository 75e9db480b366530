"""Building a test's starting data once per run and copying it per test.

For a module whose tests all start from the same seeded database (the ledger's world, the
dashboard's two hospitals): :func:`world_once` builds it once per test run, also across
pytest-xdist workers (``conftest.built_once``), and :func:`copy_world` gives each test its
own copy of the folder, opened as ``conftest``'s ``db`` opens one, and the objects the
build returned (pickled beside the folder, so every worker gets the same ones).
"""

from __future__ import annotations

import contextlib
import os
import pickle
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from auditapp.db import Database, open_database


@contextlib.contextmanager
def tests_language() -> Iterator[None]:
    """English, as conftest sets it for each test: a session fixture runs before that happens.

    What a build stores in words (event notes, a workbook's sheet names) is then what the
    same calls made inside a test would have stored.
    """
    from auditapp import language

    saved = os.environ.get("AUDITAPP_LANG")
    os.environ["AUDITAPP_LANG"] = "en"
    language.set_language(None)
    try:
        yield
    finally:
        if saved is None:
            os.environ.pop("AUDITAPP_LANG", None)
        else:
            os.environ["AUDITAPP_LANG"] = saved
        language.set_language(None)


def world_once(tmp_path_factory: pytest.TempPathFactory, name: str, seed: Callable[[Database, Path], Any]) -> Path:
    """``seed(db, folder)`` on a new database in ``folder/data``, once per run; its result pickled in ``folder``."""
    from conftest import built_once

    def build(folder: Path) -> None:
        folder.mkdir(parents=True)
        with tests_language():
            db = open_database(folder / "data", actor="tester", backup=False)
            try:
                world = seed(db, folder)
            finally:
                db.close()  # the last connection checkpoints the WAL into the file
        (folder / "world.pickle").write_bytes(pickle.dumps(world))

    return built_once(tmp_path_factory, name, build)


def copy_world(template: Path, data_dir: Path) -> tuple[Database, Any]:
    """A test's own copy: the database (a new replica at ``data_dir``) and what the seed returned."""
    shutil.copytree(template / "data", data_dir)
    world = pickle.loads((template / "world.pickle").read_bytes())
    return open_database(data_dir, actor="tester", backup=False), world
