"""The floor-plan panel: plans of one institution, their pins, the AED map beside them.

Pins are stored as fractions of the plan's width and height (see
``auditapp.services.floorplans``), so the view can zoom freely and the PDF puts them in
the same place.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import (
    QRectF,
    QSizeF,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import (
    QAction,
    QImage,
    QKeySequence,
    QPixmap,
    QUndoStack,
)
from PySide6.QtWidgets import (
    QDialog,
    QGraphicsPixmapItem,
    QGraphicsScene,
    QLabel,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from auditapp.db import Database
from auditapp.progress import CancelToken, Progress
from auditapp.services import floorplans
from auditapp.services.floorplans import FloorPlanInfo, PinInfo
from ui import messages
from ui.floorplan_view.aed_map import AedMapBox, AedRow
from ui.floorplan_view.controls import PinBar, PlanToolbar
from ui.floorplan_view.dialogs import PlanImportDialog, choose_plan_file
from ui.floorplan_view.pin_editing import PinEditing
from ui.floorplan_view.pin_item import PinItem
from ui.floorplan_view.pin_style import aed_status_text, kind_text, numbered, pin_colour
from ui.floorplan_view.plan_view import PlanView
from ui.workers import Op, run_op


class FloorPlanPanel(PinEditing):
    """Plans of one institution with their pins, the AED map beside them.

    In a visit (``visit_id`` given) the panel shows the building's pins (AEDs,
    facilities) plus the visit's problem pins; without a visit only the building's.
    Every change is saved at once through the floor-plan service and can be undone.
    """

    pinsChanged = Signal()
    plansChanged = Signal()
    planLoaded = Signal(str)  # plan id, once its image and pins are on screen

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.institution_id: str | None = None
        self.visit_id: str | None = None
        self.current_item_id: str | None = None
        self.editable = True
        self.undo_stack = QUndoStack(self)
        self._plans: list[FloorPlanInfo] = []
        self._images: dict[str, QImage] = {}
        self._loaded_plan_id: str | None = None
        self._load_token = 0
        self._pending_select: str | None = None
        self._pin_items: dict[str, PinItem] = {}
        self._retired: list[PinItem] = []

        self.scene = QGraphicsScene(self)
        self.pixmap_item = QGraphicsPixmapItem()
        self.pixmap_item.setTransformationMode(Qt.TransformationMode.SmoothTransformation)
        self.pixmap_item.setZValue(0)
        self.scene.addItem(self.pixmap_item)
        self.scene.selectionChanged.connect(self._selection_changed)
        self.view = PlanView(self.scene)
        self.view.setObjectName("planView")
        self.view.backgroundClicked.connect(self._background_clicked)
        self.view.pinMenuRequested.connect(self._show_pin_menu)
        self.view.backgroundMenuRequested.connect(self._show_background_menu)

        self.toolbar = PlanToolbar(self.undo_stack, self)
        self.toolbar.plan_combo.currentIndexChanged.connect(self._plan_selected)
        self.toolbar.import_button.clicked.connect(self.choose_and_import_plan)
        self.toolbar.zoom_out_button.clicked.connect(lambda _checked=False: self.view.zoom_by(0.8, False))
        self.toolbar.zoom_in_button.clicked.connect(lambda _checked=False: self.view.zoom_by(1.25, False))
        self.toolbar.fit_button.clicked.connect(self.fit_to_window)
        self.aed_box = AedMapBox(self)
        self.aed_box.pinChosen.connect(self.select_pin)
        self.pin_bar = PinBar(self)
        self.pin_bar.edit_button.clicked.connect(lambda: self._with_selected(self.edit_pin))
        self.pin_bar.link_button.clicked.connect(lambda: self._with_selected(self.link_pin_to_current_item))
        self.pin_bar.choose_link_button.clicked.connect(lambda: self._with_selected(self.choose_link))
        self.pin_bar.aed_problem_button.clicked.connect(lambda: self._with_selected(self.aed_to_finding))
        self.pin_bar.delete_button.clicked.connect(lambda: self._with_selected(self.delete_pin))
        # The widgets by their old names (tests, the runner and the pin actions use them).
        bar, pins = self.toolbar, self.pin_bar
        self.plan_combo, self.import_button, self.import_progress = bar.plan_combo, bar.import_button, bar.import_progress
        self.kind_group, self.kind_buttons, self.kind_label = bar.kind_group, bar.kind_buttons, bar.kind_label
        self.zoom_in_button, self.zoom_out_button, self.fit_button = bar.zoom_in_button, bar.zoom_out_button, bar.fit_button
        self.undo_button, self.redo_button = bar.undo_button, bar.redo_button
        self.aed_model, self.aed_table, self.aed_summary = self.aed_box.model, self.aed_box.table, self.aed_box.summary
        self.pin_info, self.edit_button, self.link_button = pins.pin_info, pins.edit_button, pins.link_button
        self.delete_button, self.choose_link_button = pins.delete_button, pins.choose_link_button
        self.aed_problem_button = pins.aed_problem_button
        self._build_actions()

        self.empty_label = QLabel(
            self.tr("No floor plan yet.") + "\n" + self.tr("Import a plan image (photo or scan) of this building.")
        )
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setWordWrap(True)
        self.loading_label = QLabel(self.tr("Loading floor plan…"))
        self.loading_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.empty_label)
        self.stack.addWidget(self.loading_label)
        self.stack.addWidget(self.view)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.stack, 1)
        left_layout.addWidget(self.pin_bar)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(left)
        self.splitter.addWidget(self.aed_box)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([760, 300])

        layout = QVBoxLayout(self)
        layout.addWidget(self.toolbar)
        layout.addWidget(self.splitter, 1)
        self._update_enabled()

    # ----------------------------------------------------------------- building

    def _build_actions(self) -> None:
        """Keyboard access: every mouse action has a key while the panel has focus."""

        def action(text: str, keys: list[QKeySequence | QKeySequence.StandardKey | str], slot: Callable[[], object]) -> QAction:
            act = QAction(text, self)
            act.setShortcuts([QKeySequence(k) for k in keys])
            act.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            act.triggered.connect(lambda _checked=False: slot())
            self.addAction(act)
            return act

        self.undo_action = action(self.tr("Undo"), [QKeySequence.StandardKey.Undo], self.undo_stack.undo)
        self.redo_action = action(self.tr("Redo"), [QKeySequence.StandardKey.Redo, "Ctrl+Shift+Z"], self.undo_stack.redo)
        action(self.tr("Zoom in"), [QKeySequence.StandardKey.ZoomIn, "Ctrl+="], lambda: self.view.zoom_by(1.25, False))
        action(self.tr("Zoom out"), [QKeySequence.StandardKey.ZoomOut], lambda: self.view.zoom_by(0.8, False))
        action(self.tr("Fit to window"), ["Ctrl+0"], self.fit_to_window)
        action(self.tr("Add pin in the middle of the view"), ["Insert", "Ctrl+N"], self._add_pin_at_view_centre)
        action(self.tr("Edit pin"), ["F2"], lambda: self._with_selected(self.edit_pin))
        action(self.tr("Delete pin"), [QKeySequence.StandardKey.Delete, "Backspace"], lambda: self._with_selected(self.delete_pin))
        def nudge(dx: int, dy: int) -> Callable[[], None]:
            return lambda: self._nudge_selected(dx, dy)

        for key, dx, dy in (("Left", -1, 0), ("Right", 1, 0), ("Up", 0, -1), ("Down", 0, 1)):
            action(self.tr("Nudge pin"), [f"Alt+{key}"], nudge(dx, dy))

    # ----------------------------------------------------------------- context

    def set_context(
        self,
        institution_id: str,
        visit_id: str | None = None,
        current_item_id: str | None = None,
        editable: bool = True,
    ) -> None:
        """Show the plans of ``institution_id``; problem pins go to ``visit_id``.

        ``current_item_id`` is the checklist item open beside the plan, the target of
        "Link to current item". ``editable`` is False for a finalized visit.
        """
        changed_place = institution_id != self.institution_id or visit_id != self.visit_id
        self.institution_id = institution_id
        self.visit_id = visit_id
        self.current_item_id = current_item_id
        self.editable = editable
        if changed_place:
            self.undo_stack.clear()
            self._images.clear()
        self.reload_plans()

    def set_current_item(self, item_id: str | None) -> None:
        """The runner calls this as the leader moves from item to item."""
        self.current_item_id = item_id
        self._update_enabled()

    def reload_plans(self, select_plan_id: str | None = None) -> None:
        keep = select_plan_id or self.current_plan_id()
        self._plans = floorplans.list_floor_plans(self.db, self.institution_id) if self.institution_id else []
        self.plan_combo.blockSignals(True)
        self.plan_combo.clear()
        for plan in self._plans:
            text = f"{plan.name}（{plan.floor}）" if plan.floor else plan.name
            self.plan_combo.addItem(text, plan.id)
        index = self.plan_combo.findData(keep) if keep else -1
        self.plan_combo.setCurrentIndex(index if index >= 0 else (0 if self._plans else -1))
        self.plan_combo.blockSignals(False)
        self._loaded_plan_id = None
        self._reload_aed_map()
        self._plan_selected()

    def current_plan_id(self) -> str | None:
        data = self.plan_combo.currentData()
        return str(data) if data else None

    def current_plan(self) -> FloorPlanInfo | None:
        pid = self.current_plan_id()
        return next((p for p in self._plans if p.id == pid), None)

    def select_plan(self, plan_id: str) -> None:
        index = self.plan_combo.findData(plan_id)
        if index >= 0:
            self.plan_combo.setCurrentIndex(index)

    def is_loaded(self) -> bool:
        """True when the selected plan's image and pins are on screen (tests wait for this)."""
        return self._loaded_plan_id is not None and self._loaded_plan_id == self.current_plan_id()

    # ----------------------------------------------------------------- loading

    def _plan_selected(self, _index: int = -1) -> None:
        plan = self.current_plan()
        self._clear_pins()
        if plan is None:
            self._loaded_plan_id = None
            self.pixmap_item.setPixmap(QPixmap())
            self.stack.setCurrentWidget(self.empty_label)
            self._update_enabled()
            return
        cached = self._images.get(plan.id)
        if cached is not None:
            self._show_plan(plan, cached)
            return
        self.stack.setCurrentWidget(self.loading_label)
        self._load_token += 1
        token, db, plan_id = self._load_token, self.db, plan.id
        unreadable = messages.UserMessage(self.tr("The floor plan image cannot be read."), self.tr("Import the plan again."))

        def load(_progress: Progress, _token: CancelToken) -> QImage:
            image = QImage.fromData(floorplans.plan_image(db, plan_id))
            if image.isNull():
                raise unreadable
            return image

        def loaded(image: QImage) -> None:
            if token != self._load_token:
                return  # another plan was chosen meanwhile
            self._images[plan_id] = image
            current = self.current_plan()
            if current is not None and current.id == plan_id:
                self._show_plan(current, image)

        # Decoding a 4096 px plan takes a noticeable moment: the CPU pool, not the GUI thread.
        run_op(self, load, loaded, title=self.tr("Cannot show the floor plan"), pool="cpu")
        self._update_enabled()

    def _show_plan(self, plan: FloorPlanInfo, image: QImage) -> None:
        self.pixmap_item.setPixmap(QPixmap.fromImage(image))
        size = self._plan_size(plan, image)
        # The stored plan size is what fractions refer to; scale the pixmap onto it if needed.
        if image.width() and abs(image.width() - size.width()) > 0.5:
            self.pixmap_item.setScale(size.width() / image.width())
        else:
            self.pixmap_item.setScale(1.0)
        self.stack.setCurrentWidget(self.view)
        self.view.set_plan_rect(QRectF(0, 0, size.width(), size.height()))
        self._loaded_plan_id = plan.id
        self._draw_pins()
        self._update_enabled()
        self.planLoaded.emit(plan.id)

    @staticmethod
    def _plan_size(plan: FloorPlanInfo, image: QImage) -> QSizeF:
        if plan.width > 0 and plan.height > 0:
            return QSizeF(plan.width, plan.height)
        return QSizeF(image.width(), image.height())

    def _visible_pins(self, plan_id: str) -> list[PinInfo]:
        if self.visit_id:
            return floorplans.list_pins(self.db, plan=plan_id, visit=self.visit_id)
        return [p for p in floorplans.list_pins(self.db, plan=plan_id) if p.visit_id is None]

    def _clear_pins(self) -> None:
        # A redraw may be triggered from inside a marker's own mouse handler (end of a
        # drag): keep the old markers alive until control is back in the event loop.
        for item in self._pin_items.values():
            self.scene.removeItem(item)
            self._retired.append(item)
        self._pin_items.clear()
        if self._retired:
            QTimer.singleShot(0, self._retired.clear)

    def _draw_pins(self) -> None:
        plan = self.current_plan()
        selected = self.selected_pin_id() or self._pending_select
        self._clear_pins()
        if plan is None or self._loaded_plan_id != plan.id:
            return
        size = QSizeF(self.pixmap_item.boundingRect().width() * self.pixmap_item.scale(),
                      self.pixmap_item.boundingRect().height() * self.pixmap_item.scale())
        for number, pin in numbered(self._visible_pins(plan.id)):
            item = PinItem(pin, number, size, editable=self.editable)
            item.moved.connect(self.move_pin)
            item.activated.connect(self.edit_pin)
            self.scene.addItem(item)
            self._pin_items[pin.id] = item
        if selected and selected in self._pin_items:
            self._pending_select = None
            self.select_pin(selected)
        self._selection_changed()

    def _reload_aed_map(self) -> None:
        rows: list[AedRow] = []
        if self.institution_id:
            for plan, pins in floorplans.aed_map(self.db, self.institution_id):
                rows += [AedRow(plan=plan, pin=pin, number=n) for n, pin in enumerate(pins, start=1)]
        self.aed_box.show_rows(rows)

    def _refresh_after_change(self) -> None:
        self._draw_pins()
        self._reload_aed_map()
        self.pinsChanged.emit()

    # ----------------------------------------------------------------- import

    def choose_and_import_plan(self) -> None:
        """File dialog, then name and floor, then the import in a worker."""
        if not self.institution_id:
            return
        path = choose_plan_file(self)
        if path is None:
            return
        dialog = PlanImportDialog(path, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        self.import_plan(path, name=dialog.name_edit.text(), floor=dialog.floor_edit.text())

    def import_plan(self, path: Path, *, name: str, floor: str = "") -> Op:
        """Import a plan image in the database worker (Pillow checks and shrinks it)."""
        if not self.institution_id:
            raise messages.UserMessage(self.tr("Choose an institution first."))
        db, institution_id = self.db, self.institution_id
        self.import_button.setEnabled(False)
        self.import_progress.show()

        def op(_progress: Progress, _token: CancelToken) -> FloorPlanInfo:
            return floorplans.add_floor_plan(db, institution_id, Path(path), name=name, floor=floor)

        def done(plan: FloorPlanInfo) -> None:
            if plan.institution_id == self.institution_id:
                self.reload_plans(select_plan_id=plan.id)
            self.plansChanged.emit()

        return run_op(self, op, done, title=self.tr("Cannot import the floor plan"), on_finished=self._import_finished)

    def _import_finished(self) -> None:
        self.import_progress.hide()
        self._update_enabled()


    # ----------------------------------------------------------------- pins: public helpers

    def fit_to_window(self) -> None:
        self.view.fit()

    # ----------------------------------------------------------------- internals

    def _selection_changed(self) -> None:
        pin_id = self.selected_pin_id()
        item = self._pin_items.get(pin_id) if pin_id else None
        if item is None:
            self.pin_info.setText(
                self.tr("Tap the plan to add a pin of the chosen kind. Drag a pin to move it; double-tap it to edit.")
                if self.editable
                else self.tr("This visit is finalized: the plan is read-only.")
            )
        else:
            parts = [f"<b>{item.number}</b>", kind_text(item.pin.kind)]
            parts.append(item.pin.label or self.tr("(no label)"))
            if item.pin.kind == "aed":
                parts.append(f"<span style='color:{pin_colour(item.pin).name()}'><b>{aed_status_text(item.pin.status)}</b></span>")
            if item.pin.answer_id:
                parts.append(self.tr("linked to an item"))
            self.pin_info.setText(" · ".join(parts))
            self.aed_box.show_selected(item.pin_id)
        self._update_enabled()

    def _update_enabled(self) -> None:
        pin_id = self.selected_pin_id()
        has_inst = self.institution_id is not None
        self.import_button.setEnabled(has_inst and self.editable and not self.import_progress.isVisible())
        self.plan_combo.setEnabled(bool(self._plans))
        self.kind_buttons["finding"].setEnabled(self.visit_id is not None)
        if self.visit_id is None and self.kind_buttons["finding"].isChecked():
            self.kind_buttons["aed"].setChecked(True)
        for kind_button in self.kind_buttons.values():
            kind_button.setVisible(self.editable)
        self.kind_label.setVisible(self.editable)
        for zoom_button in (self.zoom_in_button, self.zoom_out_button, self.fit_button):
            zoom_button.setEnabled(self.is_loaded())
        self.edit_button.setEnabled(pin_id is not None and self.editable)
        self.delete_button.setEnabled(pin_id is not None and self.editable)
        self.link_button.setEnabled(pin_id is not None and self._can_link(pin_id))
        self.link_button.setVisible(self.visit_id is not None)
        selected = self._pin_items.get(pin_id) if pin_id else None
        self.choose_link_button.setVisible(
            self.visit_id is not None and selected is not None and selected.pin.kind == "finding"
        )
        self.choose_link_button.setEnabled(self.editable)
        self.aed_problem_button.setVisible(self.visit_id is not None and selected is not None and selected.pin.kind == "aed")
        self.aed_problem_button.setEnabled(selected is not None and self._aed_problem(selected.pin))
        self.undo_button.setVisible(self.editable)
        self.redo_button.setVisible(self.editable)

