"""The annotation and redaction editor: marks and redaction boxes drawn over a stored
photo as vector layers, saved as fractions of the picture through the photo service.

The stored picture never changes. The scene uses the stored photo's pixels as its
coordinates, so a layer's fractions are its scene geometry divided by the photo size;
"Preview export" shows the output of the same ``render`` that reports and exports use.
"""

from __future__ import annotations

import enum
import io
import math
from typing import Any

from PIL import Image
from PySide6.QtCore import QLineF, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QAction,
    QActionGroup,
    QBrush,
    QColor,
    QFont,
    QFontMetricsF,
    QIcon,
    QImage,
    QKeySequence,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPainterPathStroker,
    QPen,
    QPixmap,
    QPolygonF,
    QResizeEvent,
    QShowEvent,
)
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QGraphicsEllipseItem,
    QGraphicsItem,
    QGraphicsPathItem,
    QGraphicsPixmapItem,
    QGraphicsRectItem,
    QGraphicsScene,
    QGraphicsSimpleTextItem,
    QGraphicsView,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QStyle,
    QStyleOptionGraphicsItem,
    QToolBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from auditapp.db import Database
from auditapp.errors import NotFoundError, PhotoError
from auditapp.photos.annotations import parse_layers, render
from auditapp.services import photos
from auditapp.services.photos import PhotoInfo
from ui import messages, window_state
from ui.workers import Op, run_op, running_ops

DEFAULT_COLOR = "#e53935"
# Defaults of the layer schema (auditapp.photos.annotations), in fractions of the long side.
BOX_WIDTH = 0.006
ARROW_WIDTH = 0.008
TEXT_SIZE = 0.045
# A drag shorter than this (fraction of the long side) is a slip of the finger, not a mark.
MIN_DRAG = 0.01
DIGITS = 5  # fractions are stored rounded: 1/100000 of a side is far below a pixel
SELECTION_COLOR = QColor("#00b0ff")
SELECTION_MARGIN = 0.015  # of the long side; the selection outline sits half of it outside
ARROW_GRAB = 0.03  # of the long side: how wide a finger target an arrow is
BLUR_PREVIEW_FILL = QColor(120, 120, 120, 200)


class Tool(enum.Enum):
    SELECT = "select"
    ARROW = "arrow"
    RECT = "rect"
    ELLIPSE = "ellipse"
    TEXT = "text"
    REDACT_SOLID = "redact_solid"
    REDACT_BLUR = "redact_blur"


REDACTION_TOOLS = (Tool.REDACT_SOLID, Tool.REDACT_BLUR)


def ask_text(parent: QWidget, title: str, label: str, text: str = "") -> str | None:
    """The one place the editor asks for a label's text (tests replace it); None if cancelled."""
    value = messages.ask_text(parent, title, label, text)
    value = value.strip() if value is not None else None
    return value or None


def confirm_discard(parent: QWidget, title: str, text: str) -> bool:
    """The one place the editor asks before throwing changes away (tests replace it)."""
    answer = QMessageBox.question(
        parent,
        title,
        text,
        QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
        QMessageBox.StandardButton.Cancel,
    )
    return answer == QMessageBox.StandardButton.Discard


def find_photo(db: Database, photo_ref: str) -> PhotoInfo:
    """A photo by id or unique id prefix.

    The service has no single-photo getter, so this scans ``list_photos``; fine for the
    thousands of photos an audit database holds.
    """
    matches = [p for p in photos.list_photos(db) if p.id == photo_ref or p.id.startswith(photo_ref)]
    exact = [p for p in matches if p.id == photo_ref]
    if exact:
        return exact[0]
    if len(matches) == 1:
        return matches[0]
    raise NotFoundError(f"no photo {photo_ref!r}")


def _round(value: float) -> float:
    return round(min(1.0, max(0.0, value)), DIGITS)


# --- layer items --------------------------------------------------------------------


class _LayerItem:
    """Shared behaviour of every drawn layer: selection look, staying on the photo, export.

    Mixed into the Qt item classes; ``image_rect`` is the scene rectangle of the photo.
    """

    layer_kind = ""
    image_rect = QRectF()
    order = 0  # drawing order, kept in the saved list (z-values put redactions lowest)

    def _init_layer(self, image_rect: QRectF) -> None:
        self.image_rect = image_rect
        item: QGraphicsItem = self  # type: ignore[assignment]
        item.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsSelectable, True)
        item.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsMovable, True)
        item.setFlag(QGraphicsItem.GraphicsItemFlag.ItemSendsGeometryChanges, True)
        item.setZValue(10)

    def geometry(self) -> QRectF:
        """The item's drawn extent in local coordinates, without the pen."""
        raise NotImplementedError

    def to_layer(self) -> dict[str, Any] | None:
        """The layer dict in fractions of the photo, or None when nothing is left on it."""
        raise NotImplementedError

    def set_color(self, color: str) -> None:
        """Marks take the chosen colour; redactions have none."""
        if self.layer_kind != "redact":
            self.color = color
            self._restyle()

    def _restyle(self) -> None:
        raise NotImplementedError

    def itemChange(self, change: QGraphicsItem.GraphicsItemChange, value: Any) -> Any:
        """Every layer stays on the photo while it is dragged."""
        if change == QGraphicsItem.GraphicsItemChange.ItemPositionChange and self.scene() is not None:  # type: ignore[attr-defined]
            return self._clamped_position(value)
        return super().itemChange(change, value)  # type: ignore[misc]

    def lock(self) -> None:
        """Keep the item visible but untouchable (finalized visit, read-only view)."""
        item: QGraphicsItem = self  # type: ignore[assignment]
        item.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsSelectable, False)
        item.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsMovable, False)

    def _clamped_position(self, pos: QPointF) -> QPointF:
        """Keep a moved item on the photo, so a finger slip cannot drag it off."""
        geometry = self.geometry()
        x, y = pos.x(), pos.y()
        bounds = self.image_rect
        if geometry.right() + x > bounds.right():
            x = bounds.right() - geometry.right()
        if geometry.left() + x < bounds.left():
            x = bounds.left() - geometry.left()
        if geometry.bottom() + y > bounds.bottom():
            y = bounds.bottom() - geometry.bottom()
        if geometry.top() + y < bounds.top():
            y = bounds.top() - geometry.top()
        return QPointF(x, y)

    def _scene_box(self) -> QRectF | None:
        item: QGraphicsItem = self  # type: ignore[assignment]
        box = item.mapRectToScene(self.geometry()).intersected(self.image_rect)
        return box if box.width() > 0 and box.height() > 0 else None

    def _box_fractions(self) -> dict[str, float] | None:
        box = self._scene_box()
        if box is None:
            return None
        w, h = self.image_rect.width(), self.image_rect.height()
        x, y = _round(box.left() / w), _round(box.top() / h)
        return {"x": x, "y": y, "w": _round(min(box.width() / w, 1 - x)), "h": _round(min(box.height() / h, 1 - y))}

    def _long_side(self) -> float:
        return max(self.image_rect.width(), self.image_rect.height())

    def _margin(self) -> float:
        """Room around the geometry for the selection outline, in scene units."""
        return SELECTION_MARGIN * self._long_side()

    def _paint_selection(self, painter: QPainter, shape: QRectF) -> None:
        item: QGraphicsItem = self  # type: ignore[assignment]
        if not item.isSelected():
            return
        scale = painter.transform().m11() or 1.0
        pen = QPen(SELECTION_COLOR, 3 / scale, Qt.PenStyle.DashLine)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        margin = self._margin() / 2
        painter.drawRect(shape.adjusted(-margin, -margin, margin, margin))

    def boundingRect(self) -> QRectF:
        # Everything painted must lie inside, or a moved item leaves trails.
        margin = self._margin()
        return super().boundingRect().adjusted(-margin, -margin, margin, margin)  # type: ignore[misc]


def _unselected(option: QStyleOptionGraphicsItem) -> QStyleOptionGraphicsItem:
    """Qt's own selection outline is a thin dotted line, invisible on a photo; we draw ours."""
    plain = QStyleOptionGraphicsItem(option)
    plain.state &= ~QStyle.StateFlag.State_Selected
    return plain


class BoxItem(_LayerItem, QGraphicsRectItem):
    """A rectangle mark or a redaction box (solid or blur)."""

    def __init__(self, image_rect: QRectF, kind: str, *, color: str = DEFAULT_COLOR, mode: str = "solid") -> None:
        QGraphicsRectItem.__init__(self)
        self._init_layer(image_rect)
        self.layer_kind = kind
        self.mode = mode
        self.color = color
        self.width_fraction = BOX_WIDTH
        if kind == "redact":
            self.setZValue(5)  # redactions are applied first, marks drawn over them
        self._restyle()

    def _restyle(self) -> None:
        if self.layer_kind == "redact":
            self.setPen(Qt.PenStyle.NoPen)
            self.setBrush(QColor("black") if self.mode == "solid" else BLUR_PREVIEW_FILL)
        else:
            pen = QPen(QColor(self.color), max(1.0, self.width_fraction * self._long_side()))
            pen.setJoinStyle(Qt.PenJoinStyle.MiterJoin)
            self.setPen(pen)
            self.setBrush(Qt.BrushStyle.NoBrush)

    def geometry(self) -> QRectF:
        return self.rect()

    def set_span(self, start: QPointF, end: QPointF) -> None:
        self.setRect(QRectF(start, end).normalized())

    def to_layer(self) -> dict[str, Any] | None:
        box = self._box_fractions()
        if box is None:
            return None
        if self.layer_kind == "redact":
            return {"kind": "redact", "mode": self.mode, **box}
        return {"kind": "rect", "color": self.color, "width": self.width_fraction, **box}

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        super().paint(painter, _unselected(option), widget)
        if self.layer_kind == "redact" and self.mode == "blur":
            scale = painter.transform().m11() or 1.0
            painter.setPen(Qt.PenStyle.NoPen)
            hatch = QBrush(QColor(255, 255, 255, 120), Qt.BrushStyle.DiagCrossPattern)
            hatch.setTransform(painter.transform().inverted()[0])
            painter.setBrush(hatch)
            painter.drawRect(self.rect())
            painter.setPen(QPen(QColor("#1e88e5"), 2 / scale, Qt.PenStyle.DashLine))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRect(self.rect())
        self._paint_selection(painter, self.rect())


class EllipseItem(_LayerItem, QGraphicsEllipseItem):
    """An ellipse around a problem."""

    layer_kind = "ellipse"

    def __init__(self, image_rect: QRectF, *, color: str = DEFAULT_COLOR) -> None:
        QGraphicsEllipseItem.__init__(self)
        self._init_layer(image_rect)
        self.color = color
        self.width_fraction = BOX_WIDTH
        self._restyle()

    def _restyle(self) -> None:
        self.setPen(QPen(QColor(self.color), max(1.0, self.width_fraction * self._long_side())))

    def geometry(self) -> QRectF:
        return self.rect()

    def set_span(self, start: QPointF, end: QPointF) -> None:
        self.setRect(QRectF(start, end).normalized())

    def to_layer(self) -> dict[str, Any] | None:
        box = self._box_fractions()
        if box is None:
            return None
        return {"kind": "ellipse", "color": self.color, "width": self.width_fraction, **box}

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        super().paint(painter, _unselected(option), widget)
        self._paint_selection(painter, self.rect())


class ArrowItem(_LayerItem, QGraphicsPathItem):
    """An arrow pointing at a problem; the head sits where the drag ended."""

    layer_kind = "arrow"

    def __init__(self, image_rect: QRectF, *, color: str = DEFAULT_COLOR) -> None:
        QGraphicsPathItem.__init__(self)
        self._init_layer(image_rect)
        self.color = color
        self.width_fraction = ARROW_WIDTH
        self.line = QLineF()
        self._restyle()

    def _stroke(self) -> float:
        return max(1.0, self.width_fraction * self._long_side())

    def _margin(self) -> float:
        return max(SELECTION_MARGIN, ARROW_GRAB / 2) * self._long_side()  # the grab shape must fit inside

    def _restyle(self) -> None:
        pen = QPen(QColor(self.color), self._stroke())
        pen.setCapStyle(Qt.PenCapStyle.FlatCap)
        self.setPen(pen)
        self.setBrush(QColor(self.color))
        self._rebuild()

    def set_span(self, start: QPointF, end: QPointF) -> None:
        self.line = QLineF(start, end)
        self._rebuild()

    def _rebuild(self) -> None:
        """Same head as ``annotations._arrow``: 4 strokes long, wings at ±150°."""
        path = QPainterPath()
        if self.line.length() > 0:
            head = self._stroke() * 4
            angle = math.atan2(self.line.dy(), self.line.dx())
            tip = self.line.p2()
            wings = [
                QPointF(tip.x() + head * math.cos(angle + off), tip.y() + head * math.sin(angle + off))
                for off in (math.radians(150), math.radians(-150))
            ]
            base = QPointF((wings[0].x() + wings[1].x()) / 2, (wings[0].y() + wings[1].y()) / 2)
            path.moveTo(self.line.p1())
            path.lineTo(base if self.line.length() > head else self.line.p1())
            path.addPolygon(QPolygonF([tip, wings[0], wings[1], tip]))
        self.setPath(path)

    def geometry(self) -> QRectF:
        return QRectF(self.line.p1(), self.line.p2()).normalized()

    def to_layer(self) -> dict[str, Any] | None:
        if self.line.length() == 0:
            return None
        p1, p2 = self.mapToScene(self.line.p1()), self.mapToScene(self.line.p2())
        w, h = self.image_rect.width(), self.image_rect.height()
        return {
            "kind": "arrow",
            "x1": _round(p1.x() / w),
            "y1": _round(p1.y() / h),
            "x2": _round(p2.x() / w),
            "y2": _round(p2.y() / h),
            "color": self.color,
            "width": self.width_fraction,
        }

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        painter.setPen(self.pen())
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPath(self._shaft())
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(self.brush())
        painter.drawPath(self._head())
        self._paint_selection(painter, self.geometry())

    def shape(self) -> QPainterPath:
        """A finger-wide target around the arrow: the drawn line is only a few pixels on screen."""
        stroker = QPainterPathStroker()
        stroker.setWidth(max(self._stroke(), ARROW_GRAB * self._long_side()))
        stroker.setCapStyle(Qt.PenCapStyle.RoundCap)
        return stroker.createStroke(self.path()).united(self.path())

    def _shaft(self) -> QPainterPath:
        shaft = QPainterPath()
        if self.path().elementCount() >= 2:
            first, second = self.path().elementAt(0), self.path().elementAt(1)
            shaft.moveTo(first.x, first.y)
            shaft.lineTo(second.x, second.y)
        return shaft

    def _head(self) -> QPainterPath:
        head = QPainterPath()
        count = self.path().elementCount()
        if count > 2:
            points = [QPointF(self.path().elementAt(i).x, self.path().elementAt(i).y) for i in range(2, count)]
            head.addPolygon(QPolygonF(points))
        return head


class TextItem(_LayerItem, QGraphicsSimpleTextItem):
    """A short label (“地面湿滑无提示”) placed on the photo, with a white outline as in exports."""

    layer_kind = "text"

    def __init__(self, image_rect: QRectF, text: str, *, color: str = DEFAULT_COLOR, size: float = TEXT_SIZE) -> None:
        QGraphicsSimpleTextItem.__init__(self, text)
        self._init_layer(image_rect)
        self.color = color
        self.size_fraction = size
        font = QFont(self.font())
        font.setPixelSize(max(8, round(size * self._long_side())))
        font.setBold(True)
        self.setFont(font)
        self._restyle()

    def _restyle(self) -> None:
        self.setBrush(QColor(self.color))
        self.update()

    def geometry(self) -> QRectF:
        return QGraphicsSimpleTextItem.boundingRect(self)

    def to_layer(self) -> dict[str, Any] | None:
        pos = self.scenePos()
        return {
            "kind": "text",
            "x": _round(pos.x() / self.image_rect.width()),
            "y": _round(pos.y() / self.image_rect.height()),
            "text": self.text(),
            "color": self.color,
            "size": self.size_fraction,
        }

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        """White halo first, colour on top, as Pillow's ``stroke_width`` does in exports
        (Qt's own text pen would paint over the glyphs and hollow them out)."""
        font = self.font()
        metrics = QFontMetricsF(font)
        path = QPainterPath()
        for number, line in enumerate(self.text().split("\n")):
            path.addText(QPointF(0, metrics.ascent() + number * metrics.lineSpacing()), font, line)
        halo = QPen(QColor("white"), max(2.0, font.pixelSize() / 12))
        halo.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
        painter.strokePath(path, halo)
        painter.fillPath(path, QColor(self.color))
        self._paint_selection(painter, self.geometry())


LayerItem = BoxItem | EllipseItem | ArrowItem | TextItem


def item_from_layer(layer: dict[str, Any], image_rect: QRectF) -> LayerItem:
    """The editable item of a stored layer dict (already validated by the service)."""
    w, h = image_rect.width(), image_rect.height()
    kind = layer["kind"]
    item: LayerItem
    if kind in ("rect", "redact"):
        item = BoxItem(image_rect, kind, color=layer.get("color", DEFAULT_COLOR), mode=layer.get("mode", "solid"))
        item.width_fraction = float(layer.get("width", BOX_WIDTH))
        item._restyle()
        item.set_span(QPointF(layer["x"] * w, layer["y"] * h), QPointF((layer["x"] + layer["w"]) * w, (layer["y"] + layer["h"]) * h))
    elif kind == "ellipse":
        item = EllipseItem(image_rect, color=layer["color"])
        item.width_fraction = float(layer["width"])
        item._restyle()
        item.set_span(QPointF(layer["x"] * w, layer["y"] * h), QPointF((layer["x"] + layer["w"]) * w, (layer["y"] + layer["h"]) * h))
    elif kind == "arrow":
        item = ArrowItem(image_rect, color=layer["color"])
        item.width_fraction = float(layer["width"])
        item._restyle()
        item.set_span(QPointF(layer["x1"] * w, layer["y1"] * h), QPointF(layer["x2"] * w, layer["y2"] * h))
    elif kind == "text":
        item = TextItem(image_rect, layer["text"], color=layer["color"], size=float(layer["size"]))
        item.setPos(layer["x"] * w, layer["y"] * h)
    else:
        raise ValueError(f"unknown layer kind {kind!r}")
    return item


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
        found = [i for i in self.scene().items(Qt.SortOrder.AscendingOrder) if isinstance(i, _LayerItem)]
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


def _tool_icon(tool: Tool, size: int = 32) -> QIcon:
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


def _swatch(color: str, size: int = 24) -> QIcon:
    pixmap = QPixmap(size, size)
    pixmap.fill(QColor(color))
    painter = QPainter(pixmap)
    painter.setPen(QColor("#607d8b"))
    painter.drawRect(0, 0, size - 1, size - 1)
    painter.end()
    return QIcon(pixmap)


def render_preview(stored: bytes, layers: list[dict[str, Any]]) -> QImage:
    """The photo as it leaves the app: runs in a worker (Pillow only, no widgets)."""
    with Image.open(io.BytesIO(stored)) as image:
        picture = render(image, parse_layers(layers))
    return QImage(
        picture.tobytes("raw", "RGB"), picture.width, picture.height, 3 * picture.width, QImage.Format.Format_RGB888
    ).copy()


# --- the dialog ---------------------------------------------------------------------


class PhotoEditorDialog(QDialog):
    """Annotate a photo (arrows, boxes, ellipses, labels) and redact faces and names.

    On a finalized visit only redactions can change: privacy outranks read-only, and
    the service enforces the same rule. ``read_only`` shows the photo and the export
    preview without any tool.
    """

    saved = Signal()

    def __init__(self, db: Database, photo_id: str, parent: QWidget | None = None, read_only: bool = False) -> None:
        super().__init__(parent)
        self.db = db
        self.photo = find_photo(db, photo_id)
        self._stored = photos.photo_store(db).read(self.photo.sha256)
        image = QImage.fromData(self._stored)
        if image.isNull():
            raise PhotoError(f"{self.photo.original_filename}: the stored photo cannot be shown")
        self.read_only = read_only
        self.redact_only = not read_only and photos.redactions_only(db, self.photo.id)
        self._preview_generation = 0
        self._saving = False

        self.setWindowTitle(self.tr("Photo: %1").replace("%1", self.photo.caption or self.photo.original_filename))
        self.setWindowFlag(Qt.WindowType.WindowMaximizeButtonHint, True)
        window_state.fit_to_screen(self, (1100, 760))
        big = QFont(self.font())
        if big.pointSizeF() > 0:
            big.setPointSizeF(big.pointSizeF() * 1.25)
        else:
            big.setPixelSize(round(big.pixelSize() * 1.25))
        self.setFont(big)

        self.canvas = PhotoCanvas(image, self)
        self.canvas.setObjectName("photoCanvas")
        for layer in self.photo.annotations:
            item = item_from_layer(layer, self.canvas.image_rect)
            self.canvas.add_layer_item(item)
            if read_only or (self.redact_only and item.layer_kind != "redact"):
                item.lock()
        self.canvas.itemDrawn.connect(self._item_drawn)
        self.canvas.textRequested.connect(self._add_text)
        self.canvas.textEditRequested.connect(self._edit_text)

        self._build_toolbar()
        self.hint = QLabel(self)
        self.hint.setWordWrap(True)
        self.hint.setObjectName("editorHint")

        self.preview_button = QPushButton(self.tr("Preview export"), self)
        self.preview_button.setCheckable(True)
        self.preview_button.setToolTip(self.tr("Show the photo exactly as reports and exports will show it (P)"))
        self.preview_button.setShortcut(QKeySequence(Qt.Key.Key_P))
        self.preview_button.toggled.connect(self.set_preview)
        self.cancel_button = QPushButton(self.tr("Close") if read_only else self.tr("Cancel"), self)
        self.cancel_button.clicked.connect(self.reject)
        self.save_button = QPushButton(self.tr("Save"), self)
        self.save_button.setDefault(True)
        self.save_button.setShortcut(QKeySequence.StandardKey.Save)
        self.save_button.clicked.connect(self.save)
        self.save_button.setVisible(not read_only)
        for button in (self.preview_button, self.cancel_button, self.save_button):
            button.setMinimumSize(QSize(120, 48))

        bottom = QHBoxLayout()
        bottom.addWidget(self.hint, 1)
        bottom.addWidget(self.preview_button)
        bottom.addWidget(self.cancel_button)
        bottom.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.toolbar)
        layout.addWidget(self.canvas, 1)
        layout.addLayout(bottom)

        self._initial_layers = self.layers()
        self.set_tool(Tool.REDACT_SOLID if self.redact_only else Tool.SELECT)

    def _build_toolbar(self) -> None:
        self.toolbar = QToolBar(self)
        self.toolbar.setIconSize(QSize(32, 32))
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.tool_group = QActionGroup(self)
        self.tool_group.setExclusive(True)
        labels: dict[Tool, tuple[str, str]] = {
            Tool.SELECT: (self.tr("Select"), "V"),
            Tool.ARROW: (self.tr("Arrow"), "A"),
            Tool.RECT: (self.tr("Rectangle"), "R"),
            Tool.ELLIPSE: (self.tr("Ellipse"), "E"),
            Tool.TEXT: (self.tr("Text"), "T"),
            Tool.REDACT_SOLID: (self.tr("Black out"), "B"),
            Tool.REDACT_BLUR: (self.tr("Blur"), "M"),
        }
        self.tool_actions: dict[Tool, QAction] = {}
        for tool, (label, key) in labels.items():
            action = QAction(_tool_icon(tool), label, self)
            action.setCheckable(True)
            action.setShortcut(QKeySequence(key))
            action.setToolTip(f"{label} ({key})")
            action.setData(tool.value)
            action.triggered.connect(lambda _checked=False, t=tool: self.set_tool(t))
            allowed = not self.read_only and (not self.redact_only or tool in REDACTION_TOOLS or tool == Tool.SELECT)
            action.setEnabled(allowed or tool == Tool.SELECT)
            self.tool_group.addAction(action)
            self.toolbar.addAction(action)
            self.tool_actions[tool] = action
            if tool == Tool.TEXT:
                self.toolbar.addSeparator()
        self.toolbar.addSeparator()

        self.delete_action = QAction(self.style().standardIcon(QStyle.StandardPixmap.SP_TrashIcon), self.tr("Delete"), self)
        self.delete_action.setShortcuts([QKeySequence(QKeySequence.StandardKey.Delete), QKeySequence(Qt.Key.Key_Backspace)])
        self.delete_action.setToolTip(self.tr("Delete the selected mark (Del)"))
        self.delete_action.triggered.connect(self.delete_selected)
        self.delete_action.setEnabled(not self.read_only)
        self.toolbar.addAction(self.delete_action)

        self.color_box = QComboBox(self)
        self.color_box.setIconSize(QSize(24, 24))
        self.color_box.setMinimumHeight(44)
        self.color_box.setToolTip(self.tr("Colour of new marks and of the selected mark"))
        colours = [
            ("#e53935", self.tr("Red")),
            ("#fdd835", self.tr("Yellow")),
            ("#1e88e5", self.tr("Blue")),
            ("#43a047", self.tr("Green")),
            ("#ffffff", self.tr("White")),
            ("#000000", self.tr("Black")),
        ]
        for value, name in colours:
            self.color_box.addItem(_swatch(value), name, value)
        self.color_box.currentIndexChanged.connect(self._color_chosen)
        self.color_box.setEnabled(not self.read_only and not self.redact_only)
        colour_label = QLabel(self.tr("Colour:"), self)
        colour_label.setBuddy(self.color_box)
        self.toolbar.addWidget(colour_label)
        self.toolbar.addWidget(self.color_box)
        for action in self.toolbar.actions():
            button = self.toolbar.widgetForAction(action)
            if isinstance(button, QToolButton):
                button.setMinimumHeight(48)

    # --- tools ----------------------------------------------------------------------

    def set_tool(self, tool: Tool) -> None:
        if not self.tool_actions[tool].isEnabled():
            return
        self.tool_actions[tool].setChecked(True)
        self.canvas.set_tool(tool)
        self._update_hint()

    def _update_hint(self) -> None:
        if self.preview_button.isChecked():
            text = self.tr("Preview: the photo exactly as it will appear in reports and exports.")
        elif self.read_only:
            text = self.tr("Read-only: the photo can be viewed and previewed but not changed.")
        else:
            hints = {
                Tool.SELECT: self.tr("Tap a mark to select it, drag to move it; Delete removes it. Double-tap a label to change its text."),
                Tool.ARROW: self.tr("Drag to draw an arrow; the head is where you let go."),
                Tool.RECT: self.tr("Drag to draw a rectangle around the problem."),
                Tool.ELLIPSE: self.tr("Drag to draw an ellipse around the problem."),
                Tool.TEXT: self.tr("Tap where the label should start, then type its text."),
                Tool.REDACT_SOLID: self.tr("Drag over a face, name or number: it is covered with black in every export."),
                Tool.REDACT_BLUR: self.tr("Drag over a face, name or number: it is blurred beyond recognition in every export."),
            }
            text = hints[self.canvas.tool]
            if self.redact_only:
                text = self.tr("The visit is finalized: only redactions can be added or changed.") + " " + text
        self.hint.setText(text)

    def _color_chosen(self, _index: int) -> None:
        color = str(self.color_box.currentData())
        self.canvas.color = color
        for item in self.canvas.scene().selectedItems():
            if isinstance(item, _LayerItem):
                item.set_color(color)

    def _item_drawn(self, _item: LayerItem) -> None:
        self._update_hint()

    def _add_text(self, point: QPointF) -> None:
        text = ask_text(self, self.tr("Text label"), self.tr("Text of the label:"))
        if text is None:
            return
        item = TextItem(self.canvas.image_rect, text[:200], color=self.canvas.color)
        item.setPos(item._clamped_position(point))
        self.canvas.add_layer_item(item)
        self.canvas.scene().clearSelection()
        item.setSelected(True)

    def _edit_text(self, item: TextItem) -> None:
        text = ask_text(self, self.tr("Text label"), self.tr("Text of the label:"), item.text())
        if text is not None:
            item.setText(text[:200])

    def delete_selected(self) -> None:
        """Remove the selected layers (only those this mode may change)."""
        if self.read_only or self.preview_button.isChecked():
            return
        for item in self.canvas.scene().selectedItems():
            if isinstance(item, _LayerItem) and item.flags() & QGraphicsItem.GraphicsItemFlag.ItemIsMovable:
                self.canvas.scene().removeItem(item)

    def layers(self) -> list[dict[str, Any]]:
        """Every layer as the service stores it: fractions of the photo, drawing order kept."""
        out = []
        for item in self.canvas.layer_items():
            layer = item.to_layer()
            if layer is not None:
                out.append(layer)
        return out

    def has_changes(self) -> bool:
        return self.layers() != self._initial_layers

    # --- preview --------------------------------------------------------------------

    def set_preview(self, on: bool) -> None:
        """Show the export rendering (redactions burned in) instead of the editable layers."""
        if self.preview_button.isChecked() != on:
            self.preview_button.setChecked(on)  # re-enters through toggled
            return
        self._preview_generation += 1
        self.toolbar.setEnabled(not on)
        if not on:
            self.canvas.preview_item.setVisible(False)
            for item in self.canvas.layer_items():
                item.setVisible(True)
            self._update_hint()
            return
        self.canvas.scene().clearSelection()
        self.hint.setText(self.tr("Preparing the preview…"))
        generation, stored, layers = self._preview_generation, self._stored, self.layers()
        run_op(
            self,
            lambda _progress, _token: render_preview(stored, layers),
            lambda image: self._show_preview(generation, image),
            title=self.tr("Preview not available"),
            pool="cpu",
        )

    def _show_preview(self, generation: int, image: QImage) -> None:
        if generation != self._preview_generation or not self.preview_button.isChecked():
            return  # toggled off (or again) while rendering: a stale picture
        self.canvas.preview_item.setPixmap(QPixmap.fromImage(image))
        self.canvas.preview_item.setVisible(True)
        for item in self.canvas.layer_items():
            item.setVisible(False)
        self._update_hint()

    def preview_shown(self) -> bool:
        return self.canvas.preview_item.isVisible()

    # --- save and close -------------------------------------------------------------

    def save(self) -> Op | None:
        """Write the layers through the service in the database worker; close on success."""
        if self.read_only or self._saving:
            return None
        self._saving = True
        self.save_button.setEnabled(False)
        db, photo_id, layers = self.db, self.photo.id, self.layers()
        return run_op(
            self,
            lambda _progress, _token: photos.set_annotations(db, photo_id, layers),
            self._saved,
            title=self.tr("Marks not saved"),
            on_finished=self._save_ended,
        )

    def _saved(self, info: PhotoInfo) -> None:
        self._saving = False
        self.photo = info
        self._initial_layers = self.layers()
        self.saved.emit()
        self.accept()

    def _save_ended(self) -> None:
        """After any outcome; a save that failed (message already shown) may be tried again."""
        if self._saving:
            self._saving = False
            self.save_button.setEnabled(True)

    def busy(self) -> bool:
        return bool(running_ops(self))

    def reject(self) -> None:
        """Ask before dropping unsaved marks: a lost redaction is a privacy leak later."""
        if (
            not self.read_only
            and not self._saving
            and self.has_changes()
            and not confirm_discard(
                self, self.tr("Unsaved changes"), self.tr("Discard the changes to the marks and redactions of this photo?")
            )
        ):
            return
        super().reject()
