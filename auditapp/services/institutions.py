"""Institutions (医疗机构) and their departments (科室)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from auditapp.checklists import InstitutionProfile
from auditapp.db import Database
from auditapp.db.models import INSTITUTION_KINDS, Department, Finding, Institution, Rectification, Visit
from auditapp.errors import InvalidInputError
from auditapp.lookups import require_institution
from auditapp.rules.rectification import OPEN_STATUSES
from auditapp.services.common import check_choice, ensure_department
from auditapp.services.jurisdiction import normalise_institution_region


@dataclass(frozen=True)
class InstitutionInfo:
    id: str
    name: str
    kind: str
    level: int
    has_obstetrics: bool
    alliance_lead: bool
    region: str
    visit_count: int = 0
    open_rectifications: int = 0

    @property
    def profile(self) -> InstitutionProfile:
        return InstitutionProfile(
            kind=self.kind, level=self.level, has_obstetrics=self.has_obstetrics, alliance_lead=self.alliance_lead,
            region=self.region,
        )


@dataclass(frozen=True)
class DepartmentInfo:
    id: str
    institution_id: str
    name: str
    head: str



# The departments a new institution starts with: those the checklists name as
# responsible most often, so a nonconformity finds its department without typing.
_COMMON_DEPARTMENTS = (
    "门诊部",
    "医务科",
    "护理部",
    "总务科/后勤保障部",
    "信息中心",
    "财务科",
    "药剂科",
    "急诊科",
    "保卫科",
    "宣传科",
    "医患办/投诉办",
)
# A TCM hospital's own services (jilin-tcm-2023: 治未病, 针灸推拿, 中药饮片/中药房 …).
_TCM_DEPARTMENTS = ("中医科", "针灸推拿科", "治未病科", "中药房", "康复科", "中医护理门诊")
_OBSTETRICS_DEPARTMENTS = ("妇产科",)


def default_departments(kind: str, *, has_obstetrics: bool = False) -> list[str]:
    """The departments offered for a new institution of ``kind`` (the user may edit them)."""
    check_choice(kind, INSTITUTION_KINDS, "institution kind")
    names = list(_COMMON_DEPARTMENTS)
    if kind in ("tcm", "integrated"):
        names += _TCM_DEPARTMENTS
    if has_obstetrics:
        names += _OBSTETRICS_DEPARTMENTS
    return names


def institution_info(inst: Institution, visit_count: int = 0, open_rect: int = 0) -> InstitutionInfo:
    """The plain view of an institution row (for callers holding a session, e.g. starting a visit)."""
    return InstitutionInfo(
        id=inst.id,
        name=inst.name,
        kind=inst.kind,
        level=inst.level,
        has_obstetrics=inst.has_obstetrics,
        alliance_lead=inst.alliance_lead,
        region=inst.region,
        visit_count=visit_count,
        open_rectifications=open_rect,
    )


def _validate(name: str, kind: str, level: int) -> str:
    name = name.strip()
    if not name:
        raise InvalidInputError("institution.name_missing")
    check_choice(kind, INSTITUTION_KINDS, "institution kind")
    if level not in (1, 2, 3):
        raise InvalidInputError("institution.bad_level", level=level)
    return name


def add_institution(
    db: Database,
    *,
    name: str,
    kind: str,
    level: int,
    has_obstetrics: bool = False,
    alliance_lead: bool = False,
    region: str = "",
    departments: list[str] | None = None,
) -> InstitutionInfo:
    """Record an institution. ``region`` is stored in canonical form (``渝北区`` → ``重庆市渝北区``,
    see :mod:`auditapp.services.jurisdiction`): which documents bind it follows from it."""
    name = _validate(name, kind, level)
    with db.session() as session:
        clash = session.scalar(select(Institution).where(Institution.name == name, Institution.deleted_at.is_(None)))
        if clash is not None:
            raise InvalidInputError("institution.name_taken", name=name, id=clash.id[:8])
        inst = Institution(
            name=name,
            kind=kind,
            level=level,
            has_obstetrics=has_obstetrics,
            alliance_lead=alliance_lead,
            region=normalise_institution_region(region),
        )
        session.add(inst)
        session.flush()
        for dept in departments or []:
            ensure_department(session, inst.id, dept)
        return institution_info(inst)


def update_institution(
    db: Database,
    ref: str,
    *,
    name: str | None = None,
    kind: str | None = None,
    level: int | None = None,
    has_obstetrics: bool | None = None,
    alliance_lead: bool | None = None,
    region: str | None = None,
    departments: list[str] | None = None,
) -> InstitutionInfo:
    """Change what is given (None keeps a field) and add the ``departments`` it lacks, in one transaction.

    A new region binds the visits started from now on; visits already started keep the
    binding they froze. Departments are only added here, never removed (findings refer to
    them); an edit that fails saves nothing at all, neither the fields nor any department.
    """
    with db.session() as session:
        inst = require_institution(session, ref)
        new_name = _validate(name if name is not None else inst.name, kind or inst.kind, level or inst.level)
        inst.name = new_name
        inst.kind = kind or inst.kind
        inst.level = level or inst.level
        if has_obstetrics is not None:
            inst.has_obstetrics = has_obstetrics
        if alliance_lead is not None:
            inst.alliance_lead = alliance_lead
        if region is not None:
            inst.region = normalise_institution_region(region)
        for dept in departments or []:
            if dept.strip():
                ensure_department(session, inst.id, dept)
        return institution_info(inst)


def list_institutions(db: Database) -> list[InstitutionInfo]:
    with db.session() as session:
        visit_counts = dict(
            session.execute(
                select(Visit.institution_id, func.count(Visit.id))
                .where(Visit.deleted_at.is_(None))
                .group_by(Visit.institution_id)
            ).all()
        )
        open_counts = dict(
            session.execute(
                select(Visit.institution_id, func.count(Rectification.id))
                .join(Finding, Finding.visit_id == Visit.id)
                .join(Rectification, Rectification.finding_id == Finding.id)
                .where(
                    Rectification.status.in_(OPEN_STATUSES),
                    Rectification.deleted_at.is_(None),
                    Finding.deleted_at.is_(None),
                    Finding.carried_from_id.is_(None),
                    Visit.deleted_at.is_(None),
                )
                .group_by(Visit.institution_id)
            ).all()
        )
        rows = session.scalars(
            select(Institution).where(Institution.deleted_at.is_(None)).order_by(Institution.name)
        ).all()
        return [institution_info(i, visit_counts.get(i.id, 0), open_counts.get(i.id, 0)) for i in rows]


def get_institution(db: Database, ref: str) -> InstitutionInfo:
    with db.session() as session:
        return institution_info(require_institution(session, ref))


def add_department(db: Database, institution_ref: str, name: str, *, head: str = "") -> DepartmentInfo:
    if not name.strip():
        raise InvalidInputError("department.name_missing")
    with db.session() as session:
        inst = require_institution(session, institution_ref)
        dept = ensure_department(session, inst.id, name)
        assert dept is not None
        if head:
            dept.head = head.strip()
        return DepartmentInfo(id=dept.id, institution_id=inst.id, name=dept.name, head=dept.head)


def list_departments(db: Database, institution_ref: str) -> list[DepartmentInfo]:
    with db.session() as session:
        inst = require_institution(session, institution_ref)
        rows = session.scalars(
            select(Department)
            .where(Department.institution_id == inst.id, Department.deleted_at.is_(None))
            .order_by(Department.name)
        ).all()
        return [DepartmentInfo(id=d.id, institution_id=d.institution_id, name=d.name, head=d.head) for d in rows]
