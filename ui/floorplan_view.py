"""Floor plans (平面图) with pins: where the AEDs hang, where problems were seen, where facilities are.

Pins are stored as fractions of the plan's width and height (see
``auditapp.services.floorplans``), so the view can zoom freely and the PDF puts them in
the same place. Pins are numbered the way the visit report numbers them (by kind, then
by creation), so "AED 2" on screen is "AED 2" on paper.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QCoreApplication,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPoint,
    QPointF,
    QRectF,
    QSizeF,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import (
    QAction,
    QBrush,
    QColor,
    QContextMenuEvent,
    QFont,
    QImage,
    QKeyEvent,
    QKeySequence,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPen,
    QPixmap,
    QResizeEvent,
    QUndoCommand,
    QUndoStack,
    QWheelEvent,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGraphicsItem,
    QGraphicsObject,
    QGraphicsPixmapItem,
    QGraphicsScene,
    QGraphicsSceneContextMenuEvent,
    QGraphicsSceneMouseEvent,
    QGraphicsView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QProgressBar,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QStyleOptionGraphicsItem,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from auditapp.db import Database
from auditapp.errors import AuditAppError
from auditapp.progress import CancelToken, Progress
from auditapp.services import floorplans
from auditapp.services.floorplans import FloorPlanInfo, PinInfo
from auditapp.services.pin_kinds import AED_STATUSES, PIN_KINDS
from ui import messages
from ui.table_models import RowTableModel
from ui.workers import Op, run_op

TOUCH_HEIGHT = 40  # px: a fingertip on a 13-inch touch screen needs about this much

KIND_TEXT = {
    "aed": QT_TRANSLATE_NOOP("FloorPlanPanel", "AED"),
    "finding": QT_TRANSLATE_NOOP("FloorPlanPanel", "Problem"),
    "facility": QT_TRANSLATE_NOOP("FloorPlanPanel", "Facility"),
}
AED_STATUS_TEXT = {
    "": QT_TRANSLATE_NOOP("FloorPlanPanel", "Not checked"),
    "ok": QT_TRANSLATE_NOOP("FloorPlanPanel", "OK"),
    "faulty": QT_TRANSLATE_NOOP("FloorPlanPanel", "Faulty / supplies expired"),
    "missing": QT_TRANSLATE_NOOP("FloorPlanPanel", "Not found"),
    "blocked": QT_TRANSLATE_NOOP("FloorPlanPanel", "Blocked / not reachable"),
}
assert set(KIND_TEXT) == set(PIN_KINDS) and set(AED_STATUS_TEXT) == set(AED_STATUSES)

GREEN = QColor("#15803d")
GREY = QColor("#6b7280")  # an AED nobody has checked yet: neither fine nor faulty
RED = QColor("#dc2626")
BLUE = QColor("#1d4ed8")
SELECTION = QColor("#f59e0b")


def kind_text(kind: str) -> str:
    return QCoreApplication.translate("FloorPlanPanel", str(KIND_TEXT.get(kind, kind)))


def aed_status_text(status: str) -> str:
    return QCoreApplication.translate("FloorPlanPanel", str(AED_STATUS_TEXT.get(status, status)))


def pin_colour(pin: PinInfo) -> QColor:
    """AEDs green only when checked OK, red when faulty, missing or blocked, grey while not
    checked (green would read as "fine"); problems red; facilities blue."""
    if pin.kind == "aed":
        if floorplans.aed_has_problem(pin.status):
            return RED
        return GREEN if pin.status == "ok" else GREY
    if pin.kind == "finding":
        return RED
    return BLUE


def numbered(pins: list[PinInfo]) -> list[tuple[int, PinInfo]]:
    """Number pins like the visit report: by kind (alphabetical), then in creation order.

    ``list_pins`` returns creation order; a stable sort by kind keeps it within a kind.
    """
    return list(enumerate(sorted(pins, key=lambda p: p.kind), start=1))


W = TypeVar("W", bound=QWidget)


def _touch(widget: W) -> W:
    widget.setMinimumHeight(TOUCH_HEIGHT)
    return widget


def choose_plan_file(parent: QWidget | None) -> Path | None:
    """Ask for a plan image; kept in one function so tests and a shared dialog helper can replace it."""
    return messages.choose_open_file(
        parent,
        QCoreApplication.translate("FloorPlanPanel", "Import floor plan"),
        QCoreApplication.translate("FloorPlanPanel", "Images (*.png *.jpg *.jpeg *.bmp *.tif *.tiff *.webp *.heic)"),
        key="plans",
    )


# --------------------------------------------------------------------------- pins


class PinItem(QGraphicsObject):
    """One pin: a numbered marker that keeps its screen size at any zoom and can be dragged.

    AED markers are rounded squares, problems and facilities are circles, so colour is
    never the only cue; an AED not yet checked is drawn hollow.
    """

    RADIUS = 17.0  # half of a 34 px marker: big enough to hit with a finger
    HIT_RADIUS = 24.0

    moved = Signal(str, float, float)  # pin id, new fractions
    activated = Signal(str)  # double-click: edit

    def __init__(self, pin: PinInfo, number: int, plan_size: QSizeF, *, editable: bool) -> None:
        super().__init__()
        self.pin = pin
        self.number = number
        self._plan_size = plan_size
        self._editable = editable
        self._press_scene: QPointF | None = None
        self._press_screen = QPointF()
        self._press_pos = QPointF()
        self._dragging = False
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsSelectable)
        self.setAcceptHoverEvents(True)
        self.setZValue(10 + (1 if pin.kind == "aed" else 0))
        self.setCursor(Qt.CursorShape.OpenHandCursor if editable else Qt.CursorShape.PointingHandCursor)
        self.setPos(pin.x * plan_size.width(), pin.y * plan_size.height())
        self._update_tooltip()

    @property
    def pin_id(self) -> str:
        return self.pin.id

    def fraction(self) -> tuple[float, float]:
        """Where the marker is now, as fractions of the plan (what the service stores)."""
        w, h = self._plan_size.width() or 1.0, self._plan_size.height() or 1.0
        return self.pos().x() / w, self.pos().y() / h

    def _update_tooltip(self) -> None:
        parts = [f"{self.number} · {kind_text(self.pin.kind)}"]
        if self.pin.label:
            parts.append(self.pin.label)
        if self.pin.kind == "aed":
            parts.append(aed_status_text(self.pin.status))
        self.setToolTip("\n".join(parts))

    def boundingRect(self) -> QRectF:
        r = self.HIT_RADIUS + 2
        return QRectF(-r, -r, 2 * r, 2 * r)

    def shape(self) -> QPainterPath:
        path = QPainterPath()
        path.addEllipse(QPointF(0, 0), self.HIT_RADIUS, self.HIT_RADIUS)
        return path

    def paint(self, painter: QPainter, _option: QStyleOptionGraphicsItem, _widget: QWidget | None = None) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        r = self.RADIUS
        colour = pin_colour(self.pin)
        if self.isSelected():
            painter.setPen(QPen(SELECTION, 5))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawEllipse(QPointF(0, 0), r + 5, r + 5)
        hollow = self.pin.kind == "aed" and self.pin.status == ""
        painter.setPen(QPen(colour if hollow else QColor("white"), 3))
        painter.setBrush(QBrush(QColor("white") if hollow else colour))
        rect = QRectF(-r, -r, 2 * r, 2 * r)
        if self.pin.kind == "aed":
            painter.drawRoundedRect(rect.adjusted(1, 1, -1, -1), 6, 6)
        else:
            painter.drawEllipse(rect)
        font = QFont(painter.font())
        font.setBold(True)
        font.setPixelSize(15 if self.number < 100 else 12)
        painter.setFont(font)
        painter.setPen(colour if hollow else QColor("white"))
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, str(self.number))

    def _clamped(self, pos: QPointF) -> QPointF:
        return QPointF(
            min(max(pos.x(), 0.0), self._plan_size.width()), min(max(pos.y(), 0.0), self._plan_size.height())
        )

    # Dragging is handled here rather than with ItemIsMovable so a pin never leaves the
    # plan and a tap that wobbles a few pixels does not count as a move.
    def mousePressEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            event.ignore()
            return
        scene = self.scene()
        if scene is not None:
            scene.clearSelection()
        self.setSelected(True)
        self._press_scene = event.scenePos()
        self._press_screen = QPointF(event.screenPos())
        self._press_pos = self.pos()
        self._dragging = False
        event.accept()

    def mouseMoveEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        if self._press_scene is None or not self._editable:
            return
        screen_delta = QPointF(event.screenPos()) - self._press_screen
        if not self._dragging and screen_delta.manhattanLength() < QApplication.startDragDistance():
            return
        self._dragging = True
        self.setCursor(Qt.CursorShape.ClosedHandCursor)
        self.setPos(self._clamped(self._press_pos + (event.scenePos() - self._press_scene)))

    def mouseReleaseEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        was_dragging, self._dragging, self._press_scene = self._dragging, False, None
        if was_dragging:
            self.setCursor(Qt.CursorShape.OpenHandCursor)
            fx, fy = self.fraction()
            self.moved.emit(self.pin.id, fx, fy)
        event.accept()

    def mouseDoubleClickEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        self.activated.emit(self.pin.id)
        event.accept()

    def contextMenuEvent(self, event: QGraphicsSceneContextMenuEvent) -> None:
        event.ignore()  # the view asks the panel for the menu


# --------------------------------------------------------------------------- the view


class PlanView(QGraphicsView):
    """The zoomable plan: wheel, pinch and keys zoom; dragging the background pans; a tap adds.

    Panning is done here (not with ScrollHandDrag) so that "pressed and released without
    moving" can be told apart from a pan and turned into ``backgroundClicked``.
    """

    backgroundClicked = Signal(QPointF)  # scene position
    pinMenuRequested = Signal(str, QPoint)  # pin id, global position
    backgroundMenuRequested = Signal(QPointF, QPoint)  # scene position, global position
    zoomChanged = Signal()

    MAX_SCALE = 6.0

    def __init__(self, scene: QGraphicsScene, parent: QWidget | None = None) -> None:
        super().__init__(scene, parent)
        self.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.SmoothPixmapTransform)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setResizeAnchor(QGraphicsView.ViewportAnchor.AnchorViewCenter)
        self.setDragMode(QGraphicsView.DragMode.NoDrag)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setBackgroundBrush(QColor("#e5e7eb"))
        self.viewport().setAttribute(Qt.WidgetAttribute.WA_AcceptTouchEvents)
        self.viewport().grabGesture(Qt.GestureType.PinchGesture)
        self.plan_rect = QRectF()
        self.fit_mode = True
        self._press: QPoint | None = None
        self._last: QPoint | None = None
        self._panning = False

    def set_plan_rect(self, rect: QRectF) -> None:
        self.plan_rect = rect
        self.setSceneRect(rect)
        self.fit()

    def current_scale(self) -> float:
        return self.transform().m11()

    def _fit_scale(self) -> float:
        if self.plan_rect.isEmpty():
            return 1.0
        vp = self.viewport().size()
        return min(vp.width() / self.plan_rect.width(), vp.height() / self.plan_rect.height())

    def fit(self) -> None:
        """Show the whole plan; stays in fit mode (re-fits on resize) until the user zooms."""
        if not self.plan_rect.isEmpty():
            self.fitInView(self.plan_rect, Qt.AspectRatioMode.KeepAspectRatio)
        self.fit_mode = True
        self.zoomChanged.emit()

    def zoom_by(self, factor: float, anchor_under_mouse: bool = True) -> None:
        if self.plan_rect.isEmpty() or factor <= 0:
            return
        low, high = self._fit_scale() * 0.5, self.MAX_SCALE
        target = min(max(self.current_scale() * factor, low), high)
        factor = target / self.current_scale()
        if abs(factor - 1.0) < 1e-4:
            return
        self.setTransformationAnchor(
            QGraphicsView.ViewportAnchor.AnchorUnderMouse if anchor_under_mouse else QGraphicsView.ViewportAnchor.AnchorViewCenter
        )
        self.scale(factor, factor)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.fit_mode = False
        self.zoomChanged.emit()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self.fit_mode:
            self.fit()

    def wheelEvent(self, event: QWheelEvent) -> None:
        steps = event.angleDelta().y() or event.pixelDelta().y()
        if steps:
            self.zoom_by(1.0015**steps)
        event.accept()

    def viewportEvent(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Gesture:
            gesture = event.gesture(Qt.GestureType.PinchGesture)  # type: ignore[attr-defined]
            if gesture is not None and hasattr(gesture, "scaleFactor"):
                self.zoom_by(gesture.scaleFactor(), anchor_under_mouse=False)
                event.accept()
                return True
        if (
            event.type() == QEvent.Type.NativeGesture
            and event.gestureType() == Qt.NativeGestureType.ZoomNativeGesture  # type: ignore[attr-defined]
        ):
            self.zoom_by(1.0 + event.value())  # type: ignore[attr-defined]
            return True
        return super().viewportEvent(event)

    def _pin_at(self, pos: QPoint) -> PinItem | None:
        for item in self.items(pos):
            if isinstance(item, PinItem):
                return item
        return None

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton and self._pin_at(event.position().toPoint()) is None:
            self._press = self._last = event.position().toPoint()
            self._panning = False
            self.setFocus(Qt.FocusReason.MouseFocusReason)
            event.accept()
            return
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._press is not None and self._last is not None:
            pos = event.position().toPoint()
            if not self._panning and (pos - self._press).manhattanLength() >= QApplication.startDragDistance():
                self._panning = True
                self.viewport().setCursor(Qt.CursorShape.ClosedHandCursor)
            if self._panning:
                delta = pos - self._last
                self.horizontalScrollBar().setValue(self.horizontalScrollBar().value() - delta.x())
                self.verticalScrollBar().setValue(self.verticalScrollBar().value() - delta.y())
            self._last = pos
            event.accept()
            return
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if self._press is not None:
            clicked = not self._panning and event.button() == Qt.MouseButton.LeftButton
            self._press = self._last = None
            self._panning = False
            self.viewport().unsetCursor()
            if clicked:
                if self.scene() is not None:
                    self.scene().clearSelection()
                self.backgroundClicked.emit(self.mapToScene(event.position().toPoint()))
            event.accept()
            return
        super().mouseReleaseEvent(event)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        pin = self._pin_at(event.pos())
        if pin is not None:
            self.pinMenuRequested.emit(pin.pin_id, event.globalPos())
        else:
            self.backgroundMenuRequested.emit(self.mapToScene(event.pos()), event.globalPos())
        event.accept()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key in (Qt.Key.Key_Plus, Qt.Key.Key_Equal):
            self.zoom_by(1.25, anchor_under_mouse=False)
        elif key == Qt.Key.Key_Minus:
            self.zoom_by(0.8, anchor_under_mouse=False)
        elif key == Qt.Key.Key_0:
            self.fit()
        else:
            super().keyPressEvent(event)


# --------------------------------------------------------------------------- dialogs


class PlanImportDialog(QDialog):
    """Name and floor of a plan being imported; the name is what people pick plans by."""

    def __init__(self, image: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Import floor plan"))
        self.name_edit = _touch(QLineEdit(image.stem))
        self.name_edit.setPlaceholderText(self.tr("e.g. Outpatient building, ground floor"))
        self.floor_edit = _touch(QLineEdit())
        self.floor_edit.setPlaceholderText(self.tr("e.g. 1F"))
        form = QFormLayout(self)
        form.addRow(self.tr("File:"), QLabel(image.name))
        form.addRow(self.tr("Plan name:"), self.name_edit)
        form.addRow(self.tr("Floor:"), self.floor_edit)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self.name_edit.textChanged.connect(
            lambda text: buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(bool(text.strip()))
        )
        self.resize(480, self.sizeHint().height())


class PinEditDialog(QDialog):
    """Label and (for an AED) the checked status of one pin, plus link and delete for touch users.

    ``choice`` says what the user asked for: "save", "link" or "delete".
    """

    def __init__(self, pin: PinInfo, number: int, *, can_link: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.choice = ""
        self.setWindowTitle(self.tr("Pin %1").replace("%1", f"{number} · {kind_text(pin.kind)}"))
        form = QFormLayout(self)
        self.label_edit = QLineEdit(pin.label)
        _touch(self.label_edit)
        self.label_edit.setPlaceholderText(self.tr("Where exactly, e.g. next to the registration desk"))
        form.addRow(self.tr("Label:"), self.label_edit)
        self.status_combo = QComboBox()
        _touch(self.status_combo)
        for status in AED_STATUSES:
            self.status_combo.addItem(aed_status_text(status), status)
        self.status_combo.setCurrentIndex(max(0, self.status_combo.findData(pin.status)))
        if pin.kind == "aed":
            form.addRow(self.tr("Check status:"), self.status_combo)
        else:
            self.status_combo.hide()
        self.link_button = _touch(QPushButton(self.tr("Link to current item")))
        self.link_button.setEnabled(can_link)
        self.delete_button = _touch(QPushButton(self.tr("Delete pin")))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.addButton(self.link_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.delete_button, QDialogButtonBox.ButtonRole.DestructiveRole)
        buttons.accepted.connect(lambda: self._finish("save"))
        buttons.rejected.connect(self.reject)
        self.link_button.clicked.connect(lambda: self._finish("link"))
        self.delete_button.clicked.connect(lambda: self._finish("delete"))
        form.addRow(buttons)
        self.resize(520, self.sizeHint().height())

    def _finish(self, choice: str) -> None:
        self.choice = choice
        self.accept()

    def label(self) -> str:
        return self.label_edit.text().strip()

    def status(self) -> str:
        return str(self.status_combo.currentData() or "")


class LinkChooserDialog(QDialog):
    """Pick what a problem pin points at: any problem or any item of the visit."""

    def __init__(self, db: Database, visit_id: str, parent: QWidget | None = None) -> None:
        from auditapp.services import visits
        from ui.texts import localized

        super().__init__(parent)
        self.setWindowTitle(self.tr("Link the pin to…"))
        self.choice: tuple[str, str] | None = None  # ("finding" | "item", id)
        detail = visits.visit_detail(db, visit_id)
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("Search…"))
        self.search.setClearButtonEnabled(True)
        self.list = QListWidget()
        self.list.setObjectName("linkChoices")
        self.list.setWordWrap(True)
        for finding in detail.findings:
            text = self.tr("Problem No. %1: %2").replace("%1", str(finding.seq)).replace(
                "%2", (finding.statement or finding.text).splitlines()[0] if (finding.statement or finding.text) else ""
            )
            entry = QListWidgetItem(text)
            entry.setData(Qt.ItemDataRole.UserRole, ("finding", finding.id))
            self.list.addItem(entry)
        for view in detail.items:
            entry = QListWidgetItem(self.tr("Item: %1").replace("%1", localized(view.item.question, view.item.question_en)))
            entry.setData(Qt.ItemDataRole.UserRole, ("item", view.item.id))
            self.list.addItem(entry)
        self.search.textChanged.connect(self._filter)
        self.list.itemDoubleClicked.connect(lambda _i: self.accept())
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.search)
        layout.addWidget(self.list, 1)
        layout.addWidget(buttons)
        self.resize(640, 520)

    def _filter(self, text: str) -> None:
        needle = text.strip().casefold()
        for row in range(self.list.count()):
            entry = self.list.item(row)
            entry.setHidden(bool(needle) and needle not in entry.text().casefold())

    def select(self, kind: str, ref: str) -> bool:
        for row in range(self.list.count()):
            if self.list.item(row).data(Qt.ItemDataRole.UserRole) == (kind, ref):
                self.list.setCurrentRow(row)
                return True
        return False

    def accept(self) -> None:
        entry = self.list.currentItem()
        if entry is None:
            return
        self.choice = tuple(entry.data(Qt.ItemDataRole.UserRole))  # type: ignore[assignment]
        super().accept()


# --------------------------------------------------------------------------- AED map


@dataclass(frozen=True)
class AedRow:
    plan: FloorPlanInfo
    pin: PinInfo
    number: int


_Index = QModelIndex | QPersistentModelIndex


class AedMapModel(RowTableModel[AedRow]):
    """Every AED of the institution with its last checked status, one row per pin."""

    NUMBER, PLAN, LABEL, STATUS = range(4)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._header_labels = (self.tr("No."), self.tr("Floor plan"), self.tr("Location"), self.tr("Status"))

    def row_of_pin(self, pin_id: str) -> int:
        return next((i for i, r in enumerate(self._rows) if r.pin.id == pin_id), -1)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self._rows)):
            return None
        row, col = self._rows[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if col == self.NUMBER:
                return str(row.number)
            if col == self.PLAN:
                return f"{row.plan.name} {row.plan.floor}".strip()
            if col == self.LABEL:
                return row.pin.label or "—"
            return aed_status_text(row.pin.status)
        if role == Qt.ItemDataRole.ForegroundRole and col == self.STATUS and row.pin.status:
            return QBrush(pin_colour(row.pin))
        if role == Qt.ItemDataRole.FontRole and col == self.STATUS and floorplans.aed_has_problem(row.pin.status):
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.UserRole:
            return row
        return None


# --------------------------------------------------------------------------- undo


class _PinCommand(QUndoCommand):
    """One pin action on the undo stack.

    The action is performed before the command is pushed (so a failure never lands on
    the stack); the first ``redo()`` that ``push()`` calls is therefore skipped.
    """

    def __init__(self, panel: FloorPlanPanel, text: str, undo: Callable[[], object], redo: Callable[[], object]) -> None:
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


class FloorPlanPanel(QWidget):
    """Plans of one institution with their pins, the AED map beside them.

    In a visit (``visit_id`` given) the panel shows the building's pins (AEDs,
    facilities) plus the visit's problem pins; without a visit only the building's.
    Every change is saved at once through the floor-plan service and can be undone.
    """

    pinsChanged = Signal()
    findingAdded = Signal(str)  # an AED found faulty became this problem
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

        self._build_toolbar()
        self._build_aed_table()
        self._build_pin_bar()
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
        layout.addLayout(self.toolbar)
        layout.addWidget(self.splitter, 1)
        self._update_enabled()

    # ----------------------------------------------------------------- building

    def _build_toolbar(self) -> None:
        self.plan_combo = QComboBox()
        self.plan_combo.setObjectName("planCombo")
        # Room for a plan's name, but not more: this bar is the widest row of the runner's
        # tabs, and its minimum took the item list down to ~190 px at 1280×720 in English.
        self.plan_combo.setMinimumWidth(160)
        _touch(self.plan_combo)
        self.plan_combo.currentIndexChanged.connect(self._plan_selected)
        self.import_button = QPushButton(self.tr("Import floor plan…"))
        _touch(self.import_button)
        self.import_button.clicked.connect(self.choose_and_import_plan)
        self.import_progress = QProgressBar()
        self.import_progress.setRange(0, 0)
        self.import_progress.setMaximumWidth(120)
        self.import_progress.setTextVisible(False)
        self.import_progress.hide()

        self.kind_group = QButtonGroup(self)
        self.kind_group.setExclusive(True)
        self.kind_buttons: dict[str, QToolButton] = {}
        kind_box = QHBoxLayout()
        kind_box.setSpacing(0)
        for n, kind in enumerate(("aed", "finding", "facility"), start=1):
            button = QToolButton()
            button.setText(kind_text(kind))
            button.setCheckable(True)
            button.setMinimumSize(76, TOUCH_HEIGHT)
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            button.setShortcut(QKeySequence(f"Alt+{n}"))
            button.setToolTip(self.tr("New pins are of this kind (Alt+%1)").replace("%1", str(n)))
            colour = {"aed": GREEN, "finding": RED, "facility": BLUE}[kind].name()
            button.setStyleSheet(
                f"QToolButton {{ padding: 4px 12px; font-weight: bold; border: 2px solid {colour}; color: {colour};"
                f" background: white; }} QToolButton:checked {{ background: {colour}; color: white; }}"
                " QToolButton:disabled { border-color: #c0c0c0; color: #a0a0a0; }"
            )
            self.kind_group.addButton(button, n)
            self.kind_buttons[kind] = button
            kind_box.addWidget(button)
        self.kind_buttons["aed"].setChecked(True)

        self.zoom_out_button = self._tool_button("−", self.tr("Zoom out (Ctrl+-)"), lambda: self.view.zoom_by(0.8, False))
        self.zoom_in_button = self._tool_button("+", self.tr("Zoom in (Ctrl++)"), lambda: self.view.zoom_by(1.25, False))
        self.fit_button = QPushButton(self.tr("Fit to window"))
        _touch(self.fit_button)
        self.fit_button.setToolTip(self.tr("Show the whole plan (Ctrl+0)"))
        self.fit_button.clicked.connect(self.fit_to_window)
        self.undo_button = self._tool_button("↶", self.tr("Undo (Ctrl+Z)"), self.undo_stack.undo)
        self.redo_button = self._tool_button("↷", self.tr("Redo (Ctrl+Shift+Z)"), self.undo_stack.redo)
        self.undo_stack.canUndoChanged.connect(self.undo_button.setEnabled)
        self.undo_stack.canRedoChanged.connect(self.redo_button.setEnabled)
        self.undo_button.setEnabled(False)
        self.redo_button.setEnabled(False)

        bar = QHBoxLayout()
        bar.addWidget(QLabel(self.tr("Floor plan:")))
        bar.addWidget(self.plan_combo, 1)
        bar.addWidget(self.import_button)
        bar.addWidget(self.import_progress)
        bar.addSpacing(16)
        self.kind_label = QLabel(self.tr("New pin:"))
        bar.addWidget(self.kind_label)
        bar.addLayout(kind_box)
        bar.addSpacing(16)
        bar.addWidget(self.undo_button)
        bar.addWidget(self.redo_button)
        bar.addSpacing(8)
        bar.addWidget(self.zoom_out_button)
        bar.addWidget(self.zoom_in_button)
        bar.addWidget(self.fit_button)
        self.toolbar = bar

    def _tool_button(self, text: str, tip: str, slot: Callable[[], object]) -> QToolButton:
        button = QToolButton()
        button.setText(text)
        button.setToolTip(tip)
        button.setMinimumSize(TOUCH_HEIGHT, TOUCH_HEIGHT)
        font = button.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        button.setFont(font)
        button.clicked.connect(lambda _checked=False: slot())
        return button

    def _build_aed_table(self) -> None:
        self.aed_model = AedMapModel(self)
        self.aed_table = QTableView()
        self.aed_table.setObjectName("aedTable")
        self.aed_table.setModel(self.aed_model)
        self.aed_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.aed_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.aed_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.aed_table.verticalHeader().hide()
        self.aed_table.verticalHeader().setDefaultSectionSize(TOUCH_HEIGHT)
        self.aed_table.setWordWrap(True)
        header = self.aed_table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(AedMapModel.LABEL, QHeaderView.ResizeMode.Stretch)
        self.aed_table.clicked.connect(self._aed_row_chosen)
        self.aed_table.activated.connect(self._aed_row_chosen)
        self.aed_summary = QLabel()
        self.aed_summary.setWordWrap(True)
        title = QLabel(self.tr("AED map"))
        font = title.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.2)
        title.setFont(font)
        self.aed_box = QWidget()
        box = QVBoxLayout(self.aed_box)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(title)
        box.addWidget(self.aed_summary)
        box.addWidget(self.aed_table, 1)

    def _build_pin_bar(self) -> None:
        self.pin_info = QLabel()
        self.pin_info.setWordWrap(True)
        self.edit_button = QPushButton(self.tr("Edit…"))
        self.link_button = QPushButton(self.tr("Link to current item"))
        self.delete_button = QPushButton(self.tr("Delete"))
        self.choose_link_button = QPushButton(self.tr("Link to…"))
        self.choose_link_button.setObjectName("chooseLinkButton")
        self.choose_link_button.setToolTip(self.tr("Point this problem pin at any item or problem of the visit"))
        self.aed_problem_button = QPushButton(self.tr("Record as problem"))
        self.aed_problem_button.setObjectName("aedToFindingButton")
        self.aed_problem_button.setToolTip(self.tr("A faulty, missing or blocked AED becomes a problem of this visit"))
        self.choose_link_button.clicked.connect(lambda: self._with_selected(self.choose_link))
        self.aed_problem_button.clicked.connect(lambda: self._with_selected(self.aed_to_finding))
        for button in (self.edit_button, self.link_button, self.choose_link_button, self.aed_problem_button, self.delete_button):
            _touch(button)
        self.edit_button.clicked.connect(lambda: self._with_selected(self.edit_pin))
        self.link_button.clicked.connect(lambda: self._with_selected(self.link_pin_to_current_item))
        self.delete_button.clicked.connect(lambda: self._with_selected(self.delete_pin))
        self.pin_bar = QWidget()
        bar = QHBoxLayout(self.pin_bar)
        bar.setContentsMargins(0, 4, 0, 0)
        bar.addWidget(self.pin_info, 1)
        bar.addWidget(self.edit_button)
        bar.addWidget(self.link_button)
        bar.addWidget(self.choose_link_button)
        bar.addWidget(self.aed_problem_button)
        bar.addWidget(self.delete_button)

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
        self.aed_model.set_rows(rows)
        bad = sum(1 for r in rows if floorplans.aed_has_problem(r.pin.status))
        unchecked = sum(1 for r in rows if r.pin.status == "")
        if not rows:
            self.aed_summary.setText(self.tr("No AED placed yet. Choose “AED” and tap the plan where one hangs."))
        else:
            self.aed_summary.setText(
                self.tr("%1 AEDs · %2 with a problem · %3 not checked")
                .replace("%1", str(len(rows)))
                .replace("%2", str(bad))
                .replace("%3", str(unchecked))
            )

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

    def pin_kind(self) -> str:
        for kind, button in self.kind_buttons.items():
            if button.isChecked():
                return kind
        return "aed"

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
            raise messages.UserMessage(self.tr("Import a floor plan first."))
        kind = self.pin_kind()
        visit = self.visit_id if kind == "finding" else None
        if kind == "finding" and visit is None:
            raise messages.UserMessage(
                self.tr("A problem pin belongs to a visit."), self.tr("Open the plan from a visit to mark problems.")
            )
        fx, fy = min(max(fx, 0.0), 1.0), min(max(fy, 0.0), 1.0)
        pin = floorplans.add_pin(self.db, plan.id, kind=kind, x=fx, y=fy, visit=visit)
        db, pin_id = self.db, pin.id
        self.undo_stack.push(
            _PinCommand(
                self,
                self.tr("Add pin"),
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
        self._update(pin_id, self.tr("Move pin"), {"x": fx, "y": fy}, {"x": before[0], "y": before[1]} if before else None)

    def set_pin_label(self, pin_id: str, label: str) -> None:
        old = self._pin_items.get(pin_id)
        self._update(pin_id, self.tr("Rename pin"), {"label": label}, {"label": old.pin.label} if old else None)

    def set_pin_status(self, pin_id: str, status: str) -> None:
        """Record the AED's checked status (正常/故障/未找到/被遮挡)."""
        old = self._pin_items.get(pin_id)
        self._update(pin_id, self.tr("Check AED"), {"status": status}, {"status": old.pin.status} if old else None)

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
            messages.show_error(self, self.tr("The AED was not recorded as a problem"), exc)
            return None
        self._refresh_after_change()
        self.findingAdded.emit(finding.id)
        messages.show_info(
            self,
            self.tr("Recorded as a problem"),
            self.tr("Problem No. %1: %2").replace("%1", str(finding.seq)).replace("%2", finding.statement or finding.text)
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
                self.tr("Delete pin"),
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
            self._update(pin_id, self.tr("Edit pin"), changes, {k: getattr(item.pin, k) for k in changes})
        if dialog.choice == "link":
            self.link_pin_to_current_item(pin_id)

    def pin_menu(self, pin_id: str) -> QMenu:
        """The context menu of a pin: edit, AED status, link, delete (built, not shown)."""
        menu = QMenu(self)
        item = self._pin_items.get(pin_id)
        if item is None:
            return menu
        menu.setTitle(f"{item.number} · {kind_text(item.pin.kind)}")
        edit = menu.addAction(self.tr("Edit label…"))
        edit.triggered.connect(lambda: self.edit_pin(pin_id))
        edit.setEnabled(self.editable)
        if item.pin.kind == "aed":
            status_menu = menu.addMenu(self.tr("Check status"))
            for status in AED_STATUSES:
                act = status_menu.addAction(aed_status_text(status))
                act.setCheckable(True)
                act.setChecked(status == item.pin.status)
                act.setData(f"status:{status}")
                act.setEnabled(self.editable)
                act.triggered.connect(lambda _checked=False, s=status: self.set_pin_status(pin_id, s))
        link = menu.addAction(self.tr("Link to current item"))
        link.setData("link")
        link.setEnabled(self._can_link(pin_id))
        link.triggered.connect(lambda: self.link_pin_to_current_item(pin_id))
        if item.pin.kind == "finding" and self.visit_id:
            choose = menu.addAction(self.tr("Link to…"))
            choose.setData("choose-link")
            choose.setEnabled(self.editable)
            choose.triggered.connect(lambda: self.choose_link(pin_id))
        if item.pin.kind == "aed" and self.visit_id:
            problem = menu.addAction(self.tr("Record as problem"))
            problem.setData("aed-problem")
            problem.setEnabled(self._aed_problem(item.pin))
            problem.triggered.connect(lambda: self.aed_to_finding(pin_id))
        menu.addSeparator()
        delete = menu.addAction(self.tr("Delete pin"))
        delete.setData("delete")
        delete.setEnabled(self.editable)
        delete.triggered.connect(lambda: self.delete_pin(pin_id))
        return menu

    def fit_to_window(self) -> None:
        self.view.fit()

    # ----------------------------------------------------------------- internals

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
            messages.show_error(self, self.tr("The pin was not saved"), exc)
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
            messages.show_error(self, self.tr("The pin was not saved"), exc)

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
            act = menu.addAction(self.tr("Add %1 pin here").replace("%1", kind_text(kind)))
            act.setEnabled(kind != "finding" or self.visit_id is not None)
            act.triggered.connect(lambda _checked=False, k=kind: self._add_pin_of_kind(k, scene_pos))
        menu.exec(global_pos)

    def _add_pin_of_kind(self, kind: str, scene_pos: QPointF) -> None:
        self.set_pin_kind(kind)
        self._background_clicked(scene_pos)

    def _aed_row_chosen(self, index: QModelIndex) -> None:
        if index.isValid():
            self.select_pin(self.aed_model.row_at(index.row()).pin.id)

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
            row = self.aed_model.row_of_pin(item.pin_id)
            if row >= 0:
                self.aed_table.selectRow(row)
            else:
                self.aed_table.clearSelection()
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
