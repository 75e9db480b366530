"""The home screen's deadline panel: per department, what is overdue and what falls due
within 3 and 7 days (auditapp.services.ledger.due_rectifications), loaded in the background."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import QGroupBox, QHeaderView, QLabel, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget

from auditapp.db import Database
from auditapp.progress import CancelToken, Progress
from auditapp.services.ledger import DepartmentDue, due_rectifications
from ui.workers import Op, run_op

OVERDUE_RED = QColor("#b91c1c")
SOON_AMBER = QColor("#b45309")
WITHIN_DAYS = 7


class DueWidget(QGroupBox):
    """Departments with overdue or soon-due rectifications; double-click a problem to open it."""

    problemActivated = Signal(str)  # finding id

    DEPARTMENT, OVERDUE, SOON, WEEK = range(4)

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Rectification deadlines"), parent)
        self.setObjectName("duePanel")
        self.db = db
        self.institution_id: str | None = None
        self._token = 0
        self._task: Op | None = None
        self.tree = QTreeWidget()
        self.tree.setObjectName("dueTree")
        self.tree.setColumnCount(4)
        self.tree.setHeaderLabels([self.tr("Department / problem"), self.tr("Overdue"), self.tr("Within 3 days"),
                                   self.tr("Within 7 days")])
        header = self.tree.header()
        header.setSectionResizeMode(self.DEPARTMENT, QHeaderView.ResizeMode.Stretch)
        for column in (self.OVERDUE, self.SOON, self.WEEK):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.setRootIsDecorated(True)
        self.tree.setUniformRowHeights(True)
        self.tree.itemDoubleClicked.connect(self._activated)
        self.empty_label = QLabel(self.tr("Nothing overdue and nothing due within 7 days."))
        self.empty_label.setStyleSheet("color: #15803d;")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.empty_label)
        layout.addWidget(self.tree)
        self.tree.hide()
        self.setMaximumHeight(210)
        self.groups: list[DepartmentDue] = []

    def is_busy(self) -> bool:
        return self._task is not None

    def set_institution(self, institution_id: str | None) -> Op:
        """Reload for one institution (None: all) off the GUI thread; an older answer is dropped."""
        self.institution_id = institution_id
        self._token += 1
        token, db = self._token, self.db

        def op(_progress: Progress, _token: CancelToken) -> list[DepartmentDue]:
            return due_rectifications(db, institution=institution_id, within=WITHIN_DAYS)

        if not self.groups:
            self.empty_label.setText(self.tr("Reading the deadlines…"))

        def done(groups: Any) -> None:
            if token == self._token:
                self.show_groups(groups)

        def finished() -> None:
            if self._task is task:
                self._task = None

        # No progress dialog: a refresh of a side panel. A user's error empties the panel;
        # a bug is logged and apologised for by run_op.
        task = run_op(self, op, done, title=self.tr("Rectification deadlines"),
                      on_error=lambda _exc: self.show_groups([]), on_finished=finished)
        self._task = task
        return task

    def show_groups(self, groups: list[DepartmentDue]) -> None:
        self.groups = list(groups)
        self.tree.clear()
        bold = QFont()
        bold.setBold(True)
        for g in groups:
            name = g.department or self.tr("(No department)")
            top = QTreeWidgetItem([name, str(len(g.overdue) or ""), str(len(g.due_3) or ""), str(len(g.due_within) or "")])
            top.setFont(self.DEPARTMENT, bold)
            if g.overdue:
                top.setForeground(self.OVERDUE, QBrush(OVERDUE_RED))
                top.setFont(self.OVERDUE, bold)
            if g.due_3:
                top.setForeground(self.SOON, QBrush(SOON_AMBER))
            for column in (self.OVERDUE, self.SOON, self.WEEK):
                top.setTextAlignment(column, Qt.AlignmentFlag.AlignCenter)
            for item in (*g.overdue, *g.due_3, *g.due_within):
                if item.days_left < 0:
                    when = self.tr("%1 days overdue").replace("%1", str(-item.days_left))
                elif item.days_left == 0:
                    when = self.tr("due today")
                else:
                    when = self.tr("in %1 days").replace("%1", str(item.days_left))
                first = (item.statement.splitlines() or [""])[0]
                child = QTreeWidgetItem([f"{item.deadline.isoformat()} · {when} · {item.number} {first}"])
                child.setData(self.DEPARTMENT, Qt.ItemDataRole.UserRole, item.finding_id)
                child.setToolTip(self.DEPARTMENT, item.statement)
                if item.days_left < 0:
                    child.setForeground(self.DEPARTMENT, QBrush(OVERDUE_RED))
                top.addChild(child)
            self.tree.addTopLevelItem(top)
        self.tree.setVisible(bool(groups))
        self.empty_label.setText(self.tr("Nothing overdue and nothing due within 7 days."))
        self.empty_label.setVisible(not groups)
        overdue = sum(len(g.overdue) for g in groups)
        self.setTitle(self.tr("Rectification deadlines") + (self.tr(" — %1 overdue").replace("%1", str(overdue)) if overdue else ""))

    def _activated(self, item: QTreeWidgetItem, _column: int) -> None:
        finding_id = item.data(self.DEPARTMENT, Qt.ItemDataRole.UserRole)
        if finding_id:
            self.problemActivated.emit(str(finding_id))
