"""The dashboard's world (``test_dashboard.build_world``) built once per process and copied per test.

A module takes the fixtures and makes ``world_db`` its ``db`` (``world`` replaces
``test_dashboard.world``)::

    from world_support import world, world_db, world_template  # noqa: F401 (fixtures)

    @pytest.fixture
    def db(world_db):
        return world_db

Building the world is about 40 writes, each its own committed transaction (0.5-1 s a
test on the shared machine); copying the data folder takes milliseconds. The copy opens
as the same device (``test_sync_support.clone_data_folder``), so ``db`` holds exactly
what ``build_world`` would have written into a new database for the test.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from auditapp.db import Database, open_database
from conftest import drain_background_work
from test_sync_support import clone_data_folder


@pytest.fixture(scope="session")
def world_template(tmp_path_factory: pytest.TempPathFactory, empty_template: Path, fixture_library: Any) -> tuple[Path, dict[str, Any]]:
    """A data folder holding the world, and what ``build_world`` returned. Never open it: copy it."""
    from test_dashboard import build_world

    folder = tmp_path_factory.mktemp("dashboard-world") / "data"
    shutil.copytree(empty_template, folder)
    database = open_database(folder, actor="tester", backup=False)
    try:
        made = build_world(database, fixture_library)
    finally:
        database.close()
    return folder, made


@pytest.fixture
def world_db(world_template: tuple[Path, dict[str, Any]], data_dir: Path) -> Iterator[Database]:
    """The test's own database, holding the world (a copy of ``world_template``)."""
    clone_data_folder(world_template[0], data_dir)
    database = open_database(data_dir, actor="tester", backup=False)
    yield database
    drain_background_work()
    database.close()


@pytest.fixture
def world(world_template: tuple[Path, dict[str, Any]], world_db: Database) -> dict[str, Any]:
    """What ``build_world`` returned for the world in ``world_db``."""
    return dict(world_template[1])
