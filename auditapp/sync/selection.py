"""Choosing what a partial package holds: visits, institutions, or what changed since a date.

The choice is widened to whole visits and everything they refer to (institution,
departments, checklist snapshots, rectifications of their findings, earlier visits
whose findings were carried over), so the receiver never meets a dangling reference.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa

from auditapp.db import Database
from auditapp.db.models import ChangeLogEntry
from auditapp.sync.changeset import add_parents, complete_visits
from auditapp.sync.tables import SPECS, TABLES, Record, chunks, read_rows


def resolve_refs(db: Database, visits: list[str], institutions: list[str]) -> tuple[list[str], list[str]]:
    """Visit and institution references as typed by a person (ids, prefixes, names) to ids."""
    from auditapp.lookups import require_institution, require_visit

    with db.session() as session:
        visit_ids = [require_visit(session, ref).id for ref in visits]
        inst_ids = [require_institution(session, ref).id for ref in institutions]
    return visit_ids, inst_ids


def _rows(conn: sa.Connection, table: str, column: str, values: set[str]) -> list[Record]:
    spec = SPECS[table]
    out: list[Record] = []
    for batch in chunks(sorted(values)):
        out.extend(read_rows(conn, spec, spec.table.c[column].in_(batch)))
    return out


def _changed_since(conn: sa.Connection, since: datetime) -> dict[str, set[str]]:
    """Ids per table edited here or received here on or after ``since``."""
    out: dict[str, set[str]] = {}
    log = ChangeLogEntry.__table__
    for entity, entity_id in conn.execute(sa.select(log.c.entity, log.c.entity_id).where(log.c.at >= since).distinct()):
        if entity in SPECS:
            out.setdefault(entity, set()).add(entity_id)
    for spec in TABLES:
        ids = conn.execute(sa.select(spec.table.c.id).where(spec.table.c.updated_at >= since)).scalars()
        out.setdefault(spec.name, set()).update(ids)
    return out


def _add_dependents(conn: sa.Connection, tables: dict[str, list[Record]]) -> dict[str, list[Record]]:
    """Rectifications (with history and after-photos) of the findings, pins of the visits."""
    out = {k: list(v) for k, v in tables.items()}

    def extend(table: str, rows: list[Record]) -> None:
        have = {r["id"] for r in out.get(table, [])}
        out.setdefault(table, []).extend(r for r in rows if r["id"] not in have)

    findings = {r["id"] for r in out.get("findings", [])}
    extend("rectifications", _rows(conn, "rectifications", "finding_id", findings))
    rects = {r["id"] for r in out.get("rectifications", [])}
    extend("rectification_events", _rows(conn, "rectification_events", "rectification_id", rects))
    extend("photos", _rows(conn, "photos", "rectification_id", rects))
    visits = {r["id"] for r in out.get("visits", [])}
    extend("map_pins", _rows(conn, "map_pins", "visit_id", visits))
    return out


def select_records(
    conn: sa.Connection, visit_ids: list[str], institution_ids: list[str], since: datetime | None
) -> dict[str, list[Record]]:
    """The records of a partial export, closed under references (see module doc)."""
    tables: dict[str, list[Record]] = {}
    insts = set(institution_ids)
    visits = set(visit_ids)
    if insts:
        tables["institutions"] = _rows(conn, "institutions", "id", insts)
        for table in ("departments", "floor_plans", "leaders", "visit_plans"):
            tables[table] = _rows(conn, table, "institution_id", insts)
        plans = {r["id"] for r in tables["floor_plans"]}
        tables["map_pins"] = _rows(conn, "map_pins", "floor_plan_id", plans)
        inst_visits = {r["id"] for r in _rows(conn, "visits", "institution_id", insts)}
        if since is None:
            visits |= inst_visits
    if since is not None:
        changed = _changed_since(conn, since)
        picked: dict[str, list[Record]] = {t: _rows(conn, t, "id", ids) for t, ids in changed.items() if ids}
        picked = add_parents(conn, complete_visits(conn, picked))
        if insts or visit_ids:
            keep_insts = insts | {r["institution_id"] for r in _rows(conn, "visits", "id", set(visit_ids))}
            visits |= {r["id"] for r in picked.get("visits", []) if r["institution_id"] in keep_insts}
        else:
            for table, rows in picked.items():
                tables.setdefault(table, []).extend(rows)
    if visits:
        tables.setdefault("visits", []).extend(_rows(conn, "visits", "id", visits))
    tables = _dedupe(tables)
    tables = _add_dependents(conn, complete_visits(conn, tables))
    return _dedupe(add_parents(conn, tables))


def _dedupe(tables: dict[str, list[Record]]) -> dict[str, list[Record]]:
    out: dict[str, list[Record]] = {}
    for table, rows in tables.items():
        seen: dict[str, Record] = {}
        for row in rows:
            seen.setdefault(row["id"], row)
        out[table] = list(seen.values())
    return out


def describe(selection: dict[str, Any]) -> str:
    parts = []
    if selection.get("visits"):
        parts.append(f"{len(selection['visits'])} visit(s)")
    if selection.get("institutions"):
        parts.append(f"{len(selection['institutions'])} institution(s)")
    if selection.get("since"):
        parts.append(f"changed since {selection['since']}")
    return ", ".join(parts) or "everything"
