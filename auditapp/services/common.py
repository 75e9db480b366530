"""Lookups and guards shared by the service modules.

Services accept what a person types (a name, an id or an id prefix) and resolve it in
one place, so the CLI and the GUI report missing or ambiguous references identically.
"""

from __future__ import annotations

from dataclasses import asdict, is_dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.orm import Session

from auditapp.db.models import Department, Finding, Institution, SyncMixin, Visit, utcnow
from auditapp.errors import InvalidInputError, NotFoundError, VisitFinalizedError
from auditapp.terms import Term, Words

M = TypeVar("M", bound=SyncMixin)

# What a choice is called in messages (check_choice's ``what``).
CHOICE_WHAT: dict[str, Words] = {
    "severity": Words("严重程度", "severity"),
    "result": Words("检查结果", "result"),
    "visit mode": Words("检查方式", "visit mode"),
    "institution kind": Words("机构类别", "institution kind"),
    "pin kind": Words("图钉类别", "pin kind"),
    "AED status": Words("AED 状态", "AED status"),
    "rectification status": Words("整改状态", "rectification status"),
}

MIN_PREFIX = 4


def _by_id_or_prefix(session: Session, model: type[M], ref: str, label: str) -> M | None:
    ref = ref.strip()
    obj = session.get(model, ref)
    if obj is not None and obj.deleted_at is None:
        return obj
    if len(ref) >= MIN_PREFIX:
        matches = list(
            session.scalars(
                select(model).where(model.id.startswith(ref), model.deleted_at.is_(None)).limit(3)
            )
        )
        if len(matches) == 1:
            return matches[0]
        if len(matches) > 1:
            raise InvalidInputError(
                "lookup.ambiguous_prefix", what=Term("record", label), ref=ref, ids=[m.id[:12] for m in matches]
            )
    return None


def require_institution(session: Session, ref: str) -> Institution:
    """An institution by id, id prefix or exact name."""
    inst = _by_id_or_prefix(session, Institution, ref, "institution")
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
    visit = _by_id_or_prefix(session, Visit, ref, "visit")
    if visit is None:
        raise NotFoundError("visit.not_found", ref=ref)
    return visit


def require_finding(session: Session, ref: str) -> Finding:
    finding = _by_id_or_prefix(session, Finding, ref, "finding")
    if finding is None:
        raise NotFoundError("finding.not_found", ref=ref)
    return finding


def ensure_editable(visit: Visit, *, amend: bool = False) -> None:
    """Finalized visits are read-only unless the change is an explicit, logged amendment."""
    if visit.status == "finalized" and not amend:
        raise VisitFinalizedError("visit.finalized", visit=visit.report_number or visit.id[:8], date=visit.visit_date)


def ensure_department(session: Session, institution_id: str, name: str | None) -> Department | None:
    """The institution's department called ``name``, created on first use.

    People type department names while walking; creating them on first use keeps the
    visit fast, and the department list is editable afterwards.
    """
    if name is None:
        return None
    name = name.strip()
    if not name:
        return None
    dept = session.scalar(
        select(Department).where(Department.institution_id == institution_id, Department.name == name)
    )
    if dept is None:
        dept = Department(institution_id=institution_id, name=name)
        session.add(dept)
        session.flush()
    elif dept.deleted_at is not None:
        dept.deleted_at = None
    return dept


def department_name(session: Session, department_id: str | None) -> str:
    if department_id is None:
        return ""
    dept = session.get(Department, department_id)
    return dept.name if dept else ""


def check_choice(value: str, allowed: tuple[str, ...], what: str) -> str:
    if value not in allowed:
        raise InvalidInputError("input.unknown_choice", what=CHOICE_WHAT.get(what, Words(what, what)), value=value,
                                allowed=[v for v in allowed if v])
    return value


def set_reason(session: Session, reason: str) -> None:
    """Attach a reason to the change-log entries written by the next flush."""
    session.info["change_reason"] = reason


def now() -> datetime:
    return utcnow()


def to_jsonable(value: Any) -> Any:
    """Dataclasses, dates and lists turned into plain JSON values (for ``--json``)."""
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json", by_alias=True)
    if is_dataclass(value) and not isinstance(value, type):
        return {k: to_jsonable(v) for k, v in asdict(value).items()}
    if isinstance(value, dict):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_jsonable(v) for v in value]
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, Path):
        return str(value)
    return value
