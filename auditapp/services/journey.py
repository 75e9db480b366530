"""Journey timing (就诊环节计时): one tap per step of the patient's path, timed against targets.

The steps are stored as timestamps, not durations, so a step recorded late can be moved
and every interval recomputes; targets come from the seed documents, with their clause,
so a flagged wait can be cited on the report.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from sqlalchemy import select

from auditapp.db import Database
from auditapp.db.models import JourneyStep, utcnow
from auditapp.errors import InvalidInputError, NotFoundError
from auditapp.lookups import require_visit
from auditapp.services.common import ensure_editable
from auditapp.terms import Term

if TYPE_CHECKING:
    from auditapp.services.visits import FindingInfo

# The patient's path in order; the GUI shows one button per step.
STEP_LABELS: dict[str, str] = {
    "arrival": "到达医院",
    "booked": "预约就诊时间",
    "registration": "挂号/签到",
    "waiting": "开始候诊",
    "consultation": "医生接诊",
    "examination": "检查检验",
    "payment": "缴费",
    "pharmacy": "取药",
    "leaving": "离院",
}
STEP_LABELS_EN: dict[str, str] = {
    "arrival": "Arrival",
    "booked": "Booked time",
    "registration": "Registration / check-in",
    "waiting": "Waiting starts",
    "consultation": "Seen by the doctor",
    "examination": "Examination",
    "payment": "Payment",
    "pharmacy": "Pharmacy",
    "leaving": "Leaving",
}


@dataclass(frozen=True)
class JourneyTarget:
    first: str
    second: str
    minutes: float
    source: str
    clause: str
    quote: str
    # The checklist item that measures the same wait: a wait over its target is
    # recorded as that item's measured value, so the problem carries its citation.
    item_id: str = ""

    @property
    def basis(self) -> str:
        return f"{self.source} {self.clause}：{self.quote}"


# Intervals with a target in the seeds (yubei-2023 gives both figures).
JOURNEY_TARGETS: tuple[JourneyTarget, ...] = (
    JourneyTarget("booked", "consultation", 30, "yubei-2023", "二(一)1", "预约后平均等待时长控制在30分钟以内",
                  "booking-flow.queue.wait-after-booked-time"),
    JourneyTarget("registration", "consultation", 30, "yubei-2023", "二(二)4", "力争患者门诊等候时间控制在30分钟以内",
                  "booking-flow.queue.walk-in-wait"),
    JourneyTarget("waiting", "consultation", 30, "yubei-2023", "二(二)4", "力争患者门诊等候时间控制在30分钟以内",
                  "booking-flow.queue.walk-in-wait"),
)


@dataclass(frozen=True)
class StepInfo:
    id: str
    visit_id: str
    step: str
    label: str
    at: datetime
    note: str


@dataclass(frozen=True)
class Interval:
    """Minutes between two steps, with the target that applies (if any)."""

    label: str
    first: str
    second: str
    minutes: float
    target_minutes: float | None = None
    basis: str = ""

    @property
    def met(self) -> bool | None:
        return None if self.target_minutes is None else self.minutes <= self.target_minutes


def _info(step: JourneyStep) -> StepInfo:
    return StepInfo(
        id=step.id,
        visit_id=step.visit_id,
        step=step.step,
        label=step.label or STEP_LABELS.get(step.step, step.step),
        at=step.at,
        note=step.note,
    )


def _aware(at: datetime | None) -> datetime:
    if at is None:
        return utcnow()
    return at if at.tzinfo is not None else at.astimezone(UTC)


def record_step(
    db: Database, visit_ref: str, step: str, *, at: datetime | None = None, label: str = "", note: str = ""
) -> StepInfo:
    """Stamp a step now (or at a given time, for a step noted late or a booked time).

    Custom steps are allowed (a label is then required) because every hospital's path
    differs; a known step recorded twice moves the existing stamp rather than duplicating it.
    """
    step = step.strip()
    if not step:
        raise InvalidInputError("journey.step_missing", steps=list(STEP_LABELS))
    if step not in STEP_LABELS and not label.strip():
        raise InvalidInputError("journey.unknown_step", step=step, steps=list(STEP_LABELS))
    with db.session() as session:
        visit = require_visit(session, visit_ref)
        ensure_editable(visit)
        row = None
        if step in STEP_LABELS:
            row = session.scalar(
                select(JourneyStep).where(
                    JourneyStep.visit_id == visit.id, JourneyStep.step == step, JourneyStep.deleted_at.is_(None)
                )
            )
        if row is None:
            row = JourneyStep(visit_id=visit.id, step=step)
            session.add(row)
        row.at = _aware(at)
        if step == "booked":
            # A booked time is what the slip says, to the minute; never the seconds of the
            # moment it was typed in.
            row.at = row.at.replace(second=0, microsecond=0)
        row.label = label.strip()
        row.note = note
        session.flush()
        return _info(row)


def delete_step(db: Database, step_id: str) -> None:
    with db.session() as session:
        row = session.get(JourneyStep, step_id)
        if row is None or row.deleted_at is not None:
            raise NotFoundError("journey.step_not_found", ref=step_id)
        visit = require_visit(session, row.visit_id)
        ensure_editable(visit)
        row.deleted_at = utcnow()


def list_steps(db: Database, visit_ref: str) -> list[StepInfo]:
    with db.session() as session:
        visit = require_visit(session, visit_ref)
        rows = session.scalars(
            select(JourneyStep)
            .where(JourneyStep.visit_id == visit.id, JourneyStep.deleted_at.is_(None))
            .order_by(JourneyStep.at)
        ).all()
        return [_info(r) for r in rows]


def intervals(steps: list[StepInfo]) -> list[Interval]:
    """Consecutive intervals, then targeted intervals that are not consecutive, then the total.

    A booked time is a planned moment, not something that happened, so it is left out of
    the consecutive chain and only measured against its target.
    """
    actual = [s for s in steps if s.step != "booked"]
    out: list[Interval] = []
    for a, b in itertools.pairwise(actual):
        target = next((t for t in JOURNEY_TARGETS if (t.first, t.second) == (a.step, b.step)), None)
        out.append(_interval(a, b, target))
    by_step = {s.step: s for s in steps}
    consecutive = {(i.first, i.second) for i in out}
    for target in JOURNEY_TARGETS:
        if target.first in by_step and target.second in by_step and (target.first, target.second) not in consecutive:
            out.append(_interval(by_step[target.first], by_step[target.second], target))
    if len(actual) >= 2:
        out.append(
            Interval(
                label=f"全程（{actual[0].label} → {actual[-1].label}）",
                first=actual[0].step,
                second=actual[-1].step,
                minutes=(actual[-1].at - actual[0].at).total_seconds() / 60,
            )
        )
    return out


def _interval(a: StepInfo, b: StepInfo, target: JourneyTarget | None) -> Interval:
    """The wait from step ``a`` to step ``b``, against ``target`` when one applies to the pair."""
    return Interval(
        label=f"{a.label} → {b.label}",
        first=a.step,
        second=b.step,
        minutes=(b.at - a.at).total_seconds() / 60,
        target_minutes=target.minutes if target else None,
        basis=target.basis if target else "",
    )


def wait_to_finding(
    db: Database, visit_ref: str, first: str, second: str, *, department: str | None = None
) -> FindingInfo:
    """Turn a timed wait over its target into a problem, in one step, with its clause.

    Where the visit has the checklist item measuring the same wait, the minutes become
    that item's value (the item's target then makes it a nonconformity with the item's
    basis and department); otherwise a problem is recorded with the target's own clause.
    Asking twice gives the same problem.
    """
    from auditapp.services import visits

    steps = list_steps(db, visit_ref)
    interval = next((i for i in intervals(steps) if (i.first, i.second) == (first, second)), None)
    target = next((t for t in JOURNEY_TARGETS if (t.first, t.second) == (first, second)), None)
    if interval is None or target is None:
        raise InvalidInputError("journey.no_such_wait", first=Term("journey_step", first), second=Term("journey_step", second))
    if interval.met is not False:
        raise InvalidInputError("journey.wait_within_target", minutes=round(interval.minutes, 1), target=target.minutes)
    minutes = round(interval.minutes, 1)
    detail = visits.visit_detail(db, visit_ref)
    if any(view.item.id == target.item_id for view in detail.items):
        answer = visits.answer_item(db, visit_ref, target.item_id, value=minutes, department=department)
        found = next((f for f in visits.visit_detail(db, visit_ref).findings if f.id == answer.finding_id), None)
        if found is not None:
            return found
    key = f"{first}-{second}"
    for finding in detail.findings:
        if finding.source == "journey" and finding.origin == f"interval:{key}":
            return finding
    text = f"{interval.label}用时 {minutes:g} 分钟，超过 {target.minutes:g} 分钟的要求"
    return visits.add_finding(
        db,
        visit_ref,
        text=text,
        area=STEP_LABELS.get(second, second),
        severity="major",
        department=department,
        source="journey",
        basis=[{"source": target.source, "clause": target.clause, "quote": target.quote, "interval": key}],
    )
