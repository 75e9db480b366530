"""Rectifications (整改): who fixes what by when, and the status history.

Status moves open → in_progress → reported_fixed → verified, or back to reopened; every
change leaves a RectificationEvent so the follow-up report can show the history.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import select

from auditapp.db import Database
from auditapp.db.models import RECTIFICATION_STATUSES, Finding, Rectification, RectificationEvent, Visit, utcnow
from auditapp.errors import InvalidInputError, NotFoundError
from auditapp.services.common import check_choice, ensure_department, require_finding, require_institution
from auditapp.services.visits import FindingInfo, RectificationInfo, finding_info, rectification_info

if TYPE_CHECKING:
    from auditapp.services.photos import PhotoInfo

# Which status may follow which: a fix is verified only after it was reported.
ALLOWED_TRANSITIONS: dict[str, tuple[str, ...]] = {
    "open": ("in_progress", "reported_fixed", "verified"),
    "in_progress": ("open", "reported_fixed", "verified"),
    "reported_fixed": ("verified", "reopened", "in_progress"),
    "verified": ("reopened",),
    "reopened": ("in_progress", "reported_fixed", "verified"),
}


@dataclass(frozen=True)
class RectificationRow:
    """A finding with its rectification, for the rectification table and reports."""

    finding: FindingInfo
    rectification: RectificationInfo
    visit_id: str
    visit_date: date
    institution_name: str


def _rect_for(session, finding: Finding) -> Rectification:  # type: ignore[no-untyped-def]
    source_id = finding.carried_from_id or finding.id
    rect = session.scalar(
        select(Rectification).where(Rectification.finding_id == source_id, Rectification.deleted_at.is_(None))
    )
    if rect is None:
        raise NotFoundError(f"finding {finding.id[:8]} has no rectification")
    return rect


def update_rectification(
    db: Database,
    finding_ref: str,
    *,
    department: str | None = None,
    owner: str | None = None,
    deadline: date | None = None,
    clear_deadline: bool = False,
    measures: str | None = None,
    status: str | None = None,
    note: str = "",
) -> RectificationInfo:
    """Edit the rectification of a finding (also reachable through a carried-over finding).

    Rectifications stay editable after the visit is finalized: the fix happens later.
    """
    if status is not None:
        check_choice(status, RECTIFICATION_STATUSES, "rectification status")
    with db.session() as session:
        finding = require_finding(session, finding_ref)
        rect = _rect_for(session, finding)
        visit = session.get(Visit, finding.visit_id)
        assert visit is not None
        if department is not None:
            dept = ensure_department(session, visit.institution_id, department)
            rect.department_id = dept.id if dept else None
        if owner is not None:
            rect.owner = owner.strip()
        if clear_deadline:
            rect.deadline = None
        elif deadline is not None:
            rect.deadline = deadline
        if measures is not None:
            rect.measures = measures.strip()
        if status is not None and status != rect.status:
            if status not in ALLOWED_TRANSITIONS[rect.status]:
                raise InvalidInputError(
                    f"a rectification cannot go from {rect.status} to {status}",
                    hint=f"From {rect.status} it can go to: {', '.join(ALLOWED_TRANSITIONS[rect.status])}.",
                )
            session.add(
                RectificationEvent(
                    rectification_id=rect.id,
                    status_from=rect.status,
                    status_to=status,
                    note=note.strip(),
                    actor=session.info.get("actor", ""),
                )
            )
            rect.status = status
            rect.verified_at = utcnow() if status == "verified" else None
        session.flush()
        return rectification_info(session, rect)


def list_rectifications(
    db: Database,
    *,
    institution: str | None = None,
    visit: str | None = None,
    status: str | None = None,
    department: str | None = None,
    overdue_only: bool = False,
    today: date | None = None,
) -> list[RectificationRow]:
    """Rectifications of original findings (carried-over copies are not counted twice).

    For one visit, the items carried over from earlier visits to be re-checked are listed
    too (with the original's rectification): that is where their after-photos are taken.
    """
    from auditapp.services.common import require_visit

    today = today or date.today()
    with db.session() as session:
        query = (
            select(Finding, Visit)
            .join(Visit, Visit.id == Finding.visit_id)
            .where(Finding.deleted_at.is_(None), Visit.deleted_at.is_(None))
        )
        if not visit:
            query = query.where(Finding.carried_from_id.is_(None))
        if institution:
            query = query.where(Visit.institution_id == require_institution(session, institution).id)
        if visit:
            query = query.where(Visit.id == require_visit(session, visit).id)
        rows: list[RectificationRow] = []
        for finding, v in session.execute(query.order_by(Visit.visit_date, Finding.seq)).all():
            info = finding_info(session, finding)
            rect = info.rectification
            if rect is None:
                continue
            if status and rect.status != status:
                continue
            if department and rect.department != department:
                continue
            if overdue_only and not (rect.deadline and rect.deadline < today and rect.status not in ("verified",)):
                continue
            rows.append(
                RectificationRow(
                    finding=info,
                    rectification=rect,
                    visit_id=v.id,
                    visit_date=v.visit_date,
                    institution_name=v.institution.name,
                )
            )
        return rows


@dataclass(frozen=True)
class RectificationEventInfo:
    """One status change of a rectification, as shown in its history."""

    at: datetime
    status_from: str | None
    status_to: str
    note: str
    actor: str


def rectification_history(db: Database, finding_ref: str) -> list[RectificationEventInfo]:
    """The status history of a finding's rectification, oldest first.

    The GUI shows it beside the edit panel so whoever changes a status sees who changed
    it before and why; the follow-up report prints the same events.
    """
    with db.session() as session:
        rect = _rect_for(session, require_finding(session, finding_ref))
        events = session.scalars(
            select(RectificationEvent)
            .where(RectificationEvent.rectification_id == rect.id, RectificationEvent.deleted_at.is_(None))
            .order_by(RectificationEvent.at)
        ).all()
        return [
            RectificationEventInfo(at=e.at, status_from=e.status_from, status_to=e.status_to, note=e.note, actor=e.actor)
            for e in events
        ]


def after_photo_thumbnails(db: Database, finding_ref: str) -> list[tuple[PhotoInfo, bytes]]:
    """The after-photos (整改后照片) of a finding's rectification with their thumbnail bytes.

    One call for the GUI's thumbnail strip, so the GUI needs to know neither the photo
    store nor which rectification a carried-over finding points to.
    """
    from auditapp.services.photos import list_photos, photo_store

    with db.session() as session:
        rect_id = _rect_for(session, require_finding(session, finding_ref)).id
    store = photo_store(db)
    return [(p, store.read(p.thumb_sha256)) for p in list_photos(db, rectification_id=rect_id) if p.kind == "after"]
