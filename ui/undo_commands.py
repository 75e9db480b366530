"""Undo/redo of answers: each command holds the answer before and after, and replays it
through the services, so an undone answer is committed (and synced) like any other edit."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from PySide6.QtGui import QUndoCommand

from auditapp.db import Database
from auditapp.errors import AuditAppError
from auditapp.services import visits
from auditapp.services.visits import AnswerInfo


@dataclass(frozen=True)
class AnswerState:
    """What the user can set on an answer; ``result None`` with no answer means unanswered."""

    result: str | None
    value: str
    note: str
    severity: str
    department: str

    @classmethod
    def of(cls, answer: AnswerInfo | None) -> AnswerState | None:
        if answer is None or (answer.result is None and not answer.value and not answer.note):
            return None
        return cls(answer.result, answer.value, answer.note, answer.severity, answer.department)


@dataclass(frozen=True)
class WriteContext:
    """How an edit is written: the version the window showed (a newer one elsewhere is
    refused, not overwritten) and, on a finalized visit, the amendment's reason."""

    expected_updated_at: datetime | None = None
    amend_reason: str | None = None

    def kwargs(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if self.amend_reason:
            out.update(amend=True, reason=self.amend_reason)
        return out


NO_CONTEXT = WriteContext()


def apply_state(
    db: Database, visit_id: str, item_id: str, state: AnswerState | None, context: WriteContext = NO_CONTEXT
) -> None:
    if state is None:
        visits.clear_answer(db, visit_id, item_id, expected_updated_at=context.expected_updated_at, **context.kwargs())
        return
    visits.answer_item(
        db,
        visit_id,
        item_id,
        result=state.result,
        value=state.value if state.value != "" else None,
        note=state.note,
        severity=state.severity,
        department=state.department or None,
        expected_updated_at=context.expected_updated_at,
        **context.kwargs(),
    )


# Successive note edits of one item merge into one undo step, like typing in an editor.
_NOTE_MERGE_ID = 1001


class AnswerCommand(QUndoCommand):
    def __init__(
        self,
        db: Database,
        visit_id: str,
        item_id: str,
        before: AnswerState | None,
        after: AnswerState | None,
        text: str,
        on_change: Callable[[str], None],
        *,
        merge_key: str | None = None,
        on_error: Callable[[AuditAppError], None] | None = None,
        already_applied: bool = False,
        context: Callable[[str], WriteContext] = lambda _item_id: NO_CONTEXT,
    ) -> None:
        super().__init__(text)
        self.db = db
        self.visit_id = visit_id
        self.item_id = item_id
        self.before = before
        self.after = after
        self.on_change = on_change
        self.merge_key = merge_key
        self.on_error = on_error
        # Asked at each undo/redo: the version shown now and any amendment in force.
        self.context = context
        # The runner applies the first change itself, so a refusal can be shown before
        # anything lands on the undo stack; QUndoStack.push() then calls redo() once more.
        self._skip_redo = already_applied

    def _apply(self, state: AnswerState | None) -> None:
        # Exceptions cannot cross Qt's virtual redo()/undo(): report them instead.
        try:
            apply_state(self.db, self.visit_id, self.item_id, state, self.context(self.item_id))
        except AuditAppError as exc:
            self.on_change(self.item_id)
            if self.on_error is not None:
                self.on_error(exc)  # last, so the status says "not saved"
            return
        self.on_change(self.item_id)

    def redo(self) -> None:
        if self._skip_redo:
            self._skip_redo = False
            self.on_change(self.item_id)
            return
        self._apply(self.after)

    def undo(self) -> None:
        self._apply(self.before)

    def id(self) -> int:
        return _NOTE_MERGE_ID if self.merge_key else -1

    def mergeWith(self, other: QUndoCommand) -> bool:  # noqa: N802 - Qt's name
        if not isinstance(other, AnswerCommand) or other.merge_key != self.merge_key or other.item_id != self.item_id:
            return False
        self.after = other.after
        return True
