"""Photo strip, editor and camera button: photos arrive by drop and paste, redactions are
saved as fractions (also on finalized visits), and a missing camera is a message."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import pytest
from PIL import Image
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QColor, QDragEnterEvent, QDropEvent, QImage
from PySide6.QtWidgets import QApplication

from auditapp.services import institutions, photos, visits
from ui.photos import camera
from ui.photos.editor import PhotoEditorDialog, Tool
from ui.photos.strip import PhotoStrip
from ui.workers import db_pool

ITEM = "basics.toilets.clean"


@pytest.fixture
def visit(db, fixture_library):  # type: ignore[no-untyped-def]
    inst = institutions.add_institution(db, name="照片医院", kind="tcm", level=3)
    return visits.start_visit(db, institution=inst.id, inspector="王", library=fixture_library)


@pytest.fixture(autouse=True)
def _never_block(monkeypatch: pytest.MonkeyPatch) -> None:
    """A question box would hang the run when a test closes an editor with unsaved marks."""
    from ui.photos import editor

    monkeypatch.setattr(editor, "confirm_discard", lambda *_args: True)


@pytest.fixture
def strip(qtbot, db, visit):  # type: ignore[no-untyped-def]
    widget = PhotoStrip(db)
    qtbot.addWidget(widget)
    widget.set_target(visit.id, item_id=ITEM)
    widget.resize(700, 200)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def _jpeg(path: Path, size: tuple[int, int] = (400, 300)) -> Path:
    """A photo whose four quadrants differ, so a burned-in redaction is visible in pixels."""
    image = Image.new("RGB", size, (230, 230, 230))
    w, h = size
    image.paste((200, 40, 40), (0, 0, w // 2, h // 2))
    image.paste((40, 160, 60), (w // 2, 0, w, h // 2))
    image.paste((40, 60, 200), (0, h // 2, w // 2, h))
    image.save(path, format="JPEG", quality=90)
    return path


def _item_photo_count(db, visit_id: str) -> int:  # type: ignore[no-untyped-def]
    view = next(v for v in visits.visit_detail(db, visit_id).items if v.item.id == ITEM)
    return view.photo_count


def _drop(widget, files: list[Path]) -> tuple[bool, bool]:  # type: ignore[no-untyped-def]
    """Drag files over ``widget`` and drop them, as a file manager does; (entered, dropped) accepted?

    Qt delivers a drop only to the widget that accepted the drag's enter event, so both are sent.
    """
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(f)) for f in files])
    rest = (Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    enter = QDragEnterEvent(QPoint(40, 40), *rest)  # QPoint here, QPointF below: Qt's own signatures
    QApplication.sendEvent(widget, enter)
    drop = QDropEvent(QPointF(40, 40), *rest)
    QApplication.sendEvent(widget, drop)
    return enter.isAccepted(), drop.isAccepted()


def test_dropped_file_is_attached_to_the_strips_item(qtbot, db, visit, strip, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert _drop(strip, [_jpeg(tmp_path / "wet-floor.jpg")]) == (True, True)
    qtbot.waitUntil(lambda: strip.photo_count() == 1 and not strip.busy())
    assert _item_photo_count(db, visit.id) == 1
    [photo] = photos.list_photos(db, visit.id)
    assert photo.original_filename == "wet-floor.jpg" and photo.answer_id is not None
    assert strip.photo_ids() == [photo.id]


def test_drop_emits_photos_changed(qtbot, strip, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    with qtbot.waitSignal(strip.photosChanged, timeout=10_000):
        _drop(strip, [_jpeg(tmp_path / "a.jpg")])


def test_strip_shows_only_photos_of_its_own_target(qtbot, db, visit, strip, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    [visit_level] = photos.add_photos(db, visit.id, [_jpeg(tmp_path / "hall.jpg")])
    assert strip.photo_count() == 0
    task = strip.import_files([_jpeg(tmp_path / "toilet.jpg")])
    qtbot.waitUntil(lambda: task.signals is not None and strip.photo_count() == 1 and not strip.busy())
    assert visit_level.id not in strip.photo_ids()
    strip.set_target(visit.id)
    assert strip.photo_ids() == [visit_level.id]


def test_pasted_clipboard_image_becomes_a_photo_and_its_temp_file_is_removed(  # type: ignore[no-untyped-def]
    qtbot, db, visit, strip, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    temp_root = tmp_path / "tmp"
    temp_root.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temp_root))
    image = QImage(160, 90, QImage.Format.Format_RGB32)
    image.fill(QColor("#2e7d32"))
    QApplication.clipboard().setImage(image)
    strip.paste_action.trigger()
    qtbot.waitUntil(lambda: strip.photo_count() == 1 and not strip.busy())
    [photo] = photos.list_photos(db, visit.id)
    assert (photo.width, photo.height) == (160, 90)
    assert photo.original_filename.startswith("pasted-") and photo.original_filename.endswith(".png")
    assert list(temp_root.iterdir()) == []


def test_ctrl_v_on_the_strip_pastes(qtbot, db, visit, strip) -> None:  # type: ignore[no-untyped-def]
    image = QImage(64, 48, QImage.Format.Format_RGB32)
    image.fill(QColor("#c62828"))
    QApplication.clipboard().setImage(image)
    strip.activateWindow()
    qtbot.mouseClick(strip.placeholder, Qt.MouseButton.LeftButton)  # an empty strip takes focus too
    qtbot.waitUntil(strip.hasFocus)
    qtbot.keyClick(strip, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: strip.photo_count() == 1 and not strip.busy())
    assert _item_photo_count(db, visit.id) == 1


def test_bad_file_is_named_in_the_error_and_the_good_one_still_arrives(  # type: ignore[no-untyped-def]
    qtbot, db, visit, strip, dialogs, tmp_path: Path
) -> None:
    bad = tmp_path / "broken.jpg"
    bad.write_text("not a photo", encoding="utf-8")
    dialogs.expect_error(match="broken.jpg")
    strip.import_files([bad, _jpeg(tmp_path / "good.jpg")])
    qtbot.waitUntil(lambda: not strip.busy() and bool(dialogs.seen))
    assert dialogs.kinds() == ["error"]
    assert strip.photo_count() == 1


def test_camera_button_without_a_camera_shows_a_message(  # type: ignore[no-untyped-def]
    qtbot, strip, dialogs, monkeypatch: pytest.MonkeyPatch
) -> None:
    # As on a machine whose QtMultimedia cannot even be loaded.
    import PySide6

    monkeypatch.setitem(sys.modules, "PySide6.QtMultimedia", None)
    monkeypatch.delattr(PySide6, "QtMultimedia", raising=False)
    assert camera.available_cameras() == []
    dialogs.expect_info(match="No camera was detected|未检测到摄像头")  # either UI language
    qtbot.mouseClick(strip.camera_button, Qt.MouseButton.LeftButton)
    assert dialogs.kinds() == ["info"]
    assert strip.isVisible() and strip.photo_count() == 0


def test_camera_button_on_this_machine_does_not_crash(qtbot, strip, dialogs) -> None:  # type: ignore[no-untyped-def]
    if camera.available_cameras():
        pytest.skip("this machine has a camera")
    dialogs.expect_info()
    qtbot.mouseClick(strip.camera_button, Qt.MouseButton.LeftButton)
    assert dialogs.kinds() == ["info"]


def test_deleted_photo_leaves_the_strip_and_undo_brings_it_back(qtbot, db, visit, strip, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    strip.import_files([_jpeg(tmp_path / "a.jpg")])
    qtbot.waitUntil(lambda: strip.photo_count() == 1 and not strip.busy())
    strip.list.item(0).setSelected(True)
    strip.delete_action.trigger()
    qtbot.waitUntil(lambda: strip.photo_count() == 0 and not strip.busy())
    assert photos.list_photos(db, visit.id) == []
    assert strip.undo_button.isVisibleTo(strip)
    strip.undo_button.click()
    qtbot.waitUntil(lambda: strip.photo_count() == 1 and not strip.busy())
    assert len(photos.list_photos(db, visit.id)) == 1


def test_read_only_strip_refuses_drops(qtbot, db, visit, strip, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    strip.set_target(visit.id, item_id=ITEM, editable=False)
    assert _drop(strip, [_jpeg(tmp_path / "a.jpg")]) == (False, False)
    assert not strip.add_button.isEnabled() and not strip.paste_action.isEnabled()
    db_pool().waitForDone(10_000)
    assert photos.list_photos(db, visit.id) == []


# --- editor -------------------------------------------------------------------------


@pytest.fixture
def photo(db, visit, tmp_path: Path):  # type: ignore[no-untyped-def]
    [info] = photos.add_photos(db, visit.id, [_jpeg(tmp_path / "face.jpg")], item_id=ITEM)
    return info


def _open_editor(qtbot, db, photo_id: str) -> PhotoEditorDialog:  # type: ignore[no-untyped-def]
    dialog = PhotoEditorDialog(db, photo_id)
    qtbot.addWidget(dialog)
    dialog.resize(1000, 700)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()  # shortcuts reach the active window only
    qtbot.waitUntil(dialog.isActiveWindow)
    return dialog


def _drag(qtbot, dialog: PhotoEditorDialog, start: QPoint, end: QPoint) -> None:  # type: ignore[no-untyped-def]
    viewport = dialog.canvas.viewport()
    qtbot.mousePress(viewport, Qt.MouseButton.LeftButton, pos=start)
    qtbot.mouseMove(viewport, QPoint((start.x() + end.x()) // 2, (start.y() + end.y()) // 2))
    qtbot.mouseMove(viewport, end)
    qtbot.mouseRelease(viewport, Qt.MouseButton.LeftButton, pos=end)


def _view_point(dialog: PhotoEditorDialog, fx: float, fy: float) -> QPoint:
    """The viewport point showing the photo at fractions (fx, fy)."""
    rect = dialog.canvas.image_rect
    return dialog.canvas.mapFromScene(QPointF(fx * rect.width(), fy * rect.height()))


def _save(qtbot, dialog: PhotoEditorDialog) -> None:  # type: ignore[no-untyped-def]
    with qtbot.waitSignal(dialog.saved, timeout=10_000):
        dialog.save_button.click()


def test_drawn_solid_redaction_is_saved_as_fractions(qtbot, db, visit, photo) -> None:  # type: ignore[no-untyped-def]
    dialog = _open_editor(qtbot, db, photo.id)
    qtbot.keyClick(dialog, Qt.Key.Key_B)  # the keyboard reaches the black-out tool
    assert dialog.canvas.tool == Tool.REDACT_SOLID
    _drag(qtbot, dialog, _view_point(dialog, 0.1, 0.2), _view_point(dialog, 0.4, 0.6))
    _save(qtbot, dialog)
    [layer] = next(p for p in photos.list_photos(db, visit.id) if p.id == photo.id).annotations
    assert layer["kind"] == "redact" and layer["mode"] == "solid"
    assert all(0.0 <= layer[k] <= 1.0 for k in ("x", "y", "w", "h"))
    assert layer["x"] == pytest.approx(0.1, abs=0.02) and layer["y"] == pytest.approx(0.2, abs=0.02)
    assert layer["w"] == pytest.approx(0.3, abs=0.02) and layer["h"] == pytest.approx(0.4, abs=0.02)
    assert not dialog.isVisible()


def test_redaction_burns_into_the_export_after_saving(qtbot, db, visit, photo) -> None:  # type: ignore[no-untyped-def]
    dialog = _open_editor(qtbot, db, photo.id)
    dialog.set_tool(Tool.REDACT_SOLID)
    _drag(qtbot, dialog, _view_point(dialog, 0.0, 0.0), _view_point(dialog, 0.5, 0.5))
    _save(qtbot, dialog)
    exported = Image.open(__import__("io").BytesIO(photos.photo_export_jpeg(db, photo.id))).convert("RGB")
    r, g, b = exported.getpixel((exported.width // 4, exported.height // 4))
    assert max(r, g, b) < 30, "the red quadrant under the redaction is still visible"


def test_drag_past_the_photo_edge_is_clamped_to_it(qtbot, db, visit, photo) -> None:  # type: ignore[no-untyped-def]
    dialog = _open_editor(qtbot, db, photo.id)
    dialog.set_tool(Tool.RECT)
    _drag(qtbot, dialog, _view_point(dialog, 0.7, 0.7), _view_point(dialog, 1.3, 1.4))
    [layer] = dialog.layers()
    assert layer["kind"] == "rect"
    assert layer["x"] + layer["w"] <= 1.0 and layer["y"] + layer["h"] <= 1.0
    assert layer["x"] + layer["w"] == pytest.approx(1.0, abs=0.01)


def test_delete_key_removes_the_selected_layer(qtbot, db, visit, photo) -> None:  # type: ignore[no-untyped-def]
    dialog = _open_editor(qtbot, db, photo.id)
    dialog.set_tool(Tool.ARROW)
    _drag(qtbot, dialog, _view_point(dialog, 0.2, 0.2), _view_point(dialog, 0.6, 0.5))
    _drag(qtbot, dialog, _view_point(dialog, 0.7, 0.7), _view_point(dialog, 0.9, 0.9))
    assert [layer["kind"] for layer in dialog.layers()] == ["arrow", "arrow"]
    qtbot.keyClick(dialog.canvas, Qt.Key.Key_Delete)  # the newest arrow is selected after drawing
    [left] = dialog.layers()
    assert left["x2"] == pytest.approx(0.6, abs=0.02)


def test_preview_shows_the_redaction_burned_in(qtbot, db, visit, photo) -> None:  # type: ignore[no-untyped-def]
    dialog = _open_editor(qtbot, db, photo.id)
    dialog.set_tool(Tool.REDACT_SOLID)
    _drag(qtbot, dialog, _view_point(dialog, 0.0, 0.0), _view_point(dialog, 0.5, 0.5))
    dialog.preview_button.click()
    qtbot.waitUntil(dialog.preview_shown)
    preview = dialog.canvas.preview_item.pixmap().toImage()
    assert QColor(preview.pixel(preview.width() // 4, preview.height() // 4)).value() < 30
    assert QColor(preview.pixel(3 * preview.width() // 4, preview.height() // 4)).green() > 120
    assert not dialog.toolbar.isEnabled()
    dialog.preview_button.click()
    assert not dialog.preview_shown() and dialog.toolbar.isEnabled()


def test_finalized_visit_still_accepts_a_redaction_but_no_other_marks(qtbot, db, visit, photo) -> None:  # type: ignore[no-untyped-def]
    visits.finalize_visit(db, visit.id)
    dialog = _open_editor(qtbot, db, photo.id)
    assert dialog.redact_only
    assert not dialog.tool_actions[Tool.ARROW].isEnabled() and not dialog.tool_actions[Tool.TEXT].isEnabled()
    dialog.set_tool(Tool.REDACT_BLUR)
    _drag(qtbot, dialog, _view_point(dialog, 0.5, 0.1), _view_point(dialog, 0.8, 0.4))
    _save(qtbot, dialog)
    [layer] = next(p for p in photos.list_photos(db, visit.id) if p.id == photo.id).annotations
    assert layer["kind"] == "redact" and layer["mode"] == "blur"


def test_saved_layers_come_back_as_editable_items(qtbot, db, visit, photo) -> None:  # type: ignore[no-untyped-def]
    layers = [
        {"kind": "arrow", "x1": 0.1, "y1": 0.1, "x2": 0.5, "y2": 0.5, "color": "#1e88e5", "width": 0.008},
        {"kind": "text", "x": 0.2, "y": 0.7, "text": "地面湿滑无提示", "color": "#e53935", "size": 0.045},
        {"kind": "redact", "x": 0.6, "y": 0.1, "w": 0.2, "h": 0.2, "mode": "blur"},
        {"kind": "ellipse", "x": 0.3, "y": 0.3, "w": 0.4, "h": 0.2, "color": "#fdd835", "width": 0.006},
    ]
    photos.set_annotations(db, photo.id, layers)
    dialog = _open_editor(qtbot, db, photo.id)
    assert dialog.layers() == [{**layer} for layer in layers]
    assert not dialog.has_changes()


def test_closing_with_unsaved_marks_asks_first(qtbot, db, visit, photo, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    from ui.photos import editor

    asked: list[str] = []
    monkeypatch.setattr(editor, "confirm_discard", lambda _parent, _title, text: asked.append(text) or False)
    dialog = _open_editor(qtbot, db, photo.id)
    dialog.set_tool(Tool.ELLIPSE)
    _drag(qtbot, dialog, _view_point(dialog, 0.2, 0.2), _view_point(dialog, 0.6, 0.5))
    dialog.reject()
    assert asked and dialog.isVisible()


def test_text_tool_places_the_typed_label(qtbot, db, visit, photo, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    from ui.photos import editor

    monkeypatch.setattr(editor, "ask_text", lambda *_args, **_kw: "扶手松动")
    dialog = _open_editor(qtbot, db, photo.id)
    dialog.set_tool(Tool.TEXT)
    qtbot.mouseClick(dialog.canvas.viewport(), Qt.MouseButton.LeftButton, pos=_view_point(dialog, 0.25, 0.5))
    [layer] = dialog.layers()
    assert layer["kind"] == "text" and layer["text"] == "扶手松动"
    assert layer["x"] == pytest.approx(0.25, abs=0.02) and layer["y"] == pytest.approx(0.5, abs=0.02)


def test_moved_mark_stays_on_the_photo(qtbot, db, visit, photo) -> None:  # type: ignore[no-untyped-def]
    dialog = _open_editor(qtbot, db, photo.id)
    dialog.set_tool(Tool.RECT)
    _drag(qtbot, dialog, _view_point(dialog, 0.1, 0.1), _view_point(dialog, 0.3, 0.3))
    [item] = dialog.canvas.layer_items()
    item.setPos(QPointF(10 * dialog.canvas.image_rect.width(), 10 * dialog.canvas.image_rect.height()))
    [layer] = dialog.layers()
    assert layer["x"] + layer["w"] == pytest.approx(1.0, abs=0.01)
    assert layer["w"] == pytest.approx(0.2, abs=0.02), "the box was cut instead of being stopped at the edge"


def test_caption_edit_is_saved(qtbot, db, visit, strip, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    from ui.photos import strip as strip_module

    monkeypatch.setattr(strip_module, "ask_caption", lambda *_args: "  洗手台无洗手液  ")
    strip.import_files([_jpeg(tmp_path / "a.jpg")])
    qtbot.waitUntil(lambda: strip.photo_count() == 1 and not strip.busy())
    strip.list.item(0).setSelected(True)
    with qtbot.waitSignal(strip.photosChanged, timeout=10_000):
        strip.caption_action.trigger()
    assert [p.caption for p in photos.list_photos(db, visit.id)] == ["洗手台无洗手液"]
    assert strip.list.item(0).text() == "洗手台无洗手液"


def test_reopened_item_strip_shows_earlier_photos(qtbot, db, visit, photo) -> None:  # type: ignore[no-untyped-def]
    fresh = PhotoStrip(db)
    qtbot.addWidget(fresh)
    fresh.set_target(visit.id, item_id=ITEM)
    assert fresh.photo_ids() == [photo.id]


def test_finalized_photo_with_marks_still_accepts_a_redaction(qtbot, db, visit, photo, dialogs) -> None:  # type: ignore[no-untyped-def]
    photos.set_annotations(db, photo.id, [{"kind": "arrow", "x1": 0.1, "y1": 0.1, "x2": 0.5, "y2": 0.5}])
    visits.finalize_visit(db, visit.id)
    dialog = _open_editor(qtbot, db, photo.id)
    _drag(qtbot, dialog, _view_point(dialog, 0.5, 0.1), _view_point(dialog, 0.8, 0.4))
    dialog.save_button.click()
    qtbot.waitUntil(lambda: not dialog.busy())
    [saved] = [p for p in photos.list_photos(db, visit.id) if p.id == photo.id]
    assert [layer["kind"] for layer in saved.annotations] == ["arrow", "redact"], dialogs.seen


def test_cancel_stops_an_import_between_photos(db, visit, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from auditapp.progress import CancelToken
    from ui.photos.strip import PhotoTarget, import_photo_files

    files = [_jpeg(tmp_path / f"{n}.jpg") for n in range(4)]
    seen: list[tuple[int, int]] = []
    token = CancelToken()

    def progress(done: int, total: int, _text: str) -> None:
        seen.append((done, total))
        if len(seen) > 2:
            token.cancel()

    result = import_photo_files(db, PhotoTarget(visit.id, item_id=ITEM), files, progress, token)
    assert result.cancelled and len(result.added) == 2
    assert seen == [(0, 4), (1, 4), (2, 4)]
    assert _item_photo_count(db, visit.id) == 2


def test_double_click_opens_the_editor_on_that_photo(qtbot, strip, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    strip.import_files([_jpeg(tmp_path / "a.jpg")])
    qtbot.waitUntil(lambda: strip.photo_count() == 1 and not strip.busy())
    centre = strip.list.visualItemRect(strip.list.item(0)).center()
    qtbot.mouseClick(strip.list.viewport(), Qt.MouseButton.LeftButton, pos=centre)
    qtbot.mouseDClick(strip.list.viewport(), Qt.MouseButton.LeftButton, pos=centre)
    [editor] = strip.findChildren(PhotoEditorDialog)
    assert editor.photo.id == strip.photo_ids()[0] and editor.isVisible()
    editor.close()


def test_camera_dialog_refuses_to_open_without_a_camera(qtbot, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(camera, "available_cameras", lambda: [])
    with pytest.raises(camera.CameraUnavailableError):
        camera.CameraDialog()
