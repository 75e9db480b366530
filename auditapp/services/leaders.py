"""The leadership roster (领导班子) of an institution and the visit plan (体验安排).

Every rule about a leader or a plan entry is checked here, once: the GUI, the command
line and sync (which calls :func:`check_leader_record`) all go through it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from auditapp.db import Database
from auditapp.db.models import LEADER_ROLES, Institution, Leader, Visit, VisitPlan, utcnow
from auditapp.errors import InvalidInputError, NotFoundError
from auditapp.lookups import require_institution, require_leader
from auditapp.rules.duty import Month, month_range, parse_month
from auditapp.terms import VOCABULARY, Words


@dataclass(frozen=True)
class LeaderInfo:
    id: str
    institution_id: str
    institution_name: str
    name: str
    role: str
    active_from: date | None
    active_to: date | None
    sort_order: int = 0


@dataclass(frozen=True)
class PlanInfo:
    id: str
    institution_id: str
    leader_id: str
    leader_name: str
    month: Month
    areas: tuple[str, ...]
    note: str


def normalise_role(role: str) -> str:
    """A role as stored: the value (``vice_president``) or its word in either language (副院长)."""
    text = role.strip()
    if text in LEADER_ROLES:
        return text
    for value, (zh, en) in VOCABULARY["leader_role"].items():
        if text in (zh, en) or text.lower() == en.lower():
            return value
    raise InvalidInputError(
        "input.unknown_choice", what=Words("领导职务", "leader role"), value=text,
        allowed=[f"{v} ({VOCABULARY['leader_role'][v][0]})" for v in LEADER_ROLES],
    )


def _check_dates(active_from: date | None, active_to: date | None) -> None:
    if active_from is not None and active_to is not None and active_to < active_from:
        raise InvalidInputError("leader.dates_reversed", active_from=active_from, active_to=active_to)


def _info(session: Session, leader: Leader) -> LeaderInfo:
    inst = session.get(Institution, leader.institution_id)
    return LeaderInfo(
        id=leader.id,
        institution_id=leader.institution_id,
        institution_name=inst.name if inst else "",
        name=leader.name,
        role=leader.role,
        active_from=leader.active_from,
        active_to=leader.active_to,
        sort_order=leader.sort_order,
    )



def add_leader(
    db: Database,
    *,
    institution: str,
    name: str,
    role: str,
    active_from: date | None = None,
    active_to: date | None = None,
) -> LeaderInfo:
    """Add a member of the leadership team; a removed leader of the same name comes back."""
    name = name.strip()
    if not name:
        raise InvalidInputError("leader.name_missing")
    role = normalise_role(role)
    _check_dates(active_from, active_to)
    with db.session() as session:
        inst = require_institution(session, institution)
        existing = session.scalar(select(Leader).where(Leader.institution_id == inst.id, Leader.name == name))
        if existing is not None and existing.deleted_at is None:
            raise InvalidInputError("leader.name_taken", name=name, institution=inst.name)
        count = len(session.scalars(select(Leader.id).where(Leader.institution_id == inst.id)).all())
        leader = existing or Leader(institution_id=inst.id, name=name, sort_order=count)
        leader.deleted_at = None
        leader.role = role
        leader.active_from = active_from
        leader.active_to = active_to
        session.add(leader)
        session.flush()
        return _info(session, leader)


_UNCHANGED = object()


def update_leader(
    db: Database,
    ref: str,
    *,
    name: str | None = None,
    role: str | None = None,
    active_from: date | object | None = _UNCHANGED,
    active_to: date | object | None = _UNCHANGED,
) -> LeaderInfo:
    """Change a leader's name, role or dates in office (pass None to clear a date)."""
    with db.session() as session:
        leader = require_leader(session, ref)
        new_from = leader.active_from if active_from is _UNCHANGED else active_from
        new_to = leader.active_to if active_to is _UNCHANGED else active_to
        _check_dates(new_from, new_to)  # type: ignore[arg-type]
        if name is not None:
            name = name.strip()
            if not name:
                raise InvalidInputError("leader.name_missing")
            clash = session.scalar(
                select(Leader).where(Leader.institution_id == leader.institution_id, Leader.name == name,
                                     Leader.id != leader.id)
            )
            if clash is not None and clash.deleted_at is None:
                inst = session.get(Institution, leader.institution_id)
                raise InvalidInputError("leader.name_taken", name=name, institution=inst.name if inst else "")
            if clash is not None:  # a removed namesake: free the name for this one
                clash.name = f"{clash.name}#{clash.id[:8]}"
                session.flush()
            leader.name = name
        if role is not None:
            leader.role = normalise_role(role)
        leader.active_from = new_from  # type: ignore[assignment]
        leader.active_to = new_to  # type: ignore[assignment]
        session.flush()
        return _info(session, leader)


def remove_leader(db: Database, ref: str) -> LeaderInfo:
    """Take a leader off the roster (tombstone). Their visits stay; plans for them go.

    A leader who left office keeps their months: set ``active_to`` instead of removing.
    """
    with db.session() as session:
        leader = require_leader(session, ref)
        now = utcnow()
        leader.deleted_at = now
        for plan in session.scalars(select(VisitPlan).where(VisitPlan.leader_id == leader.id, VisitPlan.deleted_at.is_(None))):
            plan.deleted_at = now
        session.flush()
        return _info(session, leader)


def list_leaders(db: Database, *, institution: str | None = None) -> list[LeaderInfo]:
    with db.session() as session:
        query = select(Leader).where(Leader.deleted_at.is_(None))
        if institution:
            query = query.where(Leader.institution_id == require_institution(session, institution).id)
        rows = session.scalars(query.order_by(Leader.institution_id, Leader.sort_order, Leader.name)).all()
        return [_info(session, r) for r in rows]


def resolve_visit_leader(
    session: Session, institution_id: str, leader: str | None, inspector: str, *, match_name: bool = True
) -> tuple[str | None, str]:
    """The roster leader of a new visit and the inspector's name to print.

    ``leader`` names one explicitly (id or name); otherwise an inspector's name that is
    exactly a leader's on the institution's roster links to that leader (``match_name``:
    self-experience visits), so a leader typing their own name fulfils their duty.
    Anyone else stays free text (a bureau inspector, a guest).
    """
    if leader:
        row = require_leader(session, leader, institution_id=institution_id)
        return row.id, inspector.strip() or row.name
    name = inspector.strip()
    if not match_name:
        return None, name
    same_name = session.scalar(
        select(Leader).where(Leader.institution_id == institution_id, Leader.name == name, Leader.deleted_at.is_(None))
    )
    return (same_name.id if same_name else None), name


def set_visit_leader(db: Database, visit_ref: str, leader: str | None) -> str | None:
    """Link a visit to a roster leader afterwards (or unlink it with None); returns the leader id."""
    from auditapp.lookups import require_visit

    with db.session() as session:
        visit: Visit = require_visit(session, visit_ref)
        if leader is None:
            visit.leader_id = None
            return None
        row = require_leader(session, leader, institution_id=visit.institution_id)
        visit.leader_id = row.id
        return row.id


# ---------------------------------------------------------------------------
# the visit plan


def check_month(text: str) -> Month:
    try:
        first = parse_month(text)
    except ValueError:
        raise InvalidInputError("duty.bad_month", value=text) from None
    return f"{first.year:04d}-{first.month:02d}"


def known_areas(library: object | None = None) -> dict[str, tuple[str, str]]:
    """Routes a plan can name: checklist id -> (title, English title)."""
    from auditapp.checklists import load_library

    lib = library or load_library()
    return {c.id: (c.title, c.title_en or c.title) for c in lib.checklists.values()}  # type: ignore[attr-defined]


# Checklists that are statistics to fill in, not a route to walk (the city annex indicators).
NOT_WALKED = ("indicators",)


def walkable_routes(library: object) -> list[object]:
    """The checklists a leader can walk as a route, in library order (plans offer these)."""
    return [c for c in library.checklists.values() if c.id not in NOT_WALKED]  # type: ignore[attr-defined]


def _check_areas(areas: list[str], library: object | None) -> tuple[str, ...]:
    cleaned = tuple(dict.fromkeys(a.strip() for a in areas if a.strip()))
    if cleaned:
        known = known_areas(library)
        unknown = [a for a in cleaned if a not in known]
        if unknown:
            raise InvalidInputError("duty.unknown_area", areas=unknown, allowed=sorted(known))
    return cleaned


def _plan_info(session: Session, plan: VisitPlan) -> PlanInfo:
    leader = session.get(Leader, plan.leader_id)
    return PlanInfo(
        id=plan.id,
        institution_id=plan.institution_id,
        leader_id=plan.leader_id,
        leader_name=leader.name if leader else "",
        month=plan.month,
        areas=tuple(plan.areas or ()),
        note=plan.note,
    )


def set_plan(
    db: Database,
    *,
    institution: str,
    leader: str,
    month: str,
    areas: list[str],
    note: str = "",
    library: object | None = None,
) -> PlanInfo:
    """Plan who walks which routes in a month (replaces that leader's plan for the month)."""
    month = check_month(month)
    cleaned = _check_areas(areas, library)
    if not cleaned and not note.strip():
        raise InvalidInputError("duty.plan_empty")
    with db.session() as session:
        inst = require_institution(session, institution)
        row = require_leader(session, leader, institution_id=inst.id)
        plan = session.scalar(select(VisitPlan).where(VisitPlan.leader_id == row.id, VisitPlan.month == month))
        if plan is None:
            plan = VisitPlan(institution_id=inst.id, leader_id=row.id, month=month)
            session.add(plan)
        plan.deleted_at = None
        plan.areas = list(cleaned)
        plan.note = note.strip()
        session.flush()
        return _plan_info(session, plan)


def delete_plan(db: Database, *, institution: str, leader: str, month: str) -> None:
    month = check_month(month)
    with db.session() as session:
        inst = require_institution(session, institution)
        row = require_leader(session, leader, institution_id=inst.id)
        plan = session.scalar(
            select(VisitPlan).where(VisitPlan.leader_id == row.id, VisitPlan.month == month, VisitPlan.deleted_at.is_(None))
        )
        if plan is None:
            raise NotFoundError("duty.plan_not_found", leader=row.name, month=month)
        plan.deleted_at = utcnow()


def list_plans(
    db: Database, *, institution: str | None = None, months: list[Month] | None = None
) -> list[PlanInfo]:
    with db.session() as session:
        query = select(VisitPlan).join(Leader, Leader.id == VisitPlan.leader_id).where(
            VisitPlan.deleted_at.is_(None), Leader.deleted_at.is_(None)
        )
        if institution:
            query = query.where(VisitPlan.institution_id == require_institution(session, institution).id)
        if months:
            query = query.where(VisitPlan.month.in_(months))
        rows = session.scalars(query.order_by(VisitPlan.month, Leader.sort_order, Leader.name)).all()
        return [_plan_info(session, p) for p in rows]


def rotate_plan(
    db: Database,
    *,
    institution: str,
    first_month: str,
    months: int,
    areas: list[str] | None = None,
    library: object | None = None,
) -> list[PlanInfo]:
    """Fill the plan so routes rotate: each month every leader in office walks another route,
    and over the months every route is walked (as far as leaders × months allow).

    Routes default to the institution's checklists (its template). Months that already
    have a plan for a leader keep it.
    """
    from auditapp.checklists import load_library
    from auditapp.rules.duty import add_months, in_office
    from auditapp.services.institutions import get_institution

    first = check_month(first_month)
    if months < 1 or months > 36:
        raise InvalidInputError("duty.bad_months", value=months)
    lib = library or load_library()
    info = get_institution(db, institution)
    if areas:
        routes = list(_check_areas(areas, lib))
    else:
        template = lib.default_template_for(info.profile)  # type: ignore[attr-defined]
        routes = list(template.checklists) if template else sorted(known_areas(lib))
        routes = [r for r in routes if r not in NOT_WALKED]
    leaders = list_leaders(db, institution=info.id)
    existing = {(p.leader_id, p.month) for p in list_plans(db, institution=info.id)}
    if not routes or not leaders:
        return []
    created: list[PlanInfo] = []
    # Month m gives leader n route (n + m·L) mod R: leaders walk different routes in a
    # month, each moves on L routes a month, and all R routes are walked within ⌈R/L⌉ months.
    for offset, month in enumerate(month_range(first, add_months(first, months - 1))):
        for n, leader in enumerate(leaders):
            if (leader.id, month) in existing or not in_office(month, leader.active_from, leader.active_to):
                continue
            route = routes[(n + offset * len(leaders)) % len(routes)]
            created.append(set_plan(db, institution=info.id, leader=leader.id, month=month, areas=[route], library=lib))
    return created
