"""What a hospital login may push: the records of its own institutions (and shared ones).

A hospital laptop may hold other institutions' visits (brought by a package from the
bureau, say). Those are not its to write on the bureau's server, where the policies
would refuse the whole push; they are left out, and the user is told how many. Which
institution a record is of comes from the one mapping in :mod:`auditapp.server.tenancy`.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import sqlalchemy as sa

from auditapp.server.tenancy import RULES, institution_of
from auditapp.sync.changeset import Changeset
from auditapp.sync.tables import SPECS, read_rows


def parse_scope(scope: str | None) -> frozenset[str] | None:
    """The institutions of a ``hospital:id,id`` scope (None: the login sees everything)."""
    if scope is None or not scope.startswith("hospital:"):
        return None
    return frozenset(i for i in scope.removeprefix("hospital:").split(",") if i)


def writable_slice(cs: Changeset, institutions: frozenset[str], engine: sa.Engine) -> tuple[Changeset, int]:
    """The changeset without records of other institutions; and how many were left out."""
    index = {(t, r["id"]): r for t, rows in cs.tables.items() for r in rows}
    cache: dict[tuple[str, str], Any] = {}
    with engine.connect() as conn:

        def lookup(table: str, rid: str) -> Any:
            key = (table, rid)
            if key in index:
                return index[key]
            if key not in cache:
                spec = SPECS[table]
                rows = read_rows(conn, spec, spec.table.c.id == rid)
                cache[key] = rows[0] if rows else None
            return cache[key]

        kept: dict[str, list[dict[str, Any]]] = {}
        skipped = 0
        for table, rows in cs.tables.items():
            if RULES[table].shared:
                kept[table] = rows
                continue
            mine = []
            for row in rows:
                owner = institution_of(table, row, lookup)
                if owner is None or owner in institutions:  # unknown: let the server judge it
                    mine.append(row)
                else:
                    skipped += 1
            if mine:
                kept[table] = mine
    if not skipped:
        return cs, 0
    changed = {t: {i: at for i, at in ids.items() if any(r["id"] == i for r in kept.get(t, []))}
               for t, ids in cs.changed_at.items()}
    return replace(cs, tables=kept, changed_at=changed), skipped
