"""The window's size and place, and the splitters' positions, kept between starts (QSettings).

A first start fits the window to the screen: maximized on a laptop screen (1366×768,
1280×720, where a fixed 1280×800 window hid its bottom buttons), otherwise a roomy
window centred in the available area. Later starts come back as the user left them,
maximized or not, but never outside the screens there are now.
"""

from __future__ import annotations

from pathlib import Path

import platformdirs
from PySide6.QtCore import QByteArray, QRect, QSettings
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QMainWindow, QSplitter, QWidget

from auditapp import paths

# Below this available size the window opens maximized: every pixel is needed.
SMALL_SCREEN = (1440, 900)
DEFAULT_SIZE = (1280, 800)
FRAME_ALLOWANCE = (16, 40)


WINDOW_SETTINGS = "window.ini"


def ui_settings() -> QSettings:
    """Where the window keeps what is not a user setting: geometry, splitters, last folders.

    An explicit file in the config folder (beside settings.json) rather than QSettings'
    default place, which Qt fixes at its first use in a process.
    """
    folder = Path(platformdirs.user_config_dir(paths.APP_NAME, paths.APP_AUTHOR))
    return QSettings(str(folder / WINDOW_SETTINGS), QSettings.Format.IniFormat)


_settings = ui_settings


def available_geometry(widget: QWidget) -> QRect:
    screen = widget.screen() or QGuiApplication.primaryScreen()
    return screen.availableGeometry()


def is_small_screen(area: QRect) -> bool:
    return area.width() < SMALL_SCREEN[0] or area.height() < SMALL_SCREEN[1]


def fit_to_screen(window: QWidget, size: tuple[int, int] = DEFAULT_SIZE) -> None:
    """Resize ``window`` to ``size`` or less, centred in the available area."""
    area = available_geometry(window)
    # Before the first show the frame is unknown: leave room for a title bar and borders.
    frame_w, frame_h = FRAME_ALLOWANCE
    width, height = min(size[0], area.width() - frame_w), min(size[1], area.height() - frame_h)
    window.resize(width, height)
    frame = window.frameGeometry()
    frame.moveCenter(area.center())
    window.move(max(area.left(), frame.left()), max(area.top(), frame.top()))


def show_main_window(window: QMainWindow, key: str = "mainWindow") -> None:
    """Show the window as it was left, or fitted to this screen on a first start."""
    settings = _settings()
    geometry = settings.value(f"{key}/geometry")
    maximized = str(settings.value(f"{key}/maximized", "")).lower() == "true"
    restored = isinstance(geometry, QByteArray) and not geometry.isEmpty() and window.restoreGeometry(geometry)
    if restored:
        # restoreGeometry keeps a window on some screen; still cap its size to this one.
        area = available_geometry(window)
        if window.width() > area.width() or window.height() > area.height():
            fit_to_screen(window, (window.width(), window.height()))
    else:
        fit_to_screen(window)
        maximized = is_small_screen(available_geometry(window))
    if maximized:
        window.showMaximized()
    else:
        window.show()


def save_main_window(window: QMainWindow, key: str = "mainWindow") -> None:
    settings = _settings()
    settings.setValue(f"{key}/geometry", window.saveGeometry())
    settings.setValue(f"{key}/maximized", "true" if window.isMaximized() else "false")


def restore_splitter(splitter: QSplitter, key: str) -> bool:
    state = _settings().value(f"splitters/{key}")
    return isinstance(state, QByteArray) and not state.isEmpty() and splitter.restoreState(state)


def save_splitter(splitter: QSplitter, key: str) -> None:
    _settings().setValue(f"splitters/{key}", splitter.saveState())


def remember_splitter(splitter: QSplitter, key: str) -> None:
    """Restore ``splitter`` now and save it whenever the user moves it."""
    restore_splitter(splitter, key)
    splitter.splitterMoved.connect(lambda _pos, _index: save_splitter(splitter, key))
