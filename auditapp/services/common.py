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

M = TypeVar("M", bound=SyncMixin)

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
                f"{label} id prefix {ref!r} is ambiguous ({', '.join(m.id for m in matches)} …)",
                hint="Give more characters of the id.",
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
        raise InvalidInputError(f"{len(by_name)} institutions are named {ref!r}", hint="Use the institution's id instead.")
    raise NotFoundError(f"no institution {ref!r}", hint="List them with 'auditapp institution list'.")


def require_visit(session: Session, ref: str) -> Visit:
    visit = _by_id_or_prefix(session, Visit, ref, "visit")
    if visit is None:
        raise NotFoundError(f"no visit {ref!r}", hint="List visits with 'auditapp visit list'.")
    return visit


def require_finding(session: Session, ref: str) -> Finding:
    finding = _by_id_or_prefix(session, Finding, ref, "finding")
    if finding is None:
        raise NotFoundError(f"no finding {ref!r}", hint="'auditapp visit show VISIT' lists a visit's findings.")
    return finding


def ensure_editable(visit: Visit, *, amend: bool = False) -> None:
    """Finalized visits are read-only unless the change is an explicit, logged amendment."""
    if visit.status == "finalized" and not amend:
        raise VisitFinalizedError(
            f"visit {visit.id[:8]} ({visit.visit_date}) is finalized and read-only",
            hint="Record the change as an amendment (--amend with a reason); it is kept in the change log.",
        )


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
        raise InvalidInputError(f"unknown {what} {value!r}", hint=f"Use one of: {', '.join(allowed)}.")
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
