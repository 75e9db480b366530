"""Broad handlers catch only what they mean: a bug inside them is not dressed up as a user message.

Each guarded call is made to fail twice: with the condition the handler is for (which
becomes the user's message) and with an unrelated error (a bug), which must propagate
unchanged instead of being reported as "newer database", "install psycopg" or "locked".
"""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa

from auditapp.db import engine as engine_mod
from auditapp.db import migrate
from auditapp.errors import AuditAppError
from auditapp.sync import replica
from auditapp.sync.errors import SyncError


class BugError(RuntimeError):
    """Stands for a programming error inside the guarded call."""


def test_an_unknown_revision_is_unknown_and_a_broken_script_is_a_bug(monkeypatch: pytest.MonkeyPatch) -> None:
    assert migrate.is_known_revision(migrate.head_revision())
    assert not migrate.is_known_revision("9999_from_a_newer_app")
    assert not migrate.is_known_revision("")

    class Broken:
        def get_revision(self, _rev: str) -> None:
            raise BugError("migrations folder unreadable")

    # The revision graph is read from the files first; Alembic is asked when that read gives
    # nothing usable (a merge point, a compiled-only bundle) — that path must not hide bugs either.
    monkeypatch.setattr(migrate, "_graph", lambda: None)
    monkeypatch.setattr(migrate, "_script", lambda: Broken())
    with pytest.raises(BugError):
        migrate.is_known_revision("9999_from_a_newer_app")


@pytest.mark.parametrize(
    "url",
    ["postgresql+nosuchdriver://u@localhost/db", "nosuchdialect://u@localhost/db", "postgresql://u@localhost:port/db"],
)
def test_an_unusable_address_is_the_users_problem(url: str) -> None:
    with pytest.raises(SyncError) as raised:
        replica.open_peer(url)
    assert "Traceback" not in str(raised.value)


def test_a_bug_while_creating_the_engine_propagates(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*_args: object, **_kwargs: object) -> None:
        raise BugError("not about drivers")

    monkeypatch.setattr(replica.sa, "create_engine", broken)
    with pytest.raises(BugError):
        replica.open_peer("postgresql+psycopg://u@localhost/db")


def test_the_lock_probe_reports_a_locked_file_and_lets_a_bug_through(tmp_path: Path) -> None:
    db_path = tmp_path / "audit.sqlite3"
    engine = engine_mod.make_engine(db_path)
    holder = sa.create_engine(f"sqlite:///{db_path}", connect_args={"timeout": 0.1})
    try:
        with holder.connect() as conn:
            conn.exec_driver_sql("BEGIN IMMEDIATE")  # another program is writing
            fast = sa.create_engine(f"sqlite:///{db_path}", connect_args={"timeout": 0.1})
            with pytest.raises(AuditAppError):
                engine_mod.check_writable_lock(fast, db_path)
            fast.dispose()
            conn.exec_driver_sql("ROLLBACK")
        engine_mod.check_writable_lock(engine, db_path)  # free again: no error

        class BrokenEngine:
            def connect(self) -> None:
                raise BugError("not a database condition")

        with pytest.raises(BugError):
            engine_mod.check_writable_lock(BrokenEngine(), db_path)  # type: ignore[arg-type]
    finally:
        holder.dispose()
        engine.dispose()
