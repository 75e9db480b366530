"""The `dialogs` fixture itself: scripted answers come back, nothing blocks, surprises fail."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialog, QFileDialog, QInputDialog, QLineEdit, QMenu, QMessageBox, QWidget

from dialogs_support import Button, DialogScript


class _NameDialog(QDialog):
    def __init__(self) -> None:
        super().__init__()
        self.name = QLineEdit(self)

    def accept(self) -> None:
        if self.name.text().strip():  # refuses an empty name, as app dialogs do
            super().accept()


def test_a_scripted_question_gets_its_answer_and_is_recorded(dialogs: DialogScript) -> None:
    dialogs.expect_question(Button.No, match="Finalize")
    assert QMessageBox.question(None, "Finalize visit", "Finalize now?") == Button.No
    assert [(s.kind, s.title) for s in dialogs.seen] == [("question", "Finalize visit")]


def test_a_message_box_built_by_hand_is_answered_and_knows_its_clicked_button(qapp, dialogs: DialogScript) -> None:  # type: ignore[no-untyped-def]
    dialogs.expect_error(match="broken.jpg")
    box = QMessageBox(QMessageBox.Icon.Critical, "Photos not imported", "broken.jpg: not a photo", QMessageBox.StandardButton.Ok)
    box.setInformativeText("Supported: JPEG, PNG")
    assert box.exec() == Button.Ok.value
    assert box.clickedButton() is box.button(Button.Ok)
    assert dialogs.seen[0].informative == "Supported: JPEG, PNG"


def test_file_folder_and_input_dialogs_return_the_scripted_values(dialogs: DialogScript, tmp_path: Path) -> None:
    dialogs.expect_file(tmp_path / "list.pdf")
    dialogs.expect_file(None)
    dialogs.expect_files([tmp_path / "a.jpg", tmp_path / "b.jpg"])
    dialogs.expect_folder(tmp_path)
    dialogs.expect_input("扶手松动")
    dialogs.expect_input(None)
    assert QFileDialog.getSaveFileName(None, "Save report as") == (str(tmp_path / "list.pdf"), "")
    assert QFileDialog.getOpenFileName(None, "Open") == ("", "")
    assert QFileDialog.getOpenFileNames(None, "Photos")[0] == [str(tmp_path / "a.jpg"), str(tmp_path / "b.jpg")]
    assert QFileDialog.getExistingDirectory(None, "Data folder") == str(tmp_path)
    assert QInputDialog.getText(None, "Text", "Label:") == ("扶手松动", True)
    assert QInputDialog.getText(None, "Text", "Label:") == ("", False)
    assert dialogs.kinds() == ["file", "file", "files", "folder", "input", "input"]


def test_a_dialog_is_filled_then_accepted_unless_its_accept_refuses(qapp, dialogs: DialogScript) -> None:  # type: ignore[no-untyped-def]
    dialogs.expect_dialog(_NameDialog, lambda d: d.name.setText("王院长"))
    dialogs.expect_dialog(_NameDialog, lambda d: d.name.setText("  "))
    filled, empty = _NameDialog(), _NameDialog()
    assert filled.exec() == QDialog.DialogCode.Accepted.value
    assert empty.exec() == QDialog.DialogCode.Rejected.value


def test_a_menu_choice_triggers_its_action(qapp, dialogs: DialogScript) -> None:  # type: ignore[no-untyped-def]
    parent = QWidget()
    menu = QMenu(parent)
    chosen: list[str] = []
    for text in ("&Edit…", "&Delete"):
        action = QAction(text, menu)
        action.triggered.connect(lambda _checked=False, t=text: chosen.append(t))
        menu.addAction(action)
    dialogs.expect_menu("Delete")
    picked = menu.exec()
    assert picked is not None and picked.text() == "&Delete" and chosen == ["&Delete"]


def test_an_unexpected_dialog_is_cancelled_and_fails_the_test(qapp, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    script = DialogScript()
    script.install(monkeypatch)  # over the autouse one, so this test can check the failure
    assert QMessageBox.question(None, "Delete?", "Delete the photo?") == Button.Cancel
    assert _NameDialog().exec() == QDialog.DialogCode.Rejected.value
    with pytest.raises(pytest.fail.Exception) as failed:
        script.verify()
    message = str(failed.value)
    assert "unexpected question dialog" in message and "Delete the photo?" in message
    assert "unexpected dialog dialog (_NameDialog.exec)" in message
    assert "test_dialogs_support.py" in message  # where it opened


def test_an_expected_dialog_that_never_opened_fails_the_test(monkeypatch: pytest.MonkeyPatch) -> None:
    script = DialogScript()
    script.install(monkeypatch)
    script.expect_question(Button.Yes, match="Finalize")
    with pytest.raises(pytest.fail.Exception, match=r"expected a question answered Yes matching 'Finalize', but none opened"):
        script.verify()
