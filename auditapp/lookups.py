"""A record by what a person types: an id, an id prefix or (for some records) a name.

The services, sync's conflict commands and the reports all resolve references here, so
every command and window reports a missing or ambiguous reference the same way and an
id prefix means the same thing everywhere. It sits above ``auditapp.db`` (it queries
the models) and below the services (it knows no use case).
"""

from __future__ import annotations

from typing import Any, Protocol, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import InstrumentedAttribute, Session

from auditapp.db.models import Finding, FloorPlan, Institution, Leader, MapPin, Photo, SyncConflict, Visit
from auditapp.errors import InvalidInputError, NotFoundError
from auditapp.terms import Term

# Fewer characters than this are never read as an id prefix (too many ids share them).
MIN_PREFIX = 4


class _Keyed(Protocol):
    id: Any


R = TypeVar("R", bound=_Keyed)


def _live(model: type[Any]) -> InstrumentedAttribute[Any] | None:
    """The model's soft-delete column, when it has one (synced records do)."""
    column = getattr(model, "deleted_at", None)
    return column if isinstance(column, InstrumentedAttribute) else None


def by_id_or_prefix(session: Session, model: type[R], ref: str, what: str) -> R | None:
    """The live ``model`` row whose id is ``ref`` or starts with it; None when there is none.

    ``what`` names the record in the "ambiguous prefix" message (a ``record`` term in
    ``auditapp.terms``). A prefix shorter than :data:`MIN_PREFIX` is only tried as a whole id.
    """
    ref = ref.strip()
    deleted_at = _live(model)
    obj = session.get(model, ref)
    if obj is not None and (deleted_at is None or obj.deleted_at is None):  # type: ignore[attr-defined]
        return obj
    if len(ref) < MIN_PREFIX:
        return None
    query = select(model).where(model.id.startswith(ref))
    if deleted_at is not None:
        query = query.where(deleted_at.is_(None))
    matches = list(session.scalars(query.limit(3)))
    if len(matches) > 1:
        raise InvalidInputError("lookup.ambiguous_prefix", what=Term("record", what), ref=ref, ids=[m.id[:12] for m in matches])
    return matches[0] if matches else None


def require_institution(session: Session, ref: str) -> Institution:
    """An institution by id, id prefix or exact name."""
    inst = by_id_or_prefix(session, Institution, ref, "institution")
    if inst is not None:
        return inst
    by_name = list(
        session.scalars(select(Institution).where(Institution.name == ref.strip(), Institution.deleted_at.is_(None)))
    )
    if len(by_name) == 1:
        return by_name[0]
    if len(by_name) > 1:
        raise InvalidInputError("institution.name_ambiguous", count=len(by_name), ref=ref)
    raise NotFoundError("institution.not_found", ref=ref)


def require_visit(session: Session, ref: str) -> Visit:
    """A visit by id or id prefix."""
    row = by_id_or_prefix(session, Visit, ref, "visit")
    if row is None:
        raise NotFoundError("visit.not_found", ref=ref)
    return row


def require_finding(session: Session, ref: str) -> Finding:
    """A problem (finding) by id or id prefix."""
    row = by_id_or_prefix(session, Finding, ref, "finding")
    if row is None:
        raise NotFoundError("finding.not_found", ref=ref)
    return row



def require_photo(session: Session, ref: str) -> Photo:
    """A photo by id or id prefix."""
    row = by_id_or_prefix(session, Photo, ref, "photo")
    if row is None:
        raise NotFoundError("photo.not_found", ref=ref)
    return row


def require_plan(session: Session, ref: str) -> FloorPlan:
    """A floor plan by id or id prefix."""
    row = by_id_or_prefix(session, FloorPlan, ref, "floor_plan")
    if row is None:
        raise NotFoundError("plan.not_found", ref=ref)
    return row


def require_pin(session: Session, ref: str) -> MapPin:
    """A floor-plan pin by id or id prefix."""
    row = by_id_or_prefix(session, MapPin, ref, "pin")
    if row is None:
        raise NotFoundError("pin.not_found", ref=ref)
    return row


def require_leader(session: Session, ref: str, *, institution_id: str | None = None) -> Leader:
    """A leader by id, id prefix or name (a name needs the institution)."""
    ref = ref.strip()
    leader = by_id_or_prefix(session, Leader, ref, "leader")
    if leader is None and institution_id is not None:
        leader = session.scalar(
            select(Leader).where(Leader.institution_id == institution_id, Leader.name == ref, Leader.deleted_at.is_(None))
        )
    if leader is None:
        raise NotFoundError("leader.not_found", ref=ref)
    if institution_id is not None and leader.institution_id != institution_id:
        raise InvalidInputError("leader.other_institution", leader=leader.name)
    return leader



def require_conflict(session: Session, ref: str) -> SyncConflict:
    """A sync conflict by id or id prefix (resolved ones too: resolving twice is refused later)."""
    row = by_id_or_prefix(session, SyncConflict, ref, "conflict")
    if row is None:
        raise NotFoundError("conflict.not_found", ref=ref)
    return row


__all__ = [
    "MIN_PREFIX",
    "by_id_or_prefix",
    "require_conflict",
    "require_finding",
    "require_institution",
    "require_leader",
    "require_photo",
    "require_pin",
    "require_plan",
    "require_visit",
]
