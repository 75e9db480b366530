"""Opening a database already at the newest revision needs no Alembic (start-up time)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from auditapp.db import migrate

REPO = Path(__file__).resolve().parents[1]


def test_the_revisions_read_from_the_files_are_alembics() -> None:
    script = migrate._script()
    assert migrate.head_revision() == script.get_current_head()
    graph = migrate._graph()
    assert graph is not None
    assert graph == {rev.revision: rev.down_revision for rev in script.walk_revisions()}
    assert all(migrate.is_known_revision(r) for r in graph) and not migrate.is_known_revision("9999_nope")


def test_an_up_to_date_database_opens_without_importing_alembic(db, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    db.close()
    code = (
        "import sys; from auditapp.db import open_database\n"
        f"d = open_database({str(data_dir)!r}, actor='t', backup=False)\n"
        "print(d.engine.dialect.name, 'alembic' in sys.modules); d.close()"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO).stdout
    assert out.split() == ["sqlite", "False"]


def test_a_new_database_is_still_migrated_by_alembic(tmp_path: Path) -> None:
    from auditapp.db import open_database

    database = open_database(tmp_path / "fresh", actor="t", backup=False)
    try:
        assert migrate.current_revision(database.engine) == migrate.head_revision()
    finally:
        database.close()
