"""The plan's graphics view: zoom, pan, touch and the clicks that add or open pins."""

from __future__ import annotations

from PySide6.QtCore import (
    QEvent,
    QPoint,
    QPointF,
    QRectF,
    Qt,
    Signal,
)
from PySide6.QtGui import (
    QColor,
    QContextMenuEvent,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QResizeEvent,
    QWheelEvent,
)
from PySide6.QtWidgets import (
    QApplication,
    QGraphicsScene,
    QGraphicsView,
    QWidget,
)

from ui.floorplan_view.pin_item import PinItem


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

