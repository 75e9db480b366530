"""Choosing, generating, previewing and printing the four PDF reports.

The report builders in ``auditapp.reports`` take ``progress`` and ``cancel`` hooks; the
dialog runs them in a worker behind a progress dialog and opens the result in
``PdfPreviewWindow``, which can also print it (pages rendered at the printer's
resolution) without any PDF viewer installed on the laptop.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QCoreApplication,
    QDate,
    QRectF,
    QSize,
    QStandardPaths,
    Qt,
    QUrl,
    Signal,
)
from PySide6.QtGui import QAction, QDesktopServices, QImage, QKeySequence, QPageLayout, QPainter
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QPushButton,
    QRadioButton,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from auditapp.db import Database
from auditapp.progress import CancelToken, Progress, is_cancelled
from auditapp.services import institutions, visits
from ui import messages, window_state
from ui.messages import UserMessage
from ui.report_process import ReportProcess, ReportWritten
from ui.workers import Op, ProgressDialog, run_op

if TYPE_CHECKING:
    from auditapp.checklists import Library

try:  # PySide6 ≥ 6.12 ships QtPdf as its own wheel (PySide6-Pdf); the dialog still works without it
    from PySide6.QtPdf import QPdfDocument
    from PySide6.QtPdfWidgets import QPdfView

    HAVE_QTPDF = True
except ImportError:  # pragma: no cover - depends on the installation
    HAVE_QTPDF = False

TOUCH_HEIGHT = 40
# Text is sharp at 600 dpi; above that a rendered A4 page would take over 500 MB.
MAX_PRINT_DPI = 600

REPORT_KINDS = ("rectification", "visit", "followup", "summary")
# File names follow the user's language like the reports do (auditapp.reports.file_names).


def _tr(text: object) -> str:
    """Printing runs outside any widget (maybe in a worker): its messages use the preview's context."""
    return QCoreApplication.translate("PdfPreviewWindow", str(text))


def default_report_folder(db: Database) -> Path:
    """The user's Documents folder if it exists, else a ``reports`` folder in the data folder."""
    documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    if documents and Path(documents).is_dir():
        return Path(documents)
    return Path(db.data_dir) / "reports"


def unique_path(path: Path) -> Path:
    """``path`` or, if it exists, ``name_2.pdf``, ``name_3.pdf`` … so nothing is overwritten silently."""
    if not path.exists():
        return path
    n = 2
    while True:
        candidate = path.with_name(f"{path.stem}_{n}{path.suffix}")
        if not candidate.exists():
            return candidate
        n += 1


# --------------------------------------------------------------------------- printing


def render_pdf_pages(
    document: Any,
    printer: QPrinter,
    *,
    progress: Progress | None = None,
    cancel: CancelToken | None = None,
) -> int:
    """Paint the pages of a loaded ``QPdfDocument`` onto ``printer``; returns the pages printed.

    Each page is rendered to an image at the printer's resolution (capped at
    ``MAX_PRINT_DPI``), put on white (PDF pages are transparent, which some printer
    drivers print black) and scaled to fit the printable area, centred. The printer's
    page range (from the print dialog) is honoured. Safe in a worker thread: QPainter may
    paint on a QPrinter outside the GUI thread.
    """
    count = document.pageCount()
    if count <= 0:
        raise UserMessage(_tr(QT_TRANSLATE_NOOP("PdfPreviewWindow", "The PDF has no pages to print.")))
    first = max(1, printer.fromPage() or 1)
    last = min(count, printer.toPage() or count)
    total = max(0, last - first + 1)
    painter = QPainter()
    if not painter.begin(printer):
        raise UserMessage(
            _tr(QT_TRANSLATE_NOOP("PdfPreviewWindow", "The printer could not be started.")),
            _tr(QT_TRANSLATE_NOOP("PdfPreviewWindow", "Check that the printer is switched on and connected.")),
        )
    printed = 0
    try:
        dpi = min(printer.resolution(), MAX_PRINT_DPI)
        for n, page in enumerate(range(first - 1, last)):
            if is_cancelled(cancel):  # the pages already sent stay sent: stop, do not raise
                break
            if n:
                printer.newPage()
            area = QRectF(painter.viewport())
            points = document.pagePointSize(page)
            if points.width() <= 0 or points.height() <= 0:
                continue
            scale = min(area.width() / points.width(), area.height() / points.height())  # device px per point
            target = QRectF(0, 0, points.width() * scale, points.height() * scale)
            target.moveCenter(area.center())
            pixels_per_point = min(scale, dpi / 72.0)
            size = QSize(round(points.width() * pixels_per_point), round(points.height() * pixels_per_point))
            rendered = document.render(page, size)
            flat = QImage(rendered.size(), QImage.Format.Format_RGB32)
            flat.fill(Qt.GlobalColor.white)
            with_white = QPainter(flat)
            with_white.drawImage(0, 0, rendered)
            with_white.end()
            del rendered
            painter.drawImage(target, flat)
            printed += 1
            if progress is not None:
                progress(n + 1, total, "")
    finally:
        painter.end()
    return printed


def print_pdf_file(
    path: Path,
    printer: QPrinter,
    *,
    progress: Progress | None = None,
    cancel: CancelToken | None = None,
) -> int:
    """Print a PDF file: loads its own ``QPdfDocument`` so it can run in a worker thread."""
    document = QPdfDocument()
    error = document.load(str(path))
    if error != QPdfDocument.Error.None_:
        message = _tr(QT_TRANSLATE_NOOP("PdfPreviewWindow", "Cannot read %1 for printing."))
        raise UserMessage(
            message.replace("%1", path.name),
            _tr(QT_TRANSLATE_NOOP("PdfPreviewWindow", "Generate the report again, then print it.")),
        )
    try:
        return render_pdf_pages(document, printer, progress=progress, cancel=cancel)
    finally:
        document.close()


# --------------------------------------------------------------------------- preview


class PdfPreviewWindow(QMainWindow):
    """A generated report: every page scrolling, fitted to the width, with print and save.

    Works on its own (``PdfPreviewWindow(path).show()``), so any screen that produces a
    PDF can reuse it.
    """

    def __init__(self, path: Path | str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.path = Path(path)
        self.setWindowTitle(self.tr("Report preview — %1").replace("%1", self.path.name))
        window_state.fit_to_screen(self, (1000, 760))  # taller than a 1280×720 screen otherwise
        self.document = QPdfDocument(self)
        self.load_error = self.document.load(str(self.path))
        self.view = QPdfView(self)
        self.view.setObjectName("pdfView")
        self.view.setDocument(self.document)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.view.setPageSpacing(12)
        self.setCentralWidget(self.view)

        self.page_label = QLabel()
        self.page_label.setMinimumWidth(120)
        self.page_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.view.pageNavigator().currentPageChanged.connect(self._update_page_label)
        self._build_toolbar()
        self._update_page_label()
        if self.load_error != QPdfDocument.Error.None_:
            self.statusBar().showMessage(self.tr("The PDF could not be opened: %1").replace("%1", self.load_error.name))
        else:
            self.statusBar().showMessage(str(self.path))

    def _build_toolbar(self) -> None:
        bar = QToolBar(self.tr("Report"))
        bar.setMovable(False)
        bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        bar.setStyleSheet(f"QToolButton {{ min-height: {TOUCH_HEIGHT}px; padding: 0 12px; }}")
        self.addToolBar(bar)

        def action(text: str, shortcut: QKeySequence | QKeySequence.StandardKey | None, slot: Callable[[], object]) -> QAction:
            act = QAction(text, self)
            if shortcut is not None:
                act.setShortcut(QKeySequence(shortcut))
            act.triggered.connect(lambda _checked=False: slot())
            bar.addAction(act)
            return act

        self.print_action = action(self.tr("Print…"), QKeySequence.StandardKey.Print, self.print_document)
        self.save_action = action(self.tr("Save as…"), QKeySequence.StandardKey.SaveAs, self.save_as)
        self.folder_action = action(self.tr("Open folder"), None, self.open_folder)
        bar.addSeparator()
        self.fit_width_action = action(self.tr("Fit width"), QKeySequence("Ctrl+1"), self.fit_width)
        self.fit_page_action = action(self.tr("Whole page"), QKeySequence("Ctrl+2"), self.fit_page)
        action(self.tr("Zoom out"), QKeySequence.StandardKey.ZoomOut, lambda: self.zoom_by(1 / 1.25))
        action(self.tr("Zoom in"), QKeySequence.StandardKey.ZoomIn, lambda: self.zoom_by(1.25))
        bar.addSeparator()
        bar.addWidget(self.page_label)
        has_pages = self.page_count() > 0
        for act in (self.print_action, self.save_action):
            act.setEnabled(has_pages)

    def page_count(self) -> int:
        return self.document.pageCount()

    def _update_page_label(self, _page: int = 0) -> None:
        count = self.page_count()
        current = self.view.pageNavigator().currentPage() + 1 if count else 0
        self.page_label.setText(self.tr("Page %1 of %2").replace("%1", str(current)).replace("%2", str(count)))

    def fit_width(self) -> None:
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)

    def fit_page(self) -> None:
        self.view.setZoomMode(QPdfView.ZoomMode.FitInView)

    def zoom_by(self, factor: float) -> None:
        self.view.setZoomMode(QPdfView.ZoomMode.Custom)
        self.view.setZoomFactor(min(max(self.view.zoomFactor() * factor, 0.2), 6.0))

    # -- print, save, folder

    def render_to_printer(self, printer: QPrinter) -> int:
        """Print the shown document on the calling thread (tests, and small documents)."""
        return render_pdf_pages(self.document, printer)

    def print_document(self) -> None:
        """The system print dialog, then the pages rendered in a worker with progress and cancel."""
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(self.path.stem)
        first = self.document.pagePointSize(0) if self.page_count() else None
        if first is not None and first.width() > first.height():
            printer.setPageOrientation(QPageLayout.Orientation.Landscape)
        dialog = QPrintDialog(printer, self)
        dialog.setMinMax(1, max(1, self.page_count()))
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        self.print_in_background(printer)

    def print_in_background(self, printer: QPrinter) -> Op:
        path = self.path

        def op(progress: Progress, token: CancelToken) -> int:
            # ``printer`` is captured here, so it lives until the worker is done.
            return print_pdf_file(path, printer, progress=progress, cancel=token)

        return run_op(
            self,
            op,
            lambda pages: self.statusBar().showMessage(self.tr("%1 pages sent to the printer").replace("%1", str(pages))),
            progress=self.tr("Printing…"),
            total=max(1, self.page_count()),
            title=self.tr("Print"),
            error_title=self.tr("Printing failed"),
            pool="cpu",
        )

    def save_as(self) -> Path | None:
        """Save a copy elsewhere (a USB stick for the department head, a shared folder)."""
        target = messages.choose_save_file(self, self.tr("Save report as"), self.path, self.tr("PDF files (*.pdf)"), key="reports")
        if target is None:
            return None
        return self.copy_to(target)

    def copy_to(self, target: Path) -> Path | None:
        if target.suffix.lower() != ".pdf":
            target = target.with_suffix(".pdf")
        if target.resolve() == self.path.resolve():
            return target
        try:
            shutil.copyfile(self.path, target)
        except OSError as exc:
            messages.show_error(self, self.tr("The copy was not saved"), messages.file_error(exc, target))
            return None
        self.statusBar().showMessage(self.tr("Saved a copy as %1").replace("%1", str(target)))
        return target

    def open_folder(self) -> None:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.path.parent)))


# --------------------------------------------------------------------------- the dialog


class ReportDialog(QDialog):
    """Pick a report and its options, generate it in a worker, preview it.

    ``visit_id`` / ``institution_id`` preselect what the caller is looking at. ``library``
    is passed to the builders (tests give the fixture library; None loads the real one).
    """

    reportGenerated = Signal(str)  # path of the written PDF

    def __init__(
        self,
        db: Database,
        *,
        visit_id: str | None = None,
        institution_id: str | None = None,
        parent: QWidget | None = None,
        library: Library | None = None,
    ) -> None:
        super().__init__(parent)
        self.db = db
        self.library = library
        self.setWindowTitle(self.tr("Reports"))
        window_state.fit_to_screen(self, (940, 640))
        self.preview_window: PdfPreviewWindow | None = None
        self.last_path: Path | None = None
        self._process: ReportProcess | None = None
        self._op: Op | None = None
        self._auto_path = True
        self._folder = default_report_folder(db)

        if visit_id and not institution_id:
            institution_id = visits.get_visit(db, visit_id).institution_id
        self._institutions = institutions.list_institutions(db)

        layout = QHBoxLayout(self)
        layout.addWidget(self._build_kind_box())
        right = QVBoxLayout()
        right.addWidget(self._build_options_box(), 1)
        right.addWidget(self._build_output_box())
        self.status_label = QLabel()
        self.status_label.setWordWrap(True)
        right.addWidget(self.status_label)
        from ui.ledger_dialogs import add_ledger_buttons  # the ledger (.xlsx) and the notice (.docx)

        office_row = QHBoxLayout()
        self.office_buttons = add_ledger_buttons(
            office_row, self, lambda: (self.institution_combo.currentData(), self.visit_combo.currentData(), None),
            lambda: self.db, lambda: None)
        right.addLayout(office_row)
        buttons = QDialogButtonBox()
        self.generate_button = buttons.addButton(self.tr("Generate"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.generate_button.setDefault(True)
        self.close_button = buttons.addButton(self.tr("Close"), QDialogButtonBox.ButtonRole.RejectRole)
        for button in (self.generate_button, self.close_button):
            button.setMinimumHeight(TOUCH_HEIGHT)
            button.setMinimumWidth(120)
        self.generate_button.clicked.connect(self.generate)
        self.close_button.clicked.connect(self.reject)
        right.addWidget(buttons)
        layout.addLayout(right, 1)

        if institution_id:
            self.institution_combo.setCurrentIndex(max(0, self.institution_combo.findData(institution_id)))
            for i in range(self.summary_list.count()):
                item = self.summary_list.item(i)
                item.setCheckState(
                    Qt.CheckState.Checked if item.data(Qt.ItemDataRole.UserRole) == institution_id else Qt.CheckState.Unchecked
                )
        self._fill_visits()
        if visit_id:
            self.visit_combo.setCurrentIndex(max(0, self.visit_combo.findData(visit_id)))
        # Connected last: filling the combos above must not run handlers on half-built widgets.
        self.institution_combo.currentIndexChanged.connect(self._fill_visits)
        self.visit_combo.currentIndexChanged.connect(self._suggest_path)
        self.set_report_kind("rectification" if visit_id else ("followup" if institution_id else "summary"))

    # ----------------------------------------------------------------- building

    def _build_kind_box(self) -> QGroupBox:
        box = QGroupBox(self.tr("Report"))
        layout = QVBoxLayout(box)
        self.kind_group = QButtonGroup(self)
        self.kind_buttons: dict[str, QRadioButton] = {}
        texts = {
            "rectification": (
                self.tr("Rectification list"),
                self.tr("One visit's problems: who fixes what by when, with photos and basis."),
            ),
            "visit": (self.tr("Visit report"), self.tr("Scores, every answer, waiting times and floor plans of one visit.")),
            "followup": (
                self.tr("Follow-up report"),
                self.tr("Every rectification of an institution, overdue first, with before and after photos."),
            ),
            "summary": (
                self.tr("Inspection summary"),
                self.tr("Institutions side by side: ranking, frequent problems, monthly trend."),
            ),
        }
        for n, kind in enumerate(REPORT_KINDS):
            title, description = texts[kind]
            button = QRadioButton(title)
            button.setMinimumHeight(TOUCH_HEIGHT)
            font = button.font()
            font.setBold(True)
            button.setFont(font)
            self.kind_group.addButton(button, n)
            self.kind_buttons[kind] = button
            note = QLabel(description)
            note.setWordWrap(True)
            note.setIndent(26)
            note.setStyleSheet("color: #4b5563;")
            layout.addWidget(button)
            layout.addWidget(note)
            layout.addSpacing(6)
        layout.addStretch(1)
        self.kind_group.idToggled.connect(lambda _id, checked: self._kind_changed() if checked else None)
        box.setMinimumWidth(300)
        box.setMaximumWidth(360)
        return box

    def _build_options_box(self) -> QGroupBox:
        box = QGroupBox(self.tr("What to include"))
        form = QFormLayout(box)
        self.options_form = form

        self.institution_combo = QComboBox()
        for inst in self._institutions:
            self.institution_combo.addItem(inst.name, inst.id)
        self.visit_combo = QComboBox()
        for combo in (self.institution_combo, self.visit_combo):
            combo.setMinimumHeight(TOUCH_HEIGHT)
            combo.setMinimumWidth(320)

        self.open_only_check = QCheckBox(self.tr("Only items not yet verified"))
        self.by_department_check = QCheckBox(self.tr("One section per department (each starts on a new page)"))
        self.landscape_check = QCheckBox(self.tr("Landscape table (one row per problem)"))
        rect_options = QWidget()
        rect_layout = QVBoxLayout(rect_options)
        rect_layout.setContentsMargins(0, 0, 0, 0)
        for check in (self.open_only_check, self.by_department_check, self.landscape_check):
            check.setMinimumHeight(TOUCH_HEIGHT - 8)
            check.toggled.connect(self._suggest_path)
            rect_layout.addWidget(check)

        self.summary_list = QListWidget()
        self.summary_list.setObjectName("summaryInstitutions")
        self.summary_list.setMinimumHeight(120)
        for inst in self._institutions:
            item = QListWidgetItem(inst.name)
            item.setData(Qt.ItemDataRole.UserRole, inst.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked)
            item.setSizeHint(QSize(0, TOUCH_HEIGHT - 6))
            self.summary_list.addItem(item)
        self.summary_all_button = QPushButton(self.tr("All"))
        self.summary_none_button = QPushButton(self.tr("None"))
        self.summary_all_button.clicked.connect(lambda: self._check_all(True))
        self.summary_none_button.clicked.connect(lambda: self._check_all(False))
        summary_box = QWidget()
        summary_layout = QVBoxLayout(summary_box)
        summary_layout.setContentsMargins(0, 0, 0, 0)
        summary_layout.addWidget(self.summary_list)
        picks = QHBoxLayout()
        picks.addWidget(self.summary_all_button)
        picks.addWidget(self.summary_none_button)
        picks.addStretch(1)
        summary_layout.addLayout(picks)

        today = QDate.currentDate()
        self.from_check = QCheckBox(self.tr("From"))
        self.from_edit = self._date_edit(QDate(today.year(), 1, 1))
        self.to_check = QCheckBox(self.tr("To"))
        self.to_edit = self._date_edit(today)
        range_box = QWidget()
        range_layout = QHBoxLayout(range_box)
        range_layout.setContentsMargins(0, 0, 0, 0)
        for check, edit in ((self.from_check, self.from_edit), (self.to_check, self.to_edit)):
            edit.setEnabled(False)
            check.toggled.connect(edit.setEnabled)
            check.toggled.connect(self._suggest_path)
            edit.dateChanged.connect(self._suggest_path)
            range_layout.addWidget(check)
            range_layout.addWidget(edit)
        range_layout.addStretch(1)

        form.addRow(self.tr("Institution:"), self.institution_combo)
        form.addRow(self.tr("Visit:"), self.visit_combo)
        form.addRow(self.tr("Options:"), rect_options)
        form.addRow(self.tr("Institutions:"), summary_box)
        form.addRow(self.tr("Visit dates:"), range_box)
        self._rows = {
            "institution": self.institution_combo,
            "visit": self.visit_combo,
            "options": rect_options,
            "summary": summary_box,
            "range": range_box,
        }
        return box

    def _date_edit(self, value: QDate) -> QDateEdit:
        edit = QDateEdit(value)
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("yyyy-MM-dd")
        edit.setMinimumHeight(TOUCH_HEIGHT)
        return edit

    def _build_output_box(self) -> QGroupBox:
        box = QGroupBox(self.tr("Save to"))
        row = QHBoxLayout(box)
        self.path_edit = QLineEdit()
        self.path_edit.setMinimumHeight(TOUCH_HEIGHT)
        self.path_edit.textEdited.connect(lambda _t: setattr(self, "_auto_path", False))
        self.browse_button = QPushButton(self.tr("Browse…"))
        self.browse_button.setMinimumHeight(TOUCH_HEIGHT)
        self.browse_button.clicked.connect(self._browse)
        row.addWidget(self.path_edit, 1)
        row.addWidget(self.browse_button)
        return box

    # ----------------------------------------------------------------- state

    def report_kind(self) -> str:
        return REPORT_KINDS[max(0, self.kind_group.checkedId())]

    def set_report_kind(self, kind: str) -> None:
        self.kind_buttons[kind].setChecked(True)
        self._kind_changed()

    def _kind_changed(self) -> None:
        kind = self.report_kind()
        visible = {
            "institution": kind in ("rectification", "visit", "followup"),
            "visit": kind in ("rectification", "visit"),
            "options": kind == "rectification",
            "summary": kind == "summary",
            "range": kind == "summary",
        }
        for name, widget in self._rows.items():
            self.options_form.setRowVisible(widget, visible[name])
        self._suggest_path()

    def _check_all(self, checked: bool) -> None:
        state = Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked
        for i in range(self.summary_list.count()):
            self.summary_list.item(i).setCheckState(state)

    def _fill_visits(self) -> None:
        inst_id = self.institution_combo.currentData()
        self.visit_combo.blockSignals(True)
        self.visit_combo.clear()
        if inst_id:
            mode_text = {"self": self.tr("self experience"), "bureau": self.tr("bureau inspection")}
            for v in sorted(visits.list_visits(self.db, institution=inst_id), key=lambda v: v.visit_date, reverse=True):
                text = f"{v.visit_date.isoformat()} · {v.inspector} · {mode_text.get(v.mode, v.mode)}"
                if v.report_number:
                    text += f" · {v.report_number}"
                self.visit_combo.addItem(text, v.id)
        self.visit_combo.blockSignals(False)
        self._suggest_path()

    def selected_summary_institutions(self) -> list[str]:
        return [
            str(self.summary_list.item(i).data(Qt.ItemDataRole.UserRole))
            for i in range(self.summary_list.count())
            if self.summary_list.item(i).checkState() == Qt.CheckState.Checked
        ]

    def _date_range(self) -> tuple[date | None, date | None]:
        start = self.from_edit.date().toPython() if self.from_check.isChecked() else None
        end = self.to_edit.date().toPython() if self.to_check.isChecked() else None
        return start, end  # type: ignore[return-value]

    def default_file_name(self) -> str:
        """A name people recognise in a folder: kind, institution, date — in the user's language."""
        from auditapp.reports.file_names import report_file_name

        kind = self.report_kind()
        inst_name = self.institution_combo.currentText()
        if kind in ("rectification", "visit"):
            visit_id = self.visit_combo.currentData()
            info = visits.get_visit(self.db, visit_id) if visit_id else None
            rect = kind == "rectification"
            return report_file_name(
                kind, institution=inst_name, day=info.visit_date if info else None,
                by_department=rect and self.by_department_check.isChecked(),
                open_only=rect and self.open_only_check.isChecked(),
            )
        if kind == "followup":
            return report_file_name(kind, institution=inst_name, day=date.today())
        chosen = self.selected_summary_institutions()
        name = next((i.name for i in self._institutions if i.id == chosen[0]), "") if len(chosen) == 1 else ""
        start, end = self._date_range()
        return report_file_name(kind, institution=name, day=date.today(), start=start, end=end)

    def _suggest_path(self) -> None:
        if self._auto_path:
            self.path_edit.setText(str(unique_path(self._folder / self.default_file_name())))

    def _browse(self) -> None:
        current = self.path_edit.text() or str(self._folder / self.default_file_name())
        chosen = messages.choose_save_file(self, self.tr("Save report as"), current, self.tr("PDF files (*.pdf)"), key="reports")
        if chosen is not None:
            target = str(chosen)
            self._auto_path = False
            self._folder = chosen.parent
            self.path_edit.setText(target if target.lower().endswith(".pdf") else target + ".pdf")

    def output_path(self) -> Path:
        text = self.path_edit.text().strip()
        path = Path(text).expanduser() if text else self._folder / self.default_file_name()
        return path if path.suffix.lower() == ".pdf" else path.with_suffix(".pdf")

    # ----------------------------------------------------------------- generating

    def report_args(self) -> list[str]:
        """``auditapp report …`` arguments for the current choices (without the output).

        Raises UserMessage when something the report needs is not chosen.
        """
        kind = self.report_kind()
        if kind in ("rectification", "visit"):
            visit_id = self.visit_combo.currentData()
            if not visit_id:
                raise UserMessage(self.tr("Choose a visit first."), self.tr("This institution may have no visit yet."))
            if kind == "visit":
                return ["visit", visit_id]
            args = ["rectification", visit_id]
            if self.open_only_check.isChecked():
                args.append("--open-only")
            if self.by_department_check.isChecked():
                args.append("--by-department")
            if self.landscape_check.isChecked():
                args.append("--landscape")
            return args
        if kind == "followup":
            inst_id = self.institution_combo.currentData()
            if not inst_id:
                raise UserMessage(self.tr("Choose an institution first."))
            return ["followup", inst_id]
        chosen: Sequence[str] = self.selected_summary_institutions()
        if not chosen:
            raise UserMessage(self.tr("Choose at least one institution for the summary."))
        start, end = self._date_range()
        if start and end and start > end:
            raise UserMessage(self.tr("The start date is after the end date."))
        args = ["summary"]
        for inst_id in chosen:
            args += ["--institution", inst_id]
        if start:
            args += ["--from", start.isoformat()]
        if end:
            args += ["--to", end.isoformat()]
        return args

    def is_generating(self) -> bool:
        return self._process is not None

    def generate(self) -> ReportProcess | None:
        """Write the chosen report in a separate process behind a progress dialog; preview it."""
        if self._process is not None:
            return None
        out = self.output_path()
        try:
            args = self.report_args()
        except UserMessage as exc:
            messages.show_error(self, self.tr("Cannot generate the report"), exc)
            return None
        process = ReportProcess(out)
        self._process = process
        self.generate_button.setEnabled(False)
        self.status_label.setText(self.tr("Generating %1…").replace("%1", out.name))
        checklists = getattr(self.library, "directory", None)
        self._op = run_op(
            self,
            process.prepare(self.db.data_dir, args, checklists_dir=checklists),
            self._generated,
            progress=self.tr("Generating the report…"),
            title=self.tr("Reports"),
            error_title=self.tr("Cannot generate the report"),
            on_error=self._failed,
            on_cancelled=self._cancelled,
            on_finished=self._finished,
        )
        return process

    @property
    def _progress(self) -> ProgressDialog | None:
        """The progress dialog of the report being written (tests press its Cancel)."""
        return self._op.dialog if self._op is not None else None

    def cancel_generation(self) -> None:
        if self._op is not None:
            self._op.cancel()

    def _generated(self, written: ReportWritten) -> None:
        path, pages = str(written.path), written.pages
        self.last_path = written.path
        self.status_label.setText(self.tr("Written %1 (%2 pages).").replace("%1", path).replace("%2", str(pages)))
        # The next report goes to the same folder under a new name: it must not overwrite this one.
        self._folder = self.last_path.parent
        self._auto_path = True
        self._suggest_path()
        self.reportGenerated.emit(path)
        self.open_preview(self.last_path)

    def open_preview(self, path: Path) -> None:
        if not HAVE_QTPDF:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))
            return
        window = PdfPreviewWindow(path, self.parentWidget() or self)
        window.setWindowFlag(Qt.WindowType.Window)
        window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.preview_window = window
        # The report is what the user waited for: in front of this dialog, fitted to the screen.
        if window_state.is_small_screen(window_state.available_geometry(self)):
            window.showMaximized()
        else:
            window_state.fit_to_screen(window, (1000, 900))
            window.show()
        window.raise_()
        window.activateWindow()

    def _cancelled(self) -> None:
        self.status_label.setText(self.tr("Cancelled; no file was written."))

    def _failed(self, exc: BaseException) -> None:
        """The report command refused (its message and GUI hint); a crash never reaches here."""
        self.status_label.setText(self.tr("The report was not written."))
        messages.show_failure(self, self.tr("Cannot generate the report"), exc)

    def _finished(self) -> None:
        self._process = None
        self._op = None
        self.generate_button.setEnabled(True)
