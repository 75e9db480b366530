"""Every message box goes through here, so tests can patch one place and nothing blocks."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget

from auditapp.errors import AuditAppError


def show_error(parent: QWidget | None, title: str, error: AuditAppError | str) -> None:
    text = error.message() if isinstance(error, AuditAppError) else str(error)
    box = QMessageBox(QMessageBox.Icon.Critical, title, text, QMessageBox.StandardButton.Ok, parent)
    hint = error.hint(audience="gui") if isinstance(error, AuditAppError) else ""
    if hint:
        box.setInformativeText(hint)
    box.exec()


def show_text_error(parent: QWidget | None, title: str, text: str, hint: str = "") -> None:
    """An error the GUI itself words (e.g. several photos that failed, one line each)."""
    box = QMessageBox(QMessageBox.Icon.Critical, title, text, QMessageBox.StandardButton.Ok, parent)
    if hint:
        box.setInformativeText(hint)
    box.exec()


def show_info(parent: QWidget | None, title: str, text: str) -> None:
    QMessageBox.information(parent, title, text)
