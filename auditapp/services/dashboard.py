"""The dashboard for one institution, several or all (bureau): one computation for every screen.

The GUI's dashboard page, ``auditapp stats`` and the bureau summary PDF all take their
figures from :func:`dashboard` (``auditapp.stats.figures``); the drill-downs list the
visits or problems behind a figure.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa

from auditapp.db import Database
from auditapp.db.models import VISIT_MODES, Answer, Department, Finding, Rectification, Visit
from auditapp.lookups import require_institution
from auditapp.services.common import check_choice
from auditapp.stats.figures import Dashboard, compute_dashboard
from auditapp.stats.items import item_labels
from auditapp.stats.scope import Scope, overdue_condition, visit_conditions


def make_scope(
    db: Database,
    *,
    institutions: Sequence[str] | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    mode: str | None = None,
) -> Scope:
    """A scope from what a person gives (institution names, ids or prefixes)."""
    if mode:
        check_choice(mode, VISIT_MODES, "visit mode")
    with db.session() as session:
        ids = tuple(dict.fromkeys(require_institution(session, ref).id for ref in institutions or ()))
    return Scope(institution_ids=ids, date_from=date_from, date_to=date_to, mode=mode or None)


def dashboard(
    db: Database,
    *,
    institutions: Sequence[str] | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    mode: str | None = None,
    today: date | None = None,
    language: str | None = None,
    top_problems: int = 15,
    by_institution: bool = False,
) -> Dashboard:
    scope = make_scope(db, institutions=institutions, date_from=date_from, date_to=date_to, mode=mode)
    return compute_dashboard(db, scope, today=today, language=language, top_problems=top_problems,
                             by_institution=by_institution)


@dataclass(frozen=True)
class ProblemRow:
    """A problem behind a figure (a drill-down row)."""

    finding_id: str
    visit_id: str
    institution: str
    visit_date: date
    item_id: str | None
    text: str
    department: str
    status: str
    overdue: bool


def problems_behind(
    db: Database,
    scope: Scope,
    *,
    department: str | None = None,
    item_id: str | None = None,
    section: str | None = None,
    month: str | None = None,
    visit_ids: Sequence[str] | None = None,
    open_only: bool = False,
    overdue_only: bool = False,
    today: date | None = None,
    language: str = "zh_CN",
    limit: int = 2000,
) -> list[ProblemRow]:
    """The problems (findings with their rectification) behind a bar or a cell."""
    from auditapp.db.models import Institution
    from auditapp.stats.scope import OPEN_STATUS_VALUES, month_expr

    today = today or date.today()
    v_t, f_t, r_t, d_t, i_t = Visit.__table__, Finding.__table__, Rectification.__table__, Department.__table__, Institution.__table__
    conditions = [*visit_conditions(scope, v_t), f_t.c.deleted_at.is_(None), f_t.c.carried_from_id.is_(None)]
    with db.engine.connect() as conn:
        labels = item_labels(conn)
        if department is not None:
            conditions.append(sa.func.coalesce(d_t.c.name, "") == department)
        if item_id is not None:
            conditions.append(f_t.c.item_id == item_id)
        if section is not None:
            conditions.append(f_t.c.item_id.in_([i for i, lab in labels.items() if lab.section_key == section]))
        if month is not None:
            conditions.append(month_expr(conn.dialect.name, v_t.c.visit_date) == month)
        if visit_ids is not None:
            conditions.append(f_t.c.visit_id.in_(list(visit_ids)))
        if open_only:
            conditions.append(r_t.c.status.in_(OPEN_STATUS_VALUES))
        if overdue_only:
            conditions.append(overdue_condition(r_t.c.deadline, r_t.c.status, today))
        rows = conn.execute(
            sa.select(f_t.c.id, f_t.c.visit_id, i_t.c.name, v_t.c.visit_date, f_t.c.item_id, f_t.c.text,
                      sa.func.coalesce(d_t.c.name, ""), sa.func.coalesce(r_t.c.status, ""),
                      overdue_condition(r_t.c.deadline, r_t.c.status, today))
            .select_from(
                f_t.join(v_t, v_t.c.id == f_t.c.visit_id).join(i_t, i_t.c.id == v_t.c.institution_id)
                .outerjoin(r_t, sa.and_(r_t.c.finding_id == f_t.c.id, r_t.c.deleted_at.is_(None)))
                .outerjoin(d_t, d_t.c.id == sa.func.coalesce(r_t.c.department_id, f_t.c.department_id))
            )
            .where(*conditions)
            .order_by(v_t.c.visit_date.desc(), i_t.c.name, f_t.c.seq)
            .limit(limit)
        ).all()
    out = []
    for fid, vid, inst, day, item, text, dept, status, late in rows:
        label = labels.get(item) if item else None
        shown = label.problem(language) if label and not (text or "").strip() else (text or (label.problem(language) if label else ""))
        out.append(ProblemRow(finding_id=fid, visit_id=vid, institution=inst,
                              visit_date=day if isinstance(day, date) else date.fromisoformat(str(day)),
                              item_id=item, text=(shown.splitlines() or [""])[0], department=dept, status=status,
                              overdue=bool(late)))
    return out


def nonconforming_visits(db: Database, scope: Scope, *, item_id: str, institution_id: str | None = None) -> list[str]:
    """Visit ids in the scope where ``item_id`` was found nonconforming (drill-down of a problem)."""
    v_t, a_t = Visit.__table__, Answer.__table__
    conditions = [*visit_conditions(scope, v_t), a_t.c.item_id == item_id, a_t.c.result == "nonconform", a_t.c.deleted_at.is_(None)]
    if institution_id:
        conditions.append(v_t.c.institution_id == institution_id)
    with db.engine.connect() as conn:
        return list(conn.execute(
            sa.select(v_t.c.id).select_from(a_t.join(v_t, v_t.c.id == a_t.c.visit_id)).where(*conditions).order_by(v_t.c.visit_date)
        ).scalars())
