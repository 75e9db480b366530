"""Save PNGs of the main screens on demo data, for people to look at (CI runs it under Xvfb).

    xvfb-run -a .venv/bin/python tests/screenshots.py screenshots/

Uses the real platform plugin when a display exists (Xvfb in CI), offscreen otherwise.
Exits 1 if Chinese text on any screen would be drawn with a font that lacks its glyphs
(the empty boxes a machine without CJK fonts shows).
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QEventLoop, QTimer  # noqa: E402
from PySide6.QtGui import QFontMetrics  # noqa: E402
from PySide6.QtWidgets import QLabel, QWidget  # noqa: E402

SIZE = (1366, 768)  # a 13-inch laptop
SAMPLE = "患者体验整改清单检查项"


def settle(ms: int = 400) -> None:
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def missing_glyphs(root: QWidget) -> list[str]:
    """Labels whose font cannot draw the Chinese characters they show."""
    bad = []
    for label in [root, *root.findChildren(QWidget)]:
        text = label.text() if isinstance(label, QLabel) else ""
        chinese = [ch for ch in text if "\u4e00" <= ch <= "\u9fff"]
        if not chinese or not label.isVisible():
            continue
        metrics = QFontMetrics(label.font())
        if not all(metrics.inFontUcs4(ord(ch)) for ch in chinese[:20]):
            bad.append(f"{label.objectName() or type(label).__name__}: {text[:30]}")
    return bad


def main() -> int:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "screenshots")
    out.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="auditapp-shots-"))
    os.environ["XDG_CONFIG_HOME"] = str(work / "config")
    os.environ["XDG_CACHE_HOME"] = str(work / "cache")

    from PIL import Image

    from auditapp.db import open_database
    from auditapp.services import photos, visits
    from auditapp.services.demo import create_demo_data
    from ui.app import create_application
    from ui.main_window import MainWindow
    from ui.photos.editor import PhotoEditorDialog
    from ui.reports_dialog import PdfPreviewWindow, ReportDialog
    from ui.settings_dialog import SettingsDialog

    app = create_application()
    db = open_database(work / "data")
    create_demo_data(db)
    window = MainWindow(db)
    window.resize(*SIZE)
    window.show()
    settle()
    for _ in range(25):  # the duty banner reads in the background after the visit list
        if window.duty_banner.isVisible():
            break
        settle(200)
    problems: list[str] = []
    saved: list[str] = []

    def shot(widget: QWidget, name: str) -> None:
        settle()
        path = out / f"{name}.png"
        widget.grab().save(str(path))
        saved.append(path.name)
        problems.extend(f"{name}: {p}" for p in missing_glyphs(widget))

    shot(window, "01-home")
    window.open_selected_visit()
    runner = window.runner
    assert runner is not None
    visit_id = runner.visit_id
    assert visit_id is not None
    # A nonconforming item with a photo and a redaction on it.
    item = next(v for v in runner.views.values() if v.item.photo_required)
    runner.select_item(item.item.id)
    runner.answer_current("nonconform")
    evidence = work / "evidence.jpg"
    Image.new("RGB", (1600, 1200), (170, 190, 200)).save(evidence)
    runner.photo_strip.import_files([evidence])  # as a user adds it: the item's flag clears
    while runner.photo_strip.busy() or runner.photo_strip.photo_count() == 0:
        settle(100)
    (photo,) = photos.list_photos(db, visit_id, item_id=item.item.id)
    photos.set_annotations(
        db,
        photo.id,
        [
            {"kind": "redact", "mode": "solid", "x": 0.1, "y": 0.1, "w": 0.25, "h": 0.2},
            {"kind": "arrow", "x1": 0.7, "y1": 0.2, "x2": 0.5, "y2": 0.5},
            {"kind": "text", "x": 0.55, "y": 0.55, "text": "地面积水"},
        ],
    )
    runner.photo_strip.refresh()
    shot(window, "02-visit-item")
    for index, name in ((1, "03-visit-timer"), (2, "04-visit-floor-plan"), (3, "05-visit-rectifications")):
        runner.side_tabs.setCurrentIndex(index)
        shot(window, name)

    editor = PhotoEditorDialog(db, photo.id, window)
    editor.resize(1200, 760)
    editor.show()
    shot(editor, "06-photo-editor")
    editor.close()

    settings = SettingsDialog(window.settings, data_dir=db.data_dir, engine=db.engine, parent=window)
    settings.show()
    shot(settings, "07-settings")
    settings.close()

    dialog = ReportDialog(db, visit_id=visit_id, parent=window)
    dialog.path_edit.setText(str(work / "整改清单.pdf"))
    dialog.show()
    shot(dialog, "08-report-dialog")
    from auditapp.reports import api

    api.render_rectification_list(db, visit_id, work / "list.pdf")
    dialog.close()
    preview = PdfPreviewWindow(work / "list.pdf")
    preview.resize(*SIZE)
    preview.show()
    shot(preview, "09-pdf-preview")
    preview.close()

    db.close()
    print(f"saved {len(saved)} screenshots to {out}: {', '.join(saved)}")
    if problems:
        print("Chinese text drawn with a font lacking its glyphs:", *problems, sep="\n  ", file=sys.stderr)
        return 1
    del app, visits
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
