"""Deleting visits and institutions, and bringing them back from the trash (回收站).

A test visit or a mistyped institution must not pollute lists, reports and the bureau's
ranking, but deleting evidence must be reversible. A deletion therefore tombstones the
record and everything that belongs to it **with one timestamp**; restoring clears exactly
the tombstones carrying that timestamp, so a problem deleted on its own earlier stays
deleted. Tombstones and restores are ordinary edits and travel by sync. Photo files are
never touched: only the rows that show them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from auditapp.db import Database
from auditapp.db.models import (
    Answer,
    Department,
    Finding,
    FloorPlan,
    Institution,
    JourneyStep,
    MapPin,
    Photo,
    Rectification,
    SyncMixin,
    Visit,
    VisitAmendment,
    VisitChecklist,
    utcnow,
)
from auditapp.errors import InvalidInputError, NotFoundError
from auditapp.lookups import require_institution, require_visit


@dataclass(frozen=True)
class TrashEntry:
    """A deleted visit or institution, as the trash lists it."""

    id: str
    kind: str  # "visit" or "institution"
    label: str
    institution_name: str
    deleted_at: datetime
    detail: str = ""


def _tombstone(session: Session, model: type[SyncMixin], condition: object, when: datetime) -> None:
    """Tombstone the live rows of ``model`` matching ``condition``, loading them through
    the session so the change log and sync stamps see every one."""
    rows = session.scalars(select(model).where(condition, model.deleted_at.is_(None))).all()  # type: ignore[arg-type]
    for row in rows:
        row.deleted_at = when


def _delete_visit_rows(session: Session, visit: Visit, when: datetime) -> None:
    finding_ids = list(session.scalars(select(Finding.id).where(Finding.visit_id == visit.id, Finding.deleted_at.is_(None))))
    rect_ids = list(
        session.scalars(
            select(Rectification.id).where(Rectification.finding_id.in_(finding_ids), Rectification.deleted_at.is_(None))
        )
    )
    # Copies carried into later visits re-check problems of this visit: they go with it.
    _tombstone(session, Finding, Finding.carried_from_id.in_(finding_ids), when)
    _tombstone(
        session,
        Photo,
        or_(Photo.visit_id == visit.id, Photo.finding_id.in_(finding_ids), Photo.rectification_id.in_(rect_ids)),
        when,
    )
    _tombstone(session, MapPin, or_(MapPin.visit_id == visit.id, MapPin.finding_id.in_(finding_ids)), when)
    _tombstone(session, Rectification, Rectification.id.in_(rect_ids), when)
    _tombstone(session, Finding, Finding.id.in_(finding_ids), when)
    for model in (Answer, JourneyStep, VisitChecklist, VisitAmendment):
        _tombstone(session, model, model.visit_id == visit.id, when)
    visit.deleted_at = when


def delete_visit(db: Database, visit_ref: str) -> TrashEntry:
    """Move a visit with its answers, problems, photos' rows, timings and pins to the trash."""
    with db.session() as session:
        visit = require_visit(session, visit_ref)
        when = utcnow()
        _delete_visit_rows(session, visit, when)
        session.flush()
        return _visit_entry(visit)


def delete_institution(db: Database, institution_ref: str) -> TrashEntry:
    """Move an institution with its departments, floor plans, AED pins and visits to the trash."""
    with db.session() as session:
        inst = require_institution(session, institution_ref)
        when = utcnow()
        for visit in session.scalars(select(Visit).where(Visit.institution_id == inst.id, Visit.deleted_at.is_(None))):
            _delete_visit_rows(session, visit, when)
        plan_ids = list(session.scalars(select(FloorPlan.id).where(FloorPlan.institution_id == inst.id)))
        _tombstone(session, MapPin, MapPin.floor_plan_id.in_(plan_ids), when)
        _tombstone(session, FloorPlan, FloorPlan.id.in_(plan_ids), when)
        _tombstone(session, Department, Department.institution_id == inst.id, when)
        inst.deleted_at = when
        session.flush()
        return _institution_entry(inst)


def _visit_entry(visit: Visit) -> TrashEntry:
    assert visit.deleted_at is not None
    return TrashEntry(
        id=visit.id,
        kind="visit",
        label=f"{visit.visit_date.isoformat()} {visit.inspector}".strip(),
        institution_name=visit.institution.name,
        deleted_at=visit.deleted_at,
        detail=visit.report_number,
    )


def _institution_entry(inst: Institution) -> TrashEntry:
    assert inst.deleted_at is not None
    return TrashEntry(
        id=inst.id, kind="institution", label=inst.name, institution_name=inst.name, deleted_at=inst.deleted_at
    )


def list_trash(db: Database) -> list[TrashEntry]:
    """Deleted institutions and visits, newest deletion first.

    A visit deleted together with its institution is listed under the institution only:
    restoring the institution brings it back.
    """
    with db.session() as session:
        entries: list[TrashEntry] = [
            _institution_entry(i) for i in session.scalars(select(Institution).where(Institution.deleted_at.is_not(None)))
        ]
        for visit in session.scalars(select(Visit).where(Visit.deleted_at.is_not(None))):
            if visit.institution.deleted_at is not None and visit.institution.deleted_at == visit.deleted_at:
                continue
            entries.append(_visit_entry(visit))
        return sorted(entries, key=lambda e: e.deleted_at, reverse=True)


def _restore_rows(session: Session, model: type[SyncMixin], condition: object, when: datetime) -> None:
    rows = session.scalars(select(model).where(condition, model.deleted_at == when)).all()  # type: ignore[arg-type]
    for row in rows:
        row.deleted_at = None


def _restore_visit_rows(session: Session, visit: Visit) -> None:
    when = visit.deleted_at
    assert when is not None
    finding_ids = list(session.scalars(select(Finding.id).where(Finding.visit_id == visit.id, Finding.deleted_at == when)))
    rect_ids = list(
        session.scalars(
            select(Rectification.id).where(Rectification.finding_id.in_(finding_ids), Rectification.deleted_at == when)
        )
    )
    for model in (Answer, JourneyStep, VisitChecklist, VisitAmendment):
        _restore_rows(session, model, model.visit_id == visit.id, when)
    _restore_rows(session, Finding, Finding.id.in_(finding_ids), when)
    _restore_rows(session, Rectification, Rectification.id.in_(rect_ids), when)
    _restore_rows(session, Finding, Finding.carried_from_id.in_(finding_ids), when)
    _restore_rows(
        session,
        Photo,
        or_(Photo.visit_id == visit.id, Photo.finding_id.in_(finding_ids), Photo.rectification_id.in_(rect_ids)),
        when,
    )
    _restore_rows(session, MapPin, or_(MapPin.visit_id == visit.id, MapPin.finding_id.in_(finding_ids)), when)
    visit.deleted_at = None


def restore(db: Database, record_id: str) -> TrashEntry:
    """Bring a deleted visit or institution back with everything deleted with it.

    Takes the exact id from the trash list (deleted records are invisible to the
    short-id and name look-ups). A visit whose institution is still deleted cannot come
    back alone: restore the institution.
    """
    with db.session() as session:
        visit = session.get(Visit, record_id)
        if visit is not None and visit.deleted_at is not None:
            if visit.institution.deleted_at is not None:
                raise InvalidInputError("trash.institution_deleted", institution=visit.institution.name)
            entry = _visit_entry(visit)
            _restore_visit_rows(session, visit)
            return entry
        inst = session.get(Institution, record_id)
        if inst is not None and inst.deleted_at is not None:
            entry = _institution_entry(inst)
            when = inst.deleted_at
            clash = session.scalar(
                select(Institution).where(Institution.name == inst.name, Institution.deleted_at.is_(None))
            )
            if clash is not None:
                raise InvalidInputError("trash.name_taken", name=inst.name)
            inst.deleted_at = None
            _restore_rows(session, Department, Department.institution_id == inst.id, when)
            plan_ids = list(session.scalars(select(FloorPlan.id).where(FloorPlan.institution_id == inst.id)))
            _restore_rows(session, FloorPlan, FloorPlan.id.in_(plan_ids), when)
            _restore_rows(session, MapPin, MapPin.floor_plan_id.in_(plan_ids), when)
            for v in session.scalars(select(Visit).where(Visit.institution_id == inst.id, Visit.deleted_at == when)):
                _restore_visit_rows(session, v)
            return entry
        raise NotFoundError("trash.not_found", ref=record_id)


__all__ = ["TrashEntry", "delete_institution", "delete_visit", "list_trash", "restore"]
