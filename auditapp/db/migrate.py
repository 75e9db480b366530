"""Alembic glue: run the packaged migrations on an engine, know which revisions exist.

The migrations live inside the package (``auditapp/db/migrations``) so they are found
from a checkout, an installed wheel and a PyInstaller bundle alike.

Alembic itself is imported only when a migration is due: opening a database that is
already at the newest revision (every start of the window but the first after an
update) reads the revision ids from the files and the current one with one SELECT.
Importing Alembic cost about a sixth of the window's start-up (``-X importtime``).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy import Engine

from auditapp import paths

if TYPE_CHECKING:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

_REVISION = re.compile(r"^revision(?:\s*:[^=]+)?\s*=\s*['\"]([^'\"]+)['\"]", re.MULTILINE)
_DOWN = re.compile(r"^down_revision(?:\s*:[^=]+)?\s*=\s*(None|['\"]([^'\"]+)['\"])\s*(?:#.*)?$", re.MULTILINE)


@lru_cache(maxsize=1)
def _graph() -> dict[str, str | None] | None:
    """revision → down_revision, read from the files without Alembic; None if unreadable.

    Only the simple form (one string or None) is read; anything else (a merge point, a
    compiled-only bundle) gives None and the callers ask Alembic instead.
    """
    graph: dict[str, str | None] = {}
    for path in sorted((paths.migrations_dir() / "versions").glob("*.py")):
        text = path.read_text(encoding="utf-8")
        rev, down = _REVISION.search(text), _DOWN.search(text)
        if rev is None or down is None:
            return None
        graph[rev.group(1)] = down.group(2)
    return graph or None


def alembic_config() -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(paths.migrations_dir()))
    return cfg


@lru_cache(maxsize=1)
def _script() -> ScriptDirectory:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config())


def head_revision() -> str:
    graph = _graph()
    if graph is not None:
        heads = set(graph) - {down for down in graph.values() if down}
        if len(heads) == 1:
            return heads.pop()
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
    graph = _graph()
    if graph is not None:
        return revision in graph
    from alembic.script.revision import RevisionError
    from alembic.util import CommandError

    try:
        return _script().get_revision(revision) is not None
    except (CommandError, RevisionError):
        return False


def current_revision(engine: Engine) -> str | None:
    """The database's revision (Alembic's ``alembic_version`` table), None for a new one."""
    with engine.connect() as conn:
        if not sa.inspect(conn).has_table("alembic_version"):
            return None
        rows = conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalars().all()
    if len(rows) > 1:  # several heads: let Alembic say what that means
        from alembic.runtime.migration import MigrationContext

        with engine.connect() as conn:
            return MigrationContext.configure(conn).get_current_revision()
    return rows[0] if rows else None


def upgrade(engine: Engine, target: str = "head") -> None:
    """Upgrade in one transaction per revision; Alembic's env.py uses our connection."""
    from alembic import command

    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, target)
