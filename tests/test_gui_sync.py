"""Sync from the GUI: export, check a package (nothing written), import, sync with a data
folder, and resolve a conflict keeping either side — asserting what lands in each database."""

from __future__ import annotations

from pathlib import Path

from auditapp.services import visits
from auditapp.sync import list_conflicts
from dialogs_support import Button
from test_sync_support import assert_same, device, package_sync, seed_visit
from ui.app import create_application
from ui.sync_dialogs import ConflictsDialog, SyncDialog


def _wait(qtbot, dialog) -> None:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: dialog.op is not None, timeout=5000)
    qtbot.waitUntil(lambda: dialog.last_result is not None or dialog.preview is not None, timeout=60000)


def test_export_check_import_and_sync_through_the_dialog(qtbot, tmp_path: Path, fixture_library, dialogs) -> None:  # type: ignore[no-untyped-def]
    create_application()
    a, b = device(tmp_path, "a"), device(tmp_path, "b")
    _inst, visit, items = seed_visit(a, fixture_library)
    visits.answer_item(a, visit, items[0], result="nonconform", note="候诊区无座椅")

    out = SyncDialog(a)
    qtbot.addWidget(out)
    out.export_path.setText(str(tmp_path / "a.auditpkg"))
    out.export()
    _wait(qtbot, out)
    assert (tmp_path / "a.auditpkg").exists() and "1" in out.export_status.text()

    into = SyncDialog(b)
    qtbot.addWidget(into)
    into.import_path.setText(str(tmp_path / "a.auditpkg"))
    into.check_package()
    qtbot.waitUntil(lambda: into.preview is not None, timeout=60000)
    assert visits.list_visits(b) == []  # checking writes nothing
    assert into.import_button.isEnabled() and into.import_table.rowCount() > 0
    labels = {into.import_table.item(r, 0).text() for r in range(into.import_table.rowCount())}
    assert {"体验记录", "作答"} <= labels
    # a package from another laptop, whose signer B has not seen before: asked first
    dialogs.expect_question(Button.Yes, match="trust list|信任列表")
    with qtbot.waitSignal(into.dataChanged, timeout=60000):
        into.import_now()
    assert_same(a, b)

    # Direct sync with another data folder: B's edit travels to A.
    visits.answer_item(b, visit, items[1], result="conform")
    into.url_edit.setText(str(tmp_path / "a"))
    with qtbot.waitSignal(into.dataChanged, timeout=60000):
        into.sync(dry_run=False)
    assert_same(a, b)
    assert next(v.answer.result for v in visits.visit_detail(a, visit).items if v.item.id == items[1]) == "conform"
    result = into.last_result
    sent = sum(c.changes for c in result.pushed.counts.values())
    assert sent >= 1 and sum(c.changes for c in result.pulled.counts.values()) == 0
    assert str(sent) in into.sync_summary.text()


def test_conflicts_dialog_shows_both_values_and_keeps_the_chosen_one(qtbot, tmp_path: Path, fixture_library) -> None:  # type: ignore[no-untyped-def]
    create_application()
    a, b = device(tmp_path, "a"), device(tmp_path, "b")
    _inst, visit, items = seed_visit(a, fixture_library)
    visits.answer_item(a, visit, items[0], result="conform")
    package_sync(a, b, tmp_path)
    visits.answer_item(b, visit, items[0], result="nonconform", note="B: 地面湿滑")
    visits.answer_item(a, visit, items[0], result="na", note="A: 不适用")
    package_sync(a, b, tmp_path)
    assert list_conflicts(b)

    dialog = ConflictsDialog(b)
    qtbot.addWidget(dialog)
    cells = {dialog.table.item(r, c).text() for r in range(dialog.table.rowCount()) for c in range(6)}
    assert {"B: 地面湿滑", "A: 不适用"} <= cells
    dialog.table.selectRow(0)
    with qtbot.waitSignal(dialog.resolved):
        dialog.resolve_selected("local")
    answer = next(v.answer for v in visits.visit_detail(b, visit).items if v.item.id == items[0])
    assert answer.note == "B: 地面湿滑"
    assert list_conflicts(b) == [] and dialog.table.rowCount() == 0
