"""The annotation and redaction editor: marks and redaction boxes drawn over a stored
photo as vector layers, saved as fractions of the picture through the photo service.

The stored picture never changes. The scene uses the stored photo's pixels as its
coordinates, so a layer's fractions are its scene geometry divided by the photo size;
"Preview export" shows the output of the same ``render`` that reports and exports use.
"""

from __future__ import annotations

import io
from typing import Any

from PIL import Image
from PySide6.QtCore import QPointF, QSize, Qt, Signal
from PySide6.QtGui import (
    QAction,
    QActionGroup,
    QFont,
    QImage,
    QKeySequence,
    QPixmap,
)
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QGraphicsItem,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QStyle,
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
from ui.photos.canvas import REDACTION_TOOLS, PhotoCanvas, Tool, swatch, tool_icon
from ui.photos.layer_items import LayerItem, LayerItemBase, TextItem, item_from_layer
from ui.workers import Op, run_op, running_ops


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
            action = QAction(tool_icon(tool), label, self)
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
            self.color_box.addItem(swatch(value), name, value)
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
            if isinstance(item, LayerItemBase):
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
            if isinstance(item, LayerItemBase) and item.flags() & QGraphicsItem.GraphicsItemFlag.ItemIsMovable:
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
