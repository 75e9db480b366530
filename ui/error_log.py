"""The window's side of the one bug log (:mod:`auditapp.bug_log`): an apology, never a traceback.

``setup_logging`` tells the bug log which data folder the window works on and sends
Python logging (what the window did: "window opened", warnings) to
``<data folder>/logs/auditapp.log`` (rotated, a few hundred KB) next to it.
``install_excepthook`` routes every exception nobody caught — in a slot, a timer, an
event handler — to :func:`ui.messages.show_unexpected`, which writes it with
:func:`record_bug` (the same ``logs/errors.log`` entry the command line writes for its
bugs) and names that file in the apology. Workers hand theirs to the same function.
"""

from __future__ import annotations

import logging
import logging.handlers
import sys
import traceback
from pathlib import Path
from types import TracebackType

LOG_FOLDER = "logs"
LOG_NAME = "auditapp.log"

_data_dir: Path | None = None
_log_file: Path | None = None
_handler: logging.Handler | None = None
_in_hook = False


def current_log_file() -> Path:
    """The bug log the apology names: ``logs/errors.log`` of the window's data folder (else the user cache)."""
    from auditapp.bug_log import log_path

    return log_path(_data_dir)


def activity_log_file() -> Path | None:
    """Where Python logging of the window goes (None before :func:`setup_logging` or when it could not)."""
    return _log_file


def record_bug(bug: BaseException | str, context: str = "") -> Path | None:
    """Write a bug of the window to the one bug log; the file, or None when none could be written."""
    from auditapp.bug_log import write_bug_log

    path = write_bug_log(bug, data_dir=_data_dir, argv=None, context=context)
    logging.getLogger("auditapp.ui").error(
        "unexpected error%s (%s); details in %s", f" ({context})" if context else "",
        type(bug).__name__ if isinstance(bug, BaseException) else "text", path,
    )
    return path


def setup_logging(data_dir: Path) -> Path:
    """Bugs of the window go to this data folder's bug log (returned); activity to ``logs/auditapp.log``."""
    global _data_dir, _log_file, _handler
    _data_dir = Path(data_dir)
    path = _data_dir / LOG_FOLDER / LOG_NAME
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handler = logging.handlers.RotatingFileHandler(path, maxBytes=512 * 1024, backupCount=3, encoding="utf-8")
    except OSError:
        return current_log_file()  # the bug log falls back to the user cache by itself
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    if _handler is not None:
        root.removeHandler(_handler)
        _handler.close()
    root.addHandler(handler)
    if root.level == logging.NOTSET or root.level > logging.INFO:
        root.setLevel(logging.INFO)
    _handler = handler
    _log_file = path
    return current_log_file()


def close_logging() -> None:
    global _handler, _log_file, _data_dir
    if _handler is not None:
        logging.getLogger().removeHandler(_handler)
        _handler.close()
    _handler = None
    _log_file = None
    _data_dir = None


def _hook(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
    global _in_hook
    if issubclass(exc_type, KeyboardInterrupt):
        sys.__excepthook__(exc_type, exc, tb)
        return
    exc.__traceback_text__ = "".join(traceback.format_exception(exc_type, exc, tb))  # type: ignore[attr-defined]
    if _in_hook:  # an error while showing the apology: log only, never loop
        record_bug(exc, "while reporting another error")
        return
    _in_hook = True
    try:
        from PySide6.QtWidgets import QApplication

        from ui import messages

        parent = QApplication.activeWindow() if QApplication.instance() is not None else None
        messages.show_unexpected(parent, exc)
    finally:
        _in_hook = False


def install_excepthook() -> None:
    sys.excepthook = _hook
