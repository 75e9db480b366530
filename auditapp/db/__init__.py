"""Storage: ORM models, opening/migrating the SQLite file, backups and the change log."""

from auditapp.db.engine import Database, OpenReport, open_database

__all__ = ["Database", "OpenReport", "open_database"]
