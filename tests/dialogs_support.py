"""No dialog can block a test: every modal path of Qt is replaced by a scripted answer.

A real modal dialog under the offscreen platform waits for a click that never comes,
and the run hangs until CI gives up. ``DialogScript`` patches, in one place, everything
that opens one and waits:

* ``QMessageBox`` statics (``question``, ``information``, ``warning``, ``critical``,
  ``about``, ``aboutQt``) and ``exec()`` of a message box built by hand (``ui/messages.py``);
* ``QFileDialog`` statics (``getOpenFileName(s)``, ``getSaveFileName``,
  ``getExistingDirectory`` and their URL twins);
* ``QInputDialog`` statics (``getText``, ``getMultiLineText``, ``getInt``, ``getDouble``,
  ``getItem``);
* ``QDialog.exec()`` of any other dialog (the app's own, ``QPrintDialog`` …);
* ``QMenu.exec()`` (context menus).

A test scripts what it expects, in order per kind; whatever opens without being
expected is answered "cancel" and fails the test, and so does an expectation that was
never met. Every dialog that opened is in ``dialogs.seen``.
"""

from __future__ import annotations

import re
import traceback
import types
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QUrl
from PySide6.QtWidgets import QDialog, QFileDialog, QInputDialog, QMenu, QMessageBox

Button = QMessageBox.StandardButton

_ICON_KIND = {
    QMessageBox.Icon.Critical: "error",
    QMessageBox.Icon.Warning: "warning",
    QMessageBox.Icon.Information: "info",
    QMessageBox.Icon.Question: "question",
    QMessageBox.Icon.NoIcon: "message",
}
_STATIC_KIND = {"critical": "error", "warning": "warning", "information": "info", "question": "question"}


@dataclass
class Shown:
    """One dialog that opened: what kind, through which call, and what it said."""

    kind: str  # error, warning, info, question, message, about, file, files, folder, input, dialog, menu
    call: str  # e.g. "QMessageBox.question", "QFileDialog.getSaveFileName", "SettingsDialog.exec"
    title: str = ""
    text: str = ""
    informative: str = ""
    where: str = ""  # the code line that opened it, for the failure message

    def says(self, pattern: str) -> bool:
        return re.search(pattern, f"{self.title}\n{self.text}\n{self.informative}") is not None


@dataclass
class _Expectation:
    kind: str
    answer: Any
    match: str | None = None
    dialog_type: type | None = None
    handler: Callable[[Any], Any] | None = None
    described: str = ""

    def fits(self, shown: Shown, dialog: object = None) -> bool:
        if self.dialog_type is not None and not isinstance(dialog, self.dialog_type):
            return False
        return self.match is None or shown.says(self.match)


@dataclass
class DialogScript:
    """The answers a test expects to give; see the module docstring."""

    seen: list[Shown] = field(default_factory=list)
    unexpected: list[Shown] = field(default_factory=list)
    _pending: list[_Expectation] = field(default_factory=list)

    # --- scripting ------------------------------------------------------------------

    def expect_question(self, answer: Button, *, match: str | None = None) -> None:
        """The next question box is answered ``answer`` (e.g. ``Button.Yes``)."""
        self._add(_Expectation("question", answer, match, described=f"a question answered {answer.name}"))

    def expect_error(self, *, match: str | None = None) -> None:
        """An error box (``QMessageBox.critical``, ``messages.show_error``) opens; it is closed with OK."""
        self._add(_Expectation("error", Button.Ok, match, described="an error message"))

    def expect_warning(self, answer: Button = Button.Ok, *, match: str | None = None) -> None:
        self._add(_Expectation("warning", answer, match, described="a warning"))

    def expect_info(self, *, match: str | None = None) -> None:
        """An information box (``QMessageBox.information``, ``messages.show_info``) opens."""
        self._add(_Expectation("info", Button.Ok, match, described="an information message"))

    def expect_file(self, path: Path | str | None, *, match: str | None = None) -> None:
        """An open- or save-file dialog returns ``path`` (None: the user cancels)."""
        self._add(_Expectation("file", None if path is None else str(path), match, described=f"a file dialog → {path}"))

    def expect_files(self, paths: list[Path] | None, *, match: str | None = None) -> None:
        """A multi-file open dialog returns ``paths`` (None or []: the user cancels)."""
        chosen = [str(p) for p in paths or []]
        self._add(_Expectation("files", chosen, match, described=f"a files dialog → {chosen}"))

    def expect_folder(self, path: Path | str | None, *, match: str | None = None) -> None:
        self._add(_Expectation("folder", None if path is None else str(path), match, described=f"a folder dialog → {path}"))

    def expect_input(self, value: Any, *, match: str | None = None) -> None:
        """A ``QInputDialog`` returns ``value`` with OK (None: the user cancels)."""
        self._add(_Expectation("input", value, match, described=f"an input dialog → {value!r}"))

    def expect_dialog(
        self,
        dialog_type: type,
        fill: Callable[[Any], Any] | None = None,
        *,
        accept: bool = True,
    ) -> None:
        """A dialog of ``dialog_type`` runs ``exec()``: ``fill(dialog)`` sets its fields as a
        user would, then it is accepted (or rejected), and ``exec()`` returns its result."""
        self._add(
            _Expectation(
                "dialog", accept, dialog_type=dialog_type, handler=fill,
                described=f"{dialog_type.__name__}.exec() {'accepted' if accept else 'rejected'}",
            )
        )

    def expect_menu(self, choose: str | None, *, match: str | None = None) -> None:
        """A context menu opens and the action whose text is ``choose`` is picked (None: dismissed)."""
        self._add(_Expectation("menu", choose, match, described=f"a menu → {choose}"))

    def kinds(self) -> list[str]:
        return [s.kind for s in self.seen]

    # --- plumbing ---------------------------------------------------------------------

    def _add(self, expectation: _Expectation) -> None:
        self._pending.append(expectation)

    def _take(self, shown: Shown, dialog: object = None) -> _Expectation | None:
        shown.where = _caller()
        self.seen.append(shown)
        for expectation in self._pending:
            if expectation.kind == shown.kind and expectation.fits(shown, dialog):
                self._pending.remove(expectation)
                return expectation
        self.unexpected.append(shown)
        return None

    def problems(self) -> list[str]:
        """What went against the script: unexpected dialogs, expectations never met."""
        lines = [
            f"unexpected {s.kind} dialog ({s.call}) {s.title!r}: {s.text!r} {s.informative!r} — opened at {s.where}"
            for s in self.unexpected
        ]
        lines += [f"expected {e.described}{f' matching {e.match!r}' if e.match else ''}, but none opened" for e in self._pending]
        return lines

    def verify(self) -> None:
        """Fail the test on what went against the script (reported once)."""
        problems = self.problems()
        self.unexpected.clear()
        self._pending.clear()
        if problems:
            pytest.fail("dialogs did not go as scripted (use the `dialogs` fixture):\n  " + "\n  ".join(problems), pytrace=False)

    # --- the patched entry points -------------------------------------------------------

    def install(self, monkeypatch: pytest.MonkeyPatch) -> None:
        for name in ("question", "information", "warning", "critical"):
            monkeypatch.setattr(QMessageBox, name, staticmethod(self._static_box(name)))
        monkeypatch.setattr(QMessageBox, "about", staticmethod(lambda parent, title, text: self._about("about", title, text)))
        monkeypatch.setattr(QMessageBox, "aboutQt", staticmethod(lambda parent, title="": self._about("aboutQt", title, "")))
        for name, kind in (
            ("getOpenFileName", "file"), ("getSaveFileName", "file"), ("getOpenFileNames", "files"),
            ("getExistingDirectory", "folder"), ("getOpenFileUrl", "file"), ("getSaveFileUrl", "file"),
            ("getOpenFileUrls", "files"), ("getExistingDirectoryUrl", "folder"),
        ):
            monkeypatch.setattr(QFileDialog, name, staticmethod(self._file_static(name, kind)))
        for name in ("getText", "getMultiLineText", "getInt", "getDouble", "getItem"):
            monkeypatch.setattr(QInputDialog, name, staticmethod(self._input_static(name)))
        monkeypatch.setattr(QDialog, "exec", self._make_dialog_exec())
        # QMenu.exec has a static overload too, so shiboken resolves ``menu.exec`` on the
        # instance and a class attribute is never seen: each new menu gets its own.
        menu_exec = self._make_menu_exec()
        original_init = QMenu.__init__

        def menu_init(menu: QMenu, *args: Any, **kwargs: Any) -> None:
            original_init(menu, *args, **kwargs)
            menu.exec = types.MethodType(menu_exec, menu)  # type: ignore[method-assign]

        monkeypatch.setattr(QMenu, "__init__", menu_init)

    def _static_box(self, name: str) -> Callable[..., Any]:
        kind = _STATIC_KIND[name]

        def box(parent: Any, title: str = "", text: str = "", *args: Any, **kwargs: Any) -> Button:
            expectation = self._take(Shown(kind, f"QMessageBox.{name}", str(title), str(text)))
            if expectation is None:
                return Button.Cancel if kind in ("question", "warning") else Button.Ok
            return expectation.answer

        return box

    def _about(self, call: str, title: str, text: str) -> None:
        self._take(Shown("about", f"QMessageBox.{call}", str(title), str(text)))

    def _file_static(self, name: str, kind: str) -> Callable[..., Any]:
        def dialog(parent: Any = None, caption: str = "", *args: Any, **kwargs: Any) -> Any:
            expectation = self._take(Shown(kind, f"QFileDialog.{name}", str(kwargs.get("caption", caption))))
            answer = expectation.answer if expectation else None
            urls = name.endswith(("Url", "Urls"))
            if kind == "folder":
                path = answer or ""
                return QUrl.fromLocalFile(path) if urls and path else (QUrl() if urls else path)
            if kind == "files":
                paths = list(answer or [])
                return ([QUrl.fromLocalFile(p) for p in paths] if urls else paths), ""
            path = answer or ""
            return (QUrl.fromLocalFile(path) if path else QUrl()) if urls else path, ""

        return dialog

    def _input_static(self, name: str) -> Callable[..., Any]:
        def dialog(parent: Any = None, title: str = "", label: str = "", *args: Any, **kwargs: Any) -> Any:
            expectation = self._take(Shown("input", f"QInputDialog.{name}", str(title), str(label)))
            value = expectation.answer if expectation else None
            if value is not None:
                return value, True
            return {"getInt": 0, "getDouble": 0.0}.get(name, ""), False

        return dialog

    def _make_dialog_exec(self) -> Callable[[QDialog], int]:
        script = self

        def exec_(dialog: QDialog) -> int:
            if isinstance(dialog, QMessageBox):
                return script._message_box_exec(dialog)
            call = f"{type(dialog).__name__}.exec"
            expectation = script._take(Shown("dialog", call, dialog.windowTitle()), dialog)
            if expectation is None:
                dialog.reject()
                return QDialog.DialogCode.Rejected.value
            dialog.setResult(QDialog.DialogCode.Rejected.value)
            result = expectation.handler(dialog) if expectation.handler else None
            if isinstance(result, int):
                return result
            if dialog.result() != QDialog.DialogCode.Accepted.value:
                # As the user's OK or Cancel: a dialog whose accept() refuses bad input stays rejected.
                (dialog.accept if expectation.answer else dialog.reject)()
            return dialog.result()

        return exec_

    def _message_box_exec(self, box: QMessageBox) -> int:
        kind = _ICON_KIND.get(box.icon(), "message")
        shown = Shown(kind, "QMessageBox.exec", box.windowTitle(), box.text(), box.informativeText())
        expectation = self._take(shown, box)
        if expectation is None:
            return int(Button.Cancel.value)
        answer: Button = expectation.answer
        button = box.button(answer)
        if button is not None:
            button.click()  # so clickedButton() tells the code what was chosen
        return int(answer.value)

    def _make_menu_exec(self) -> Callable[..., Any]:
        script = self

        def exec_(menu: QMenu, *args: Any, **kwargs: Any) -> Any:
            texts = [a.text().replace("&", "") for a in menu.actions() if not a.isSeparator()]
            expectation = script._take(Shown("menu", "QMenu.exec", menu.title(), "\n".join(texts)), menu)
            if expectation is None or expectation.answer is None:
                return None
            for action in menu.actions():
                if action.text().replace("&", "") == expectation.answer:
                    action.trigger()
                    return action
            pytest.fail(f"the menu has no action {expectation.answer!r}; it has {texts}", pytrace=False)

        return exec_


def _caller() -> str:
    """The innermost frame outside this module and Qt's wrappers: where the dialog opened."""
    for frame in reversed(traceback.extract_stack()[:-2]):
        if frame.filename != __file__:
            return f"{Path(frame.filename).name}:{frame.lineno} ({frame.name})"
    return "?"
