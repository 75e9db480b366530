"""Rectifications (整改): who fixes what by when, and every step of the lifecycle.

The lifecycle itself — statuses, which action leads where, who may take it and what it
needs — is one table in :mod:`auditapp.rules.rectification`; this module applies it to
the database and leaves a RectificationEvent for every change (who, when, why), which
the follow-up report, the ledger and the GUI's history show.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from auditapp.db import Database
from auditapp.db.models import Department, Finding, Rectification, RectificationEvent, Visit, utcnow
from auditapp.errors import InvalidInputError, NotFoundError, TransitionError
from auditapp.language import current_language
from auditapp.lookups import require_finding, require_institution
from auditapp.rules import rectification as lifecycle
from auditapp.rules.rectification import ACTIONS, STATUSES, Evidence, Role
from auditapp.services.common import check_choice, ensure_department
from auditapp.services.visits import (
    FindingInfo,
    RectificationInfo,
    after_photo_count,
    assign_department,
    check_fresh,
    finding_infos,
    rectification_info,
    source_finding,
)
from auditapp.terms import Term

if TYPE_CHECKING:
    from auditapp.services.photos import PhotoInfo


@dataclass(frozen=True)
class RectificationRow:
    """A finding with its rectification, for the rectification table and reports."""

    finding: FindingInfo
    rectification: RectificationInfo
    visit_id: str
    visit_date: date
    institution_name: str


@dataclass(frozen=True)
class ActionInfo:
    """An action open to the user now, with what it will ask for."""

    name: str
    target: str | None
    needs: tuple[str, ...]


def _rect_for(session: Session, finding: Finding) -> Rectification:
    original = source_finding(session, finding)
    rect = session.scalar(
        select(Rectification).where(Rectification.finding_id == original.id, Rectification.deleted_at.is_(None))
    )
    if rect is None:
        raise NotFoundError("rectification.missing", finding=finding.seq or finding.id[:8])
    return rect


def allowed_actions(db: Database, finding_ref: str, *, role: Role = "inspector") -> list[ActionInfo]:
    """What can be done with a finding's rectification now, in lifecycle order (for buttons)."""
    with db.session() as session:
        rect = _rect_for(session, require_finding(session, finding_ref))
        return [ActionInfo(a.name, a.target, a.needs) for a in lifecycle.allowed_actions(rect.status, role)]


def _apply(
    session: Session,
    rect: Rectification,
    action_name: str,
    *,
    note: str,
    new_deadline: date | None,
    role: Role,
    actor: str,
    today: date,
    after_photos: int | None = None,
) -> None:
    """Take one lifecycle action on ``rect`` (in the caller's transaction) or refuse it whole.

    ``after_photos``: the rectification's after-photo count when the caller has read it.
    """
    action = ACTIONS.get(action_name)
    if action is None:
        raise InvalidInputError("rectification.unknown_action", action=action_name, allowed=list(ACTIONS))
    status = lifecycle.normalise_status(rect.status)
    if status not in action.sources:
        open_now = [Term("rectification_action", a.name) for a in lifecycle.allowed_actions(status, role)]
        raise TransitionError(
            "rectification.action_not_allowed",
            action=Term("rectification_action", action.name),
            status=Term("rectification_status", status),
            allowed=open_now or [Term("rectification_action", "none")],
        )
    if role not in action.roles:
        raise TransitionError(
            "rectification.action_not_for_role",
            action=Term("rectification_action", action.name),
            role=Term("role", role),
        )
    evidence = Evidence(
        measures=rect.measures,
        note=note,
        after_photos=after_photo_count(session, rect.id) if after_photos is None else after_photos,
        new_deadline=new_deadline,
        current_deadline=rect.deadline,
    )
    missing = lifecycle.missing_needs(action, evidence)
    if missing:
        raise TransitionError(
            {"measures": "rectification.needs_measures", "evidence": "rectification.needs_evidence",
             "reason": "rectification.needs_reason", "new_deadline": "rectification.needs_new_deadline"}[missing[0]],
            action=Term("rectification_action", action.name),
        )
    if action.name == "request_extension":
        assert new_deadline is not None
        if new_deadline < today or (rect.deadline is not None and new_deadline <= rect.deadline):
            raise TransitionError(
                "rectification.extension_not_later", requested=new_deadline, deadline=rect.deadline or today
            )
    target = lifecycle.target_status(action, status_before_extension=rect.status_before_extension)
    event_deadline: date | None = None
    if action.name == "request_extension":
        rect.status_before_extension = status
        rect.requested_deadline = new_deadline
        rect.extension_reason = note.strip()
        event_deadline = new_deadline
    elif action.name in ("accept_extension", "refuse_extension"):
        if action.name == "accept_extension":
            rect.deadline = rect.requested_deadline
            event_deadline = rect.requested_deadline
        rect.requested_deadline = None
        rect.status_before_extension = ""
    if action.name == "verify":
        rect.verified_at = utcnow()
        rect.verification_note = note.strip()
    elif action.name == "close":
        rect.closed_at = utcnow()
    elif action.name == "reopen":
        rect.verified_at = None
        rect.closed_at = None
    if action.counts_round:
        rect.rounds = (rect.rounds or 0) + 1
    session.add(
        RectificationEvent(
            rectification_id=rect.id,
            status_from=rect.status,
            status_to=target,
            action=action.name,
            note=note.strip(),
            actor=actor,
            deadline=event_deadline,
        )
    )
    rect.status = target


def apply_action(
    db: Database,
    finding_ref: str,
    action: str,
    *,
    note: str = "",
    new_deadline: date | None = None,
    measures: str | None = None,
    role: Role = "inspector",
    actor: str | None = None,
    expected_updated_at: datetime | None = None,
    today: date | None = None,
) -> RectificationInfo:
    """Take one lifecycle action (start, report, verify, reject, …) on a finding's rectification.

    ``measures`` may be given with ``report`` (the department says what it did). A
    refusal (wrong status, wrong role, nothing behind a verification) changes nothing.
    """
    today = today or date.today()
    with db.session() as session:
        finding = require_finding(session, finding_ref)
        rect = _rect_for(session, finding)
        check_fresh(rect.updated_at, expected_updated_at, Term("record", "rectification"))
        if measures is not None:
            rect.measures = measures.strip()
        _apply(
            session,
            rect,
            action,
            note=note,
            new_deadline=new_deadline,
            role=role,
            actor=actor if actor is not None else str(session.info.get("actor", "")),
            today=today,
        )
        session.flush()
        return rectification_info(session, rect, today)


@dataclass(frozen=True)
class RectificationChange:
    """One rectification's changes as a department returns them (a ledger workbook row).

    ``None`` leaves a field as it is. ``action`` is a lifecycle action (start, report,
    request_extension …) taken after the fields are set, so ``report`` sees the measures
    given in the same change. ``expected_updated_at`` is the version the change was made
    against: a rectification changed since is refused, never overwritten.
    """

    finding_id: str
    expected_updated_at: datetime | None
    owner: str | None = None
    measures: str | None = None
    completion: str | None = None
    completed_on: date | None = None
    clear_completed_on: bool = False
    action: str | None = None
    note: str = ""
    new_deadline: date | None = None
    # Stored on the rectification so the same returned row is recognised when imported again.
    receipt: str | None = None


# Field name -> words for the history note of an "update" event.
_FIELD_WORDS = {
    "owner": ("责任人", "owner"),
    "measures": ("整改措施", "measures"),
    "completion": ("整改完成情况", "completion"),
    "completed_on": ("完成日期", "completion date"),
}


def _set_fields(rect: Rectification, change: RectificationChange) -> list[str]:
    """Apply the field part of ``change``; the names of the fields that really changed."""
    changed: list[str] = []
    for name in ("owner", "measures", "completion"):
        value = getattr(change, name)
        if value is not None and value.strip() != (getattr(rect, name) or ""):
            setattr(rect, name, value.strip())
            changed.append(name)
    if change.clear_completed_on and rect.completed_on is not None:
        rect.completed_on = None
        changed.append("completed_on")
    elif change.completed_on is not None and change.completed_on != rect.completed_on:
        rect.completed_on = change.completed_on
        changed.append("completed_on")
    return changed


def apply_changes(
    db: Database,
    changes: list[RectificationChange],
    *,
    role: Role,
    actor: str,
    today: date | None = None,
) -> list[RectificationInfo]:
    """Apply several rectifications' changes in one transaction: all of them or none.

    Each change passes the same lifecycle table as :func:`apply_action` (who may take
    which action from which status, what it needs). Field changes without a status
    change leave an ``update`` event, so the history shows every change the department
    made and who made it; the change log names ``actor`` too.
    """
    today = today or date.today()
    with db.session() as session:
        session.info["actor"] = actor
        infos: list[RectificationInfo] = []
        for change in changes:
            finding = require_finding(session, change.finding_id)
            rect = _rect_for(session, finding)
            check_fresh(rect.updated_at, change.expected_updated_at, Term("record", "rectification"))
            changed = _set_fields(rect, change)
            if change.action:
                _apply(
                    session, rect, change.action, note=change.note, new_deadline=change.new_deadline,
                    role=role, actor=actor, today=today,
                )
            elif changed:
                lang = 0 if current_language() == "zh_CN" else 1
                session.add(
                    RectificationEvent(
                        rectification_id=rect.id, status_from=rect.status, status_to=rect.status, action="update",
                        note="、".join(_FIELD_WORDS[name][lang] for name in changed) if lang == 0
                        else ", ".join(_FIELD_WORDS[name][lang] for name in changed),
                        actor=actor,
                    )
                )
            if change.receipt is not None:
                rect.ledger_receipt = change.receipt
            session.flush()
            infos.append(rectification_info(session, rect, today))
        return infos


@dataclass(frozen=True)
class RectificationUpdate:
    """One edit of a rectification for :func:`update_rectifications`: the fields
    :func:`update_rectification` takes (``None`` leaves a field as it is)."""

    finding_ref: str
    department: str | None = None
    owner: str | None = None
    deadline: date | None = None
    clear_deadline: bool = False
    measures: str | None = None
    completion: str | None = None
    completed_on: date | None = None
    status: str | None = None
    note: str = ""
    expected_updated_at: datetime | None = None


def update_rectification(
    db: Database,
    finding_ref: str,
    *,
    department: str | None = None,
    owner: str | None = None,
    deadline: date | None = None,
    clear_deadline: bool = False,
    measures: str | None = None,
    completion: str | None = None,
    completed_on: date | None = None,
    status: str | None = None,
    note: str = "",
    expected_updated_at: datetime | None = None,
    today: date | None = None,
) -> RectificationInfo:
    """Edit the rectification of a finding (also reachable through a carried-over finding).

    Rectifications stay editable after the visit is finalized: the fix happens later.
    A ``status`` is reached through the lifecycle action that leads there (see
    :func:`apply_action`), so the same refusals apply whichever way it is asked for.
    """
    update = RectificationUpdate(
        finding_ref, department=department, owner=owner, deadline=deadline, clear_deadline=clear_deadline,
        measures=measures, completion=completion, completed_on=completed_on, status=status, note=note,
        expected_updated_at=expected_updated_at,
    )
    return update_rectifications(db, [update], today=today)[0]


def update_rectifications(
    db: Database, updates: Sequence[RectificationUpdate], *, today: date | None = None
) -> list[RectificationInfo]:
    """Several :func:`update_rectification` edits in one transaction, in order: all or none.

    Each goes through the same rule (``_update_rectification``); a later edit of the same
    rectification sees the earlier ones (set an owner, then start, then report).
    """
    today = today or date.today()
    for update in updates:
        if update.status is not None:
            check_choice(lifecycle.normalise_status(update.status), STATUSES, "rectification status")
    with db.session() as session:
        batch = _EditBatch(session)
        return [_update_rectification(session, update, today, batch) for update in updates]


class _EditBatch:
    """What a batch of rectification edits reads again and again, read once per transaction.

    The demo data edits each rectification up to four times in a row (owner, start,
    report, verify); each edit looked up the finding, its rectification, the visit, the
    after-photos (twice) and the department anew. The session's identity map drops rows
    nobody refers to, so this holds them. Valid for one transaction of edits: they add no
    photos and never delete a rectification.
    """

    def __init__(self, session: Session) -> None:
        self.session = session
        self._findings: dict[str, Finding] = {}
        self._rects: dict[str, Rectification] = {}
        self._visits: dict[str, Visit] = {}
        self._photos: dict[str, int] = {}
        self._departments: dict[str, list[Department]] = {}

    def finding(self, ref: str) -> Finding:
        finding = self._findings.get(ref)
        if finding is None:
            finding = self._findings[ref] = require_finding(self.session, ref)
        return finding

    def rect_for(self, finding: Finding) -> Rectification:
        rect = self._rects.get(finding.id)
        if rect is None:
            rect = self._rects[finding.id] = _rect_for(self.session, finding)
        return rect

    def visit(self, visit_id: str) -> Visit:
        visit = self._visits.get(visit_id)
        if visit is None:
            visit = self.session.get(Visit, visit_id)
            assert visit is not None
            self._visits[visit_id] = visit
            # Held so each edit's rectification_info names its department without a query.
            self._departments[visit_id] = list(
                self.session.scalars(select(Department).where(Department.institution_id == visit.institution_id))
            )
        return visit

    def after_photos(self, rect: Rectification) -> int:
        """The after-photo count; flushes first, as the count's query did (autoflush), so
        the change log records the edits in the same steps as one edit at a time."""
        self.session.flush()
        count = self._photos.get(rect.id)
        if count is None:
            count = self._photos[rect.id] = after_photo_count(self.session, rect.id)
        return count


def _update_rectification(
    session: Session, u: RectificationUpdate, today: date, batch: _EditBatch | None = None
) -> RectificationInfo:
    batch = batch or _EditBatch(session)
    finding = batch.finding(u.finding_ref)
    rect = batch.rect_for(finding)
    check_fresh(rect.updated_at, u.expected_updated_at, Term("record", "rectification"))
    visit = batch.visit(finding.visit_id)
    if u.department is not None:
        dept = ensure_department(session, visit.institution_id, u.department)
        assign_department(session, finding, dept.id if dept else None)
    if u.owner is not None:
        rect.owner = u.owner.strip()
    if u.clear_deadline:
        rect.deadline = None
    elif u.deadline is not None:
        rect.deadline = u.deadline
    if u.measures is not None:
        rect.measures = u.measures.strip()
    if u.completion is not None:
        rect.completion = u.completion.strip()
    if u.completed_on is not None:
        rect.completed_on = u.completed_on
    status = u.status
    if status is not None and lifecycle.normalise_status(status) != lifecycle.normalise_status(rect.status):
        action = lifecycle.action_to(rect.status, status)
        if action is None:
            current = lifecycle.normalise_status(rect.status)
            raise TransitionError(
                "rectification.status_not_reachable",
                status_from=Term("rectification_status", current),
                status_to=Term("rectification_status", lifecycle.normalise_status(status)),
                allowed=[Term("rectification_status", a.target or "") for a in lifecycle.allowed_actions(current)
                         if a.target] or [Term("rectification_status", current)],
            )
        _apply(
            session, rect, action, note=u.note, new_deadline=None, role="inspector",
            actor=str(session.info.get("actor", "")), today=today, after_photos=batch.after_photos(rect),
        )
    session.flush()
    return rectification_info(session, rect, today, after_photos=batch.after_photos(rect))


# A status filter of its own: every rectification not yet verified (all open statuses).
UNVERIFIED = "unverified"


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
    ``status`` is one status or :data:`UNVERIFIED` (any open one); ``department`` ``""``
    means "no department given", None means any.
    """
    from auditapp.lookups import require_visit

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
        # Loaded together: every finding's rectification, photos, answer and pins in a
        # fixed number of queries (finding_infos), not half a dozen per row.
        found = session.execute(
            query.options(joinedload(Visit.institution)).order_by(Visit.visit_date, Finding.seq)
        ).all()
        infos = finding_infos(session, [finding for finding, _v in found], today=today)
        for (_finding, v), info in zip(found, infos, strict=True):
            rect = info.rectification
            if rect is None:
                continue
            if status == UNVERIFIED:
                if not lifecycle.is_open(rect.status):
                    continue
            elif status and rect.status != status:
                continue
            if department is not None and (rect.department or "") != department:
                continue
            if overdue_only and not rect.overdue:
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
    action: str = ""
    deadline: date | None = None


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
            RectificationEventInfo(
                at=e.at, status_from=e.status_from, status_to=e.status_to, note=e.note, actor=e.actor,
                action=e.action, deadline=e.deadline,
            )
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
