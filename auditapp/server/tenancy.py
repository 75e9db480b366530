"""Which institution a row belongs to, and who may write it: the one place that says so.

A bureau's shared PostgreSQL keeps hospitals apart with row-level security. The rules
are not written per table by hand: they are derived here from the ORM metadata, so a
table or foreign key added by a later migration is covered by running
``auditapp server init`` again.

- **Tenant tables** are ``institutions`` and every synced table with a foreign key to a
  tenant table (self-references aside): departments, visits, answers, photos … A row of
  a tenant table is *visible* to a hospital login when every tenant row it refers to is
  visible (and it refers to at least one), so the rule recurses down to
  ``institutions.id`` being one of the login's institutions. PostgreSQL applies each
  parent's own policy inside the sub-select, which is what makes the recursion work.
- **Shared tables** (``checklist_snapshots`` and ``indicator_snapshots``: published
  checklist and indicator content, no hospital data) are readable by every login; their content columns are fixed once written.
- **The visit of a row** is found along the foreign keys to ``visits`` (directly or
  through a finding, an answer, a rectification). It decides the write rules:

  ===================  =========================================================
  hospital login       writes rows of its institutions, except bureau-mode visits
                       and their record (answers, findings, photos …); never the
                       frozen record of a visit finalized in an earlier
                       transaction unless the visit was amended (self-assessments
                       only); rectifications, their events and after-photos stay
                       writable (the hospital fixes the bureau's findings).
  bureau login         reads everything; writes bureau-mode visits and everything
                       under them (rectifications included), institutions,
                       departments and checklist snapshots.
  ===================  =========================================================

Nobody but the owner may delete (the app never deletes: deletions are tombstones).
The same mapping answers "which institution is this record of" in Python
(:func:`institution_of`), used to leave out of a push what a login may not write.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from auditapp.db.models import SYNCED_MODELS, Base
from auditapp.sync.tables import LOCKED_BY_VISIT

SCHEMA = "auditapp_server"
HOSPITAL_ROLE = "auditapp_hospital"
BUREAU_ROLE = "auditapp_bureau"
ROOT = "institutions"
VISITS = "visits"

# The rectification part of a visit's record: the hospital works on it after the visit,
# also for the bureau's findings, and finalization does not freeze it.
REMEDIATION = ("rectifications", "rectification_events")
# Tables the bureau writes besides its own visits (it registers the hospitals it inspects).
BUREAU_GENERAL = ("institutions", "departments", "checklist_snapshots", "indicator_snapshots")
# Columns fixed once a row exists (the server refuses to change them, for every login
# but the owner): what a row belongs to, and a snapshot's content.
FIXED_COLUMNS: dict[str, tuple[str, ...]] = {
    "visits": ("institution_id", "mode"),
    **{t: ("visit_id",) for t in (*LOCKED_BY_VISIT, "visit_amendments")},
    "checklist_snapshots": ("checklist_id", "version", "sha256", "content"),
    "indicator_snapshots": ("set_id", "version", "sha256", "content"),
}


def _synced_tables() -> list[sa.Table]:
    names = {m.__tablename__ for m in SYNCED_MODELS}
    return [t for t in Base.metadata.sorted_tables if t.name in names]


@dataclass(frozen=True)
class Ref:
    column: str
    parent: str
    nullable: bool


@dataclass(frozen=True)
class TableRule:
    """How one synced table maps to its institution and its visit."""

    name: str
    tenant_refs: tuple[Ref, ...]  # foreign keys to tenant tables (visibility)
    visit_refs: tuple[Ref, ...]  # foreign keys leading to a visit, direct ones first

    @property
    def shared(self) -> bool:
        return self.name != ROOT and not self.tenant_refs

    @property
    def locked(self) -> bool:
        return self.name in LOCKED_BY_VISIT

    @property
    def in_visit(self) -> bool:
        return self.name == VISITS or bool(self.visit_refs)


def _derive() -> dict[str, TableRule]:
    tables = _synced_tables()
    refs: dict[str, list[Ref]] = {}
    for table in tables:
        found = []
        for column in table.columns:
            for fk in column.foreign_keys:
                parent = fk.column.table.name
                if parent != table.name:
                    found.append(Ref(column.name, parent, bool(column.nullable)))
        refs[table.name] = found
    tenant: set[str] = {ROOT}
    in_visit: set[str] = {VISITS}
    for table in tables:  # sorted: parents before children
        if any(r.parent in tenant for r in refs[table.name]):
            tenant.add(table.name)
        if any(r.parent in in_visit for r in refs[table.name]):
            in_visit.add(table.name)
    rules: dict[str, TableRule] = {}
    for table in tables:
        mine = refs[table.name]
        direct = [r for r in mine if r.parent == VISITS]
        indirect = [r for r in mine if r.parent in in_visit and r.parent != VISITS]
        if any(not r.nullable for r in direct):  # the visit is named: no need to look further
            direct, indirect = [r for r in direct if not r.nullable], []
        rules[table.name] = TableRule(
            name=table.name,
            tenant_refs=tuple(r for r in mine if r.parent in tenant),
            visit_refs=tuple(direct + indirect) if table.name != VISITS else (),
        )
    return rules


RULES: dict[str, TableRule] = _derive()


# ---------------------------------------------------------------------------
# SQL for the policies


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def visible_sql(table: str) -> str:
    """The hospital's USING clause: this row belongs to one of the login's institutions."""
    rule = RULES[table]
    if table == ROOT:
        return f"id IN (SELECT unnest({SCHEMA}.my_institutions()))"
    if rule.shared:
        return "true"
    parts = []
    for ref in rule.tenant_refs:
        sub = f"{_q(table)}.{_q(ref.column)} IN (SELECT id FROM {_q(ref.parent)})"
        parts.append(f"({_q(table)}.{_q(ref.column)} IS NULL OR {sub})" if ref.nullable else f"({sub})")
    if all(r.nullable for r in rule.tenant_refs):
        parts.append("(" + " OR ".join(f"{_q(table)}.{_q(r.column)} IS NOT NULL" for r in rule.tenant_refs) + ")")
    return " AND ".join(parts)


def visit_sql(table: str, alias: str | None = None, depth: int = 0) -> str:
    """An expression for the id of the visit a row of ``table`` belongs to (NULL if none)."""
    me = alias or _q(table)
    if table == VISITS:
        return f"{me}.id"
    rule = RULES[table]
    options = []
    for ref in rule.visit_refs:
        if ref.parent == VISITS:
            options.append(f"{me}.{_q(ref.column)}")
        else:
            sub_alias = f"p{depth}"
            inner = visit_sql(ref.parent, sub_alias, depth + 1)
            options.append(f"(SELECT {inner} FROM {_q(ref.parent)} {sub_alias} WHERE {sub_alias}.id = {me}.{_q(ref.column)})")
    if not options:
        return "NULL"
    return options[0] if len(options) == 1 else f"COALESCE({', '.join(options)})"


def hospital_write_sql(table: str) -> str:
    """The hospital's WITH CHECK clause: visible, and not the bureau's or a frozen record."""
    rule = RULES[table]
    parts = [visible_sql(table)]
    if table == VISITS:
        parts.append("mode <> 'bureau'")
    elif rule.in_visit and table not in REMEDIATION:
        locked = "true" if rule.locked else "false"
        guard = f"{SCHEMA}.hospital_may_write({visit_sql(table)}, {locked})"
        if table == "photos":  # after-photos belong to the rectification, not the visit's record
            guard = f"(rectification_id IS NOT NULL OR ({guard}))"
        parts.append(guard)
    return " AND ".join(f"({p})" for p in parts)


def bureau_write_sql(table: str) -> str:
    """The bureau's WITH CHECK clause: its own visits and their record, and the registry tables."""
    if table == VISITS:
        return "mode = 'bureau'"
    if RULES[table].in_visit:
        return f"{SCHEMA}.bureau_visit({visit_sql(table)})"
    return "true" if table in BUREAU_GENERAL else "false"


def entity_visible_sql(entity_col: str, id_col: str) -> str:
    """For the change log and conflicts: the row they are about is visible (else hidden)."""
    branches = " ".join(f"WHEN {sa_literal(t)} THEN {id_col} IN (SELECT id FROM {_q(t)})" for t in RULES)
    return f"CASE {entity_col} {branches} ELSE false END"


def sa_literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


# ---------------------------------------------------------------------------
# the same mapping in Python


def institution_of(table: str, record: Mapping[str, Any], lookup: Any) -> str | None:
    """The institution a record belongs to; ``lookup(table, id)`` returns a parent record or None.

    None for shared records (checklist snapshots) and for records whose parents are
    unknown.
    """
    if table == ROOT:
        return record.get("id")
    rule = RULES[table]
    for ref in rule.tenant_refs:
        value = record.get(ref.column)
        if not value:
            continue
        parent = lookup(ref.parent, value)
        if parent is not None:
            found = institution_of(ref.parent, parent, lookup)
            if found is not None:
                return found
    return None


__all__ = [
    "BUREAU_ROLE",
    "FIXED_COLUMNS",
    "HOSPITAL_ROLE",
    "RULES",
    "SCHEMA",
    "TableRule",
    "bureau_write_sql",
    "entity_visible_sql",
    "hospital_write_sql",
    "institution_of",
    "visible_sql",
    "visit_sql",
]
