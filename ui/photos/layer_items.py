"""The editable marks over a photo: box (mark or redaction), ellipse, arrow, text label.

The scene uses the stored photo's pixels as its coordinates, so a layer's fractions are
its scene geometry divided by the photo size (see ``auditapp.photos.annotations``).
"""

from __future__ import annotations

import math
from typing import Any

from PySide6.QtCore import QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetricsF,
    QPainter,
    QPainterPath,
    QPainterPathStroker,
    QPen,
    QPolygonF,
)
from PySide6.QtWidgets import (
    QGraphicsEllipseItem,
    QGraphicsItem,
    QGraphicsPathItem,
    QGraphicsRectItem,
    QGraphicsSimpleTextItem,
    QStyle,
    QStyleOptionGraphicsItem,
    QWidget,
)

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


def _round(value: float) -> float:
    return round(min(1.0, max(0.0, value)), DIGITS)


# --- layer items --------------------------------------------------------------------


class LayerItemBase:
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


class BoxItem(LayerItemBase, QGraphicsRectItem):
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


class EllipseItem(LayerItemBase, QGraphicsEllipseItem):
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


class ArrowItem(LayerItemBase, QGraphicsPathItem):
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


class TextItem(LayerItemBase, QGraphicsSimpleTextItem):
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

