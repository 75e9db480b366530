"""Conflicts recorded by merges: listing them and resolving one by keeping a side.

Resolving writes the kept value as a new edit through the ORM (so it is stamped,
logged and wins on every other replica at the next sync) and marks the conflict
resolved. Keeping the value that the merge already applied writes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select

from auditapp.db import Database, validation
from auditapp.db.models import SYNCED_MODELS, Answer, SyncConflict, utcnow
from auditapp.errors import InvalidInputError, NotFoundError
from auditapp.lookups import require_conflict
from auditapp.services.visits import realign_finding
from auditapp.sync.tables import SPECS, STAMPS, differing_fields, to_db, to_plain

_MODELS = {m.__tablename__: m for m in SYNCED_MODELS}
KEEP_CHOICES = ("local", "remote")


@dataclass(frozen=True)
class ConflictInfo:
    id: str
    table: str
    record_id: str
    kind: str
    fields: list[str]
    local_values: dict[str, Any] | None
    remote_values: dict[str, Any] | None
    local_device: str
    remote_device: str
    local_updated_at: datetime | None
    remote_updated_at: datetime | None
    applied: str
    source: str
    detected_at: datetime
    resolved: bool
    resolution: str

    def values(self, side: str) -> dict[str, Any]:
        """The differing fields of one side (``local``/``remote``), for showing both."""
        rec = self.local_values if side == "local" else self.remote_values
        if rec is None:
            return {}
        return {f: rec.get(f) for f in self.fields}

    @property
    def summary(self) -> str:
        what = {
            "edit": "edited on both sides",
            "delete": "deleted on one side, edited on the other",
            "finalized": "edited after the visit was finalized elsewhere",
            "immutable": "the other side changed a field that never changes (refused)",
        }.get(self.kind, self.kind)
        return f"{self.table} {self.record_id[:8]}: {what}"


def _info(row: SyncConflict) -> ConflictInfo:
    return ConflictInfo(
        id=row.id,
        table=row.table_name,
        record_id=row.record_id,
        kind=row.kind,
        fields=list(row.fields or []),
        local_values=row.local_values,
        remote_values=row.remote_values,
        local_device=row.local_device,
        remote_device=row.remote_device,
        local_updated_at=row.local_updated_at,
        remote_updated_at=row.remote_updated_at,
        applied=row.applied,
        source=row.source,
        detected_at=row.detected_at,
        resolved=row.resolved,
        resolution=row.resolution,
    )


def list_conflicts(db: Database, *, include_resolved: bool = False) -> list[ConflictInfo]:
    with db.session() as session:
        query = select(SyncConflict)
        if not include_resolved:
            query = query.where(SyncConflict.resolved.is_(False))
        rows = session.scalars(query.order_by(SyncConflict.detected_at, SyncConflict.id)).all()
        return [_info(r) for r in rows]



def resolve_conflict(db: Database, ref: str, keep: str) -> ConflictInfo:
    """Keep the ``local`` or ``remote`` value of a conflict; the other is dropped for good."""
    if keep not in KEEP_CHOICES:
        raise InvalidInputError("conflict.unknown_side", keep=keep)
    with db.session() as session:
        conflict = require_conflict(session, ref)
        if conflict.resolved:
            raise InvalidInputError("conflict.already_resolved", id=conflict.id[:8], kept=conflict.resolution)
        spec = SPECS[conflict.table_name]
        model = _MODELS[conflict.table_name]
        chosen = conflict.local_values if keep == "local" else conflict.remote_values
        obj = session.get(model, conflict.record_id)
        if obj is None and chosen is None:
            pass
        elif obj is None:
            raise NotFoundError(
                "conflict.record_gone", record=validation.rule_for(conflict.table_name, "id").record, id=conflict.record_id[:8]
            )
        else:
            session.info["change_reason"] = f"conflict {conflict.id[:8]} resolved: kept the {keep} value"
            if chosen is None:
                if obj.deleted_at is None:
                    obj.deleted_at = utcnow()
            else:
                current = to_plain(spec, {c.name: getattr(obj, c.name) for c in spec.columns})
                target = dict(current)
                target.update({k: v for k, v in chosen.items() if k not in STAMPS and k != "id"})
                values = to_db(spec, target)
                for name in differing_fields(current, target):
                    setattr(obj, name, values[name])
                try:
                    session.flush()
                except validation.RecordError as exc:
                    if exc.code == "record.immutable":
                        raise InvalidInputError("conflict.immutable", problem=exc) from exc
                    raise
                if isinstance(obj, Answer):
                    realign_finding(session, obj)
        conflict.resolved = True
        conflict.resolved_at = utcnow()
        conflict.resolution = keep
        session.flush()
        return _info(conflict)
