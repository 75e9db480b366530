"""Where bugs go: a log file in the data folder and an apology instead of a traceback.

``setup_logging`` writes Python logging to ``<data folder>/logs/auditapp.log``
(rotated, a few hundred KB); ``install_excepthook`` routes every exception nobody
caught — in a slot, a timer, an event handler — to the log and shows
:func:`ui.messages.show_unexpected`. Workers hand theirs to the same function.
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

_log_file: Path | None = None
_handler: logging.Handler | None = None
_in_hook = False


def current_log_file() -> Path | None:
    return _log_file


def setup_logging(data_dir: Path) -> Path | None:
    """Log to the data folder; returns the file, or None when the folder is not writable."""
    global _log_file, _handler
    path = Path(data_dir) / LOG_FOLDER / LOG_NAME
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handler = logging.handlers.RotatingFileHandler(path, maxBytes=512 * 1024, backupCount=3, encoding="utf-8")
    except OSError:
        return None
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
    return path


def close_logging() -> None:
    global _handler, _log_file
    if _handler is not None:
        logging.getLogger().removeHandler(_handler)
        _handler.close()
    _handler = None
    _log_file = None


def _hook(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
    global _in_hook
    if issubclass(exc_type, KeyboardInterrupt):
        sys.__excepthook__(exc_type, exc, tb)
        return
    exc.__traceback_text__ = "".join(traceback.format_exception(exc_type, exc, tb))  # type: ignore[attr-defined]
    if _in_hook:  # an error while showing the apology: log only, never loop
        logging.getLogger("auditapp.ui").error("unexpected error while reporting one:\n%s", exc.__traceback_text__)  # type: ignore[attr-defined]
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
