"""评估指标填报: an institution's indicator values for one period, apart from any visit.

The city annexes' statistics are figures the hospital takes from its systems; the
dialog lists only those its own region's documents require (``indicator_sheet``), with
the clause that requires each and the target in force, and saves what was typed through
:func:`auditapp.services.indicators.set_indicator_value` (an emptied value is withdrawn).
Every value is checked before the first is saved, so a typing error saves nothing.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from auditapp.checklists import Library, Period
from auditapp.db import Database
from auditapp.errors import AuditAppError
from auditapp.services import indicators
from auditapp.services.institutions import InstitutionInfo
from auditapp.services.jurisdiction import institution_jurisdiction
from ui import messages
from ui.texts import localized

COL_NAME, COL_REQUIRED, COL_TARGET, COL_VALUE, COL_SOURCE, COL_NOTE, COL_VERDICT = range(7)
EDITABLE = (COL_VALUE, COL_SOURCE, COL_NOTE)


class IndicatorDialog(QDialog):
    """Fill in one period's indicators of one institution (评估指标按期填报)."""

    def __init__(self, db: Database, library: Library, institution: InstitutionInfo, parent: QWidget | None = None,
                 *, today: date | None = None) -> None:
        super().__init__(parent)
        self.db, self.library, self.institution = db, library, institution
        self.today = today or date.today()
        self.rows: list[indicators.IndicatorRow] = []
        self.setWindowTitle(self.tr("Indicators — %1").replace("%1", institution.name))
        self.set_combo = QComboBox()
        self.set_combo.setObjectName("indicatorSetCombo")
        for info in indicators.list_indicator_sets(db, institution.id, library=library):
            self.set_combo.addItem(f"{localized(info.title, info.title_en)} ({info.applicable})", info.id)
        self.period_edit = QLineEdit()
        self.period_edit.setObjectName("periodEdit")
        self.period_edit.setToolTip(self.tr("A quarter as 2024-Q1, a month as 2024-03"))
        self.period_edit.setMaximumWidth(110)
        self._default_period()
        show = QPushButton(self.tr("Show"))
        show.clicked.connect(self.load)
        self.period_edit.returnPressed.connect(self.load)
        self.set_combo.currentIndexChanged.connect(lambda _i: (self._default_period(), self.load()))
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("Indicator set")))
        top.addWidget(self.set_combo, 1)
        top.addWidget(QLabel(self.tr("Period")))
        top.addWidget(self.period_edit)
        top.addWidget(show)
        self.info_label = QLabel()
        self.info_label.setObjectName("indicatorInfo")
        self.info_label.setWordWrap(True)
        self.table = QTableWidget(0, 7)
        self.table.setObjectName("indicatorTable")
        self.table.setHorizontalHeaderLabels([
            self.tr("Indicator"), self.tr("Required by"), self.tr("Target in force"), self.tr("Value"),
            self.tr("Data source"), self.tr("Note"), self.tr("Verdict"),
        ])
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        for col, width in ((COL_NAME, 260), (COL_REQUIRED, 150), (COL_TARGET, 150), (COL_VALUE, 80),
                           (COL_SOURCE, 200), (COL_NOTE, 160), (COL_VERDICT, 80)):
            self.table.setColumnWidth(col, width)
        self.table.verticalHeader().hide()
        buttons = QDialogButtonBox()
        self.save_button = buttons.addButton(self.tr("Save"), QDialogButtonBox.ButtonRole.ApplyRole)
        self.save_button.setObjectName("saveIndicatorsButton")
        self.save_button.clicked.connect(self.save)
        self.report_button = buttons.addButton(self.tr("Indicator report (PDF)…"), QDialogButtonBox.ButtonRole.ActionRole)
        self.report_button.clicked.connect(self.write_report)
        close = buttons.addButton(QDialogButtonBox.StandardButton.Close)
        close.clicked.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.info_label)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        self.resize(1180, 640)
        self.load()

    # -- loading -----------------------------------------------------------------

    def _set_id(self) -> str:
        return str(self.set_combo.currentData() or "")

    def _default_period(self) -> None:
        """The last period that has ended: what is reported now."""
        kind = self.library.indicator_sets[self._set_id()].period if self._set_id() in self.library.indicator_sets \
            else "quarter"
        self.period_edit.setText(Period.containing(self.today, kind).shifted(-1).label)

    def load(self) -> None:
        if not self._set_id():
            return
        try:
            sheet = indicators.indicator_sheet(self.db, institution=self.institution.id, period=self.period_edit.text(),
                                               set_id=self._set_id(), library=self.library, today=self.today)[0]
        except AuditAppError as exc:
            messages.show_error(self, self.tr("Cannot show the indicators"), exc)
            return
        self.period = sheet.period
        self.period_edit.setText(sheet.period)
        self.rows = list(sheet.rows)
        if not self.rows:
            info = institution_jurisdiction(self.institution.profile, self.library.sources)
            self.info_label.setText(
                self.tr("No document of %1 requires these indicators: nothing to report for this set.").replace(
                    "%1", info.region or self.tr("(no region recorded)")))
        else:
            self.info_label.setText(self.tr(
                "%1 indicators required of this institution. Targets are those its own documents set; without one a "
                "value is recorded, not judged. Values in brackets come from earlier visits.").replace(
                    "%1", str(len(self.rows))))
        self._fill()

    def _fill(self) -> None:
        from auditapp.language import current_language
        from auditapp.terms import label

        language = current_language()
        self.table.setRowCount(len(self.rows))
        for r, row in enumerate(self.rows):
            ind = row.indicator
            value = self._shown(ind, row.value.value) if row.value else ""
            cells = {
                COL_NAME: localized(ind.name, ind.name_en),
                COL_REQUIRED: "; ".join(f"{b.source} {b.label(language)}" for b in row.required_by),
                COL_TARGET: indicators.target_text(row.in_force, ind, language) if row.in_force else self.tr("none"),
                COL_VALUE: value,
                COL_SOURCE: row.value.data_source if row.value else localized(ind.data_source, ind.data_source_en),
                COL_NOTE: row.value.note if row.value else "",
                COL_VERDICT: label("result", row.value.result, language) if row.value and row.value.result else "",
            }
            if not value and row.legacy:
                old = row.legacy[-1]
                cells[COL_NOTE] = f"({old.value or label('result', old.result, language)} · {old.report_number})"
            for col, content in cells.items():
                item = QTableWidgetItem(content)
                if col not in EDITABLE:
                    item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
                if col == COL_NAME:
                    item.setToolTip(localized(ind.definition, ind.definition_en))
                if col == COL_VERDICT and row.value and row.value.result:
                    item.setForeground(QBrush(QColor("#2e6b1f" if row.value.result == "conform" else "#b00020")))
                self.table.setItem(r, col, item)
        self.table.resizeRowsToContents()

    @staticmethod
    def _shown(indicator: object, stored: str) -> str:
        """A stored value as typed back: 是/否 (or yes/no) for yes-or-no indicators, else as stored."""
        from auditapp.language import current_language
        from auditapp.terms import label

        if getattr(getattr(indicator, "response", None), "type", "") == "yesno" and stored:
            return label("yes_no", stored, current_language())
        return stored

    # -- saving ------------------------------------------------------------------

    def _text(self, r: int, col: int) -> str:
        item = self.table.item(r, col)
        return item.text().strip() if item is not None else ""

    def changes(self) -> list[tuple[indicators.IndicatorRow, str, str, str]]:
        """Rows whose value, source or note differ from what is stored: (row, value, source, note)."""
        out = []
        for r, row in enumerate(self.rows):
            value, source, note = self._text(r, COL_VALUE), self._text(r, COL_SOURCE), self._text(r, COL_NOTE)
            stored = row.value
            if stored is None:
                if value:
                    out.append((row, value, source, note))
            elif (value, source, note) != (self._shown(row.indicator, stored.value), stored.data_source, stored.note):
                out.append((row, value, source, note))
        return out

    def save(self) -> bool:
        changes = self.changes()
        try:
            for row, value, _source, _note in changes:  # every value checked before the first is saved
                if value:
                    indicators.clean_value(row.indicator, value)
        except AuditAppError as exc:
            messages.show_error(self, self.tr("Cannot save the indicators"), exc)
            return False  # what was typed stays in the table, to be corrected
        try:
            for row, value, source, note in changes:
                if value:
                    indicators.set_indicator_value(
                        self.db, institution=self.institution.id, indicator=row.indicator.id, period=self.period,
                        value=value, data_source=source, note=note, library=self.library, today=self.today,
                        expected_updated_at=row.value.updated_at if row.value else None)
                else:
                    indicators.clear_indicator_value(
                        self.db, institution=self.institution.id, indicator=row.indicator.id, period=self.period,
                        library=self.library, expected_updated_at=row.value.updated_at if row.value else None)
        except AuditAppError as exc:
            messages.show_error(self, self.tr("Cannot save the indicators"), exc)
            self.load()
            return False
        self.load()
        return True

    def write_report(self) -> None:
        """The indicator report of this set, written by the report process and previewed."""
        from pathlib import Path

        from ui.report_process import ReportProcess
        from ui.reports_dialog import PdfPreviewWindow, default_report_folder, unique_path

        if self.changes() and not self.save():
            return
        out = unique_path(default_report_folder(self.db) / f"评估指标报告_{self.institution.name}_{self.period}.pdf")
        process = ReportProcess(Path(out), self)
        self.report_button.setEnabled(False)
        process.succeeded.connect(lambda path, _pages: PdfPreviewWindow(path, self).show())
        process.failed.connect(lambda message: messages.show_text_error(self, self.tr("Cannot write the report"), message))
        process.finished.connect(lambda: self.report_button.setEnabled(True))
        process.start(self.db.data_dir, ["indicators", self.institution.id, "--set", self._set_id()],
                      checklists_dir=self.library.directory)
