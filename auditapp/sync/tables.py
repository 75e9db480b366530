"""The synced tables as the merge engine sees them: plain JSON-able dict records.

Records travel as plain values (ISO strings for times, lists/dicts for JSON columns),
the same in a package file, in memory during a direct sync and when comparing two
databases, so "equal" means the same thing everywhere. Everything here is derived from
the ORM metadata: a column or unique constraint added by a later migration is synced
without touching this module.
"""

from __future__ import annotations

import copy
import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

import sqlalchemy as sa

from auditapp.db import validation
from auditapp.db.models import SYNCED_MODELS, Base
from auditapp.terms import Term

Record = dict[str, Any]

# Stamps every synced row carries; they say which version a row is, not what it holds.
STAMPS = ("created_at", "updated_at", "device_id")

# Children of a visit that finalizing freezes (ensure_editable guards them in the
# services). After-photos of rectifications stay editable and are handled in merge.
LOCKED_BY_VISIT = ("visit_checklists", "answers", "findings", "journey_steps", "photos")


@dataclass(frozen=True)
class ColumnSpec:
    name: str
    kind: str  # str, int, float, bool, datetime, date, json
    nullable: bool
    length: int | None
    parent: str | None  # table a foreign key points at
    default: Any = None
    has_default: bool = False


@dataclass(frozen=True)
class TableSpec:
    name: str
    table: sa.Table
    columns: tuple[ColumnSpec, ...]
    natural_keys: tuple[tuple[str, ...], ...]
    by_name: dict[str, ColumnSpec] = field(default_factory=dict)

    @property
    def fks(self) -> list[ColumnSpec]:
        return [c for c in self.columns if c.parent is not None]

    @property
    def locked(self) -> bool:
        return self.name in LOCKED_BY_VISIT


def _default(column: sa.Column[Any]) -> tuple[bool, Any]:
    """The value a record from an older schema gets for a column it does not have."""
    if column.default is not None and getattr(column.default, "is_scalar", False):
        return True, getattr(column.default, "arg")  # noqa: B009 - only scalar/callable defaults have it
    if column.default is not None and getattr(column.default, "is_callable", False):
        fn = getattr(column.default, "arg")  # noqa: B009
        if fn in (list, dict):
            return True, fn()
        wrapped = getattr(fn, "__wrapped__", None)  # SQLAlchemy wraps callables taking no context
        if wrapped in (list, dict):
            return True, wrapped()
    if column.server_default is not None:
        arg = getattr(column.server_default, "arg", None)
        if isinstance(arg, str):
            return True, arg
    if column.nullable:
        return True, None
    return False, None


def _spec(table: sa.Table) -> TableSpec:
    cols = []
    for column in table.columns:
        parents = [fk.column.table.name for fk in column.foreign_keys]
        has_default, default = _default(column)
        cols.append(
            ColumnSpec(
                name=column.name,
                kind=validation.column_kind(column.type),
                nullable=bool(column.nullable),
                length=getattr(column.type, "length", None),
                parent=parents[0] if parents else None,
                default=default,
                has_default=has_default,
            )
        )
    keys: list[tuple[str, ...]] = []
    for constraint in table.constraints:
        if isinstance(constraint, sa.UniqueConstraint):
            keys.append(tuple(c.name for c in constraint.columns))
    for column in table.columns:
        if column.unique and (column.name,) not in keys:
            keys.append((column.name,))
    spec = TableSpec(name=table.name, table=table, columns=tuple(cols), natural_keys=tuple(keys))
    spec.by_name.update({c.name: c for c in cols})
    return spec


def _ordered() -> list[TableSpec]:
    synced = {m.__tablename__ for m in SYNCED_MODELS}
    return [_spec(t) for t in Base.metadata.sorted_tables if t.name in synced]


TABLES: list[TableSpec] = _ordered()
SPECS: dict[str, TableSpec] = {t.name: t for t in TABLES}
TABLE_NAMES: tuple[str, ...] = tuple(t.name for t in TABLES)


# ---------------------------------------------------------------------------
# plain values


def plain_datetime(value: datetime) -> str:
    """Fixed-width UTC ISO text: sorts like the time it stands for."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).isoformat(timespec="microseconds")


def parse_datetime(text: str) -> datetime:
    """An ISO time with time zone as UTC; ValueError for anything else (also out of range)."""
    if not isinstance(text, str) or len(text) > 64:
        raise ValueError(f"not an ISO time: {str(text)[:64]!r}")
    value = datetime.fromisoformat(text)
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"time {text!r} has no time zone")
    try:
        return value.astimezone(UTC)
    except OverflowError:
        raise ValueError(f"time {text!r} is out of range") from None


def to_plain(spec: TableSpec, row: Mapping[str, Any]) -> Record:
    """A database row (Core mapping, ORM types already applied) as a plain record."""
    out: Record = {}
    for col in spec.columns:
        value = row[col.name]
        if value is not None:
            if col.kind == "datetime":
                value = plain_datetime(value)
            elif col.kind == "date":
                value = value.isoformat()
            elif col.kind == "bool":
                value = bool(value)
            elif col.kind == "float":
                value = float(value)
        out[col.name] = value
    return out


def to_db(spec: TableSpec, record: Mapping[str, Any]) -> dict[str, Any]:
    """A plain record as Python values for a Core insert/update."""
    out: dict[str, Any] = {}
    for col in spec.columns:
        value = record.get(col.name)
        if value is not None:
            if col.kind == "datetime":
                value = parse_datetime(value)
            elif col.kind == "date":
                value = date.fromisoformat(value)
        out[col.name] = value
    return out


@dataclass(frozen=True)
class _Checks:
    """What check_record needs per table, worked out once (it runs for every synced record)."""

    names: frozenset[str]
    columns: tuple[tuple[ColumnSpec, validation.FieldRule], ...]
    record: Term


_CHECKS: dict[str, _Checks] = {}


def _checks(spec: TableSpec) -> _Checks:
    found = _CHECKS.get(spec.name)
    if found is None:
        rules = validation.RULES[spec.name]
        found = _CHECKS[spec.name] = _Checks(
            names=frozenset(spec.by_name),
            columns=tuple((col, rules[col.name]) for col in spec.columns),
            record=rules["id"].record,
        )
    return found


def check_record(spec: TableSpec, raw: Mapping[str, Any]) -> Record:
    """Validate a record from outside (package, other database) and normalise it.

    The same rules as a local write (``auditapp.db.validation``), applied to the plain
    values: raises ``validation.RecordError`` naming the field in words; the caller adds
    where the record came from. Columns missing from a record written by an older
    schema get their default.
    """
    checks = _checks(spec)
    if not checks.names.issuperset(raw):
        unknown = set(raw) - checks.names
        raise validation.RecordError("record.unknown_columns", record=checks.record, columns=", ".join(sorted(map(str, unknown))))
    out: Record = {}
    values: dict[str, Any] = {}
    for col, rule in checks.columns:
        name = col.name
        if name in raw:
            value = raw[name]
        elif col.has_default:
            value = copy.deepcopy(col.default)
        else:
            raise rule.error("record.missing_field")
        if value is None:
            if not col.nullable:
                raise rule.error("record.required")
            out[name] = None
            values[name] = None
            continue
        kind = col.kind
        if kind == "datetime":
            python = _from_plain(col, rule, value)
            validation.check_value(rule, python)
            out[name] = plain_datetime(python)
        elif kind == "date":
            python = _from_plain(col, rule, value)
            validation.check_value(rule, python)
            out[name] = python.isoformat()
        else:
            python = float(value) if kind == "float" and type(value) is int else value
            validation.check_value(rule, python)
            out[name] = python
        values[name] = python
    if not out.get("id"):
        raise validation.RecordError("record.no_id", record=checks.record)
    validation.check_record_values(spec.name, values)
    return out


def _from_plain(col: ColumnSpec, rule: validation.FieldRule, value: Any) -> Any:
    """A plain (JSON) value as the Python value the column holds; type errors name the field."""
    kind = col.kind
    if kind == "datetime":
        try:
            return parse_datetime(value)
        except (TypeError, ValueError):
            raise rule.error("record.not_datetime", value=str(value)[:64]) from None
    if kind == "date":
        if not isinstance(value, str):
            raise rule.error("record.not_date", value=str(value)[:64])
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise rule.error("record.not_date", value=value[:64]) from None
    if kind == "float" and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    return value  # str, int, bool, json: their rule checks the type


# ---------------------------------------------------------------------------
# versions


def content_hash(record: Mapping[str, Any]) -> str:
    text = json.dumps(record, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def version_key(record: Mapping[str, Any]) -> tuple[str, bool, str, str]:
    """Total order of versions: newer wins; ties go to a deletion, then device id, then content.

    A pure function of the record, so every database picks the same winner whatever the
    order of syncs (last-writer-wins is a join-semilattice, hence convergent).
    """
    return (record["updated_at"], record.get("deleted_at") is not None, record.get("device_id") or "", content_hash(record))


def differing_fields(a: Mapping[str, Any], b: Mapping[str, Any]) -> list[str]:
    """Fields whose content differs, stamps left out (they always differ between versions)."""
    return sorted(k for k in a.keys() | b.keys() if k not in STAMPS and k != "id" and a.get(k) != b.get(k))


def read_rows(conn: sa.Connection, spec: TableSpec, where: Any = None) -> list[Record]:
    query = sa.select(spec.table)
    if where is not None:
        query = query.where(where)
    return [to_plain(spec, dict(row)) for row in conn.execute(query).mappings()]


def chunks(items: Iterable[Any], size: int = 500) -> Iterable[list[Any]]:
    batch: list[Any] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def dump_tables(conn: sa.Connection) -> dict[str, list[Record]]:
    """Every synced row of a database, sorted by id: what "two databases are equal" compares."""
    return {spec.name: sorted(read_rows(conn, spec), key=lambda r: r["id"]) for spec in TABLES}
