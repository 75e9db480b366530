"""What a database knows of its data folder's photo store: the files its rows name, who it
is (for the journal of pending imports) and settling that journal when it is opened.

The rules themselves live in ``auditapp.photos.journal``; this module only answers the
questions they ask of a database, with plain SQL so it also works on a file that is
about to be replaced (``backup.restore_backup``).
"""

from __future__ import annotations

import logging
import sqlite3
from typing import TYPE_CHECKING

import sqlalchemy as sa

from auditapp import paths
from auditapp.db.models import ChangeLogEntry, FloorPlan, Photo
from auditapp.photos import journal
from auditapp.photos.store import PhotoStore

if TYPE_CHECKING:
    from auditapp.db.engine import Database

log = logging.getLogger(__name__)

_REFERENCED_SQL = (
    "SELECT sha256 FROM photos UNION SELECT thumb_sha256 FROM photos UNION "
    "SELECT image_sha256 FROM floor_plans WHERE image_sha256 IS NOT NULL"
)


def photo_store(db: Database) -> PhotoStore:
    return PhotoStore(paths.photos_dir(db.data_dir))


def referenced_files(conn: sa.Connection) -> set[str]:
    """Every file a row names, deleted rows included (an undo or an older backup needs them)."""
    photos = Photo.__table__
    plans = FloorPlan.__table__
    refs: set[str] = set()
    for sha, thumb in conn.execute(sa.select(photos.c.sha256, photos.c.thumb_sha256)):
        refs.update(s for s in (sha, thumb) if s)
    refs.update(s for s in conn.execute(sa.select(plans.c.image_sha256)).scalars() if s)
    return refs


def referenced_files_sqlite(path: object) -> set[str]:
    """The same, read-only from a SQLite file that no engine has open."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return {row[0] for row in conn.execute(_REFERENCED_SQL) if row[0]}
    except sqlite3.Error:
        return set()
    finally:
        conn.close()


def lineage(conn: sa.Connection, device_id: str) -> journal.Lineage:
    """This database as a journal names it: device id and newest change-log entry."""
    entries = ChangeLogEntry.__table__
    mark = conn.execute(sa.select(entries.c.id).order_by(entries.c.at.desc(), entries.c.id.desc()).limit(1)).scalar()
    return journal.Lineage(device_id=device_id, log_mark=mark)


def db_lineage(db: Database) -> journal.Lineage:
    with db.engine.connect() as conn:
        return lineage(conn, db.device_id)


def belongs_to(conn: sa.Connection, device_id: str, written_by: journal.Lineage) -> bool:
    """Was a journal written by this database (not by an older copy it was replaced with)?

    Same device id, and the change-log entry that was newest then still exists: the
    log is append-only, so a database restored from before the import lacks it.
    """
    if written_by.device_id != device_id:
        return False
    if written_by.log_mark is None:
        return True
    entries = ChangeLogEntry.__table__
    return conn.execute(sa.select(entries.c.id).where(entries.c.id == written_by.log_mark)).first() is not None


def recover_photo_store(db: Database, *, min_age_s: float | None = None) -> journal.RecoveryReport:
    """Settle crashed imports' journals against this database (run on open)."""
    store = photo_store(db)
    with db.engine.connect() as conn:
        referenced = referenced_files(conn)
        report = journal.recover(
            store,
            referenced,
            lambda written_by: belongs_to(conn, db.device_id, written_by),
            **({} if min_age_s is None else {"min_age_s": min_age_s}),
        )
    if report.quarantined:
        from auditapp.errors import AuditAppError

        notice = AuditAppError("photo.quarantined", count=report.quarantined, folder=str(report.quarantine_dir))
        log.warning("%s", notice.message())
    return report
