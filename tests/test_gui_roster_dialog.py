"""The leader dialog: Save adds or changes the leader through the service, Cancel changes nothing."""

from __future__ import annotations

from PySide6.QtWidgets import QDialogButtonBox

from auditapp.db import Database
from auditapp.services import institutions, leaders
from ui.roster_dialog import LeaderDialog


def _button(dialog: LeaderDialog, which: QDialogButtonBox.StandardButton):  # type: ignore[no-untyped-def]
    box = dialog.findChild(QDialogButtonBox)
    assert box is not None
    return box.button(which)


def test_save_adds_the_leader_and_cancel_adds_nothing(qtbot, db: Database) -> None:  # type: ignore[no-untyped-def]
    inst = institutions.add_institution(db, name="示例医院", kind="general", level=2)
    dialog = LeaderDialog(db, inst.id, None)
    qtbot.addWidget(dialog)
    dialog.name_edit.setText("王院长")
    _button(dialog, QDialogButtonBox.StandardButton.Cancel).click()
    assert leaders.list_leaders(db, institution=inst.id) == []
    assert dialog.result() == LeaderDialog.DialogCode.Rejected

    dialog = LeaderDialog(db, inst.id, None)
    qtbot.addWidget(dialog)
    dialog.name_edit.setText("王院长")
    _button(dialog, QDialogButtonBox.StandardButton.Save).click()
    assert dialog.result() == LeaderDialog.DialogCode.Accepted
    [saved] = leaders.list_leaders(db, institution=inst.id)
    assert (saved.name, saved.role) == ("王院长", dialog.role_combo.itemData(0))
    assert dialog.result_info is not None and dialog.result_info.id == saved.id


def test_save_with_an_empty_name_keeps_the_dialog_open(qtbot, db: Database, dialogs) -> None:  # type: ignore[no-untyped-def]
    inst = institutions.add_institution(db, name="示例医院", kind="general", level=2)
    dialog = LeaderDialog(db, inst.id, None)
    qtbot.addWidget(dialog)
    dialogs.expect_error()
    _button(dialog, QDialogButtonBox.StandardButton.Save).click()
    assert dialog.result() != LeaderDialog.DialogCode.Accepted
    assert leaders.list_leaders(db, institution=inst.id) == []
