"""A horizontal strip of the photos attached to one target (a visit, checklist item,
finding or rectification), and every way of adding to it: file dialog, camera,
drag-and-drop and paste.

Imports run through :func:`ui.workers.run_op` with a progress dialog that can cancel between
photos; one bad file is reported by name and does not stop the others.
"""

from __future__ import annotations

import io
import logging
import shutil
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from PIL import Image
from PySide6.QtCore import QMimeData, QPoint, QSize, Qt, Signal
from PySide6.QtGui import (
    QAction,
    QColor,
    QDragEnterEvent,
    QDragLeaveEvent,
    QDragMoveEvent,
    QDropEvent,
    QIcon,
    QImage,
    QKeySequence,
    QPainter,
    QPixmap,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QHBoxLayout,
    QLabel,
    QListView,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from auditapp.db import Database
from auditapp.errors import AuditAppError, PhotoError
from auditapp.photos.annotations import parse_layers, render
from auditapp.photos.ingest import DEFAULT_MAX_SIDE
from auditapp.photos.store import PhotoStore
from auditapp.progress import CancelToken, Progress
from auditapp.services import photos
from auditapp.services.photos import PhotoInfo
from ui import messages
from ui.photos import camera
from ui.workers import Op, run_op, running_ops

log = logging.getLogger(__name__)

THUMB_SIDE = 112
# The empty strip must look like a place to drop photos; while dragging, both states light up.
_STYLE = """
QLabel#photoPlaceholder { border: 2px dashed #90a4ae; border-radius: 6px; color: #455a64; padding: 8px; }
QLabel#photoPlaceholder[dropping="true"], QListWidget#photoList[dropping="true"] {
    border: 2px solid #1e88e5; background: #e3f2fd;
}
"""
# What the file dialog offers; the service decides by content, so a drop is not filtered.
IMAGE_PATTERNS = "*.jpg *.jpeg *.png *.webp *.heic *.heif *.JPG *.JPEG *.PNG *.WEBP *.HEIC *.HEIF"


def choose_photo_files(parent: QWidget, title: str, name_filter: str) -> list[Path]:
    """The one place the strip opens a file dialog, so tests can replace it."""
    return messages.choose_open_files(parent, title, name_filter, key="photos")


def ask_caption(parent: QWidget, title: str, label: str, text: str) -> str | None:
    """The one place the strip asks for a caption; None when cancelled."""
    return messages.ask_text(parent, title, label, text)


@dataclass(frozen=True)
class PhotoTarget:
    """What new photos attach to; exactly the arguments ``photos.add_photos`` takes."""

    visit_id: str
    item_id: str | None = None
    finding_id: str | None = None
    rectification_id: str | None = None
    kind: str = "evidence"

    @property
    def stored_kind(self) -> str:
        """The service files evidence sent to a rectification as an after-photo."""
        return "after" if self.rectification_id is not None and self.kind == "evidence" else self.kind

    def add_kwargs(self) -> dict[str, Any]:
        return {
            "item_id": self.item_id,
            "finding_id": self.finding_id,
            "rectification_id": self.rectification_id,
            "kind": self.kind,
        }


@dataclass
class ImportResult:
    """Outcome of one import: what was added, which files failed and why."""

    added: list[PhotoInfo] = field(default_factory=list)
    failed: list[tuple[str, AuditAppError]] = field(default_factory=list)
    cancelled: bool = False


def import_photo_files(
    db: Database,
    target: PhotoTarget,
    files: Sequence[Path],
    progress: Progress,
    cancel: CancelToken,
    *,
    max_side: int = DEFAULT_MAX_SIDE,
) -> ImportResult:
    """Add ``files`` one by one so a damaged file is reported and the rest still arrive.

    Errors about the target itself (finalized visit, missing item) concern every file
    alike and propagate at once instead of being repeated per file.
    """
    result = ImportResult()
    total = len(files)
    progress(0, total, "")
    for done, file in enumerate(files):
        if cancel.cancelled:
            result.cancelled = True
            break
        try:
            result.added.extend(
                photos.add_photos(db, target.visit_id, [file], max_side=max_side, **target.add_kwargs())
            )
        except PhotoError as exc:
            result.failed.append((Path(file).name, exc))
        progress(done + 1, total, Path(file).name)
    return result


class PhotoStrip(QWidget):
    """Thumbnails of the photos attached to exactly one target, with ways to add more.

    ``photosChanged`` is emitted after every import, deletion, restore, caption or
    annotation change, so screens showing counts or "photo required" flags can refresh.
    """

    # Stored long side of imported photos: the user's setting (Settings → photo size).
    max_side: int = DEFAULT_MAX_SIDE

    photosChanged = Signal()

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self._target: PhotoTarget | None = None
        self._editable = True
        self._photos: list[PhotoInfo] = []
        self._deleted: list[str] = []
        self._thumb_generation = 0
        self._thumbs: Op | None = None
        self._blank: QIcon | None = None

        self.list = QListWidget(self)
        self.list.setObjectName("photoList")
        self.list.setViewMode(QListView.ViewMode.IconMode)
        self.list.setFlow(QListView.Flow.LeftToRight)
        self.list.setWrapping(False)
        self.list.setMovement(QListView.Movement.Static)
        self.list.setResizeMode(QListView.ResizeMode.Adjust)
        self.list.setIconSize(QSize(THUMB_SIDE, THUMB_SIDE))
        cell_height = THUMB_SIDE + self.list.fontMetrics().height() + 14  # room for a one-line caption
        self.list.setGridSize(QSize(THUMB_SIDE + 16, cell_height))
        self.list.setUniformItemSizes(True)
        self.list.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.list.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.list.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        # Drops are handled by the strip as a whole (the list would treat them as moves).
        self.list.setDragEnabled(False)
        self.list.setAcceptDrops(False)
        self.list.viewport().setAcceptDrops(False)
        # Activation is a double-click (or Enter) by platform convention; listening to
        # itemDoubleClicked too would open two editors.
        self.list.itemActivated.connect(self._open_item)
        self.list.customContextMenuRequested.connect(self._show_context_menu)
        self.list.itemSelectionChanged.connect(self._update_actions)

        self.placeholder = QLabel(self)
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.placeholder.setWordWrap(True)
        self.placeholder.setObjectName("photoPlaceholder")
        self.pages = QStackedWidget(self)
        self.pages.addWidget(self.placeholder)
        self.pages.addWidget(self.list)
        strip_height = cell_height + 2 * self.list.frameWidth() + self.list.horizontalScrollBar().sizeHint().height()
        self.pages.setFixedHeight(strip_height)

        self.add_button = QPushButton(self.tr("Add photos…"), self)
        self.add_button.setToolTip(self.tr("Choose photo files (JPEG, PNG, WebP, HEIC)"))
        self.add_button.clicked.connect(self.choose_files)
        self.camera_button = QPushButton(self.tr("Take photo"), self)
        self.camera_button.setToolTip(self.tr("Take a photo with this computer's camera"))
        self.camera_button.clicked.connect(self.take_photo)
        for button in (self.add_button, self.camera_button):
            button.setMinimumHeight(44)

        self.undo_label = QLabel(self)
        self.undo_button = QPushButton(self.tr("Undo"), self)
        self.undo_button.setMinimumHeight(36)
        self.undo_button.clicked.connect(self.undo_delete)
        undo_bar = QHBoxLayout()
        undo_bar.setContentsMargins(0, 0, 0, 0)
        undo_bar.addWidget(self.undo_label, 1)
        undo_bar.addWidget(self.undo_button)
        self._set_undo_visible(False)

        buttons = QVBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.camera_button)
        buttons.addStretch(1)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.pages, 1)
        row.addLayout(buttons)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(row)
        layout.addLayout(undo_bar)

        self.setStyleSheet(_STYLE)
        self._build_actions()
        self.setAcceptDrops(True)
        # Focusable even while it shows only the placeholder, so Ctrl+V works on an empty strip.
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.set_target(None)

    def _build_actions(self) -> None:
        """Actions are defined once and shared by shortcuts and the context menu."""
        context = Qt.ShortcutContext.WidgetWithChildrenShortcut
        self.paste_action = QAction(self.tr("Paste photo"), self)
        self.paste_action.setShortcut(QKeySequence.StandardKey.Paste)
        self.paste_action.setShortcutContext(context)
        self.paste_action.triggered.connect(self.paste)
        self.edit_action = QAction(self.tr("Annotate or redact…"), self)
        self.edit_action.triggered.connect(self._open_current)
        self.caption_action = QAction(self.tr("Edit caption…"), self)
        self.caption_action.triggered.connect(self._edit_caption)
        self.delete_action = QAction(self.tr("Delete photo"), self)
        self.delete_action.setShortcut(QKeySequence.StandardKey.Delete)
        self.delete_action.setShortcutContext(context)
        self.delete_action.triggered.connect(self.delete_selected)
        for action in (self.paste_action, self.delete_action):
            self.addAction(action)

    # --- target and listing -------------------------------------------------------

    def set_target(
        self,
        visit_id: str | None,
        *,
        item_id: str | None = None,
        finding_id: str | None = None,
        rectification_id: str | None = None,
        kind: str = "evidence",
        editable: bool = True,
    ) -> None:
        """Show the photos of exactly this target; new photos will attach to it.

        ``editable=False`` (a finalized visit, a read-only view) blocks adding, deleting
        and captions; the editor still opens, because redacting stays allowed.
        """
        self._target = (
            PhotoTarget(visit_id, item_id=item_id, finding_id=finding_id, rectification_id=rectification_id, kind=kind)
            if visit_id is not None
            else None
        )
        self._editable = editable
        self._deleted = []
        self._set_undo_visible(False)
        self.refresh()

    def target(self) -> PhotoTarget | None:
        return self._target

    def refresh(self) -> None:
        """Reload from the service (one query) in place; the thumbnails are drawn in the CPU pool.

        Decoding and drawing the layers of 30 thumbnails takes about 200 ms: on the GUI
        thread that froze the window at the end of every import (and on every item with
        photos). Until they arrive each photo shows a blank square of the same size.
        """
        self._photos = self._load_photos()
        self.list.clear()
        for photo in self._photos:
            self.list.addItem(self._make_item(photo))
        self.pages.setCurrentWidget(self.list if self._photos else self.placeholder)
        self._update_actions()
        self._load_thumbnails()

    def _load_thumbnails(self) -> None:
        self._thumb_generation += 1
        if self._thumbs is not None and self._thumbs.is_running():
            self._thumbs.cancel()  # a newer list is on screen: its thumbnails, not these
        self._thumbs = None
        if not self._photos:
            return
        generation, store = self._thumb_generation, photos.photo_store(self.db)
        wanted = [(p.id, p.thumb_sha256, p.annotations) for p in self._photos]

        def op(_progress: Progress, token: CancelToken) -> dict[str, QImage | None]:
            images: dict[str, QImage | None] = {}
            for photo_id, sha, layers in wanted:
                if token.cancelled:
                    break
                images[photo_id] = thumbnail_image(store, photo_id, sha, layers)
            return images

        def done(images: dict[str, QImage | None]) -> None:
            if generation != self._thumb_generation:
                return
            for row in range(self.list.count()):
                item = self.list.item(row)
                photo_id = str(item.data(Qt.ItemDataRole.UserRole))
                if photo_id in images:
                    image = images[photo_id]
                    item.setIcon(QIcon(QPixmap.fromImage(image) if image is not None else self._missing_pixmap()))

        self._thumbs = run_op(self, op, done, title=self.tr("Photos"), pool="cpu")

    def photo_count(self) -> int:
        return len(self._photos)

    def photo_ids(self) -> list[str]:
        return [p.id for p in self._photos]

    def _load_photos(self) -> list[PhotoInfo]:
        target = self._target
        if target is None:
            return []
        if target.item_id is not None:
            found = photos.list_photos(self.db, target.visit_id, item_id=target.item_id)
        elif target.finding_id is not None:
            found = photos.list_photos(self.db, target.visit_id, finding_id=target.finding_id)
        elif target.rectification_id is not None:
            found = photos.list_photos(self.db, rectification_id=target.rectification_id)
        else:
            found = [
                p
                for p in photos.list_photos(self.db, target.visit_id)
                if p.answer_id is None and p.finding_id is None and p.rectification_id is None
            ]
        return [p for p in found if p.kind == target.stored_kind]

    def _make_item(self, photo: PhotoInfo) -> QListWidgetItem:
        item = QListWidgetItem(self._blank_icon(), "")
        item.setData(Qt.ItemDataRole.UserRole, photo.id)
        if photo.caption:
            metrics = self.list.fontMetrics()
            item.setText(metrics.elidedText(photo.caption, Qt.TextElideMode.ElideRight, THUMB_SIDE))
        tip = [photo.original_filename]
        if photo.caption:
            tip.append(photo.caption)
        if photo.taken_at is not None:
            tip.append(self.tr("Taken %1").replace("%1", f"{photo.taken_at:%Y-%m-%d %H:%M}"))
        marks = len(photo.annotations)
        if marks:
            tip.append(self.tr("%n mark(s) or redaction(s)", "", marks))
        item.setToolTip("\n".join(tip))
        return item

    def _blank_icon(self) -> QIcon:
        if self._blank is None:
            pixmap = QPixmap(THUMB_SIDE, THUMB_SIDE)
            pixmap.fill(QColor("#f3f4f6"))
            self._blank = QIcon(pixmap)
        return self._blank

    def _missing_pixmap(self) -> QPixmap:
        pixmap = QPixmap(THUMB_SIDE, THUMB_SIDE)
        pixmap.fill(QColor("#eeeeee"))
        painter = QPainter(pixmap)
        painter.setPen(QColor("#c62828"))
        painter.drawText(pixmap.rect(), Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap, self.tr("Photo file missing"))
        painter.end()
        return pixmap

    def _can_add(self) -> bool:
        return self._target is not None and self._editable

    def _update_actions(self) -> None:
        can_add = self._can_add()
        selected = bool(self.list.selectedItems())
        self.add_button.setEnabled(can_add)
        self.camera_button.setEnabled(can_add)
        self.paste_action.setEnabled(can_add)
        self.delete_action.setEnabled(self._editable and selected)
        self.caption_action.setEnabled(self._editable and selected)
        self.edit_action.setEnabled(selected)
        if self._target is None:
            self.placeholder.setText(self.tr("Choose an item to see its photos."))
        elif can_add:
            self.placeholder.setText(
                self.tr("No photos yet. Drop photo files here, paste a picture (Ctrl+V) or use “Add photos…”.")
            )
        else:
            self.placeholder.setText(self.tr("No photos."))

    # --- adding ---------------------------------------------------------------------

    def choose_files(self) -> None:
        files = choose_photo_files(
            self,
            self.tr("Add photos"),
            self.tr("Photos (%1)").replace("%1", IMAGE_PATTERNS) + ";;" + self.tr("All files (*)"),
        )
        if files:
            self.import_files(files)

    def take_photo(self) -> None:
        """Open the camera dialog, or say plainly that this computer has no camera."""
        if not self._can_add():
            return
        if not camera.available_cameras():
            messages.show_info(
                self,
                self.tr("Take photo"),
                self.tr(
                    "No camera was detected on this computer. Take the photo with a phone or camera "
                    "and add it with “Add photos…”, or drop the file here."
                ),
            )
            return
        try:
            dialog = camera.CameraDialog(self)
        except AuditAppError as exc:
            messages.show_error(self, self.tr("Take photo"), exc)
            return
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self._import_captured(dialog.captured_path()))
        dialog.open()

    def _import_captured(self, path: Path | None) -> None:
        if path is not None:
            self._start_import(lambda: [path], count=1, cleanup=lambda: shutil.rmtree(path.parent, ignore_errors=True))

    def import_files(self, paths: list[Path]) -> Op:
        """Import files into the current target in the background; returns the running task."""
        files = [Path(p) for p in paths]
        return self._start_import(lambda: files, count=len(files))

    def import_image(self, image: QImage) -> Op:
        """Import a picture that exists only in memory (clipboard, screenshot).

        It is written as a PNG into a private temporary folder inside the task, and the
        folder is removed when the task ends.
        """
        folder = Path(tempfile.mkdtemp(prefix="auditapp-paste-"))
        path = folder / f"pasted-{datetime.now():%Y%m%d-%H%M%S}.png"
        picture = image.copy()

        def write() -> list[Path]:
            if not picture.save(str(path), "PNG"):
                raise PhotoError(f"{path.name}: the pasted picture could not be written to {folder}")
            return [path]

        return self._start_import(write, count=1, cleanup=lambda: shutil.rmtree(folder, ignore_errors=True))

    def paste(self) -> None:
        """Paste from the clipboard: photo files copied in a file manager, or a picture."""
        if not self._can_add():
            return
        mime = QApplication.clipboard().mimeData()
        files = _local_files(mime) if mime is not None else []
        if files:
            self.import_files(files)
        elif mime is not None and mime.hasImage():
            image = QImage(mime.imageData())
            if not image.isNull():
                self.import_image(image)
        else:
            messages.show_info(self, self.tr("Paste photo"), self.tr("The clipboard holds no picture or photo file."))

    def _start_import(
        self, prepare: Callable[[], list[Path]], *, count: int, cleanup: Callable[[], None] = lambda: None
    ) -> Op:
        target = self._target
        if target is None or not self._editable:
            cleanup()
            raise RuntimeError("the strip has no editable target")
        db = self.db

        def op(progress: Progress, token: CancelToken) -> ImportResult:
            return import_photo_files(db, target, prepare(), progress, token, max_side=self.max_side)

        return run_op(
            self,
            op,
            lambda result: self._imported(target, result),
            progress=self.tr("Importing photos…"),
            total=max(count, 1),
            title=self.tr("Add photos"),
            error_title=self.tr("Photos not imported"),
            on_finished=cleanup,
        )

    def _imported(self, target: PhotoTarget, result: ImportResult) -> None:
        if result.added:
            self.refresh()
            self.photosChanged.emit()
        if result.failed:
            lines = [msg if msg.startswith(name) else f"{name}: {msg}" for name, msg in ((n, e.message()) for n, e in result.failed)]
            head = self.tr("%n photo(s) could not be imported:", "", len(result.failed))
            hints = sorted({messages.gui_hint(e) for _n, e in result.failed} - {""})
            messages.show_text_error(self, self.tr("Photos not imported"), "\n".join([head, *lines]), "\n".join(hints))

    # --- drag and drop --------------------------------------------------------------

    def _accepts(self, mime: QMimeData | None) -> bool:
        return self._can_add() and mime is not None and (bool(_local_files(mime)) or mime.hasImage())

    def _set_drop_highlight(self, on: bool) -> None:
        for widget in (self.placeholder, self.list):
            widget.setProperty("dropping", on)
            widget.style().unpolish(widget)
            widget.style().polish(widget)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if self._accepts(event.mimeData()):
            event.acceptProposedAction()
            self._set_drop_highlight(True)
        else:
            event.ignore()

    def dragLeaveEvent(self, event: QDragLeaveEvent) -> None:
        self._set_drop_highlight(False)
        super().dragLeaveEvent(event)

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        if self._accepts(event.mimeData()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        self._set_drop_highlight(False)
        mime = event.mimeData()
        if not self._accepts(mime):
            event.ignore()
            return
        event.acceptProposedAction()
        files = _local_files(mime)
        if files:
            self.import_files(files)
        else:
            self.import_image(QImage(mime.imageData()))

    # --- editing, captions, deletion ------------------------------------------------

    def _selected_ids(self) -> list[str]:
        return [str(item.data(Qt.ItemDataRole.UserRole)) for item in self.list.selectedItems()]

    def _open_item(self, item: QListWidgetItem) -> None:
        self.open_editor(str(item.data(Qt.ItemDataRole.UserRole)))

    def _open_current(self) -> None:
        ids = self._selected_ids()
        if ids:
            self.open_editor(ids[0])

    def open_editor(self, photo_id: str) -> None:
        """Open the annotation editor window-modally; the strip refreshes when it saves."""
        from ui.photos.editor import PhotoEditorDialog

        try:
            dialog = PhotoEditorDialog(self.db, photo_id, self)
        except AuditAppError as exc:
            messages.show_error(self, self.tr("Photo"), exc)
            return
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.saved.connect(self._changed)
        dialog.open()

    def _changed(self) -> None:
        self.refresh()
        self.photosChanged.emit()

    def _edit_caption(self) -> None:
        ids = self._selected_ids()
        photo = next((p for p in self._photos if ids and p.id == ids[0]), None)
        if photo is None:
            return
        text = ask_caption(self, self.tr("Caption"), self.tr("Caption of the photo:"), photo.caption)
        if text is None or text.strip() == photo.caption:
            return
        self._run_db(lambda: photos.set_caption(self.db, photo.id, text), self.tr("Caption not saved"), lambda _r: self._changed())

    def delete_selected(self) -> Op | None:
        """Delete the selected photos (tombstoned, so “Undo” can bring them back)."""
        ids = self._selected_ids()
        if not ids or not self._editable:
            return None
        db = self.db

        def op() -> list[str]:
            for photo_id in ids:
                photos.delete_photo(db, photo_id)
            return ids

        return self._run_db(op, self.tr("Photo not deleted"), self._deleted_done)

    def _deleted_done(self, ids: list[str]) -> None:
        self._deleted = ids
        self.undo_label.setText(self.tr("%n photo(s) deleted.", "", len(ids)))
        self._set_undo_visible(True)
        self._changed()

    def undo_delete(self) -> Op | None:
        ids, self._deleted = self._deleted, []
        self._set_undo_visible(False)
        if not ids:
            return None
        db = self.db
        return self._run_db(
            lambda: [photos.restore_photo(db, i) for i in ids], self.tr("Photo not restored"), lambda _r: self._changed()
        )

    def _set_undo_visible(self, visible: bool) -> None:
        self.undo_label.setVisible(visible)
        self.undo_button.setVisible(visible)

    def _run_db(self, op: Callable[[], Any], error_title: str, on_success: Callable[[Any], None]) -> Op:
        """Small writes also go through the one database worker, so they queue behind imports."""
        return run_op(self, lambda _progress, _token: op(), on_success, title=error_title)

    def _show_context_menu(self, pos: QPoint) -> None:
        item = self.list.itemAt(pos)
        if item is not None and not item.isSelected():
            self.list.setCurrentItem(item)
        menu = QMenu(self)
        for action in (self.edit_action, self.caption_action, self.delete_action):
            menu.addAction(action)
        menu.addSeparator()
        menu.addAction(self.paste_action)
        menu.exec(self.list.viewport().mapToGlobal(pos))

    def busy(self) -> bool:
        """True while an import, another write or the drawing of its thumbnails still runs."""
        return bool(running_ops(self))


def thumbnail_image(store: PhotoStore, photo_id: str, thumb_sha256: str, layers: list[dict[str, Any]]) -> QImage | None:
    """A stored thumbnail with its layers drawn (redactions show in the strip too), squared.

    Safe in a worker thread (Pillow and QImage, no QPixmap); None when the file is missing.
    """
    try:
        data = store.read(thumb_sha256)
        with Image.open(io.BytesIO(data)) as image:
            picture = render(image, parse_layers(layers))
    except (AuditAppError, OSError) as exc:
        log.warning("thumbnail of photo %s unavailable: %s", photo_id, exc)
        return None
    qimage = QImage(
        picture.tobytes("raw", "RGB"), picture.width, picture.height, 3 * picture.width, QImage.Format.Format_RGB888
    )
    return _squared(qimage)


def _squared(picture: QImage) -> QImage:
    """Centre a thumbnail on a transparent square: portrait and landscape photos then
    line up in the strip and their captions start at the same height."""
    side = max(picture.width(), picture.height(), 1)
    square = QImage(side, side, QImage.Format.Format_ARGB32_Premultiplied)
    square.fill(Qt.GlobalColor.transparent)
    painter = QPainter(square)
    painter.drawImage((side - picture.width()) // 2, (side - picture.height()) // 2, picture)
    painter.end()
    return square


def _local_files(mime: QMimeData) -> list[Path]:
    """Local files among dragged or copied URLs; folders and web links are skipped."""
    if not mime.hasUrls():
        return []
    files = [Path(url.toLocalFile()) for url in mime.urls() if url.isLocalFile()]
    return [f for f in files if not f.is_dir()]
