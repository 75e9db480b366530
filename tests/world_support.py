"""The dashboard's world (``test_dashboard.seed_world``: two hospitals, their leaders and
visits) built once per run and copied per test.

A module imports the fixtures (their functions are named ``*_fixture`` so the test
parameters ``world``, ``world_db`` do not redefine an imported name) and makes
``world_db`` its ``db``::

    from world_support import world_db_fixture, world_fixture, world_parts_fixture, world_template_fixture  # noqa: F401

    @pytest.fixture
    def db(world_db):
        return world_db

Seeding is about 40 writes, each its own committed transaction (0.5-1 s a test on the
shared machine); copying the data folder takes milliseconds. Built by
``template_support.world_once`` (once per run, also across pytest-xdist workers, in the
tests' language) and copied by ``template_support.copy_world`` (a new replica, as
``conftest``'s ``db`` is).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from auditapp.db import Database
from conftest import drain_background_work
from template_support import copy_world, world_once


@pytest.fixture(scope="session", name="world_template")
def world_template_fixture(tmp_path_factory: pytest.TempPathFactory, fixture_library: Any) -> Path:
    """The seeded data folder and what the seed returned, built once per run. Never open it: copy it."""
    from test_dashboard import seed_world

    return world_once(tmp_path_factory, "dashboard-world", lambda db, _folder: seed_world(db, fixture_library))


@pytest.fixture(name="world_parts")
def world_parts_fixture(data_dir: Path, world_template: Path) -> Iterator[tuple[Database, dict[str, Any]]]:
    database, made = copy_world(world_template, data_dir)
    yield database, made
    drain_background_work()
    database.close()


@pytest.fixture(name="world_db")
def world_db_fixture(world_parts: tuple[Database, dict[str, Any]]) -> Database:
    """The test's own database, holding the world (a copy of ``world_template``)."""
    return world_parts[0]


@pytest.fixture(name="world")
def world_fixture(world_parts: tuple[Database, dict[str, Any]], fixture_library: Any) -> dict[str, Any]:
    """What the seed returned for the world in ``world_db``, and the library it used (``lib``)."""
    return {**world_parts[1], "lib": fixture_library}
