"""Guards and small helpers shared by the service modules.

Looking a record up by what a person types (id, id prefix, name) is ``auditapp.lookups``.
"""

from __future__ import annotations

from datetime import datetime
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from auditapp.db.models import Department, SyncMixin, Visit, utcnow
from auditapp.errors import InvalidInputError, VisitFinalizedError
from auditapp.terms import Words

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
