"""Where the app finds its bundled data and where it keeps the user's data.

Bundled folders (``checklists/``, ``resources/``) are looked up in one place so the app
works from a checkout, from ``pip install .`` (copied into ``auditapp/_bundled``) and
from a PyInstaller bundle (``sys._MEIPASS``).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import platformdirs

APP_NAME = "auditapp"
APP_AUTHOR = "auditapp"
DATA_DIR_ENV = "AUDITAPP_DATA_DIR"
DATABASE_FILENAME = "audit.sqlite3"

_PACKAGE_DIR = Path(__file__).resolve().parent


def _bundled_candidates(name: str) -> list[Path]:
    candidates: list[Path] = []
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        candidates.append(Path(frozen_root) / name)
    candidates.append(_PACKAGE_DIR / "_bundled" / name)
    candidates.append(_PACKAGE_DIR.parent / name)
    return candidates


def bundled_dir(name: str) -> Path:
    """Return the bundled data folder ``name`` ("checklists" or "resources")."""
    for candidate in _bundled_candidates(name):
        if candidate.is_dir():
            return candidate
    searched = ", ".join(str(c) for c in _bundled_candidates(name))
    raise FileNotFoundError(f"bundled folder {name!r} not found (looked in {searched}); the installation is incomplete")


CHECKLISTS_DIR_ENV = "AUDITAPP_CHECKLISTS_DIR"


def checklists_dir() -> Path:
    """The checklist library; ``$AUDITAPP_CHECKLISTS_DIR`` lets authors try a library of their own."""
    env = os.environ.get(CHECKLISTS_DIR_ENV)
    if env:
        return Path(env).expanduser()
    return bundled_dir("checklists")


def resources_dir() -> Path:
    return bundled_dir("resources")


def resource_path(*parts: str) -> Path:
    return resources_dir().joinpath(*parts)


def cjk_font_path() -> Path:
    """The CJK TrueType font embedded in PDFs and registered with Qt."""
    return resource_path("fonts", "wqy-microhei.ttc")


def migrations_dir() -> Path:
    return _PACKAGE_DIR / "db" / "migrations"


def default_data_dir() -> Path:
    """The platform's user data folder: where data lives unless the user chose another.

    Which folder the app actually uses (``--data-dir``, ``$AUDITAPP_DATA_DIR``, the folder
    chosen in Settings, this one) is decided in one place:
    :func:`auditapp.settings.resolve_data_dir`.
    """
    return Path(platformdirs.user_data_dir(APP_NAME, APP_AUTHOR))


def demo_data_dir() -> Path:
    """A separate folder for demo data so ``--demo`` never mixes with real audits."""
    return Path(platformdirs.user_data_dir(APP_NAME, APP_AUTHOR)) / "demo"


def database_path(data_dir: Path) -> Path:
    return data_dir / DATABASE_FILENAME


def photos_dir(data_dir: Path) -> Path:
    return data_dir / "photos"


def backups_dir(data_dir: Path) -> Path:
    return data_dir / "backups"


def cache_dir(data_dir: Path) -> Path:
    """Files the app can rebuild from the database (the home screen's snapshot): never synced,
    never backed up, never a source of truth; deleting the folder loses nothing."""
    return data_dir / "cache"
