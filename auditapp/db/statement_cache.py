"""Compiled SQL shared by the engines this process opens.

SQLAlchemy compiles each statement once per engine and keeps the result in that
engine's cache; a new engine starts with an empty one. The app opens new engines often:
every sync opens the stick or server again, a sync between laptops opens the other
laptop's file, every command of the CLI run in one process (tests, scripts) opens the
data folder again, a restore reopens it, and the test suite opens a new database for
nearly every test (compiling was about a tenth of its CPU time, and 30-45 % of a small
sync's).

``for_database(scope)`` gives an engine a view of one process-wide cache in which
entries are filed under ``scope`` instead of the engine's dialect object, so a later
engine of the same scope finds them. A compiled statement carries the settings of the
engine that compiled it (its result readers, the server's version), so a scope is
shared only by engines whose settings are the same: every SQLite file opened by
``auditapp.db.engine.make_engine`` is one scope (:data:`EVERY_SQLITE_FILE`: the same
arguments, and a JSON reader that is one function for every file), a PostgreSQL server
is its own (its address); the dialect class, the server version and the parameter
style are part of the key as well.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.engine.interfaces import Dialect
from sqlalchemy.util import LRUCache

# The app runs a few hundred distinct statements on SQLite (one scope for every file) and
# fewer on a server (about 25 kB each): room for both, at most about 20 MB.
# SQLAlchemy's default is 500 per engine, for the engine's lifetime.
_ENTRIES = 800
_SHARED: LRUCache[Any, Any] = LRUCache(_ENTRIES)
# The scope of every SQLite file the app opens (see the module's docstring).
EVERY_SQLITE_FILE = "sqlite: every file"


class DatabaseStatements:
    """The ``compiled_cache`` of an engine: the shared cache, keyed by database instead of engine.

    SQLAlchemy files a compiled statement under ``(dialect, statement key, …)``; the
    dialect object differs per engine. A key of another shape is used as it is (it then
    just never matches another engine's).
    """

    def __init__(self, scope: str) -> None:
        self.scope = scope

    def _key(self, key: Any) -> Any:
        if isinstance(key, tuple) and key and isinstance(key[0], Dialect):
            dialect = key[0]
            return (type(dialect), self.scope, dialect.server_version_info, dialect.paramstyle, *key[1:])
        return key

    def get(self, key: Any, default: Any = None) -> Any:
        return _SHARED.get(self._key(key), default)

    def __getitem__(self, key: Any) -> Any:
        return _SHARED[self._key(key)]

    def __setitem__(self, key: Any, value: Any) -> None:
        _SHARED[self._key(key)] = value

    def __contains__(self, key: Any) -> bool:
        return self._key(key) in _SHARED

    def __len__(self) -> int:
        return len(_SHARED)

    def clear(self) -> None:
        """Forget the statements of every database (as ``Engine.clear_compiled_cache`` does for one)."""
        _SHARED.clear()


def for_database(scope: str) -> DatabaseStatements:
    """The compiled-statement cache for engines of ``scope`` (:data:`EVERY_SQLITE_FILE`, a server's address)."""
    return DatabaseStatements(scope)
