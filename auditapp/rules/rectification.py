"""The rectification lifecycle (整改): statuses, who may move a rectification where, and what it needs.

One table serves the GUI, the command line, the department ledger import and sync, so a
status can only ever change along these arrows::

    待整改 open ──start──► 整改中 in_progress ──report──► 已报整改 reported_fixed ──verify──► 已验收 verified ──close──► 已销号 closed
        │                     ▲   │                           │                              │
        │                     │   └──request_extension──► 申请延期 extension_requested        │
        │                     └──────── reject (驳回, a round is counted) ◄──┘               │
        └─ verify on a re-check (with evidence) ─────────────────────────────────────────────┘
                              ◄──────── reopen (the problem is back; a round is counted) ─────

The department does its part (start, report, ask for more time); the inspector or
leader decides (verify, reject, grant or refuse more time, close, reopen). Verifying
needs something behind it: an after-photo or a verification note.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal, Protocol

Role = Literal["inspector", "department"]

STATUSES: tuple[str, ...] = ("open", "in_progress", "reported_fixed", "extension_requested", "verified", "closed")
# Still to be fixed: counted as open, carried over to the next visit, can be overdue.
OPEN_STATUSES: tuple[str, ...] = ("open", "in_progress", "reported_fixed", "extension_requested")
DONE_STATUSES: tuple[str, ...] = ("verified", "closed")
# Statuses written by versions before the full lifecycle, and what they mean now.
LEGACY_STATUSES: dict[str, str] = {"reopened": "in_progress"}
# What a department may set in its ledger workbook.
DEPARTMENT_STATUSES: tuple[str, ...] = ("in_progress", "reported_fixed", "extension_requested")

Need = Literal["measures", "evidence", "reason", "new_deadline"]


@dataclass(frozen=True)
class Action:
    """One arrow of the lifecycle."""

    name: str
    sources: tuple[str, ...]
    # None: back to the status before the extension request.
    target: str | None
    roles: tuple[Role, ...]
    needs: tuple[Need, ...] = ()
    counts_round: bool = False


ACTIONS: dict[str, Action] = {
    a.name: a
    for a in (
        Action("start", ("open",), "in_progress", ("inspector", "department")),
        Action("report", ("open", "in_progress"), "reported_fixed", ("inspector", "department"), needs=("measures",)),
        Action("verify", ("open", "in_progress", "reported_fixed"), "verified", ("inspector",), needs=("evidence",)),
        Action("reject", ("reported_fixed",), "in_progress", ("inspector",), needs=("reason",), counts_round=True),
        Action(
            "request_extension",
            ("open", "in_progress"),
            "extension_requested",
            ("inspector", "department"),
            needs=("new_deadline", "reason"),
        ),
        Action("accept_extension", ("extension_requested",), None, ("inspector",)),
        Action("refuse_extension", ("extension_requested",), None, ("inspector",), needs=("reason",)),
        Action("close", ("verified",), "closed", ("inspector",)),
        Action("reopen", ("verified", "closed"), "in_progress", ("inspector",), needs=("reason",), counts_round=True),
    )
}

# The action that brings a rectification from one status to another, for callers that
# name the status they want (``rectification update --status verified``).
_BY_TARGET: dict[tuple[str, str], str] = {}
for _a in ACTIONS.values():
    if _a.target is not None:
        for _s in _a.sources:
            _BY_TARGET.setdefault((_s, _a.target), _a.name)


def normalise_status(status: str) -> str:
    return LEGACY_STATUSES.get(status, status)


def is_open(status: str) -> bool:
    return normalise_status(status) in OPEN_STATUSES


class _HasDeadline(Protocol):
    @property
    def deadline(self) -> date | None: ...

    @property
    def status(self) -> str: ...


def is_overdue(rect: _HasDeadline, today: date) -> bool:
    """Past its deadline and not yet fixed. A pending extension request does not stop the clock."""
    return bool(rect.deadline is not None and rect.deadline < today and is_open(rect.status))


def days_overdue(rect: _HasDeadline, today: date) -> int:
    if not is_overdue(rect, today):
        return 0
    assert rect.deadline is not None
    return (today - rect.deadline).days


def allowed_actions(status: str, role: Role = "inspector") -> list[Action]:
    """The actions open from ``status`` to someone in ``role``, in lifecycle order."""
    status = normalise_status(status)
    return [a for a in ACTIONS.values() if status in a.sources and role in a.roles]


def action_to(status_from: str, status_to: str) -> str | None:
    """The action that moves a rectification from one status to another, if there is one."""
    return _BY_TARGET.get((normalise_status(status_from), normalise_status(status_to)))


@dataclass(frozen=True)
class Evidence:
    """What a transition can lean on, gathered by the caller."""

    measures: str = ""
    note: str = ""
    after_photos: int = 0
    new_deadline: date | None = None
    current_deadline: date | None = None


def missing_needs(action: Action, evidence: Evidence) -> list[Need]:
    """What ``action`` needs that ``evidence`` does not give (empty: it may go ahead)."""
    missing: list[Need] = []
    for need in action.needs:
        if (
            (need == "measures" and not evidence.measures.strip())
            or (need == "evidence" and not (evidence.after_photos > 0 or evidence.note.strip()))
            or (need == "reason" and not evidence.note.strip())
            or (need == "new_deadline" and evidence.new_deadline is None)
        ):
            missing.append(need)
    return missing


def target_status(action: Action, *, status_before_extension: str) -> str:
    if action.target is not None:
        return action.target
    return normalise_status(status_before_extension) if status_before_extension in STATUSES else "in_progress"
