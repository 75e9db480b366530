"""One pin on the plan: a draggable, numbered marker in the pin's colour."""

from __future__ import annotations

from PySide6.QtCore import (
    QPointF,
    QRectF,
    QSizeF,
    Qt,
    Signal,
)
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QPainter,
    QPainterPath,
    QPen,
)
from PySide6.QtWidgets import (
    QApplication,
    QGraphicsItem,
    QGraphicsObject,
    QGraphicsSceneContextMenuEvent,
    QGraphicsSceneMouseEvent,
    QStyleOptionGraphicsItem,
    QWidget,
)

from auditapp.services.floorplans import PinInfo
from ui.floorplan_view.pin_style import SELECTION, aed_status_text, kind_text, pin_colour


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

