"""The rectification loop with the departments in the GUI: export the ledger or a department's
workbook, import the returned workbook after a preview, write the official notice.

Each dialog gathers its options, runs the work of ``auditapp.ledger`` / ``auditapp.notice``
in the background helper of ``ui.workers`` (with progress and cancel) and shows the
result; the rules — what may change, conflicts, one transaction — are all in the core.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QDate, QObject, QSettings, QUrl, Signal
from PySide6.QtGui import QBrush, QColor, QDesktopServices
from PySide6.QtWidgets import (
    QAbstractItemView,
    QBoxLayout,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from auditapp.db import Database
from auditapp.errors import AuditAppError
from auditapp.ledger.columns import BY_KEY
from auditapp.progress import CancelToken, Progress
from auditapp.services import institutions, visits
from auditapp.terms import label
from ui import messages
from ui.workers import Op, OpFn, run_op

TOUCH_HEIGHT = 40

CONFLICT_BACKGROUND = QColor("#fde8e8")
CHANGE_BACKGROUND = QColor("#ecfdf5")


# File dialogs of this module, in one place so tests replace them (see ui/messages.py).
def choose_save_file(parent: QWidget | None, title: str, suggested: str, name_filter: str) -> Path | None:
    name, _chosen = QFileDialog.getSaveFileName(parent, title, suggested, name_filter)
    return Path(name) if name else None


def choose_open_file(parent: QWidget | None, title: str, name_filter: str) -> Path | None:
    name, _chosen = QFileDialog.getOpenFileName(parent, title, str(Path.home()), name_filter)
    return Path(name) if name else None


def _documents(db: Database) -> Path:
    from ui.reports_dialog import default_report_folder

    return default_report_folder(db)


class _Background(QObject):
    """One operation at a time for a dialog, through :func:`ui.workers.run_op`.

    ``on_failure`` gets the user's errors (a bug is logged and apologised for by run_op);
    a cancelled run calls ``on_cancelled``.
    """

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self._widget = parent
        self.task: Op | None = None

    def busy(self) -> bool:
        return self.task is not None

    def run(
        self, op: OpFn, *, text: str,
        on_success: Callable[[Any], None], on_failure: Callable[[BaseException], None],
        on_cancelled: Callable[[], None] | None = None,
    ) -> Op:
        def finished() -> None:
            self.task = None

        self.task = run_op(
            self._widget, op, on_success, progress=text, title=text,
            on_error=on_failure, on_cancelled=on_cancelled, on_finished=finished,
        )
        return self.task


def _show_failure(parent: QWidget, title: str, exc: BaseException) -> None:
    messages.show_failure(parent, title, exc)


class _DepartmentCombo(QComboBox):
    def __init__(self, db: Database, institution_id: str, *, all_text: str | None) -> None:
        super().__init__()
        self.setMinimumHeight(TOUCH_HEIGHT)
        if all_text is not None:
            self.addItem(all_text, None)
        for dept in institutions.list_departments(db, institution_id):
            self.addItem(dept.name, dept.name)

    def select(self, name: str | None) -> None:
        index = self.findData(name) if name else -1
        if index >= 0:
            self.setCurrentIndex(index)


# --- export -------------------------------------------------------------------------------------


class LedgerExportDialog(QDialog):
    """The office's ledger, or the workbook one department fills in and sends back."""

    exported = Signal(str)

    def __init__(
        self, db: Database, *, institution_id: str, visit_id: str | None = None, department: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.db = db
        self.institution_id = institution_id
        self.visit_id = visit_id
        self.background = _Background(self)
        self.last_path: Path | None = None
        self.setWindowTitle(self.tr("Rectification ledger (Excel)"))
        self.resize(620, 380)

        self.scope_combo = QComboBox()
        self.scope_combo.setMinimumHeight(TOUCH_HEIGHT)
        if visit_id:
            info = visits.get_visit(db, visit_id)
            self.scope_combo.addItem(self.tr("This visit (%1)").replace("%1", info.visit_date.isoformat()), "visit")
        self.scope_combo.addItem(self.tr("All visits of the institution"), "institution")
        self.office_radio = QRadioButton(self.tr("Office ledger (all sheets, not locked)"))
        self.department_radio = QRadioButton(self.tr("Workbook for one department to fill in and return"))
        self.department_radio.setObjectName("forDepartmentRadio")
        self.department_combo = _DepartmentCombo(db, institution_id, all_text=self.tr("All departments"))
        self.department_combo.setObjectName("ledgerDepartmentCombo")
        self.department_combo.select(department)
        self.open_only = QCheckBox(self.tr("Only problems not yet verified"))
        self.path_edit = QLineEdit()
        self.path_edit.setObjectName("ledgerPathEdit")
        browse = QPushButton(self.tr("Browse…"))
        browse.clicked.connect(self._browse)
        path_row = QHBoxLayout()
        path_row.addWidget(self.path_edit, 1)
        path_row.addWidget(browse)
        self.status_label = QLabel()
        self.status_label.setWordWrap(True)
        self.status_label.setObjectName("ledgerStatus")

        form = QFormLayout()
        form.addRow(self.tr("Problems of:"), self.scope_combo)
        form.addRow(self.office_radio)
        form.addRow(self.department_radio)
        form.addRow(self.tr("Department:"), self.department_combo)
        form.addRow(self.open_only)
        form.addRow(self.tr("Save as:"), path_row)
        buttons = QDialogButtonBox()
        self.export_button = buttons.addButton(self.tr("Export"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.export_button.setObjectName("ledgerExportButton")
        self.calendar_button = buttons.addButton(self.tr("Deadlines as calendar (.ics)…"), QDialogButtonBox.ButtonRole.ActionRole)
        close = buttons.addButton(self.tr("Close"), QDialogButtonBox.ButtonRole.RejectRole)
        for button in (self.export_button, self.calendar_button, close):
            button.setMinimumHeight(TOUCH_HEIGHT)
        self.export_button.clicked.connect(self.export)
        self.calendar_button.clicked.connect(self.export_calendar)
        close.clicked.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.status_label, 1)
        layout.addWidget(buttons)

        (self.department_radio if department else self.office_radio).setChecked(True)
        for signal in (self.scope_combo.currentIndexChanged, self.department_combo.currentIndexChanged):
            signal.connect(self._suggest_path)
        self.department_radio.toggled.connect(self._mode_changed)
        self._mode_changed()

    def _mode_changed(self) -> None:
        for_department = self.department_radio.isChecked()
        # A department's workbook is for one department; the office ledger may hold all.
        model = self.department_combo.model()
        item = model.item(0) if hasattr(model, "item") else None
        if item is not None:
            item.setEnabled(not for_department)
        if for_department and self.department_combo.currentData() is None and self.department_combo.count() > 1:
            self.department_combo.setCurrentIndex(1)
        self._suggest_path()

    def department(self) -> str | None:
        value = self.department_combo.currentData()
        return str(value) if value else None

    def _suggest_path(self) -> None:
        dept = self.department()
        stem = self.tr("Rectification ledger")
        if dept:
            stem = f"{stem}-{dept.replace('/', '_')}"
        if self.department_radio.isChecked():
            stem += self.tr("-to fill in")
        self.path_edit.setText(str(_documents(self.db) / f"{stem}-{date.today().isoformat()}.xlsx"))

    def _browse(self) -> None:
        chosen = choose_save_file(self, self.tr("Save the ledger as"), self.path_edit.text(), self.tr("Excel workbooks (*.xlsx)"))
        if chosen is not None:
            self.path_edit.setText(str(chosen if chosen.suffix.lower() == ".xlsx" else chosen.with_suffix(".xlsx")))

    def _scope(self) -> dict[str, str | None]:
        if self.scope_combo.currentData() == "visit":
            return {"visit": self.visit_id, "institution": None}
        return {"visit": None, "institution": self.institution_id}

    def export(self) -> Op | None:
        from auditapp.ledger.export import export_ledger

        if self.background.busy():
            return None
        db, scope, target = self.db, self._scope(), Path(self.path_edit.text().strip())
        dept, for_department, open_only = self.department(), self.department_radio.isChecked(), self.open_only.isChecked()
        if for_department and not dept:
            messages.show_text_error(self, self.tr("Export"), self.tr("Choose the department the workbook is for."))
            return None
        if target.parent == _documents(self.db):
            target.parent.mkdir(parents=True, exist_ok=True)

        def op(progress: Progress, cancel: CancelToken) -> Any:
            return export_ledger(
                db, target, **scope, department=None if for_department else dept,
                for_department=dept if for_department else None, open_only=open_only,
                progress=progress, cancel=cancel,
            )

        def done(result: Any) -> None:
            self.last_path = result.path
            self.status_label.setText(
                self.tr("Saved %1: %2 problems, %3 photos.").replace("%1", str(result.path))
                .replace("%2", str(result.rows)).replace("%3", str(result.photos))
            )
            self.exported.emit(str(result.path))

        def cancelled() -> None:  # ExportCancelled: the file was not written
            self.status_label.setText(self.tr("Cancelled; no file was written."))

        return self.background.run(
            op, text=self.tr("Writing the ledger…"), on_success=done,
            on_failure=lambda exc: _show_failure(self, self.tr("The ledger was not exported"), exc), on_cancelled=cancelled,
        )

    def export_calendar(self) -> Op | None:
        from auditapp.ledger.calendar import deadline_calendar

        if self.background.busy():
            return None
        suggested = str(Path(self.path_edit.text()).with_suffix(".ics"))
        target = choose_save_file(self, self.tr("Save the deadlines as"), suggested, self.tr("Calendar files (*.ics)"))
        if target is None:
            return None
        db, scope, dept = self.db, self._scope(), self.department()

        def op(_progress: Progress, _cancel: CancelToken) -> Any:
            return deadline_calendar(db, target, **scope, department=dept)

        def done(result: Any) -> None:
            self.status_label.setText(
                self.tr("Saved %1: %2 deadlines.").replace("%1", str(result.path)).replace("%2", str(result.events))
            )

        return self.background.run(op, text=self.tr("Writing the calendar…"), on_success=done,
                                   on_failure=lambda exc: _show_failure(self, self.tr("The calendar was not written"), exc))


# --- import -------------------------------------------------------------------------------------


class LedgerImportDialog(QDialog):
    """A department's returned workbook: checked whole, shown row by row, applied in one go."""

    imported = Signal(int)

    ROW, PROBLEM, OUTCOME, DETAILS = range(4)

    def __init__(self, db: Database, *, path: Path | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.plan: Any = None
        self.background = _Background(self)
        self.setWindowTitle(self.tr("Import a returned ledger"))
        self.resize(1100, 620)
        self.path_edit = QLineEdit()
        self.path_edit.setObjectName("importPathEdit")
        self.path_edit.setPlaceholderText(self.tr("The .xlsx file the department sent back"))
        browse = QPushButton(self.tr("Choose file…"))
        browse.setObjectName("chooseLedgerButton")
        browse.setMinimumHeight(TOUCH_HEIGHT)
        browse.clicked.connect(self.choose)
        self.check_button = QPushButton(self.tr("Check"))
        self.check_button.setMinimumHeight(TOUCH_HEIGHT)
        self.check_button.clicked.connect(lambda: self.check())
        top = QHBoxLayout()
        top.addWidget(self.path_edit, 1)
        top.addWidget(browse)
        top.addWidget(self.check_button)
        self.summary_label = QLabel(self.tr("Choose the workbook to see what it changes. Nothing is changed before you apply."))
        self.summary_label.setObjectName("importSummary")
        self.summary_label.setWordWrap(True)
        self.table = QTableWidget(0, 4)
        self.table.setObjectName("importPreview")
        self.table.setHorizontalHeaderLabels([self.tr("Row"), self.tr("Problem"), self.tr("What happens"), self.tr("Changes")])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setWordWrap(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(self.DETAILS, QHeaderView.ResizeMode.Stretch)
        for column in (self.ROW, self.PROBLEM, self.OUTCOME):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.skip_conflicts = QCheckBox(self.tr("Import the other rows and leave the conflicting rows as they are in the app"))
        self.skip_conflicts.setObjectName("skipConflicts")
        self.skip_conflicts.hide()
        self.skip_conflicts.toggled.connect(self._update_apply)
        buttons = QDialogButtonBox()
        self.apply_button = buttons.addButton(self.tr("Apply"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.apply_button.setObjectName("applyLedgerButton")
        self.apply_button.setEnabled(False)
        close = buttons.addButton(self.tr("Close"), QDialogButtonBox.ButtonRole.RejectRole)
        for button in (self.apply_button, close):
            button.setMinimumHeight(TOUCH_HEIGHT)
            button.setMinimumWidth(120)
        self.apply_button.clicked.connect(lambda: self.apply())
        close.clicked.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.summary_label)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.skip_conflicts)
        layout.addWidget(buttons)
        if path is not None:
            self.path_edit.setText(str(path))

    def choose(self) -> None:
        chosen = choose_open_file(self, self.tr("Import a returned ledger"), self.tr("Excel workbooks (*.xlsx);;All files (*)"))
        if chosen is not None:
            self.path_edit.setText(str(chosen))
            self.check()

    def check(self) -> Op | None:
        from auditapp.ledger.read import read_returned_workbook

        text = self.path_edit.text().strip()
        if not text or self.background.busy():
            return None
        db, path = self.db, Path(text)
        self.plan = None
        self._show_plan(None)

        def done(plan: Any) -> None:
            self.plan = plan
            self._show_plan(plan)

        def failed(exc: BaseException) -> None:
            if isinstance(exc, AuditAppError):
                self.summary_label.setText(exc.message())
            _show_failure(self, self.tr("This workbook cannot be imported"), exc)

        return self.background.run(lambda _p, _c: read_returned_workbook(db, path), text=self.tr("Checking the workbook…"),
                                   on_success=done, on_failure=failed)

    def _outcome_text(self, outcome: str) -> str:
        return {
            "change": self.tr("Will change"),
            "unchanged": self.tr("Not changed by the department"),
            "already": self.tr("Already imported"),
            "conflict": self.tr("Conflict: changed in the app since export"),
        }.get(outcome, outcome)

    def _column(self, key: str) -> str:
        column = BY_KEY.get(key)
        from auditapp.language import current_language

        return column.header(current_language()) if column else key

    def _details(self, row: Any) -> str:
        if row.outcome == "conflict":
            return "\n".join(
                self.tr("%1 — in the app: %2 · in the workbook: %3").replace("%1", self._column(c.column))
                .replace("%2", c.app or "—").replace("%3", c.workbook or "—")
                for c in row.conflicts
            )
        parts = [f"{self._column(c.column)}: {c.before or '—'} → {c.after or '—'}" for c in row.changes]
        if row.action:
            parts.insert(0, "【" + label("rectification_action", row.action) + "】")
        return "\n".join(parts)

    def _show_plan(self, plan: Any) -> None:
        rows = [r for r in plan.rows if r.outcome != "unchanged"] if plan is not None else []
        self.table.setRowCount(len(rows))
        for n, row in enumerate(rows):
            values = [str(row.row), row.number, self._outcome_text(row.outcome), self._details(row)]
            for column, value in enumerate(values):
                item = QTableWidgetItem(value)
                if row.outcome == "conflict":
                    item.setBackground(QBrush(CONFLICT_BACKGROUND))
                elif row.outcome == "change":
                    item.setBackground(QBrush(CHANGE_BACKGROUND))
                self.table.setItem(n, column, item)
        self.table.resizeRowsToContents()
        if plan is None:
            self.summary_label.setText("")
            self.skip_conflicts.hide()
            self._update_apply()
            return
        text = self.tr("Returned by %1 (exported %2): %3 to import, %4 unchanged, %5 already imported, %6 conflicts.")
        for key, value in (("%1", plan.department), ("%2", plan.exported_at[:10]), ("%3", plan.count("change")),
                           ("%4", plan.count("unchanged")), ("%5", plan.count("already")), ("%6", plan.count("conflict"))):
            text = text.replace(key, str(value))
        self.summary_label.setText(text)
        self.skip_conflicts.setVisible(plan.count("conflict") > 0)
        self.skip_conflicts.setChecked(False)
        self._update_apply()

    def _update_apply(self) -> None:
        plan = self.plan
        ok = plan is not None and plan.count("change") > 0 and (plan.count("conflict") == 0 or self.skip_conflicts.isChecked())
        self.apply_button.setEnabled(bool(ok))

    def apply(self) -> Op | None:
        from auditapp.ledger.read import apply_plan

        if self.plan is None or self.background.busy():
            return None
        db, plan, skip = self.db, self.plan, self.skip_conflicts.isChecked()
        self.apply_button.setEnabled(False)

        def done(result: Any) -> None:
            self.summary_label.setText(self.tr("Imported %1 changes from %2.").replace("%1", str(result.applied))
                                       .replace("%2", plan.department))
            self.plan = None
            for n in range(self.table.rowCount()):
                item = self.table.item(n, self.OUTCOME)
                if item is not None and item.text() == self._outcome_text("change"):
                    item.setText(self.tr("Imported"))
            self.imported.emit(result.applied)
            self._update_apply()

        def failed(exc: BaseException) -> None:
            self._update_apply()
            _show_failure(self, self.tr("Nothing was imported"), exc)

        return self.background.run(lambda _p, _c: apply_plan(db, plan, skip_conflicts=skip),
                                   text=self.tr("Importing…"), on_success=done, on_failure=failed)


# --- notice -------------------------------------------------------------------------------------


def _settings() -> QSettings:
    return QSettings()


class NoticeDialog(QDialog):
    """The official notice of a visit (整改通知书) as .docx; the office's fields are remembered."""

    written = Signal(str)

    def __init__(self, db: Database, *, visit_id: str, department: str | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.visit_id = visit_id
        self.background = _Background(self)
        self.last_path: Path | None = None
        self.preview_window: QWidget | None = None
        info = visits.get_visit(db, visit_id)
        self.setWindowTitle(self.tr("Rectification notice (Word)"))
        self.resize(620, 420)
        settings = _settings()
        self.department_combo = _DepartmentCombo(db, info.institution_id, all_text=self.tr("All departments (to the institution)"))
        self.department_combo.setObjectName("noticeDepartmentCombo")
        self.department_combo.select(department)
        self.number_edit = QLineEdit(str(settings.value("notice/number", "")))
        self.number_edit.setObjectName("noticeNumberEdit")
        self.number_edit.setPlaceholderText(self.tr("e.g. 院质改〔2026〕5号"))
        self.issuer_edit = QLineEdit(str(settings.value("notice/issuer", "")))
        self.issuer_edit.setObjectName("noticeIssuerEdit")
        self.office_edit = QLineEdit(str(settings.value("notice/office", "")) or info.institution_name)
        self.office_edit.setObjectName("noticeOfficeEdit")
        self.date_edit = QDateEdit(QDate.currentDate())
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("yyyy-MM-dd")
        self.path_edit = QLineEdit()
        self.path_edit.setObjectName("noticePathEdit")
        browse = QPushButton(self.tr("Browse…"))
        browse.clicked.connect(self._browse)
        path_row = QHBoxLayout()
        path_row.addWidget(self.path_edit, 1)
        path_row.addWidget(browse)
        for widget in (self.number_edit, self.issuer_edit, self.office_edit, self.date_edit, self.path_edit):
            widget.setMinimumHeight(TOUCH_HEIGHT)
        self.status_label = QLabel()
        self.status_label.setWordWrap(True)
        self.status_label.setObjectName("noticeStatus")
        form = QFormLayout()
        form.addRow(self.tr("To:"), self.department_combo)
        form.addRow(self.tr("Document number (文号):"), self.number_edit)
        form.addRow(self.tr("Signed off by (签发人):"), self.issuer_edit)
        form.addRow(self.tr("Issuing office:"), self.office_edit)
        form.addRow(self.tr("Date:"), self.date_edit)
        form.addRow(self.tr("Save as:"), path_row)
        buttons = QDialogButtonBox()
        self.write_button = buttons.addButton(self.tr("Write notice"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.write_button.setObjectName("writeNoticeButton")
        self.open_button = buttons.addButton(self.tr("Open in Word/WPS"), QDialogButtonBox.ButtonRole.ActionRole)
        self.print_button = buttons.addButton(self.tr("Preview and print…"), QDialogButtonBox.ButtonRole.ActionRole)
        self.print_button.setObjectName("printNoticeButton")
        close = buttons.addButton(self.tr("Close"), QDialogButtonBox.ButtonRole.RejectRole)
        for button in (self.write_button, self.open_button, self.print_button, close):
            button.setMinimumHeight(TOUCH_HEIGHT)
        self.open_button.setEnabled(False)
        self.print_button.setEnabled(False)
        self.print_button.setToolTip(self.tr("Converts the notice to PDF with LibreOffice and shows it for printing"))
        self.write_button.clicked.connect(lambda: self.write())
        self.open_button.clicked.connect(self.open_document)
        self.print_button.clicked.connect(lambda: self.preview())
        close.clicked.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.status_label, 1)
        layout.addWidget(buttons)
        self.department_combo.currentIndexChanged.connect(self._suggest_path)
        self._suggest_path()

    def _suggest_path(self) -> None:
        dept = self.department_combo.currentData()
        stem = self.tr("Rectification notice") + (f"-{str(dept).replace('/', '_')}" if dept else "")
        self.path_edit.setText(str(_documents(self.db) / f"{stem}-{date.today().isoformat()}.docx"))

    def _browse(self) -> None:
        chosen = choose_save_file(self, self.tr("Save the notice as"), self.path_edit.text(), self.tr("Word documents (*.docx)"))
        if chosen is not None:
            self.path_edit.setText(str(chosen if chosen.suffix.lower() == ".docx" else chosen.with_suffix(".docx")))

    def write(self) -> Op | None:
        from auditapp.notice import NoticeOptions, write_notice

        if self.background.busy():
            return None
        options = NoticeOptions(
            number=self.number_edit.text().strip(), issuer=self.issuer_edit.text().strip(),
            office=self.office_edit.text().strip(), issued_on=self.date_edit.date().toPython(),  # type: ignore[arg-type]
        )
        settings = _settings()
        for key, value in (("number", options.number), ("issuer", options.issuer), ("office", options.office)):
            settings.setValue(f"notice/{key}", value)
        db, visit_id, dept = self.db, self.visit_id, self.department_combo.currentData()
        target = Path(self.path_edit.text().strip())
        if target.parent == _documents(self.db):
            target.parent.mkdir(parents=True, exist_ok=True)

        def done(result: Any) -> None:
            self.last_path = result.path
            self.status_label.setText(self.tr("Saved %1: %2 problems.").replace("%1", str(result.path))
                                      .replace("%2", str(result.problems)))
            self.open_button.setEnabled(True)
            self.print_button.setEnabled(office_program() is not None)
            self.written.emit(str(result.path))

        return self.background.run(
            lambda _p, _c: write_notice(db, visit_id, target, department=dept, options=options),
            text=self.tr("Writing the notice…"), on_success=done,
            on_failure=lambda exc: _show_failure(self, self.tr("The notice was not written"), exc),
        )

    def open_document(self) -> None:
        if self.last_path is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.last_path)))

    def preview(self) -> Op | None:
        """Convert the notice to PDF (LibreOffice, off the GUI thread) and show it for printing."""
        if self.last_path is None or self.background.busy():
            return None
        source = self.last_path

        def done(pdf: Path) -> None:
            from ui.reports_dialog import PdfPreviewWindow

            self.preview_window = PdfPreviewWindow(pdf, self)
            self.preview_window.show()

        return self.background.run(lambda _p, _c: notice_pdf(source), text=self.tr("Preparing the print preview…"),
                                   on_success=done,
                                   on_failure=lambda _exc: messages.show_text_error(
                                       self, self.tr("No print preview"),
                                       self.tr("LibreOffice could not convert the notice to PDF. Open it in Word or WPS to print it.")))


def office_program() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def notice_pdf(docx: Path) -> Path:
    """A PDF of ``docx`` made by LibreOffice headless, in a temporary folder."""
    program = office_program()
    if program is None:
        raise messages.UserMessage("LibreOffice is not installed")  # the caller words it for the window
    outdir = Path(tempfile.mkdtemp(prefix="auditapp-notice-"))
    try:
        subprocess.run(
            [program, f"-env:UserInstallation=file://{outdir / 'profile'}", "--headless", "--norestore",
             "--convert-to", "pdf", "--outdir", str(outdir), str(docx)],
            check=True, capture_output=True, timeout=180,
        )
    except (OSError, subprocess.SubprocessError) as exc:  # LibreOffice failed: an expected outcome, not a bug
        raise messages.UserMessage(str(exc)) from exc
    return outdir / (docx.stem + ".pdf")


# --- hooks into existing windows -----------------------------------------------------------------


def add_ledger_buttons(layout: QBoxLayout, parent: QWidget, scope: Callable[[], tuple[str | None, str | None, str | None]],
                       db: Callable[[], Database], on_imported: Callable[[], None],
                       selected_visit: Callable[[], str | None] | None = None) -> dict[str, QPushButton]:
    """"Ledger…", "Import returned ledger…" and "Notice…" buttons for a window showing problems.

    ``scope()`` gives (institution id, visit id, department) of what the window shows now.
    A notice covers one visit: in a window showing a whole institution, ``selected_visit()``
    gives the visit of the selected problem, so the notice is for that visit.
    """
    buttons = {
        "export": QPushButton(QCoreApplication.translate("LedgerButtons", "Ledger (Excel)…")),
        "import": QPushButton(QCoreApplication.translate("LedgerButtons", "Import returned ledger…")),
        "notice": QPushButton(QCoreApplication.translate("LedgerButtons", "Notice (Word)…")),
    }
    for name, button in buttons.items():
        button.setObjectName(f"ledger_{name}_button")
        button.setMinimumHeight(TOUCH_HEIGHT)
        layout.addWidget(button)

    def export() -> None:
        institution_id, visit_id, department = scope()
        if institution_id:
            LedgerExportDialog(db(), institution_id=institution_id, visit_id=visit_id, department=department,
                               parent=parent).exec()

    def import_() -> None:
        dialog = LedgerImportDialog(db(), parent=parent)
        dialog.imported.connect(lambda _n: on_imported())
        dialog.exec()

    def notice() -> None:
        _institution_id, visit_id, department = scope()
        visit_id = visit_id or (selected_visit() if selected_visit else None)
        if visit_id:
            NoticeDialog(db(), visit_id=visit_id, department=department, parent=parent).exec()
        else:
            messages.show_info(parent, QCoreApplication.translate("LedgerButtons", "Notice (Word)…"), QCoreApplication.translate("LedgerButtons", "Choose a problem of the visit first: a notice covers one visit."))  # noqa: E501

    buttons["export"].clicked.connect(export)
    buttons["import"].clicked.connect(import_)
    buttons["notice"].clicked.connect(notice)
    return buttons
