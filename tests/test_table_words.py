"""Every synced table has a word in both languages (sync counts, conflicts and record-rule
messages name tables through ``auditapp.terms.table_label``), and the sync dialog uses it."""

from __future__ import annotations

import pytest

from auditapp.db.models import SYNCED_MODELS
from auditapp.terms import TABLE_RECORDS, VOCABULARY, table_label


@pytest.mark.parametrize("table", [m.__tablename__ for m in SYNCED_MODELS])
def test_every_synced_table_has_a_word_in_both_languages(table: str) -> None:
    record = TABLE_RECORDS.get(table)
    assert record is not None and record in VOCABULARY["record"], table
    zh, en = table_label(table, "zh_CN"), table_label(table, "en")
    assert zh != en and zh != table and en != table
    assert all("\u4e00" <= ch <= "\u9fff" or ch in "（）" for ch in zh)
    assert en.isascii()


def test_an_unknown_table_is_named_as_it_is() -> None:
    assert table_label("sync_peers", "en") == "sync_peers"


def test_the_sync_dialog_counts_name_tables_in_the_reader_language(monkeypatch: pytest.MonkeyPatch) -> None:
    from auditapp.sync.api import MergeReport
    from auditapp.sync.merge import TableChange
    from ui.sync_dialogs import _counts_rows

    report = MergeReport(source="a", target="b", counts={"visits": TableChange(new=2), "map_pins": TableChange(updated=1)},
                         conflicts=[], already_recorded_conflicts=0, new_photo_files=0, applied=False)
    monkeypatch.setenv("AUDITAPP_LANG", "en")
    assert [row[0] for row in _counts_rows(report)] == ["visit", "pin"]
    monkeypatch.setenv("AUDITAPP_LANG", "zh_CN")
    assert [row[0] for row in _counts_rows(report)] == ["体验记录", "图钉"]


@pytest.mark.parametrize(("language", "name"), [("en", "visit-data.auditpkg"), ("zh_CN", "体验数据.auditpkg")])
def test_the_default_package_name_is_in_the_window_language(qtbot, db, language: str, name: str) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QApplication

    from ui.i18n import install_translator
    from ui.sync_dialogs import SyncDialog

    app = QApplication.instance()
    assert isinstance(app, QApplication)
    install_translator(app, language)
    try:
        dialog = SyncDialog(db)
        qtbot.addWidget(dialog)
        assert dialog.export_path.text().endswith("/" + name)
    finally:
        install_translator(app, "en")
