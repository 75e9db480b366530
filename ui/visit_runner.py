"""The visit runner: walk the patient's path, answer items by tap or key, photograph, time
the waits, pin the plan, and finalize.

Every edit goes through an undoable command that calls a service which commits at once;
the status bar says "saved" only after the service returned.
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QAction, QBrush, QColor, QKeyEvent, QKeySequence, QUndoStack
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QProgressBar,
    QSplitter,
    QTabWidget,
    QToolBar,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from auditapp.checklists import Library
from auditapp.db import Database
from auditapp.errors import AuditAppError, StaleEditError
from auditapp.services import institutions, visits
from auditapp.services.visits import ItemView, VisitDetail
from auditapp.terms import label
from ui import messages
from ui.dialogs import FreeFindingDialog, SourcePassageDialog
from ui.floorplan_view import FloorPlanPanel
from ui.item_panel import ItemPanel
from ui.journey_panel import JourneyPanel
from ui.notice_bar import NoticeBar
from ui.photos.strip import PhotoStrip
from ui.rectifications import RectificationsWidget
from ui.texts import checklist_title, localized, section_title, source_title
from ui.undo_commands import AnswerCommand, AnswerState, WriteContext, apply_state
from ui.window_state import remember_splitter

ITEM_ROLE = Qt.ItemDataRole.UserRole
MARKS = {"conform": "✔", "nonconform": "✘", "na": "—", None: "○"}
MARK_COLOURS = {"conform": "#2e7d32", "nonconform": "#c62828", "na": "#757575", None: "#9e9e9e"}


class _ItemTree(QTreeWidget):
    """Sections and items; typing does not jump around (digits answer the item instead)."""

    def keyboardSearch(self, search: str) -> None:  # noqa: N802 - Qt's name
        return


# Keys that walk the item list, item by item (never onto a section heading): Home and End
# go to the first and last item shown, wherever the focus is in the runner.
_MOVES = {Qt.Key.Key_Up: -1, Qt.Key.Key_Down: 1, Qt.Key.Key_Home: -1_000_000, Qt.Key.Key_End: 1_000_000}


class VisitRunner(QWidget):
    closed = Signal()
    saved = Signal(str)  # a short status text: "saved 14:03:22" or an error
    visitChanged = Signal()
    reportsRequested = Signal(str, str)  # visit id, institution id

    def __init__(self, db: Database, library: Library, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.library = library
        self.visit_id: str | None = None
        self.detail: VisitDetail | None = None
        self.views: dict[str, ItemView] = {}
        self.order: list[str] = []
        self.departments: list[str] = []
        self.undo_stack = QUndoStack(self)
        self.amendment_reason: str | None = None  # set while a finalized visit is being amended
        self._build_header()
        self._build_toolbar()
        self._build_item_list()
        self._build_item_page(db)
        self._build_side_tabs(db)
        self._build_layout()

    def _build_header(self) -> None:
        """The visit's title, its answered/problem counts and its progress bar."""
        self.title_label = QLabel()
        self.title_label.setObjectName("visitTitle")
        tfont = self.title_label.font()
        tfont.setPointSizeF(tfont.pointSizeF() * 1.25)
        tfont.setBold(True)
        self.title_label.setFont(tfont)
        self.progress_bar = QProgressBar()
        self.progress_bar.setObjectName("visitProgress")
        self.progress_bar.setMinimumWidth(140)
        self.progress_bar.setMaximumWidth(260)
        self.counts_label = QLabel()

    def _build_toolbar(self) -> None:
        """Home, undo/redo, another problem, reports, and finalize or amend."""
        self.toolbar = QToolBar()
        self.toolbar.setObjectName("runnerToolbar")
        self.back_action = self.toolbar.addAction(self.tr("◀ Home"), self.close_runner)
        self._build_undo_actions()
        self.toolbar.addAction(self.undo_action)
        self.toolbar.addAction(self.redo_action)
        self.finding_action = QAction(self.tr("+ Other problem"), self)
        self.finding_action.setShortcut(QKeySequence("Ctrl+N"))
        self.finding_action.triggered.connect(self.add_free_finding)
        self.toolbar.addAction(self.finding_action)
        self.report_action = self.toolbar.addAction(self.tr("Reports…"), self.open_reports)
        self.finalize_action = self.toolbar.addAction(self.tr("Finalize visit"), self.finalize)
        self.finalize_action.setObjectName("finalizeAction")
        # 修改（需说明原因）: the one way to change a finalized visit, asked once per opening.
        self.amend_action = self.toolbar.addAction(self.tr("Amend (reason required)…"), self.start_amendment)
        self.amend_action.setObjectName("amendAction")
        self.amend_action.setVisible(False)
        for action in (self.undo_action, self.redo_action, self.finding_action):
            self.addAction(action)

    def _build_undo_actions(self) -> None:
        """Undo and redo with fixed texts, enabled by the undo stack."""
        # Fixed texts: QUndoStack's own actions rename themselves ("Undo Note") after every
        # edit, which made every button to their right jump. What would be undone goes in
        # the tooltip instead.
        self.undo_action = QAction(self.tr("Undo"), self)
        self.undo_action.setObjectName("undoAction")
        self.undo_action.setShortcut(QKeySequence.StandardKey.Undo)
        self.undo_action.triggered.connect(self.undo_stack.undo)
        self.redo_action = QAction(self.tr("Redo"), self)
        self.redo_action.setObjectName("redoAction")
        self.redo_action.setShortcut(QKeySequence.StandardKey.Redo)
        self.redo_action.triggered.connect(self.undo_stack.redo)
        self.undo_stack.canUndoChanged.connect(self.undo_action.setEnabled)
        self.undo_stack.canRedoChanged.connect(self.redo_action.setEnabled)
        self.undo_stack.undoTextChanged.connect(
            lambda text: self.undo_action.setToolTip(self.tr("Undo: %1").replace("%1", text) if text else self.tr("Undo"))
        )
        self.undo_stack.redoTextChanged.connect(
            lambda text: self.redo_action.setToolTip(self.tr("Redo: %1").replace("%1", text) if text else self.tr("Redo"))
        )
        self.undo_action.setEnabled(False)
        self.redo_action.setEnabled(False)

    def _build_item_list(self) -> None:
        """The search box, the "open only" filter and the tree of sections and items."""
        self.search_edit = QLineEdit()
        self.search_edit.setObjectName("searchEdit")
        self.search_edit.setPlaceholderText(self.tr("Search items…"))
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.textChanged.connect(self._apply_filter)
        self.open_only_check = QAction(self.tr("Unanswered / problems only"), self)
        self.open_only_check.setCheckable(True)
        self.open_only_check.toggled.connect(lambda _on: self._apply_filter())
        self.filter_bar = QToolBar()
        self.filter_bar.addAction(self.open_only_check)

        self.tree = _ItemTree()
        self.tree.setObjectName("itemTree")
        self.tree.setHeaderHidden(True)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.currentItemChanged.connect(self._current_changed)
        # A click on an item means "show me this item"; arrow keys keep the current page
        # (e.g. to link pins on the plan to one item after another).
        self.tree.itemClicked.connect(lambda *_: self.side_tabs.setCurrentWidget(self.item_panel))
        self.tree.installEventFilter(self)

    def _build_item_page(self, db: Database) -> None:
        """The item page: answer, note, severity, department, basis, and the photo strip."""
        self.item_panel = ItemPanel(source_title=lambda short_name: source_title(self.library, short_name))
        self.item_panel.leaveRequested.connect(self.focus_list)
        self.item_panel.readOnlyAttempt.connect(self.explain_read_only)
        self.item_panel.answerRequested.connect(self.answer_current)
        self.item_panel.valueRequested.connect(self._value_requested)
        self.item_panel.noteEdited.connect(self._note_edited)
        self.item_panel.severityChosen.connect(lambda s: self._edit_current(severity=s))
        self.item_panel.departmentChosen.connect(lambda d: self._edit_current(department=d))
        self.item_panel.basisClicked.connect(self.show_basis)
        self.photo_strip = PhotoStrip(db)
        self.photo_strip.setObjectName("itemPhotos")
        self.photo_strip.photosChanged.connect(self._photos_changed)
        # ↑/↓ on a button or the photo strip would only hop focus to the next button
        # (Qt's default for push buttons); on the item page they walk the item list.
        self._arrow_widgets: set[QWidget] = {self.photo_strip, self.photo_strip.list}
        self._arrow_widgets.update(self.item_panel.findChildren(QAbstractButton))
        self._arrow_widgets.update(self.photo_strip.findChildren(QAbstractButton))
        for widget in self._arrow_widgets:
            widget.installEventFilter(self)
        self.item_panel.photo_container.addWidget(self.photo_strip)

    def _build_side_tabs(self, db: Database) -> None:
        """The journey timer, floor plans and rectifications beside the item page, one tab each."""
        self.journey_panel = JourneyPanel(db)
        self.journey_panel.changed.connect(lambda: self._saved())
        self.journey_panel.findingAdded.connect(self._problem_added)
        self.plan_panel = FloorPlanPanel(db)
        self.plan_panel.pinsChanged.connect(lambda: self._saved())
        self.plan_panel.findingAdded.connect(self._problem_added)
        self.rectifications = RectificationsWidget(db)
        self.rectifications.changed.connect(self._findings_changed)
        # One tab area beside the item list: on a 13-inch laptop each page gets the full
        # width instead of three cramped columns. Ctrl+1…4 switch pages.
        self.side_tabs = QTabWidget()
        self.side_tabs.setObjectName("runnerTabs")
        self.side_tabs.addTab(self.item_panel, self.tr("Checklist item"))
        self.side_tabs.addTab(self.journey_panel, self.tr("Journey timer"))
        self.side_tabs.addTab(self.plan_panel, self.tr("Floor plans / AED map"))
        self.side_tabs.addTab(self.rectifications, self.tr("Problems and rectification"))
        self._rectifications_stale = False
        self.side_tabs.currentChanged.connect(self._show_tab)
        for index in range(self.side_tabs.count()):
            action = QAction(self)
            action.setShortcut(QKeySequence(f"Ctrl+{index + 1}"))
            action.triggered.connect(lambda _=False, i=index: self.side_tabs.setCurrentIndex(i))
            self.addAction(action)

    def _build_layout(self) -> None:
        """The item list and the tabs in a remembered splitter, under the toolbar and header."""
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.search_edit)
        left_layout.addWidget(self.filter_bar)
        left_layout.addWidget(self.tree)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(self.side_tabs)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 5)
        splitter.setSizes([380, 900])
        splitter.setChildrenCollapsible(False)
        splitter.setObjectName("runnerSplitter")
        self.splitter = splitter
        remember_splitter(splitter, "runner")

        # Why a finalized visit does not change, with the way to change it (in place, not
        # a modal box on every key).
        self.notice = NoticeBar()
        self.notice.actionClicked.connect(self.start_amendment)

        header = QHBoxLayout()
        header.addWidget(self.title_label, 1)
        header.addWidget(self.counts_label)
        header.addWidget(self.progress_bar)
        layout = QVBoxLayout(self)
        layout.addWidget(self.toolbar)
        layout.addLayout(header)
        layout.addWidget(self.notice)
        layout.addWidget(splitter, 1)

    # -- loading -----------------------------------------------------------------

    @property
    def in_progress(self) -> bool:
        return self.detail is not None and self.detail.visit.status != "finalized"

    @property
    def editable(self) -> bool:
        """Answers and problems can change: a visit in progress, or one being amended."""
        return self.in_progress or (self.detail is not None and self.amendment_reason is not None)

    def write_context(self, item_id: str) -> WriteContext:
        """The version of the answer on screen, and the amendment's reason if any."""
        view = self.views.get(item_id)
        shown = view.answer.updated_at if view is not None and view.answer is not None else None
        return WriteContext(expected_updated_at=shown, amend_reason=self.amendment_reason)

    def open_visit(self, visit_id: str, *, keep_amendment: bool = False) -> None:
        if not (keep_amendment and visit_id == self.visit_id):
            self.amendment_reason = None
        self.visit_id = visit_id
        self.undo_stack.clear()
        self.detail = visits.visit_detail(self.db, visit_id)
        self.departments = [d.name for d in institutions.list_departments(self.db, self.detail.visit.institution_id)]
        self._build_tree()
        editable = self.editable
        self.finding_action.setEnabled(editable)
        self.finalize_action.setEnabled(self.in_progress)
        self.finalize_action.setVisible(self.in_progress)
        self.amend_action.setVisible(not self.in_progress and self.amendment_reason is None)
        self._show_read_only_notice()
        # Timer, photos and pins of a finalized visit stay as they were recorded.
        self.journey_panel.set_visit(visit_id, editable=self.in_progress)
        self.rectifications.amendment_reason = self.amendment_reason
        self.rectifications.set_scope(visit_id=visit_id)
        self._update_plan_context()
        first = self._first_unanswered() or (self.order[0] if self.order else None)
        if first:
            self.select_item(first)
        else:
            self.item_panel.show_item(None, "", self.departments, editable=editable)
        self._update_header()

    def _build_tree(self) -> None:
        """Items in exactly the order the service gives (the template's patient path).

        A section heading starts wherever the section changes, so a path that comes back
        to an area (or mixes checklists) is shown as walked, never regrouped or re-sorted.
        """
        assert self.detail is not None
        self.tree.blockSignals(True)
        self.tree.clear()
        self.views = {}
        self.order = []
        self._section_nodes: dict[int, QTreeWidgetItem] = {}
        self._section_titles: dict[int, str] = {}
        self._item_nodes: dict[str, QTreeWidgetItem] = {}
        section: QTreeWidgetItem | None = None
        previous: tuple[str, str] | None = None
        for view in self.detail.items:
            key = (view.checklist_id, view.section_id)
            if section is None or key != previous:
                title = section_title(self.library, view.checklist_id, view.section_id, view.section_title)
                prefix = checklist_title(self.library, view.checklist_id) if view.checklist_id in self.library.checklists else ""
                section = QTreeWidgetItem([f"{prefix} · {title}" if prefix else title])
                section.setFlags(section.flags() & ~Qt.ItemFlag.ItemIsSelectable)
                sfont = section.font(0)
                sfont.setBold(True)
                section.setFont(0, sfont)
                self.tree.addTopLevelItem(section)
                section.setExpanded(True)
                number = len(self._section_nodes)
                self._section_nodes[number] = section
                self._section_titles[number] = section.text(0)
                previous = key
            node = QTreeWidgetItem(section)
            node.setData(0, ITEM_ROLE, view.item.id)
            self._item_nodes[view.item.id] = node
            self.views[view.item.id] = view
            self.order.append(view.item.id)
            self._paint_node(view)
        self._paint_sections()
        self.tree.blockSignals(False)

    def _question(self, view: ItemView) -> str:
        return localized(view.item.question, view.item.question_en)

    def _paint_node(self, view: ItemView) -> None:
        node = self._item_nodes[view.item.id]
        result = view.answer.result if view.answer else None
        flag = "  ⚠" + self.tr("photo") if view.needs_photo else ""
        node.setText(0, f"{MARKS[result]} {self._question(view)}{flag}")
        node.setForeground(0, QBrush(QColor(MARK_COLOURS[result])))
        node.setToolTip(0, self._question(view))

    def _paint_sections(self) -> None:
        for number, section in self._section_nodes.items():
            views = [self.views[section.child(i).data(0, ITEM_ROLE)] for i in range(section.childCount())]
            answered = sum(1 for v in views if v.answer and v.answer.result)
            problems = sum(1 for v in views if v.answer and v.answer.result == "nonconform")
            base = self._section_titles[number]
            section.setText(0, f"{base}  ({answered}/{len(views)}" + (f", ✘{problems})" if problems else ")"))

    def _update_header(self) -> None:
        if self.detail is None:
            return
        v = self.detail.visit
        # The vocabulary's words (已定稿, 院内自查 …), the same as lists and reports use.
        mode = label("visit_mode", v.mode)
        status = label("visit_status", v.status)
        if self.amendment_reason is not None:
            status += " · " + self.tr("being amended: %1").replace("%1", self.amendment_reason)
        elif v.amended:
            status += " · " + self.tr("amended")
        self.title_label.setText(f"{v.institution_name} · {v.visit_date.isoformat()} · {mode} · {v.inspector} · {status}")
        total = len(self.views)
        answered = sum(1 for view in self.views.values() if view.answer and view.answer.result)
        problems = sum(1 for view in self.views.values() if view.answer and view.answer.result == "nonconform")
        missing = sum(1 for view in self.views.values() if view.needs_photo)
        free = sum(1 for f in self.detail.findings if f.source == "free")
        self.progress_bar.setRange(0, max(total, 1))
        self.progress_bar.setValue(answered)
        self.progress_bar.setFormat(f"{answered}/{total}")
        text = self.tr("Problems: %1 · other: %2").replace("%1", str(problems)).replace("%2", str(free))
        if missing:
            text += " · " + self.tr("photos missing: %1").replace("%1", str(missing))
        self.counts_label.setText(text)

    def _update_plan_context(self) -> None:
        if self.detail is None:
            return
        self.plan_panel.set_context(
            self.detail.visit.institution_id,
            self.visit_id,
            current_item_id=self.item_panel.current_item_id(),
            editable=self.in_progress,
        )

    # -- navigation --------------------------------------------------------------

    def current_item_id(self) -> str | None:
        return self.item_panel.current_item_id()

    def select_item(self, item_id: str) -> None:
        node = self._item_nodes.get(item_id)
        if node is not None:
            self.tree.setCurrentItem(node)

    def _first_unanswered(self) -> str | None:
        return next((i for i in self.order if not (self.views[i].answer and self.views[i].answer.result)), None)

    def _current_changed(self, current: QTreeWidgetItem | None, _previous: QTreeWidgetItem | None) -> None:
        if current is None:
            return
        item_id = current.data(0, ITEM_ROLE)
        if item_id is None:  # a section header: step into its first item
            if current.childCount():
                self.tree.setCurrentItem(current.child(0))
            return
        self._show(item_id)

    def _show(self, item_id: str) -> None:
        view = self.views[item_id]
        section = section_title(self.library, view.checklist_id, view.section_id, view.section_title)
        position = f"{self.order.index(item_id) + 1} / {len(self.order)} · {section}"
        self.item_panel.show_item(view, position, self.departments, editable=self.editable)
        self.photo_strip.set_target(self.visit_id, item_id=item_id, editable=self.in_progress)
        self.plan_panel.set_context(
            self.detail.visit.institution_id if self.detail else "",
            self.visit_id,
            current_item_id=item_id,
            editable=self.in_progress,
        )

    def move(self, step: int) -> None:
        """``step`` items on among those shown (clamped: a large step goes to the first or last)."""
        current = self.current_item_id()
        visible = [i for i in self.order if not self._item_nodes[i].isHidden()]
        if not visible:
            return
        if current not in visible:
            self.select_item(visible[0])
            return
        index = max(0, min(len(visible) - 1, visible.index(current) + step))
        self.select_item(visible[index])

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.KeyPress:
            return super().eventFilter(watched, event)
        assert isinstance(event, QKeyEvent)
        plain = not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        if watched is self.tree:
            if event.matches(QKeySequence.StandardKey.Paste):
                # Ctrl+V while walking the list: the picture goes to the current item.
                if self.in_progress:
                    self.photo_strip.paste()
                else:
                    self.explain_read_only()
                return True
            # ↑/↓ move item by item; the tree's own navigation would stop on a section
            # heading (which steps back into its first item) and never get past it.
            if plain and event.key() in _MOVES:
                self.move(_MOVES[Qt.Key(event.key())])
                return True
            if self.handle_key(event.key()):
                return True
        elif watched in self._arrow_widgets and plain and event.key() in (Qt.Key.Key_Up, Qt.Key.Key_Down):
            # The strip scrolls sideways and buttons have no "down": the keys belong to the list.
            self.focus_list()
            self.move(-1 if event.key() == Qt.Key.Key_Up else 1)
            return True
        return super().eventFilter(watched, event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Keys no child used (a button, a label, the photo strip) still walk the list."""
        if event.key() in _MOVES and not event.modifiers():
            self.focus_list()
            self.move(_MOVES[Qt.Key(event.key())])
            return
        focus = QApplication.focusWidget()
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and isinstance(
            focus, (QLineEdit, QComboBox, QAbstractSpinBox, QPlainTextEdit)
        ):
            # Enter confirms the field (a department typed in), it does not leave the item.
            super().keyPressEvent(event)
            return
        if not self.handle_key(event.key()):
            super().keyPressEvent(event)

    def handle_key(self, key: int) -> bool:
        """1/2/3 answer, Enter goes to the next item."""
        results = {Qt.Key.Key_1: "conform", Qt.Key.Key_2: "nonconform", Qt.Key.Key_3: "na"}
        if key in results:
            if self.editable:
                self.answer_current(results[Qt.Key(key)])
            else:
                self.explain_read_only()
            return True
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.move(1)
            return True
        return False

    def focus_list(self) -> None:
        """Back to the item list (Esc from the note, the photo strip or any field)."""
        self.item_panel.flush_note()
        self.tree.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def explain_read_only(self) -> None:
        """A key or click on a finalized visit: say why nothing changed, offer the amendment.

        In the bar above the list, not in a modal box: the focus stays where it was, and
        a leader who typed three letters into the note is told once, not three times.
        """
        if self.detail is None or self.editable:
            return
        self.notice.show_message(
            self.tr("This visit is finalized, so that change was not made. "
                    "Changes to a finalized visit need a reason and are logged."),
            level="warning",
            action=self.amend_action.text(),
        )

    def _show_read_only_notice(self) -> None:
        """The calm form of the bar, shown whenever a finalized visit is open."""
        if self.detail is not None and not self.editable:
            self.notice.show_message(
                self.tr("This visit is finalized and read-only. Changes need a reason and are logged."),
                action=self.amend_action.text(),
            )
        else:
            self.notice.hide()

    def start_amendment(self) -> bool:
        """修改（需说明原因）: ask the reason once, then answers and problems can change."""
        from ui.dialogs import AmendReasonDialog

        if self.visit_id is None or self.detail is None or self.in_progress:
            return False
        self.item_panel.flush_note()
        dialog = AmendReasonDialog(self.db, self.visit_id, self)
        if dialog.exec() != QDialog.DialogCode.Accepted or dialog.result_info is None:
            return False
        current = self.current_item_id()
        self.amendment_reason = dialog.result_info.reason
        self.open_visit(self.visit_id, keep_amendment=True)
        if current:
            self.select_item(current)
        self.focus_list()
        self._saved()
        return True

    def _apply_filter(self) -> None:
        needle = self.search_edit.text().strip().lower()
        only_open = self.open_only_check.isChecked()
        for item_id, node in self._item_nodes.items():
            view = self.views[item_id]
            text = " ".join([view.item.question, view.item.question_en, view.item.id, view.item.guidance,
                             *(f"{b.source} {b.clause}" for b in view.item.basis)]).lower()
            hide = bool(needle) and needle not in text
            result = view.answer.result if view.answer else None
            if only_open and result not in (None, "nonconform"):
                hide = True
            node.setHidden(hide)
        for section in self._section_nodes.values():
            section.setHidden(all(section.child(i).isHidden() for i in range(section.childCount())))

    # -- editing -----------------------------------------------------------------

    def _push(self, after: AnswerState | None, text: str, *, merge_key: str | None = None) -> bool:
        """Apply one edit through the service and put it on the undo stack; False if refused."""
        item_id = self.current_item_id()
        if item_id is None or self.visit_id is None:
            return False
        if not self.editable:
            self.explain_read_only()
            return False
        before = AnswerState.of(self.views[item_id].answer)
        try:
            apply_state(self.db, self.visit_id, item_id, after, self.write_context(item_id))
        except StaleEditError as exc:
            self._stale_edit(item_id, exc)
            return False
        except AuditAppError as exc:
            self._item_changed(item_id)  # show what is really stored
            self._command_failed(exc)  # last, so the status says "not saved"
            return False
        self.undo_stack.push(
            AnswerCommand(
                self.db,
                self.visit_id,
                item_id,
                before,
                after,
                text,
                self._item_changed,
                merge_key=merge_key,
                on_error=self._command_failed,
                already_applied=True,
                context=self.write_context,
            )
        )
        return True

    def _stale_edit(self, item_id: str, exc: StaleEditError) -> None:
        """Someone else (the command line, a sync) changed this answer since it was shown.

        Nothing is overwritten: the newer answer is loaded and shown, and what the user
        typed but could not save stays in the note box, beside the saved text, so that
        they decide which one to keep.
        """
        assert self.visit_id is not None
        shown = self.views[item_id].answer
        typed = self.item_panel.note_edit.toPlainText() if self.current_item_id() == item_id else None
        self._item_changed(item_id, mark_saved=False)
        stored = self.views[item_id].answer
        stored_note = stored.note if stored else ""
        if typed is not None and typed != stored_note and typed != (shown.note if shown else ""):
            self.item_panel.keep_unsaved_note(typed, stored_note)
        self.saved.emit(self.tr("Not saved"))
        hint = messages.gui_hint(exc)
        kept = self.tr("The newer version is now shown. Nothing you typed is lost: check it and change it again if needed.")
        messages.show_warning(
            self, self.tr("Changed elsewhere"), exc.message(), f"{hint}\n{kept}" if hint else kept
        )

    def _command_failed(self, exc: AuditAppError) -> None:
        self.saved.emit(self.tr("Not saved"))
        if isinstance(exc, StaleEditError):  # an undo or redo met a newer answer: shown, not overwritten
            kept = self.tr("The newer version is now shown. Nothing you typed is lost: check it and change it again if needed.")
            messages.show_warning(self, self.tr("Changed elsewhere"), exc.message(), kept)
            return
        messages.show_error(self, self.tr("The answer was not saved"), exc)

    def _state(self, **changes: str | None) -> AnswerState:
        item_id = self.current_item_id()
        assert item_id is not None
        view = self.views[item_id]
        base = AnswerState.of(view.answer) or AnswerState(None, "", "", view.item.severity, view.item.department)
        values = {**base.__dict__, **changes}
        return AnswerState(**values)  # type: ignore[arg-type]

    def answer_current(self, result: str) -> None:
        if self.current_item_id() is None:
            return
        labels = {"conform": self.tr("Conform"), "nonconform": self.tr("Nonconform"), "na": self.tr("Not applicable")}
        if not self._push(self._state(result=result), labels[result]):
            return
        view = self.views.get(self.current_item_id() or "")
        # Move on after a conforming or n/a answer; stay on a problem to describe and
        # photograph it, with the cursor in the note so typing goes there.
        if result != "nonconform" and view is not None:
            self.move(1)
        elif result == "nonconform":
            self.side_tabs.setCurrentWidget(self.item_panel)
            self.item_panel.focus_note()

    def _value_requested(self, value: str) -> None:
        item = self.views[self.current_item_id() or ""].item
        try:
            result = item.response.evaluate(value)
        except ValueError:
            refusal = (
                self.tr("“%1” is not one of the options of this item.")
                if item.response.type == "choice"
                else self.tr("“%1” is not a number.")
            ).replace("%1", value)
            messages.show_error(self, self.tr("The value was not saved"), messages.UserMessage(refusal))
            return
        current = self.views[item.id].answer
        self._push(self._state(value=value, result=result or (current.result if current else None)), self.tr("Value"))

    def _note_edited(self, text: str) -> None:
        self._push(self._state(note=text), self.tr("Note"), merge_key="note")

    def _edit_current(self, *, severity: str | None = None, department: str | None = None) -> None:
        changes: dict[str, str | None] = {}
        if severity is not None:
            changes["severity"] = severity
        if department is not None:
            changes["department"] = department
            if department not in self.departments:
                self.departments.append(department)
        self._push(self._state(**changes), self.tr("Details"))

    def _item_changed(self, item_id: str, *, mark_saved: bool = True) -> None:
        """Refresh after a command ran (also on undo/redo, possibly for another item)."""
        assert self.visit_id is not None
        # One item, not the whole visit: this runs on every keypress.
        self.views[item_id] = visits.item_view(self.db, self.visit_id, item_id)
        self._paint_node(self.views[item_id])
        self._paint_sections()
        self._update_header()
        if self.current_item_id() == item_id:
            self.item_panel.show_item(
                self.views[item_id],
                self.item_panel.position_label.text(),
                self.departments,
                editable=self.editable,
            )
        elif self.undo_stack.isClean() is False and item_id in self._item_nodes:
            self.select_item(item_id)
        self._refresh_rectifications()
        if mark_saved:
            self._saved()

    def _show_tab(self, _index: int) -> None:
        if self._rectifications_stale and self.side_tabs.currentWidget() is self.rectifications:
            self._refresh_rectifications()

    def _refresh_rectifications(self, *_: object) -> None:
        """The problem list reloads when it is shown, not after every answer behind it."""
        self._rectifications_stale = True
        if self.visit_id is not None and self.side_tabs.currentWidget() is self.rectifications:
            self._rectifications_stale = False
            self.rectifications.set_scope(visit_id=self.visit_id)

    def _photos_changed(self) -> None:
        item_id = self.current_item_id()
        if item_id is not None:
            self._item_changed(item_id)
        # After adding or removing a photo the keys belong to the list again (↑/↓, 1/2/3).
        focus = QApplication.focusWidget()
        if focus is not None and (focus is self.photo_strip or self.photo_strip.isAncestorOf(focus)):
            self.focus_list()

    def _findings_changed(self) -> None:
        if self.visit_id is None:
            return
        self.detail = visits.visit_detail(self.db, self.visit_id)
        self._update_header()
        self._saved()

    def _problem_added(self, _finding_id: str) -> None:
        """A wait or an AED became a problem: it may have answered an item too, so reload
        the visit where the user is (item, tab)."""
        if self.visit_id is None:
            return
        current, tab = self.current_item_id(), self.side_tabs.currentIndex()
        self.open_visit(self.visit_id, keep_amendment=True)
        if current:
            self.select_item(current)
        self.side_tabs.setCurrentIndex(tab)
        self._saved()

    def _saved(self) -> None:
        self.saved.emit(self.tr("Saved %1").replace("%1", datetime.now().strftime("%H:%M:%S")))
        self.visitChanged.emit()

    def show_basis(self, index: int) -> None:
        item_id = self.current_item_id()
        if item_id is None:
            return
        basis = self.views[item_id].item.basis[index]
        document = self.library.sources.get(basis.source)
        if document is None:
            messages.show_info(self, self.tr("Basis"), f"{basis.source} {basis.clause}：{basis.quote}")
            return
        SourcePassageDialog(document, basis.quote, basis.clause, self).exec()

    def add_free_finding(self) -> None:
        if self.visit_id is None:
            return
        if not self.editable:
            self.explain_read_only()
            if not self.editable:
                return
        dialog = FreeFindingDialog(self.db, self.visit_id, self.departments, self, amendment_reason=self.amendment_reason)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self._findings_changed()
            self.rectifications.set_scope(visit_id=self.visit_id)
            self.side_tabs.setCurrentWidget(self.rectifications)
            if dialog.result_info is not None:
                # The new problem, selected: its department, deadline and photos are next.
                self.rectifications.select_finding(dialog.result_info.id)
            self.rectifications.table.setFocus()

    def open_reports(self) -> None:
        """The main window opens the (non-modal) Reports dialog for this visit."""
        self.item_panel.flush_note()
        if self.visit_id is None or self.detail is None:
            return
        self.reportsRequested.emit(self.visit_id, self.detail.visit.institution_id)

    def finalize(self) -> None:
        if self.visit_id is None or not self.editable:
            return
        self.item_panel.flush_note()
        assert self.detail is not None
        unanswered = sum(1 for v in self.views.values() if not (v.answer and v.answer.result))
        missing = sum(1 for v in self.views.values() if v.needs_photo)
        text = self.tr("After finalizing, the visit is read-only; changes need a reason and are logged.")
        if unanswered or missing:
            text += "\n\n" + self.tr("Unanswered items: %1. Problems without the required photo: %2.").replace(
                "%1", str(unanswered)
            ).replace("%2", str(missing))
        if not messages.ask_yes_no(self, self.tr("Finalize visit"), text):
            return
        self.finalize_now()

    def finalize_now(self) -> None:
        assert self.visit_id is not None
        try:
            visits.finalize_visit(self.db, self.visit_id)
        except AuditAppError as exc:
            messages.show_error(self, self.tr("Cannot finalize"), exc)
            return
        self.open_visit(self.visit_id)
        # The Finalize button is disabled now: without this the focus lands in the search
        # box and the next key (a "2") filters the list instead of saying what happened.
        self.focus_list()
        self._saved()

    def close_runner(self) -> None:
        self.item_panel.flush_note()
        self.closed.emit()
