"""Compiled SQL shared by every engine this process opens on one database.

SQLAlchemy compiles each statement once per engine and keeps the result in that
engine's cache; a new engine starts with an empty one. The app opens a new engine on
the same file often: every sync opens the stick or server again, every command of the
CLI run in one process (tests, scripts) opens the data folder again, a restore reopens
it. Compiling the few dozen statements of a sync or a visit's detail costs 1-3 ms
each, which was most of the time of a small sync (tests/bench/bench_sync.py).

``for_database(scope)`` gives an engine a view of one process-wide cache in which
entries are filed under the *database* (``scope``: its file path or server address)
instead of the engine's dialect object, so a later engine on the same database finds
them. A compiled statement carries the settings of the engine that compiled it (the
JSON reader that names the file in its error, the server's version), which is why the
cache is shared per database and never between databases; the server version and the
dialect class are part of the key as well.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.engine.interfaces import Dialect
from sqlalchemy.util import LRUCache

# A sync or a command compiles about 50-100 statements per database (about 25 kB each):
# room for the few databases a session works with (this computer's, a stick, a server),
# at most about 30 MB. SQLAlchemy's default is 500 per engine, for the engine's lifetime.
_ENTRIES = 800
_SHARED: LRUCache[Any, Any] = LRUCache(_ENTRIES)


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
    """The compiled-statement cache for engines on the database ``scope`` (a file path, a server URL)."""
    return DatabaseStatements(scope)
