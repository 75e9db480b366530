"""The SQLite dialect every audit database is opened with, so SQL is compiled once per process.

SQLAlchemy keeps compiled statements per engine and keys them by the dialect object, so
each database a process opens compiled every query again: a sync between two laptops'
files, a backup checked before it is restored, the report child, and the test suite,
which opens a new database for nearly every test (compiling was about a tenth of its CPU
time). Every engine made by :func:`auditapp.db.engine.make_engine` has a dialect of this
class, built with the same arguments, and all of them compare equal, so they share one
cache (:data:`STATEMENTS`). That is only right while nothing that differs between those
engines reaches a compiled statement: SQLAlchemy also keeps each statement's result
processors with it (made by the first engine that ran it), which is why the JSON reader
is one function for every database (it names no file; :class:`Database` adds the path).
"""

from __future__ import annotations

from sqlalchemy.dialects import registry
from sqlalchemy.dialects.sqlite.pysqlite import SQLiteDialect_pysqlite
from sqlalchemy.util import LRUCache

# SQLAlchemy's default per-engine size; the app has a few hundred distinct statements.
STATEMENTS: LRUCache[object, object] = LRUCache(500)
URL_SCHEME = "sqlite+auditapp"


class AuditSQLiteDialect(SQLiteDialect_pysqlite):
    """pysqlite, equal to every other instance of itself (see the module's docstring)."""

    supports_statement_cache = True

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self)

    def __hash__(self) -> int:
        return hash(type(self))


registry.register("sqlite.auditapp", __name__, "AuditSQLiteDialect")  # the name of URL_SCHEME
