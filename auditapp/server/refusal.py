"""A write refused by a bureau server's policies, as an error a user can act on."""

from __future__ import annotations

import re

import sqlalchemy as sa

from auditapp.sync.errors import SyncError

_TABLE = re.compile(r'(?:policy for table|table) "?([a-z_]+)"?')


def refused_push(label: str, exc: sa.exc.ProgrammingError) -> Exception:
    """``server.push_refused`` for a row-level-security or privilege refusal; other errors unchanged.

    The merge ran in one transaction, which PostgreSQL has rolled back: the server is as
    it was before the push.
    """
    orig = exc.orig
    if getattr(orig, "sqlstate", None) != "42501":
        return exc
    text = str(orig).strip().splitlines()[0] if orig is not None else str(exc)
    diag = getattr(orig, "diag", None)
    table = getattr(diag, "table_name", None) if diag is not None else None
    if not table:
        found = _TABLE.search(text)
        table = found.group(1) if found else "?"
    return SyncError("server.push_refused", url=label, table=table, reason=text)
