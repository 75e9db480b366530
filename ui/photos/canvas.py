"""The photo canvas of the editor: its tools, the drawn tool icons, and the view that turns
a drag into a new layer item.
"""

from __future__ import annotations

import enum

from PySide6.QtCore import QLineF, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QIcon,
    QImage,
    QMouseEvent,
    QPainter,
    QPen,
    QPixmap,
    QPolygonF,
    QResizeEvent,
    QShowEvent,
)
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGraphicsPixmapItem,
    QGraphicsScene,
    QGraphicsView,
    QWidget,
)

from ui.photos.layer_items import (
    DEFAULT_COLOR,
    MIN_DRAG,
    ArrowItem,
    BoxItem,
    EllipseItem,
    LayerItem,
    LayerItemBase,
    TextItem,
)


class Tool(enum.Enum):
    SELECT = "select"
    ARROW = "arrow"
    RECT = "rect"
    ELLIPSE = "ellipse"
    TEXT = "text"
    REDACT_SOLID = "redact_solid"
    REDACT_BLUR = "redact_blur"


REDACTION_TOOLS = (Tool.REDACT_SOLID, Tool.REDACT_BLUR)


# --- the canvas ---------------------------------------------------------------------


class PhotoCanvas(QGraphicsView):
    """The photo fitted to the view; drawing tools turn a drag into a new layer item."""

    itemDrawn = Signal(object)
    textRequested = Signal(QPointF)
    textEditRequested = Signal(object)

    def __init__(self, image: QImage, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.image_rect = QRectF(0, 0, image.width(), image.height())
        self.setScene(QGraphicsScene(self.image_rect, self))
        self.photo_item = QGraphicsPixmapItem(QPixmap.fromImage(image))
        self.photo_item.setTransformationMode(Qt.TransformationMode.SmoothTransformation)
        self.photo_item.setZValue(-100)
        self.scene().addItem(self.photo_item)
        self.preview_item = QGraphicsPixmapItem()
        self.preview_item.setTransformationMode(Qt.TransformationMode.SmoothTransformation)
        self.preview_item.setZValue(100)
        self.preview_item.setVisible(False)
        self.scene().addItem(self.preview_item)
        self.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.SmoothPixmapTransform)
        self.setBackgroundBrush(QColor("#263238"))
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.tool = Tool.SELECT
        self.color = DEFAULT_COLOR
        self._drawing: BoxItem | EllipseItem | ArrowItem | None = None
        self._next_order = 0
        self._start = QPointF()

    def set_tool(self, tool: Tool) -> None:
        self.tool = tool
        self.viewport().setCursor(Qt.CursorShape.ArrowCursor if tool == Tool.SELECT else Qt.CursorShape.CrossCursor)

    def layer_items(self) -> list[LayerItem]:
        """Drawn layers in drawing order (oldest first), as render() expects them."""
        found = [i for i in self.scene().items(Qt.SortOrder.AscendingOrder) if isinstance(i, LayerItemBase)]
        return sorted(found, key=lambda i: i.order)  # type: ignore[return-value]

    def add_layer_item(self, item: LayerItem) -> None:
        self._next_order += 1
        item.order = self._next_order
        self.scene().addItem(item)

    def fit(self) -> None:
        self.fitInView(self.image_rect, Qt.AspectRatioMode.KeepAspectRatio)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.fit()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.fit()

    def _scene_point(self, event: QMouseEvent) -> QPointF:
        point = self.mapToScene(event.position().toPoint())
        rect = self.image_rect
        return QPointF(min(max(point.x(), rect.left()), rect.right()), min(max(point.y(), rect.top()), rect.bottom()))

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if self.tool == Tool.SELECT or event.button() != Qt.MouseButton.LeftButton or self.preview_item.isVisible():
            super().mousePressEvent(event)
            return
        self.scene().clearSelection()
        point = self._scene_point(event)
        if self.tool == Tool.TEXT:
            self.textRequested.emit(point)
            return
        self._start = point
        item: BoxItem | EllipseItem | ArrowItem
        if self.tool == Tool.RECT:
            item = BoxItem(self.image_rect, "rect", color=self.color)
        elif self.tool == Tool.REDACT_SOLID:
            item = BoxItem(self.image_rect, "redact", mode="solid")
        elif self.tool == Tool.REDACT_BLUR:
            item = BoxItem(self.image_rect, "redact", mode="blur")
        elif self.tool == Tool.ELLIPSE:
            item = EllipseItem(self.image_rect, color=self.color)
        else:
            item = ArrowItem(self.image_rect, color=self.color)
        item.set_span(point, point)
        self.add_layer_item(item)
        self._drawing = item

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        # Tracked by our own state, not event.buttons(): touch-synthesised moves may lack them.
        if self._drawing is not None:
            self._drawing.set_span(self._start, self._scene_point(event))
            return
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if self._drawing is None:
            super().mouseReleaseEvent(event)
            return
        item, self._drawing = self._drawing, None
        end = self._scene_point(event)
        item.set_span(self._start, end)
        minimum = MIN_DRAG * max(self.image_rect.width(), self.image_rect.height())
        span = QLineF(self._start, end)
        too_small = (
            span.length() < minimum
            if isinstance(item, ArrowItem)
            else abs(span.dx()) < minimum or abs(span.dy()) < minimum
        )
        if too_small:
            self.scene().removeItem(item)
            return
        item.setSelected(True)
        self.itemDrawn.emit(item)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        item = self.itemAt(event.position().toPoint())
        if self.tool == Tool.SELECT and isinstance(item, TextItem) and item.flags() & QGraphicsItem.GraphicsItemFlag.ItemIsMovable:
            self.textEditRequested.emit(item)
            return
        super().mouseDoubleClickEvent(event)


def tool_icon(tool: Tool, size: int = 32) -> QIcon:
    """Simple drawn icons: the app ships no icon theme and the pictures explain the tools."""
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    red = QColor(DEFAULT_COLOR)
    m = size * 0.18
    box = QRectF(m, m + size * 0.08, size - 2 * m, size - 2 * m - size * 0.16)
    if tool == Tool.SELECT:
        arrow = QPolygonF([QPointF(size * 0.3, size * 0.15), QPointF(size * 0.3, size * 0.8), QPointF(size * 0.45, size * 0.62),
                           QPointF(size * 0.58, size * 0.88), QPointF(size * 0.68, size * 0.83), QPointF(size * 0.55, size * 0.58),
                           QPointF(size * 0.75, size * 0.58)])
        painter.setPen(QPen(QColor("#37474f"), 1.5))
        painter.setBrush(QColor("white"))
        painter.drawPolygon(arrow)
    elif tool == Tool.ARROW:
        painter.setPen(QPen(red, size / 10, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
        painter.drawLine(QPointF(m, size - m), QPointF(size - m * 1.8, m * 1.8))
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(red)
        painter.drawPolygon(QPolygonF([QPointF(size - m, m), QPointF(size - m * 3.2, m * 1.3), QPointF(size - m * 1.3, m * 3.2)]))
    elif tool == Tool.RECT:
        painter.setPen(QPen(red, size / 12))
        painter.drawRect(box)
    elif tool == Tool.ELLIPSE:
        painter.setPen(QPen(red, size / 12))
        painter.drawEllipse(box)
    elif tool == Tool.TEXT:
        font = QFont()
        font.setPixelSize(int(size * 0.8))
        font.setBold(True)
        painter.setFont(font)
        painter.setPen(red)
        painter.drawText(pixmap.rect(), Qt.AlignmentFlag.AlignCenter, "T")
    elif tool == Tool.REDACT_SOLID:
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor("black"))
        painter.drawRect(box)
    else:
        cells = 4
        cw, ch = box.width() / cells, box.height() / cells
        for row in range(cells):
            for col in range(cells):
                shade = 90 + ((row * 7 + col * 13) % 5) * 30
                painter.fillRect(QRectF(box.left() + col * cw, box.top() + row * ch, cw + 0.5, ch + 0.5), QColor(shade, shade, shade))
    painter.end()
    return QIcon(pixmap)


def swatch(color: str, size: int = 24) -> QIcon:
    pixmap = QPixmap(size, size)
    pixmap.fill(QColor(color))
    painter = QPainter(pixmap)
    painter.setPen(QColor("#607d8b"))
    painter.drawRect(0, 0, size - 1, size - 1)
    painter.end()
    return QIcon(pixmap)

