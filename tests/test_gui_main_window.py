"""The main window on demo data: institutions, their visits, Chinese text that renders."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QImage, QPainter
from pytestqt.modeltest import ModelTester

from ui.app import create_application
from ui.main_window import MainWindow


@pytest.fixture
def window(qtbot, demo_db):  # type: ignore[no-untyped-def]
    create_application()
    win = MainWindow(demo_db)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    return win


def test_main_window_lists_demo_institutions_and_their_visits(window) -> None:  # type: ignore[no-untyped-def]
    names = [window.institution_model.row_at(r).name for r in range(window.institution_model.rowCount())]
    assert len(names) == 2 and all("（示例）" in n for n in names)
    assert window.visit_model.rowCount() == 3
    window.institution_view.selectRow(1)
    visits = [window.visit_model.row_at(r) for r in range(window.visit_model.rowCount())]
    assert {v.institution_name for v in visits} == {names[1]}
    assert [v.status for v in visits].count("in_progress") == 1


def test_interface_is_in_chinese_by_default(window) -> None:  # type: ignore[no-untyped-def]
    header = window.institution_model.headerData(0, Qt.Orientation.Horizontal)
    assert header == "医疗机构"
    assert window.saved_label.text() == "已保存"
    assert QCoreApplication.translate("TableModels", "Self experience") == "院内自查"


def _render(text: str, font) -> bytes:  # type: ignore[no-untyped-def]
    image = QImage(64, 64, QImage.Format.Format_Grayscale8)
    image.fill(255)
    painter = QPainter(image)
    painter.setFont(font)
    painter.drawText(image.rect(), Qt.AlignmentFlag.AlignCenter, text)
    painter.end()
    return bytes(image.constBits())


def test_chinese_text_renders_as_glyphs_not_boxes(window) -> None:  # type: ignore[no-untyped-def]
    # Missing glyphs all render as the same box; real glyphs of different characters differ.
    font = window.visits_title.font()
    font.setPixelSize(40)
    blank = _render(" ", font)
    first, second = _render("院", font), _render("医", font)
    assert first != blank and second != blank
    assert first != second, "two Chinese characters render identically: Qt is drawing missing-glyph boxes"
    assert first != _render("\U000F0001", font), "a CJK character renders like an unassigned code point"


def test_table_models_pass_the_model_tester(window, qtbot) -> None:  # type: ignore[no-untyped-def]
    for model in (window.institution_model, window.visit_model):
        tester = ModelTester(qtbot)
        tester.check(model)
        model.set_rows([model.row_at(r) for r in range(model.rowCount())])


def test_qt_standard_buttons_are_in_chinese_too(window) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QDialogButtonBox

    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
    texts = {b.text() for b in box.buttons()}
    assert texts == {"保存(&S)", "取消"} or texts == {"保存", "取消"}, texts


def test_photo_size_setting_reaches_imports(qtbot, demo_db, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from auditapp.settings import Settings
    from ui.photos.strip import PhotoStrip

    monkeypatch.setattr(PhotoStrip, "max_side", PhotoStrip.max_side)  # restored afterwards
    create_application()
    win = MainWindow(demo_db, settings=Settings(photo_max_side=1024))
    qtbot.addWidget(win)
    assert PhotoStrip.max_side == 1024


def test_about_box_shows_the_version_and_the_changelog(window, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QDialog, QLabel, QTextBrowser

    from auditapp import __version__

    monkeypatch.setattr(QDialog, "exec", lambda self: 0)
    window._about()
    dialog = window.about_dialog
    assert __version__ in dialog.findChild(QLabel, "aboutVersion").text()
    assert f"## {__version__}" in (window.about_dialog.findChild(QTextBrowser, "aboutChangelog").toMarkdown())


def test_the_inspector_from_settings_signs_the_change_log(window, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QDialog
    from sqlalchemy import select

    from auditapp.db.models import ChangeLogEntry
    from auditapp.services import institutions
    from ui.settings_dialog import SettingsDialog

    monkeypatch.setattr("auditapp.settings.settings_path", lambda: window.db.data_dir / "settings.json")

    def exec_(self) -> int:  # type: ignore[no-untyped-def]
        self.inspector_edit.setText("王院长")
        self.accept()
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(SettingsDialog, "exec", exec_)
    window.open_settings()
    institutions.add_institution(window.db, name="签名医院", kind="general", level=2)
    with window.db.session() as session:
        query = select(ChangeLogEntry.actor).where(ChangeLogEntry.entity == "institutions").order_by(ChangeLogEntry.at)
        actors = session.scalars(query).all()
    assert actors[-1] == "王院长"
