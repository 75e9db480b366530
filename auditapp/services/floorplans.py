"""Floor plans (平面图) and the pins on them: AED points, findings, facilities.

Plan images go into the same content-addressed store as photos (metadata stripped, so a
scanned plan carries no GPS), but at a larger size: a plan is read for its small print.
Pins store fractions of the plan's width and height, so they stay put at any zoom and
in the PDF.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import func, select

from auditapp.db import Database
from auditapp.db.models import Answer, Finding, FloorPlan, MapPin, Photo, utcnow
from auditapp.errors import InvalidInputError, NotFoundError
from auditapp.lookups import require_institution, require_pin, require_plan, require_visit
from auditapp.photos.ingest import process_image
from auditapp.progress import CancelToken, Progress, check
from auditapp.services.common import check_choice, ensure_editable
from auditapp.services.photos import photo_store
from auditapp.services.pin_kinds import AED_STATUSES, PIN_KINDS

if TYPE_CHECKING:
    from auditapp.services.visits import FindingInfo

PLAN_MAX_SIDE = 4096


@dataclass(frozen=True)
class FloorPlanInfo:
    id: str
    institution_id: str
    name: str
    floor: str
    image_sha256: str | None
    width: int
    height: int
    pin_count: int = 0


@dataclass(frozen=True)
class PinInfo:
    id: str
    floor_plan_id: str
    visit_id: str | None
    kind: str
    x: float
    y: float
    label: str
    status: str
    answer_id: str | None
    finding_id: str | None


def _plan_info(plan: FloorPlan, pins: int = 0) -> FloorPlanInfo:
    return FloorPlanInfo(
        id=plan.id,
        institution_id=plan.institution_id,
        name=plan.name,
        floor=plan.floor,
        image_sha256=plan.image_sha256,
        width=plan.width,
        height=plan.height,
        pin_count=pins,
    )


def _pin_info(pin: MapPin) -> PinInfo:
    return PinInfo(
        id=pin.id,
        floor_plan_id=pin.floor_plan_id,
        visit_id=pin.visit_id,
        kind=pin.kind,
        x=pin.x,
        y=pin.y,
        label=pin.label,
        status=pin.status,
        answer_id=pin.answer_id,
        finding_id=pin.finding_id,
    )



def _check_xy(x: float, y: float) -> None:
    if not (0.0 <= x <= 1.0 and 0.0 <= y <= 1.0):
        raise InvalidInputError("pin.outside_plan", x=x, y=y)


def add_floor_plan(
    db: Database,
    institution_ref: str,
    image: Path,
    *,
    name: str,
    floor: str = "",
    progress: Progress | None = None,
    cancel: CancelToken | None = None,
) -> FloorPlanInfo:
    """Import a plan image (checked and stripped like a photo) for an institution.

    Decoding and shrinking a large plan is the slow part; cancelling before the image
    is stored raises ``Cancelled`` and changes nothing.
    """
    if not name.strip():
        raise InvalidInputError("plan.name_missing")
    if progress is not None:
        progress(0, 2, Path(image).name)
    processed = process_image(Path(image), max_side=PLAN_MAX_SIDE)
    check(cancel)
    if progress is not None:
        progress(1, 2, Path(image).name)
    sha = photo_store(db).put(processed.data)
    with db.session() as session:
        inst = require_institution(session, institution_ref)
        order = session.scalar(
            select(func.count()).select_from(FloorPlan).where(FloorPlan.institution_id == inst.id)
        )
        plan = FloorPlan(
            institution_id=inst.id,
            name=name.strip(),
            floor=floor.strip(),
            image_sha256=sha,
            width=processed.width,
            height=processed.height,
            sort_order=int(order or 0),
        )
        session.add(plan)
        # A photo row of kind "floorplan" lets reports place the plan like any photo.
        session.add(
            Photo(
                visit_id=None,
                kind="floorplan",
                sha256=sha,
                thumb_sha256=photo_store(db).put(processed.thumbnail),
                mime=processed.mime,
                width=processed.width,
                height=processed.height,
                byte_size=len(processed.data),
                original_filename=Path(image).name[:300],
                caption=name.strip(),
                annotations=[],
            )
        )
        session.flush()
        info = _plan_info(plan)
    if progress is not None:
        progress(2, 2, "")
    return info


def rename_floor_plan(db: Database, plan_ref: str, *, name: str | None = None, floor: str | None = None) -> FloorPlanInfo:
    with db.session() as session:
        plan = require_plan(session, plan_ref)
        if name is not None:
            if not name.strip():
                raise InvalidInputError("plan.name_missing")
            plan.name = name.strip()
        if floor is not None:
            plan.floor = floor.strip()
        session.flush()
        return _plan_info(plan)


def delete_floor_plan(db: Database, plan_ref: str) -> None:
    """Tombstone the plan and its pins (the image stays while backups may refer to it)."""
    with db.session() as session:
        plan = require_plan(session, plan_ref)
        now = utcnow()
        plan.deleted_at = now
        for pin in session.scalars(select(MapPin).where(MapPin.floor_plan_id == plan.id, MapPin.deleted_at.is_(None))):
            pin.deleted_at = now


def list_floor_plans(db: Database, institution_ref: str) -> list[FloorPlanInfo]:
    with db.session() as session:
        inst = require_institution(session, institution_ref)
        plans = session.scalars(
            select(FloorPlan)
            .where(FloorPlan.institution_id == inst.id, FloorPlan.deleted_at.is_(None))
            .order_by(FloorPlan.sort_order, FloorPlan.name)
        ).all()
        counts = dict(
            session.execute(
                select(MapPin.floor_plan_id, func.count())
                .where(MapPin.deleted_at.is_(None), MapPin.floor_plan_id.in_([p.id for p in plans]))
                .group_by(MapPin.floor_plan_id)
            ).all()
        )
        return [_plan_info(p, int(counts.get(p.id, 0))) for p in plans]


def plan_image(db: Database, plan_ref: str) -> bytes:
    with db.session() as session:
        plan = require_plan(session, plan_ref)
        sha = plan.image_sha256
    if not sha:
        raise NotFoundError("plan.no_image")
    return photo_store(db).read(sha)


def add_pin(
    db: Database,
    plan_ref: str,
    *,
    kind: str,
    x: float,
    y: float,
    label: str = "",
    visit: str | None = None,
    status: str = "",
    item_id: str | None = None,
    finding: str | None = None,
) -> PinInfo:
    """Place a pin; AED and facility pins belong to the institution, finding pins to a visit."""
    check_choice(kind, PIN_KINDS, "pin kind")
    _check_xy(x, y)
    if kind == "aed":
        check_choice(status, AED_STATUSES, "AED status")
    with db.session() as session:
        plan = require_plan(session, plan_ref)
        pin = MapPin(floor_plan_id=plan.id, kind=kind, x=x, y=y, label=label.strip(), status=status)
        if visit is not None:
            v = require_visit(session, visit)
            if v.institution_id != plan.institution_id:
                raise InvalidInputError("pin.other_institution")
            ensure_editable(v)
            pin.visit_id = v.id
        _link(session, pin, item_id=item_id, finding=finding)
        session.add(pin)
        session.flush()
        return _pin_info(pin)


def _link(session: object, pin: MapPin, *, item_id: str | None, finding: str | None) -> None:
    from auditapp.lookups import require_finding
    from auditapp.services.visits import ensure_answer

    if item_id is not None:
        if pin.visit_id is None:
            raise InvalidInputError("pin.item_needs_visit")
        v = require_visit(session, pin.visit_id)  # type: ignore[arg-type]
        pin.answer_id = ensure_answer(session, v, item_id).id  # type: ignore[arg-type]
    if finding is not None:
        f = require_finding(session, finding)  # type: ignore[arg-type]
        pin.finding_id = f.id
        if pin.visit_id is None:
            pin.visit_id = f.visit_id


def update_pin(
    db: Database,
    pin_ref: str,
    *,
    x: float | None = None,
    y: float | None = None,
    label: str | None = None,
    status: str | None = None,
    visit: str | None = None,
    item_id: str | None = None,
    finding: str | None = None,
) -> PinInfo:
    """Move, relabel, re-check (AED status) or link a pin."""
    with db.session() as session:
        pin = require_pin(session, pin_ref)
        if x is not None or y is not None:
            nx, ny = pin.x if x is None else x, pin.y if y is None else y
            _check_xy(nx, ny)
            pin.x, pin.y = nx, ny
        if label is not None:
            pin.label = label.strip()
        if status is not None:
            if pin.kind == "aed":
                check_choice(status, AED_STATUSES, "AED status")
            pin.status = status
        if visit is not None:
            pin.visit_id = require_visit(session, visit).id
        _link(session, pin, item_id=item_id, finding=finding)
        session.flush()
        return _pin_info(pin)


def delete_pin(db: Database, pin_ref: str) -> None:
    with db.session() as session:
        require_pin(session, pin_ref).deleted_at = utcnow()


def restore_pin(db: Database, pin_id: str) -> PinInfo:
    """Bring back a deleted pin (the GUI's undo of a delete or of an add).

    Takes the exact id, because tombstoned pins are invisible to prefix look-ups. The
    pin keeps its id, so a redo after an undo refers to the same row and sync sees one
    pin, not a chain of copies.
    """
    with db.session() as session:
        pin = session.get(MapPin, pin_id)
        if pin is None:
            raise NotFoundError("pin.not_found", ref=pin_id)
        plan = session.get(FloorPlan, pin.floor_plan_id)
        if plan is None or plan.deleted_at is not None:
            raise NotFoundError("pin.plan_deleted")
        pin.deleted_at = None
        session.flush()
        return _pin_info(pin)


def list_pins(
    db: Database,
    *,
    plan: str | None = None,
    institution: str | None = None,
    kind: str | None = None,
    visit: str | None = None,
) -> list[PinInfo]:
    """Pins of a plan or of all an institution's plans; a visit's view adds the institution's AEDs."""
    with db.session() as session:
        query = select(MapPin).join(FloorPlan, FloorPlan.id == MapPin.floor_plan_id).where(
            MapPin.deleted_at.is_(None), FloorPlan.deleted_at.is_(None)
        )
        if plan is not None:
            query = query.where(MapPin.floor_plan_id == require_plan(session, plan).id)
        if institution is not None:
            query = query.where(FloorPlan.institution_id == require_institution(session, institution).id)
        if kind is not None:
            check_choice(kind, PIN_KINDS, "pin kind")
            query = query.where(MapPin.kind == kind)
        if visit is not None:
            v = require_visit(session, visit)
            query = query.where((MapPin.visit_id == v.id) | (MapPin.visit_id.is_(None)))
        pins = session.scalars(query.order_by(MapPin.created_at)).all()
        return [_pin_info(p) for p in pins]


def aed_map(db: Database, institution_ref: str) -> list[tuple[FloorPlanInfo, list[PinInfo]]]:
    """The AED map: every plan with its AED pins and their last checked status."""
    plans = list_floor_plans(db, institution_ref)
    pins = list_pins(db, institution=institution_ref, kind="aed")
    return [(plan, [p for p in pins if p.floor_plan_id == plan.id]) for plan in plans]


def linked_answer_and_finding(db: Database, pin_ref: str) -> tuple[str | None, str | None]:
    """Item id and finding text a pin points to, for tooltips."""
    with db.session() as session:
        pin = require_pin(session, pin_ref)
        item = session.get(Answer, pin.answer_id).item_id if pin.answer_id else None  # type: ignore[union-attr]
        text = session.get(Finding, pin.finding_id).text if pin.finding_id else None  # type: ignore[union-attr]
        return item, text


# AED states that are a problem to fix, and the checklist item whose basis they break.
AED_PROBLEM_ITEMS: dict[str, str] = {
    "faulty": "aed-emergency.aed.ready",
    "missing": "aed-emergency.aed.placed",
    "blocked": "aed-emergency.aed.placed",
}
# The clause cited when the visit does not include that item.
AED_BASIS = {"source": "huaian-2023", "clause": "二(二)6 五", "quote": "对区域内的 AED 的使用、维护等进行统一管理"}


def aed_has_problem(status: str) -> bool:
    """Whether an AED check result is something to fix (故障/缺失/遮挡), not merely unchecked."""
    return status in AED_PROBLEM_ITEMS


def aed_to_finding(db: Database, pin_ref: str, visit_ref: str, *, department: str | None = None) -> FindingInfo:
    """Make an AED pin marked faulty, missing or blocked a problem of the visit, in one step.

    The problem is linked to the AED checklist item (so it prints that item's basis) and
    the pin points to it; asking again for the same pin gives the same problem.
    """
    from auditapp.services import visits
    from auditapp.terms import Term, label

    with db.session() as session:
        pin = require_pin(session, pin_ref)
        plan = session.get(FloorPlan, pin.floor_plan_id)
        assert plan is not None
        if pin.kind != "aed" or not aed_has_problem(pin.status):
            raise InvalidInputError("pin.aed_no_problem", status=Term("aed_status", pin.status))
        v = require_visit(session, visit_ref)
        if v.institution_id != plan.institution_id:
            raise InvalidInputError("pin.other_institution")
        pin_id, status, pin_label, existing = pin.id, pin.status, pin.label, pin.finding_id
        place = " ".join(part for part in (plan.name, plan.floor) if part)
    detail = visits.visit_detail(db, visit_ref)
    for finding in detail.findings:
        if finding.id == existing or finding.origin == f"pin:{pin_id}":
            return finding
    item_id = AED_PROBLEM_ITEMS[status]
    has_item = any(view.item.id == item_id for view in detail.items)
    where = f"{place}「{pin_label}」" if pin_label else place
    text = f"AED（{where}）{label('aed_status', status, 'zh_CN')}"
    finding = visits.add_finding(
        db,
        visit_ref,
        text=text,
        area=place,
        severity="critical" if status == "missing" else "major",
        department=department,
        source="aed",
        item_id=item_id if has_item else None,
        basis=[{**({} if has_item else AED_BASIS), "pin": pin_id}],
    )
    update_pin(db, pin_id, finding=finding.id)
    return finding


def link_pin(db: Database, pin_ref: str, *, item_id: str | None = None, finding_id: str | None = None) -> PinInfo:
    """Point a problem pin at any item or problem of its visit (or at nothing: both None)."""
    if item_id is None and finding_id is None:
        with db.session() as session:
            pin = require_pin(session, pin_ref)
            pin.answer_id = None
            pin.finding_id = None
            session.flush()
            return _pin_info(pin)
    return update_pin(db, pin_ref, item_id=item_id, finding=finding_id)
