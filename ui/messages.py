"""Every message box and file dialog goes through here, so tests can patch one place and
nothing blocks.

Three kinds of message reach a person:

* an :class:`~auditapp.errors.AuditAppError` from the core, shown with its GUI hint
  (field and button names, never command-line options);
* a :class:`UserMessage`, a refusal the window itself words (``self.tr``) — raised
  inside ``ui/`` where the core catalog has nothing to say ("Choose a visit first.");
* anything else is a bug: :func:`show_unexpected` logs it with its traceback and shows
  a short apology naming the log file, never the traceback itself.

File dialogs remember the last folder per purpose (``key``) in QSettings.
"""

from __future__ import annotations

import logging
import re
import sys
from pathlib import Path
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QSettings
from PySide6.QtWidgets import QFileDialog, QInputDialog, QLineEdit, QMessageBox, QWidget

from auditapp.errors import AuditAppError

log = logging.getLogger("auditapp.ui")

# Linux: Qt's own file dialog. tests/bench/bench_file_dialog.py under Xvfb + openbox
# (200 photos in the folder): first open 0.30 s, then 0.018 s (median of 4); the GTK3
# dialog a GNOME desktop would give: 0.66 s, then 0.070 s. Windows and macOS keep their
# native dialogs: only those reach a phone plugged in by USB (MTP) or a cloud folder.
FILE_DIALOG_OPTIONS = (
    QFileDialog.Option.DontUseNativeDialog if sys.platform.startswith("linux") else QFileDialog.Option(0)
)


# Words of Qt's own file dialog that Qt's Chinese translation lacks; translated in our .ts
# (Qt asks every installed translator for the QFileDialog context). Qt 6.9+ writes the
# labels with mnemonics ("&Look in:"), older Qt without.
_QT_GAPS = (
    QT_TRANSLATE_NOOP("QFileDialog", "Look in:"),
    QT_TRANSLATE_NOOP("QFileDialog", "Files of type:"),
    QT_TRANSLATE_NOOP("QFileDialog", "&Look in:"),
    QT_TRANSLATE_NOOP("QFileDialog", "Files of &type:"),
)


class UserMessage(Exception):  # noqa: N818 - words for the user, not an error of the program
    """A refusal worded by the window (already translated with ``self.tr``).

    Kept apart from ``AuditAppError`` on purpose: the core's errors carry catalog codes
    that the CLI and GUI each word; these never leave ``ui/``.
    """

    def __init__(self, text: str, hint: str = "") -> None:
        super().__init__(text)
        self.text = text
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.text}\n{self.hint}" if self.hint else self.text


# A hint that names command-line options or commands is for the terminal, not the window.
_CLI_WORDS = re.compile(r"(?:^|[\s'\"(（“])--[a-z]|\bauditapp\s+[a-z]")


def gui_hint(error: AuditAppError) -> str:
    """The error's hint for the window; '' rather than one that names CLI options."""
    hint = error.hint(audience="gui")
    return "" if _CLI_WORDS.search(hint) else hint


def error_texts(error: AuditAppError | UserMessage | str) -> tuple[str, str]:
    """(message, hint) as a person reads them in the window."""
    if isinstance(error, AuditAppError):
        return error.message(), gui_hint(error)
    if isinstance(error, UserMessage):
        return error.text, error.hint
    return str(error), ""


def file_error(exc: OSError, path: Path | str | None = None) -> UserMessage:
    """A file that could not be written or read, in the window's words (not errno text)."""
    where = str(path or exc.filename or "")
    if isinstance(exc, PermissionError):
        text = QCoreApplication.translate("Messages", "No permission to write %1.")
    elif isinstance(exc, FileNotFoundError):
        text = QCoreApplication.translate("Messages", "The folder of %1 does not exist.")
    elif getattr(exc, "errno", None) == 28:  # ENOSPC
        text = QCoreApplication.translate("Messages", "The disk is full: %1 was not written.")
    else:
        text = QCoreApplication.translate("Messages", "%1 could not be written.")
    return UserMessage(
        text.replace("%1", where),
        QCoreApplication.translate("Messages", "Choose another folder, or check the disk and its permissions."),
    )


def show_error(parent: QWidget | None, title: str, error: AuditAppError | UserMessage | str) -> None:
    text, hint = error_texts(error)
    box = QMessageBox(QMessageBox.Icon.Critical, title, text, QMessageBox.StandardButton.Ok, parent)
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


def show_warning(parent: QWidget | None, title: str, text: str, hint: str = "") -> None:
    box = QMessageBox(QMessageBox.Icon.Warning, title, text, QMessageBox.StandardButton.Ok, parent)
    if hint:
        box.setInformativeText(hint)
    box.exec()


def log_file() -> Path | None:
    """The bug log the apology names (``logs/errors.log``, :mod:`auditapp.bug_log` via :mod:`ui.error_log`)."""
    from ui import error_log

    return error_log.current_log_file()


_UNSET: Any = object()


def apology_text(path: Path | None = _UNSET) -> tuple[str, str]:
    """The short apology for a bug, and where the details were written (``path``; None: nowhere)."""
    text = QCoreApplication.translate(
        "Messages", "Sorry, something went wrong that the app did not expect. Your saved work is safe."
    )
    if path is _UNSET:
        path = log_file()
    hint = (
        QCoreApplication.translate(
            "Messages", "The details were written to %1. Please send this file to your support contact."
        ).replace("%1", str(path))
        if path
        else QCoreApplication.translate("Messages", "Please note what you were doing and tell your support contact.")
    )
    return text, hint


def show_unexpected(parent: QWidget | None, exc: BaseException, *, context: str = "") -> None:
    """A bug: write it with its traceback to the one bug log, show an apology naming that file."""
    text, hint = report_bug(exc, context)
    box = QMessageBox(
        QMessageBox.Icon.Critical,
        QCoreApplication.translate("Messages", "Unexpected error"),
        text,
        QMessageBox.StandardButton.Ok,
        parent,
    )
    box.setInformativeText(hint)
    box.exec()


def report_bug(bug: BaseException | str, context: str = "") -> tuple[str, str]:
    """Write ``bug`` to the bug log (:func:`ui.error_log.record_bug`); the apology naming where it went."""
    from ui import error_log

    return apology_text(error_log.record_bug(bug, context))


def show_failure(parent: QWidget | None, title: str, exc: BaseException) -> None:
    """A worker's failure: the user's mistake as a message, a bug as an apology."""
    if isinstance(exc, (AuditAppError, UserMessage)):
        show_error(parent, title, exc)
    else:
        show_unexpected(parent, exc, context=title)


def ask_yes_no(parent: QWidget | None, title: str, text: str, *, default_yes: bool = False) -> bool:
    yes, no = QMessageBox.StandardButton.Yes, QMessageBox.StandardButton.No
    answer = QMessageBox.question(parent, title, text, yes | no, yes if default_yes else no)
    return answer == yes


def ask_text(parent: QWidget | None, title: str, label: str, text: str = "") -> str | None:
    """One line of text; None when cancelled."""
    value, ok = QInputDialog.getText(parent, title, label, QLineEdit.EchoMode.Normal, text)
    return value if ok else None


def ask_password(parent: QWidget | None, title: str, label: str) -> str | None:
    """A passphrase or password, typed without showing it; None when cancelled."""
    dialog = QInputDialog(parent)
    dialog.setWindowTitle(title)
    dialog.setLabelText(label)
    dialog.setTextEchoMode(QLineEdit.EchoMode.Password)
    field = dialog.findChild(QLineEdit)
    if field is not None:
        field.setMinimumWidth(360)  # room for the title: a narrow box cuts it
    ok = dialog.exec() == QInputDialog.DialogCode.Accepted
    value = dialog.textValue()
    dialog.deleteLater()
    return value if ok else None


# --------------------------------------------------------------------------- file dialogs


def _settings() -> QSettings:
    from ui.window_state import ui_settings

    return ui_settings()


def last_folder(key: str, fallback: Path | str | None = None) -> str:
    """The folder the user last picked a file from for ``key`` (if it still exists)."""
    value = _settings().value(f"dialogs/{key}", "")
    folder = str(value) if value else ""
    if folder and Path(folder).is_dir():
        return folder
    if fallback is not None:
        return str(fallback)
    return str(Path.home())


def remember_folder(key: str, path: Path | str) -> None:
    path = Path(path)
    folder = path if path.is_dir() else path.parent
    _settings().setValue(f"dialogs/{key}", str(folder))


def choose_open_files(parent: QWidget | None, title: str, name_filter: str, *, key: str) -> list[Path]:
    names, _chosen = QFileDialog.getOpenFileNames(parent, title, last_folder(key), name_filter, "", FILE_DIALOG_OPTIONS)
    if names:
        remember_folder(key, names[0])
    return [Path(n) for n in names]


def choose_open_file(
    parent: QWidget | None, title: str, name_filter: str, *, key: str, start: Path | str | None = None
) -> Path | None:
    name, _chosen = QFileDialog.getOpenFileName(
        parent, title, last_folder(key, start), name_filter, "", FILE_DIALOG_OPTIONS
    )
    if name:
        remember_folder(key, name)
    return Path(name) if name else None


def choose_save_file(
    parent: QWidget | None, title: str, suggested: Path | str, name_filter: str, *, key: str
) -> Path | None:
    """``suggested`` is a full path; its folder is replaced by the remembered one when it has none."""
    suggested = Path(suggested)
    start = suggested if suggested.parent != Path(".") else Path(last_folder(key)) / suggested.name
    name, _chosen = QFileDialog.getSaveFileName(parent, title, str(start), name_filter, "", FILE_DIALOG_OPTIONS)
    if name:
        remember_folder(key, name)
    return Path(name) if name else None


def choose_folder(parent: QWidget | None, title: str, *, key: str, start: Path | str | None = None) -> Path | None:
    folder = QFileDialog.getExistingDirectory(
        parent, title, str(start) if start else last_folder(key), FILE_DIALOG_OPTIONS | QFileDialog.Option.ShowDirsOnly
    )
    if folder:
        remember_folder(key, folder)
    return Path(folder) if folder else None
