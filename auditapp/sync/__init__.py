"""Sync: one merge engine, two carriers (package files and direct sync with another database).

See ``merge`` for the rules, ``package`` for the file format and its checks, ``replica``
for the other side of a direct sync (SQLite file or PostgreSQL server), and ``api`` for
the functions the CLI and the GUI call.
"""

from typing import Any

# Loaded on first use: the command line registers ``auditapp sync …`` at every start, and
# importing the merge engine (SQLAlchemy Core, psycopg) for ``auditapp --version`` or the
# GUI's start-up would cost half a second for nothing.
_EXPORTS = {
    "ConflictPreview": "api",
    "ExportResult": "api",
    "ImportPreview": "api",
    "MergeReport": "api",
    "SyncResult": "api",
    "export_package": "api",
    "import_package": "api",
    "preview_package": "api",
    "sync_with": "api",
    "ConflictInfo": "conflicts",
    "list_conflicts": "conflicts",
    "resolve_conflict": "conflicts",
    "PackageError": "errors",
    "SyncCancelled": "errors",
    "SyncError": "errors",
}


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'auditapp.sync' has no attribute {name!r}")
    from importlib import import_module

    value = getattr(import_module(f"auditapp.sync.{module}"), name)
    globals()[name] = value
    return value


__all__ = [
    "ConflictInfo",
    "ConflictPreview",
    "ExportResult",
    "ImportPreview",
    "MergeReport",
    "PackageError",
    "SyncCancelled",
    "SyncError",
    "SyncResult",
    "export_package",
    "import_package",
    "list_conflicts",
    "preview_package",
    "resolve_conflict",
    "sync_with",
]
