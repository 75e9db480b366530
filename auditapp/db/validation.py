"""One set of rules per record, for every way data enters: local writes, packages, direct sync.

The rules are derived from the ORM models (``auditapp.db.models``): each column's type,
length and nullability, plus the ``info=rule(...)`` on it - its name in words, allowed
values, range, "required", "never changes after creation", the shape of a JSON column.
Nothing else defines what a record may hold:

- every local write passes :func:`before_flush` (a session hook installed by
  ``Database``), so no service, GUI or command-line path can store what a package of
  the same data folder would later refuse ("what can be saved can be synced");
- records from a package or another database pass :func:`check_value` and
  :func:`check_record_values` through ``auditapp.sync.tables.check_record``;
- the merge refuses a newer copy that changes an immutable field (:func:`immutable_changes`).

A broken rule raises :class:`RecordError` naming the field in words, never the column.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy import inspect
from sqlalchemy.orm import Session

from auditapp.db.models import SYNCED_MODELS, Leader, SyncMixin, UTCDateTime
from auditapp.errors import InvalidInputError
from auditapp.rules.dates import DATE_MAX, DATE_MIN
from auditapp.safe_json import JSON_MAX_DEPTH, json_depth, loads_json
from auditapp.terms import TABLE_RECORDS, Term, Words

# Dates outside DATE_MIN..DATE_MAX are typing errors or forgeries: the one range of the app,
# shared with the command line (why these two: auditapp.rules.dates).
DEFAULT_TEXT_MAX = 100_000
MAX_ITEM_IDS = 20_000
MAX_LAYERS = 500

# A plan month as stored: "2026-03" (the services normalise what users type).
_MONTH = re.compile(r"(\d{4})-(0[1-9]|1[0-2])")
MAX_CHECKLIST_IDS = 200


class RecordError(InvalidInputError):
    """A value breaks a rule of its record. Also a message parameter: it renders as its message."""

    def render(self, language: str) -> str:
        return self.message(language)


@dataclass(frozen=True)
class FieldRule:
    table: str
    column: str
    kind: str  # str, int, float, bool, date, datetime, json
    label: Words
    nullable: bool
    has_default: bool
    max_length: int | None
    required: bool
    choices: tuple[Any, ...] | None
    lo: float | None
    hi: float | None
    immutable: bool
    fmt: str | None
    json_shape: str | None

    @property
    def record(self) -> Term:
        return Term("record", TABLE_RECORDS.get(self.table, self.table))

    def error(self, code: str, **params: Any) -> RecordError:
        return RecordError(code, field=self.label, record=self.record, **params)


def column_kind(coltype: sa.types.TypeEngine[Any]) -> str:
    """The value kind of a column type ("datetime", "json", "bool", "date", "int", "float",
    "str"): how local writes, packages and direct sync all read and check its values."""
    if isinstance(coltype, (UTCDateTime, sa.DateTime)):
        return "datetime"
    if isinstance(coltype, sa.JSON):
        return "json"
    if isinstance(coltype, sa.Boolean):
        return "bool"
    if isinstance(coltype, sa.Date):
        return "date"
    if isinstance(coltype, sa.Integer):
        return "int"
    if isinstance(coltype, sa.Float):
        return "float"
    if isinstance(coltype, sa.String):  # Text is a String without a length
        return "str"
    raise TypeError(f"column type {coltype!r} has no validation rule")


def _rule(table: sa.Table, column: sa.Column[Any]) -> FieldRule:
    info = column.info or {}
    zh, en = info.get("label", (column.name, column.name.replace("_", " ")))
    kind = column_kind(column.type)
    length = getattr(column.type, "length", None)
    max_length = info.get("max_length", length)
    if kind == "str" and max_length is None:
        max_length = DEFAULT_TEXT_MAX
    lo, hi = info.get("range", (None, None))
    return FieldRule(
        table=table.name,
        column=column.name,
        kind=kind,
        label=Words(zh, en),
        nullable=bool(column.nullable),
        has_default=column.default is not None or column.server_default is not None,
        max_length=max_length,
        required=bool(info.get("required")),
        choices=tuple(info["choices"]) if "choices" in info else None,
        lo=lo,
        hi=hi,
        immutable=bool(info.get("immutable")),
        fmt=info.get("format"),
        json_shape=info.get("json"),
    )


RULES: dict[str, dict[str, FieldRule]] = {
    model.__table__.name: {c.name: _rule(model.__table__, c) for c in model.__table__.columns}  # type: ignore[attr-defined]
    for model in SYNCED_MODELS
}


def rule_for(table: str, column: str) -> FieldRule:
    return RULES[table][column]


def field_label(table: str, column: str) -> Words:
    return RULES[table][column].label


# ---------------------------------------------------------------------------
# values


def check_text(rule: FieldRule, value: str) -> None:
    """Text SQLite and PostgreSQL can store and every reader can show."""
    if "\x00" in value:
        raise rule.error("record.nul_character")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        # Lone surrogates: what Python makes of bytes that were not UTF-8 (file names,
        # arguments, damaged files). They cannot be written to the database.
        raise rule.error("record.invalid_characters") from None


def _check_json_value(rule: FieldRule, value: Any) -> None:
    try:
        text = json.dumps(value, ensure_ascii=False, allow_nan=False)
    except (TypeError, ValueError) as exc:
        raise rule.error("record.bad_json", detail=str(exc)[:200]) from None
    except RecursionError:
        raise rule.error("record.too_deep", limit=JSON_MAX_DEPTH) from None
    if json_depth(value, JSON_MAX_DEPTH) > JSON_MAX_DEPTH:
        raise rule.error("record.too_deep", limit=JSON_MAX_DEPTH)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise rule.error("record.invalid_characters") from None
    shape = rule.json_shape
    if shape == "item_ids":
        if not isinstance(value, list) or len(value) > MAX_ITEM_IDS:
            raise rule.error("record.bad_item_ids")
        for entry in value:
            if not isinstance(entry, str) or not entry or len(entry) > 200 or any(c.isspace() for c in entry):
                raise rule.error("record.bad_item_ids")
    elif shape == "checklist_ids":
        if not isinstance(value, list) or len(value) > MAX_CHECKLIST_IDS:
            raise rule.error("record.bad_checklist_ids", limit=MAX_CHECKLIST_IDS)
        for entry in value:
            if not isinstance(entry, str) or not entry or len(entry) > 100 or any(c.isspace() for c in entry):
                raise rule.error("record.bad_checklist_ids", limit=MAX_CHECKLIST_IDS)
    elif shape == "basis":
        if not isinstance(value, list) or len(value) > 50:
            raise rule.error("record.bad_basis")
        for entry in value:
            if not isinstance(entry, dict) or not all(
                isinstance(k, str) and isinstance(v, str) and len(v) <= 5000 for k, v in entry.items()
            ):
                raise rule.error("record.bad_basis")
    elif shape == "layers":
        if not isinstance(value, list) or len(value) > MAX_LAYERS:
            raise rule.error("record.bad_layers", detail=f"at most {MAX_LAYERS} layers in a list")
        from auditapp.photos.annotations import parse_layers

        try:
            parse_layers(value)
        except InvalidInputError as exc:
            raise rule.error("record.bad_layers", detail=exc) from None


def _check_snapshot_content(rule: FieldRule, value: str) -> None:
    from pydantic import ValidationError

    from auditapp.checklists.schema import Checklist

    try:
        data = loads_json(value)
    except ValueError as exc:
        raise rule.error("record.bad_json", detail=str(exc)[:200]) from None
    try:
        Checklist.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise rule.error("record.bad_snapshot", detail=f"{where}: {first['msg']}"[:300]) from None


def check_value(rule: FieldRule, value: Any) -> None:
    """Raise RecordError unless ``value`` (a Python value, never None) obeys ``rule``."""
    kind = rule.kind
    if kind == "str":
        if type(value) is not str and not isinstance(value, str):
            raise rule.error("record.not_text")
        if value.isascii():
            if "\x00" in value:
                raise rule.error("record.nul_character")
        else:
            check_text(rule, value)
        if rule.max_length is not None and len(value) > rule.max_length:
            raise rule.error("record.too_long", limit=rule.max_length, length=len(value))
        if rule.required and not value.strip():
            raise rule.error("record.required")
        if rule.fmt == "month":
            match = _MONTH.fullmatch(value)
            if match is None or not DATE_MIN.year <= int(match.group(1)) <= DATE_MAX.year:
                raise rule.error("record.bad_month", value=value[:40], lo=DATE_MIN.year, hi=DATE_MAX.year)
        elif rule.fmt is not None:
            from auditapp.photos.store import is_sha256

            if not (is_sha256(value) or (rule.fmt == "sha256_or_empty" and value == "")):
                raise rule.error("record.bad_hash", value=value[:80])
        if rule.json_shape == "checklist":
            _check_snapshot_content(rule, value)
    elif kind == "int":
        if isinstance(value, bool) or not isinstance(value, int) or abs(value) > 2**31 - 1:
            raise rule.error("record.not_whole_number", value=_show(value))
    elif kind == "float":
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise rule.error("record.not_number", value=_show(value))
        if not math.isfinite(value):
            raise rule.error("record.not_finite", value=_show(value))
    elif kind == "bool":
        if not isinstance(value, bool):
            raise rule.error("record.not_bool", value=_show(value))
    elif kind == "date":
        if isinstance(value, datetime) or not isinstance(value, date):
            raise rule.error("record.not_date", value=_show(value))
        if not DATE_MIN <= value <= DATE_MAX:
            raise rule.error("record.date_out_of_range", value=value.isoformat(), lo=DATE_MIN, hi=DATE_MAX)
    elif kind == "datetime":
        if not isinstance(value, datetime):
            raise rule.error("record.not_datetime", value=_show(value))
        if value.tzinfo is None or value.utcoffset() is None:
            raise rule.error("record.naive_datetime", value=value.isoformat())
        try:
            day = value.astimezone(UTC).date()
        except (OverflowError, ValueError):
            raise rule.error("record.date_out_of_range", value=value.isoformat(), lo=DATE_MIN, hi=DATE_MAX) from None
        if not DATE_MIN <= day <= DATE_MAX:
            raise rule.error("record.date_out_of_range", value=value.isoformat(), lo=DATE_MIN, hi=DATE_MAX)
    elif kind == "json":
        _check_json_value(rule, value)
    if rule.choices is not None and value not in rule.choices:
        shown = [c for c in rule.choices if c]
        raise rule.error("record.not_allowed", value=_show(value), choices=", ".join(map(str, shown)))
    if rule.lo is not None and rule.hi is not None and kind in ("int", "float") and not rule.lo <= value <= rule.hi:
        raise rule.error("record.out_of_range", value=_show(value), lo=rule.lo, hi=rule.hi)


def _show(value: Any) -> str:
    text = repr(value) if not isinstance(value, str) else value
    return text if len(text) <= 60 else text[:57] + "…"


def check_record_values(table: str, values: Mapping[str, Any]) -> None:
    """Rules that join several fields of one record (given as Python values, the whole record)."""
    if table == "leaders":
        start, end = values.get("active_from"), values.get("active_to")
        if isinstance(start, date) and isinstance(end, date) and end < start:
            raise RULES[table]["active_to"].error("leader.dates_reversed", active_from=start, active_to=end)
    if table == "checklist_snapshots" and isinstance(values.get("content"), str):
        rules = RULES[table]
        content = values["content"]
        digest = hashlib.sha256(content.encode("utf-8")).hexdigest()
        if values.get("sha256") != digest:
            raise rules["sha256"].error("record.snapshot_hash_mismatch")
        data = json.loads(content)  # already parsed once by check_value
        for column, key in (("checklist_id", "id"), ("version", "version"), ("title", "title")):
            if column in values and values[column] != data.get(key):
                raise rules[column].error("record.snapshot_mismatch", value=_show(values[column]))


# Records that name a roster leader, and the column that names them. The leader must be on
# the roster of the record's own institution: a visit of hospital A "walked" by hospital
# B's president would fulfil B's monthly duty (每月体验) and print B's leader on A's report.
# The one rule for every way such a record enters: local writes (before_flush, with the
# services' friendlier leader.other_institution in front), packages and direct sync
# (leader_link_error, from auditapp.sync.merge.check_changeset).
LEADER_LINKS: dict[str, str] = {"visits": "leader_id", "visit_plans": "leader_id"}


def check_leader_link(table: str, values: Mapping[str, Any], leader_institution: str | None) -> None:
    """Refuse ``values`` (a whole record of ``table``) naming a leader of another institution.

    ``leader_institution`` is the institution of the leader the record names (None: it
    names none, or the leader is not known here; a missing leader is a missing parent).
    """
    column = LEADER_LINKS.get(table)
    if column is None or not values.get(column) or leader_institution is None:
        return
    if leader_institution != values.get("institution_id"):
        raise RULES[table][column].error("record.leader_other_institution", leader=str(values[column])[:36])


def leader_link_error(
    conn: sa.Connection, tables: Mapping[str, Iterable[Mapping[str, Any]]]
) -> tuple[str, Mapping[str, Any], RecordError] | None:
    """The first record of a changeset (``tables``: table -> records) naming another institution's
    leader, with the error.

    Checked as the merge would apply the record: a new record, or a record already here whose
    copy names another leader. A copy changing what never changes (the record's institution)
    becomes a conflict and is not applied, and a copy naming the leader already stored adds
    nothing, so neither is judged here. A leader's institution never changes either: this
    database's value counts; a leader new to it comes with the changeset.
    """
    incoming_leaders = {str(r["id"]): r.get("institution_id") for r in tables.get("leaders", ())}
    referenced = set(incoming_leaders) | {
        str(r[column]) for table, column in LEADER_LINKS.items() for r in tables.get(table, ()) if r.get(column)
    }
    leaders = Leader.__table__
    known: dict[str, Any] = dict(incoming_leaders)
    known.update(_local_rows(conn, leaders, referenced, [leaders.c.institution_id]))
    for table, column in LEADER_LINKS.items():
        records = list(tables.get(table, ()))
        if not records:
            continue
        t = Leader.metadata.tables[table]
        local = _local_rows(conn, t, {str(r["id"]) for r in records}, [t.c.institution_id, t.c[column]], whole=True)
        for record in records:
            here = local.get(str(record["id"]))
            if here is not None and (
                here["institution_id"] != record.get("institution_id") or here[column] == record.get(column)
            ):
                continue
            try:
                check_leader_link(table, record, known.get(str(record.get(column))))
            except RecordError as exc:
                return table, record, exc
    return None


def _local_rows(conn: sa.Connection, table: sa.FromClause, ids: set[str], columns: list[Any], *, whole: bool = False) -> dict[str, Any]:
    """id -> the first of ``columns`` (or, ``whole``, a dict of them) for the rows of ``ids`` in this database."""
    found: dict[str, Any] = {}
    pending = sorted(ids)
    for start in range(0, len(pending), 500):
        batch = pending[start : start + 500]
        for row in conn.execute(sa.select(table.c.id, *columns).where(table.c.id.in_(batch))).mappings():
            values = {c.name: row[c.name] for c in columns}
            found[str(row["id"])] = values if whole else values[columns[0].name]
    return found


def _leader_institution(session: Session, leader_id: Any) -> str | None:
    """The institution of leader ``leader_id`` as this flush will leave it (pending leaders too)."""
    if not leader_id:
        return None
    for obj in session.new:
        if isinstance(obj, Leader) and obj.id == leader_id:
            return obj.institution_id
    with session.no_autoflush:
        leader = session.get(Leader, leader_id)
    return leader.institution_id if leader is not None else None


def check_new(table: str, values: Mapping[str, Any]) -> None:
    """A whole record about to be created (missing values get their column default)."""
    for name, rule in RULES[table].items():
        value = values.get(name)
        if value is None:
            if rule.nullable or rule.has_default:
                continue
            raise rule.error("record.required")
        check_value(rule, value)
    check_record_values(table, values)


def immutable_changes(table: str, old: Mapping[str, Any], new: Mapping[str, Any]) -> list[str]:
    """The fields that may never change after creation that ``new`` changes."""
    return [name for name, rule in RULES[table].items() if rule.immutable and name in new and old.get(name) != new.get(name)]


def immutable_error(table: str, columns: Iterable[str]) -> RecordError:
    columns = list(columns)
    rule = RULES[table][columns[0]]
    return rule.error("record.immutable")


# ---------------------------------------------------------------------------
# local writes


def modified_columns(obj: object) -> list[str]:
    """The column attributes set since the last flush, in the mapper's order.

    Only these can have a change in their history (SQLAlchemy keeps the committed value
    of exactly the attributes that were set), so the others need not be asked: a flush of
    one changed field no longer computes every column's history.
    """
    state = inspect(obj)
    committed = state.committed_state
    return [attr.key for attr in state.mapper.column_attrs if attr.key in committed]


def _history(obj: SyncMixin, key: str) -> tuple[bool, Any, Any]:
    hist = inspect(obj).attrs[key].history
    if not hist.has_changes():
        return False, None, None
    old = hist.deleted[0] if hist.deleted else None
    new = hist.added[0] if hist.added else None
    return True, old, new


def before_flush(session: Session, _flush_context: object, _instances: object) -> None:
    """Refuse, before anything is written, a new or changed record that breaks a rule."""
    for obj in list(session.new):
        if not isinstance(obj, SyncMixin):
            continue
        table = obj.__tablename__
        values = {c.key: getattr(obj, c.key) for c in inspect(obj).mapper.column_attrs}
        check_new(table, values)
        if table in LEADER_LINKS:
            check_leader_link(table, values, _leader_institution(session, values.get(LEADER_LINKS[table])))
    for obj in list(session.dirty):
        if not isinstance(obj, SyncMixin) or not session.is_modified(obj, include_collections=False):
            continue
        table = obj.__tablename__
        rules = RULES[table]
        changed: dict[str, Any] = {}
        for key in modified_columns(obj):
            did_change, old, new = _history(obj, key)
            if not did_change:
                continue
            rule = rules[key]
            if rule.immutable and old is not None and old != new:
                raise rule.error("record.immutable")
            if new is None:
                if not rule.nullable:
                    raise rule.error("record.required")
                continue
            check_value(rule, new)
            changed[key] = new
        if changed:
            # The whole record: a rule joining two fields must see the one that did not change.
            whole = {c.key: getattr(obj, c.key) for c in inspect(obj).mapper.column_attrs}
            check_record_values(table, whole)
            if LEADER_LINKS.get(table) in changed:
                check_leader_link(table, whole, _leader_institution(session, whole.get(LEADER_LINKS[table])))


__all__ = [
    "DATE_MAX",
    "DATE_MIN",
    "LEADER_LINKS",
    "RULES",
    "FieldRule",
    "RecordError",
    "before_flush",
    "check_leader_link",
    "check_new",
    "check_record_values",
    "check_text",
    "check_value",
    "column_kind",
    "field_label",
    "immutable_changes",
    "immutable_error",
    "leader_link_error",
    "rule_for",
]
