"""Alembic glue: run the packaged migrations on an engine, know which revisions exist.

The migrations live inside the package (``auditapp/db/migrations``) so they are found
from a checkout, an installed wheel and a PyInstaller bundle alike.
"""

from __future__ import annotations

from functools import lru_cache

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.script.revision import RevisionError
from alembic.util import CommandError
from sqlalchemy import Engine

from auditapp import paths


def alembic_config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(paths.migrations_dir()))
    return cfg


@lru_cache(maxsize=1)
def _script() -> ScriptDirectory:
    return ScriptDirectory.from_config(alembic_config())


def head_revision() -> str:
    head = _script().get_current_head()
    assert head is not None, "the packaged migrations have no head revision"
    return head


def is_known_revision(revision: str) -> bool:
    """Whether this app's migrations contain ``revision`` (False: a newer app wrote the database).

    Only "no such revision" answers False; anything else wrong with the packaged
    migrations is a bug and propagates.
    """
    if not revision:
        return False
    try:
        return _script().get_revision(revision) is not None
    except (CommandError, RevisionError):
        return False


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade(engine: Engine, target: str = "head") -> None:
    """Upgrade in one transaction per revision; Alembic's env.py uses our connection."""
    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, target)
