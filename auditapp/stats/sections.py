"""Answer sums per visit and checklist section: what the trend, coverage, heat map and section scores read.

Grouping a bureau's 240,000 answers by month and item sorts them all (0.4 s of a 1.2 s
dashboard); the same sums per visit and section are about 45 rows a visit. On SQLite
they are kept in ``stats_visit_sections`` and computed on demand for the visits that
lack them. The database itself forgets a visit's rows whenever one of its answers is
inserted, updated or deleted (triggers of migration 0009), so no write path — GUI, CLI,
amendment, package import, direct sync, trash, purge — has to remember to refresh them.

A visit's rows hold for one ``rules_key``: the item → section mapping of the checklist
snapshots and the severity weights. A new checklist version that moves an item, or new
weights, recompute every visit.

Where the cache cannot serve (PostgreSQL, a database without the triggers) the same
rows are computed into a temporary table for each computation: one query, two homes.
"""

from __future__ import annotations

import hashlib
import json
import uuid

import sqlalchemy as sa

from auditapp.db.models import Answer, StatsVisitSection, StatsVisitState, Visit
from auditapp.scoring import SEVERITY_WEIGHTS
from auditapp.stats.items import ItemLabel

UNKNOWN_SECTION = "?"  # answers to items no snapshot in the database knows
TRIGGERS = ("stats_answers_inserted", "stats_answers_updated", "stats_answers_deleted")
REFRESH_CHUNK = 100  # visits per write transaction: keeps the write lock short for the GUI
_RETRIES = 5

_A = Answer.__table__
_V = Visit.__table__
SECTIONS: sa.Table = StatsVisitSection.__table__  # type: ignore[assignment]
_STATE: sa.Table = StatsVisitState.__table__  # type: ignore[assignment]


def rules_key(labels: dict[str, ItemLabel]) -> str:
    """Fingerprint of what the sums depend on besides the answers themselves."""
    mapping = sorted((item, label.section_key) for item, label in labels.items())
    text = json.dumps([mapping, sorted(SEVERITY_WEIGHTS.items())], ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def count_if(condition: sa.ColumnElement[bool]) -> sa.ColumnElement[int]:
    """``count(*) FILTER (WHERE …)``: SQLite (3.30+) and PostgreSQL both have it, cheaper than CASE."""
    return sa.func.count().filter(condition)


JUDGED = _A.c.result.in_(("conform", "nonconform"))
WEIGHT = sa.case(*((_A.c.severity == sev, w) for sev, w in SEVERITY_WEIGHTS.items()), else_=1)
# scoring.coverage_of: an answer counts when judged or when it holds a measured value.
ANSWERED = sa.or_(JUDGED, sa.and_(_A.c.result.is_(None), sa.func.trim(_A.c.value) != ""))


def _sums_query(item_sections: sa.Table, visit_ids: sa.ColumnElement[bool]) -> sa.Select[tuple[object, ...]]:
    """Live answers of the selected visits summed per (visit, section) — the one definition.

    The counts are those of ``scoring.score_answers`` and ``scoring.coverage_of``: an answer
    is answered when judged or when it holds a measured value.
    """
    section = sa.func.coalesce(item_sections.c.section_key, UNKNOWN_SECTION)
    return (
        sa.select(
            _A.c.visit_id,
            section,
            count_if(_A.c.result == "conform"),
            count_if(_A.c.result == "nonconform"),
            count_if(_A.c.result == "na"),
            sa.func.coalesce(sa.func.sum(sa.case((_A.c.result == "nonconform", WEIGHT), else_=0)), 0),
            count_if(ANSWERED),
        )
        .select_from(_A.outerjoin(item_sections, item_sections.c.item_id == _A.c.item_id))
        .where(visit_ids, _A.c.deleted_at.is_(None))
        .group_by(_A.c.visit_id, section)
    )


_COLUMNS = ("visit_id", "section_key", "conform", "nonconform", "not_applicable", "weighted_nonconform", "answered")


def _item_sections(conn: sa.Connection, metadata: sa.MetaData, labels: dict[str, ItemLabel]) -> sa.Table:
    table = sa.Table(
        f"stats_item_sections_{uuid.uuid4().hex[:8]}", metadata,
        sa.Column("item_id", sa.String(200), primary_key=True),
        sa.Column("section_key", sa.String(400), nullable=False),
        prefixes=["TEMPORARY"],
    )
    table.create(conn)
    if labels:
        conn.execute(sa.insert(table), [{"item_id": i, "section_key": lab.section_key} for i, lab in labels.items()])
    return table


def _cache_usable(conn: sa.Connection) -> bool:
    if conn.dialect.name != "sqlite":
        return False
    names = set(conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type = 'trigger'").scalars())
    return set(TRIGGERS) <= names


def _stale_ids(conn: sa.Connection, key: str, visits: list[sa.ColumnElement[bool]]) -> list[str]:
    return list(conn.execute(
        sa.select(_V.c.id)
        .select_from(_V.outerjoin(_STATE, _STATE.c.visit_id == _V.c.id))
        .where(*visits, sa.or_(_STATE.c.visit_id.is_(None), _STATE.c.rules_key != key))
    ).scalars())


def _refresh(conn: sa.Connection, item_sections: sa.Table, key: str, ids: list[str]) -> None:
    """Recompute the given visits' rows, a chunk of visits per committed transaction."""
    for start in range(0, len(ids), REFRESH_CHUNK):
        chunk = ids[start:start + REFRESH_CHUNK]
        conn.execute(sa.delete(SECTIONS).where(SECTIONS.c.visit_id.in_(chunk)))
        conn.execute(sa.delete(_STATE).where(_STATE.c.visit_id.in_(chunk)))
        conn.execute(sa.insert(SECTIONS).from_select(_COLUMNS, _sums_query(item_sections, _A.c.visit_id.in_(chunk))))
        conn.execute(sa.insert(_STATE), [{"visit_id": v, "rules_key": key} for v in chunk])
        conn.commit()


def section_sums(
    conn: sa.Connection,
    metadata: sa.MetaData,
    labels: dict[str, ItemLabel],
    visits: list[sa.ColumnElement[bool]],
) -> sa.Table:
    """A table of per-(visit, section) sums, current for every visit matching ``visits``.

    On SQLite the cache is brought up to date and returned; the caller's later reads run
    in the read transaction begun here, in which every one of those visits was checked
    current (a write that slipped in between the refresh and that check is refreshed in
    turn). Otherwise — or if writers keep winning — the sums go into a temporary table.
    Columns: visit_id, section_key, conform, nonconform, not_applicable,
    weighted_nonconform, answered.
    """
    item_sections = _item_sections(conn, metadata, labels)
    if _cache_usable(conn):
        key = rules_key(labels)
        conn.commit()
        for _attempt in range(_RETRIES):
            stale = _stale_ids(conn, key, visits)
            if stale:
                _refresh(conn, item_sections, key, stale)
            # One read snapshot from here on: check, then the caller's figures.
            conn.exec_driver_sql("BEGIN")
            if not _stale_ids(conn, key, visits):
                return SECTIONS
            conn.rollback()
    table = sa.Table(
        f"stats_sections_{uuid.uuid4().hex[:8]}", metadata,
        sa.Column("visit_id", sa.String(36), nullable=False),
        sa.Column("section_key", sa.String(400), nullable=False),
        *(sa.Column(name, sa.Integer, nullable=False) for name in _COLUMNS[2:]),
        sa.PrimaryKeyConstraint("visit_id", "section_key"),
        prefixes=["TEMPORARY"],
        sqlite_with_rowid=False,
    )
    table.create(conn)
    ids = sa.select(_V.c.id).where(*visits).scalar_subquery()
    conn.execute(sa.insert(table).from_select(_COLUMNS, _sums_query(item_sections, _A.c.visit_id.in_(ids))))
    return table
