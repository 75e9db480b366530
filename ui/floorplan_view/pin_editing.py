"""Pin editing of the floor-plan panel: the actions on pins, their menus and undo."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import (
    QCoreApplication,
    QPoint,
    QPointF,
    Signal,
)
from PySide6.QtGui import (
    QUndoCommand,
    QUndoStack,
)
from PySide6.QtWidgets import (
    QDialog,
    QGraphicsScene,
    QMenu,
    QToolButton,
    QWidget,
)

from auditapp.db import Database
from auditapp.errors import AuditAppError
from auditapp.services import floorplans
from auditapp.services.floorplans import FloorPlanInfo, PinInfo
from auditapp.services.pin_kinds import AED_STATUSES
from ui import messages
from ui.floorplan_view.aed_map import AedMapModel
from ui.floorplan_view.controls import PlanToolbar
from ui.floorplan_view.dialogs import LinkChooserDialog, PinEditDialog
from ui.floorplan_view.pin_item import PinItem
from ui.floorplan_view.pin_style import aed_status_text, kind_text
from ui.floorplan_view.plan_view import PlanView


class _PinCommand(QUndoCommand):
    """One pin action on the undo stack.

    The action is performed before the command is pushed (so a failure never lands on
    the stack); the first ``redo()`` that ``push()`` calls is therefore skipped.
    """

    def __init__(self, panel: PinEditing, text: str, undo: Callable[[], object], redo: Callable[[], object]) -> None:
        super().__init__(text)
        self._panel = panel
        self._undo, self._redo = undo, redo
        self._first = True

    def redo(self) -> None:
        if self._first:
            self._first = False
            return
        self._panel._run_undoable(self._redo)

    def undo(self) -> None:
        self._panel._run_undoable(self._undo)


# --------------------------------------------------------------------------- the panel


class PinEditing(QWidget):
    """Placing, moving, checking, linking and deleting pins, each saved at once and undoable.

    The base of :class:`~ui.floorplan_view.panel.FloorPlanPanel`, which provides the plan
    on screen (``current_plan``, ``is_loaded``, ``_draw_pins``, ``_refresh_after_change``)
    and the widgets named below. Its words are in the panel's translation context
    (``self.tr`` would look them up under the runtime class, FloorPlanPanel, while the
    translation tool files them under this class).
    """

    findingAdded = Signal(str)  # an AED found faulty became this problem

    # Set by the panel's __init__.
    db: Database
    visit_id: str | None
    current_item_id: str | None
    editable: bool
    undo_stack: QUndoStack
    scene: QGraphicsScene
    view: PlanView
    toolbar: PlanToolbar
    kind_buttons: dict[str, QToolButton]
    aed_model: AedMapModel
    link_dialog: LinkChooserDialog
    _pin_items: dict[str, PinItem]
    _pending_select: str | None

    # What the panel provides: the plan on screen.
    def current_plan(self) -> FloorPlanInfo | None:
        raise NotImplementedError

    def current_plan_id(self) -> str | None:
        raise NotImplementedError

    def select_plan(self, plan_id: str) -> None:
        raise NotImplementedError

    def is_loaded(self) -> bool:
        raise NotImplementedError

    def fit_to_window(self) -> None:
        raise NotImplementedError

    def _draw_pins(self) -> None:
        raise NotImplementedError

    def _refresh_after_change(self) -> None:
        raise NotImplementedError

    def pin_kind(self) -> str:
        return self.toolbar.pin_kind()

    def set_pin_kind(self, kind: str) -> None:
        self.kind_buttons[kind].setChecked(True)

    def pin_items(self) -> list[PinItem]:
        """The markers on screen, in number order."""
        return sorted(self._pin_items.values(), key=lambda item: item.number)

    def pin_item(self, pin_id: str) -> PinItem | None:
        return self._pin_items.get(pin_id)

    def selected_pin_id(self) -> str | None:
        for item in self.scene.selectedItems():
            if isinstance(item, PinItem):
                return item.pin_id
        return None

    def select_pin(self, pin_id: str) -> None:
        """Select a pin, switching plans if needed, and bring it into view."""
        item = self._pin_items.get(pin_id)
        if item is None:
            row = self.aed_model.row_of_pin(pin_id)
            if row >= 0 and self.aed_model.row_at(row).plan.id != self.current_plan_id():
                self._pending_select = pin_id
                self.select_plan(self.aed_model.row_at(row).plan.id)
            return
        self.scene.clearSelection()
        item.setSelected(True)
        self.view.ensureVisible(item, 80, 80)

    def add_pin_at(self, fx: float, fy: float) -> str:
        """Place a pin of the chosen kind at fractions of the plan; returns the new pin's id."""
        plan = self.current_plan()
        if plan is None:
            raise messages.UserMessage(QCoreApplication.translate("FloorPlanPanel", "Import a floor plan first."))
        kind = self.pin_kind()
        visit = self.visit_id if kind == "finding" else None
        if kind == "finding" and visit is None:
            raise messages.UserMessage(
                QCoreApplication.translate("FloorPlanPanel", "A problem pin belongs to a visit."),
                QCoreApplication.translate("FloorPlanPanel", "Open the plan from a visit to mark problems."),
            )
        fx, fy = min(max(fx, 0.0), 1.0), min(max(fy, 0.0), 1.0)
        pin = floorplans.add_pin(self.db, plan.id, kind=kind, x=fx, y=fy, visit=visit)
        db, pin_id = self.db, pin.id
        self.undo_stack.push(
            _PinCommand(
                self,
                QCoreApplication.translate("FloorPlanPanel", "Add pin"),
                undo=lambda: floorplans.delete_pin(db, pin_id),
                redo=lambda: floorplans.restore_pin(db, pin_id),
            )
        )
        self._pending_select = pin.id
        self.scene.clearSelection()
        self._refresh_after_change()
        return pin.id

    def move_pin(self, pin_id: str, fx: float, fy: float) -> None:
        old = self._pin_items.get(pin_id)
        before = (old.pin.x, old.pin.y) if old is not None else None
        fx, fy = min(max(fx, 0.0), 1.0), min(max(fy, 0.0), 1.0)
        text = QCoreApplication.translate("FloorPlanPanel", "Move pin")
        self._update(pin_id, text, {"x": fx, "y": fy}, {"x": before[0], "y": before[1]} if before else None)

    def set_pin_label(self, pin_id: str, label: str) -> None:
        old = self._pin_items.get(pin_id)
        text = QCoreApplication.translate("FloorPlanPanel", "Rename pin")
        self._update(pin_id, text, {"label": label}, {"label": old.pin.label} if old else None)

    def set_pin_status(self, pin_id: str, status: str) -> None:
        """Record the AED's checked status (正常/故障/未找到/被遮挡)."""
        old = self._pin_items.get(pin_id)
        text = QCoreApplication.translate("FloorPlanPanel", "Check AED")
        self._update(pin_id, text, {"status": status}, {"status": old.pin.status} if old else None)

    def link_pin_to_current_item(self, pin_id: str) -> None:
        """Tie a problem pin to the checklist item open beside the plan (not undoable: the service cannot unlink)."""
        if not self._can_link(pin_id):
            return
        self._call(lambda: floorplans.update_pin(self.db, pin_id, visit=self.visit_id, item_id=self.current_item_id))

    def choose_link(self, pin_id: str) -> bool:
        """Link a problem pin to any item or problem of the visit, chosen from a list."""
        item = self._pin_items.get(pin_id)
        if item is None or item.pin.kind != "finding" or not self.visit_id or not self.editable:
            return False
        dialog = LinkChooserDialog(self.db, self.visit_id, self)
        if item.pin.finding_id:
            dialog.select("finding", item.pin.finding_id)
        self.link_dialog = dialog
        if dialog.exec() != QDialog.DialogCode.Accepted or dialog.choice is None:
            return False
        kind, ref = dialog.choice
        return self._call(
            lambda: floorplans.link_pin(
                self.db, pin_id, item_id=ref if kind == "item" else None, finding_id=ref if kind == "finding" else None
            )
        )

    def aed_to_finding(self, pin_id: str) -> str | None:
        """One click: the AED marked faulty, missing or blocked becomes a problem with its clause."""
        item = self._pin_items.get(pin_id)
        if item is None or not self.visit_id or not self._aed_problem(item.pin):
            return None
        try:
            finding = floorplans.aed_to_finding(self.db, pin_id, self.visit_id)
        except AuditAppError as exc:
            messages.show_error(self, QCoreApplication.translate("FloorPlanPanel", "The AED was not recorded as a problem"), exc)
            return None
        self._refresh_after_change()
        self.findingAdded.emit(finding.id)
        messages.show_info(
            self,
            QCoreApplication.translate("FloorPlanPanel", "Recorded as a problem"),
            QCoreApplication.translate("FloorPlanPanel", "Problem No. %1: %2")
            .replace("%1", str(finding.seq))
            .replace("%2", finding.statement or finding.text)
            + (f"\n{finding.measured.text()}" if finding.measured else ""),
        )
        return finding.id

    def _aed_problem(self, pin: PinInfo) -> bool:
        return pin.kind == "aed" and floorplans.aed_has_problem(pin.status) and self.editable

    def delete_pin(self, pin_id: str) -> None:
        db = self.db
        if not self._call(lambda: floorplans.delete_pin(db, pin_id)):
            return
        self.undo_stack.push(
            _PinCommand(
                self,
                QCoreApplication.translate("FloorPlanPanel", "Delete pin"),
                undo=lambda: floorplans.restore_pin(db, pin_id),
                redo=lambda: floorplans.delete_pin(db, pin_id),
            )
        )

    def edit_pin(self, pin_id: str) -> None:
        """Open the pin dialog (double-click, F2, Edit… button)."""
        item = self._pin_items.get(pin_id)
        if item is None or not self.editable:
            return
        dialog = PinEditDialog(item.pin, item.number, can_link=self._can_link(pin_id), parent=self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        self.apply_pin_dialog(pin_id, dialog)

    def apply_pin_dialog(self, pin_id: str, dialog: PinEditDialog) -> None:
        """What an accepted ``PinEditDialog`` asked for (split out so tests need not exec it)."""
        item = self._pin_items.get(pin_id)
        if item is None:
            return
        if dialog.choice == "delete":
            self.delete_pin(pin_id)
            return
        changes: dict[str, Any] = {}
        if dialog.label() != item.pin.label:
            changes["label"] = dialog.label()
        if item.pin.kind == "aed" and dialog.status() != item.pin.status:
            changes["status"] = dialog.status()
        if changes:
            text = QCoreApplication.translate("FloorPlanPanel", "Edit pin")
            self._update(pin_id, text, changes, {k: getattr(item.pin, k) for k in changes})
        if dialog.choice == "link":
            self.link_pin_to_current_item(pin_id)

    def pin_menu(self, pin_id: str) -> QMenu:
        """The context menu of a pin: edit, AED status, link, delete (built, not shown)."""
        menu = QMenu(self)
        item = self._pin_items.get(pin_id)
        if item is None:
            return menu
        menu.setTitle(f"{item.number} · {kind_text(item.pin.kind)}")
        edit = menu.addAction(QCoreApplication.translate("FloorPlanPanel", "Edit label…"))
        edit.triggered.connect(lambda: self.edit_pin(pin_id))
        edit.setEnabled(self.editable)
        if item.pin.kind == "aed":
            status_menu = menu.addMenu(QCoreApplication.translate("FloorPlanPanel", "Check status"))
            for status in AED_STATUSES:
                act = status_menu.addAction(aed_status_text(status))
                act.setCheckable(True)
                act.setChecked(status == item.pin.status)
                act.setData(f"status:{status}")
                act.setEnabled(self.editable)
                act.triggered.connect(lambda _checked=False, s=status: self.set_pin_status(pin_id, s))
        link = menu.addAction(QCoreApplication.translate("FloorPlanPanel", "Link to current item"))
        link.setData("link")
        link.setEnabled(self._can_link(pin_id))
        link.triggered.connect(lambda: self.link_pin_to_current_item(pin_id))
        if item.pin.kind == "finding" and self.visit_id:
            choose = menu.addAction(QCoreApplication.translate("FloorPlanPanel", "Link to…"))
            choose.setData("choose-link")
            choose.setEnabled(self.editable)
            choose.triggered.connect(lambda: self.choose_link(pin_id))
        if item.pin.kind == "aed" and self.visit_id:
            problem = menu.addAction(QCoreApplication.translate("FloorPlanPanel", "Record as problem"))
            problem.setData("aed-problem")
            problem.setEnabled(self._aed_problem(item.pin))
            problem.triggered.connect(lambda: self.aed_to_finding(pin_id))
        menu.addSeparator()
        delete = menu.addAction(QCoreApplication.translate("FloorPlanPanel", "Delete pin"))
        delete.setData("delete")
        delete.setEnabled(self.editable)
        delete.triggered.connect(lambda: self.delete_pin(pin_id))
        return menu

    def _can_link(self, pin_id: str) -> bool:
        """Only problem pins of this visit: linking would tie a building pin (AED) to one visit."""
        item = self._pin_items.get(pin_id)
        return bool(
            self.editable and item is not None and item.pin.kind == "finding" and self.visit_id and self.current_item_id
        )

    def _update(self, pin_id: str, text: str, changes: dict[str, Any], before: dict[str, Any] | None) -> None:
        db = self.db
        if not self._call(lambda: floorplans.update_pin(db, pin_id, **changes)):
            return
        if before is not None:
            self.undo_stack.push(
                _PinCommand(
                    self,
                    text,
                    undo=lambda: floorplans.update_pin(db, pin_id, **before),
                    redo=lambda: floorplans.update_pin(db, pin_id, **changes),
                )
            )

    def _call(self, action: Callable[[], object]) -> bool:
        """Run one quick service write on the GUI thread, then redraw; False if it failed."""
        try:
            action()
        except AuditAppError as exc:
            messages.show_error(self, QCoreApplication.translate("FloorPlanPanel", "The pin was not saved"), exc)
            self._draw_pins()  # put a dragged marker back where the database has it
            return False
        self._refresh_after_change()
        return True

    def _run_undoable(self, action: Callable[[], object]) -> None:
        self._call(action)

    def _background_clicked(self, scene_pos: QPointF) -> None:
        if not self.editable or not self.is_loaded() or not self.view.plan_rect.contains(scene_pos):
            return
        rect = self.view.plan_rect
        fx, fy = scene_pos.x() / rect.width(), scene_pos.y() / rect.height()
        try:
            self.add_pin_at(fx, fy)
        except (AuditAppError, messages.UserMessage) as exc:
            messages.show_error(self, QCoreApplication.translate("FloorPlanPanel", "The pin was not saved"), exc)

    def _add_pin_at_view_centre(self) -> None:
        if self.is_loaded():
            self._background_clicked(self.view.mapToScene(self.view.viewport().rect().center()))

    def _nudge_selected(self, dx: int, dy: int) -> None:
        pin_id = self.selected_pin_id()
        item = self._pin_items.get(pin_id) if pin_id else None
        if item is None or not self.editable:
            return
        step = 0.005
        self.move_pin(pin_id, item.pin.x + dx * step, item.pin.y + dy * step)  # type: ignore[arg-type]

    def _with_selected(self, action: Callable[[str], None]) -> None:
        pin_id = self.selected_pin_id()
        if pin_id is not None:
            action(pin_id)

    def _show_pin_menu(self, pin_id: str, global_pos: QPoint) -> None:
        self.select_pin(pin_id)
        self.pin_menu(pin_id).exec(global_pos)

    def _show_background_menu(self, scene_pos: QPointF, global_pos: QPoint) -> None:
        if not self.editable or not self.is_loaded() or not self.view.plan_rect.contains(scene_pos):
            return
        menu = QMenu(self)
        for kind in ("aed", "finding", "facility"):
            act = menu.addAction(QCoreApplication.translate("FloorPlanPanel", "Add %1 pin here").replace("%1", kind_text(kind)))
            act.setEnabled(kind != "finding" or self.visit_id is not None)
            act.triggered.connect(lambda _checked=False, k=kind: self._add_pin_of_kind(k, scene_pos))
        menu.exec(global_pos)

    def _add_pin_of_kind(self, kind: str, scene_pos: QPointF) -> None:
        self.set_pin_kind(kind)
        self._background_clicked(scene_pos)

