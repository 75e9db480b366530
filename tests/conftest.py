"""Shared fixtures: offscreen Qt, a fresh data folder per test, the fixture checklist library."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

REPO_ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
LIBRARY_FIXTURE = FIXTURES / "library"

if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from auditapp.db import Database, open_database  # noqa: E402


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


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def db(data_dir: Path) -> Iterator[Database]:
    database = open_database(data_dir, actor="tester")
    yield database
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


def cli_env(data_dir: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["AUDITAPP_DATA_DIR"] = str(data_dir)
    env["PYTHONPATH"] = str(REPO_ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    env["PYTHONIOENCODING"] = "utf-8"
    return env
