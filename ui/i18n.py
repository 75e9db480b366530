"""Qt translations: Simplified Chinese by default, English selectable.

The ``.ts`` sources live in ``resources/i18n``. The ``.qm`` files are build products:
PyInstaller builds them into the bundle; from a checkout or a wheel they are compiled
once into the user cache folder with the ``lrelease`` that ships with PySide6.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import platformdirs
from PySide6.QtCore import QCoreApplication, QLibraryInfo, QTranslator

from auditapp import paths

DEFAULT_LANGUAGE = "zh_CN"
LANGUAGES = {"zh_CN": "简体中文", "en": "English"}
_current_language = DEFAULT_LANGUAGE


def current_language() -> str:
    return _current_language


def is_chinese() -> bool:
    """Whether data shown with a translation (checklist questions, step names) is in Chinese."""
    return _current_language != "en"


def _lrelease() -> list[str] | None:
    import PySide6

    bundled = Path(PySide6.__file__).parent / ("lrelease.exe" if sys.platform == "win32" else "lrelease")
    if bundled.exists():
        return [str(bundled)]
    found = shutil.which("pyside6-lrelease")
    return [found] if found else None


def compiled_translation(language: str) -> Path | None:
    """The ``.qm`` for ``language``, compiling it from its ``.ts`` if needed."""
    i18n = paths.resource_path("i18n")
    prebuilt = i18n / f"auditapp_{language}.qm"
    source = i18n / f"auditapp_{language}.ts"
    if prebuilt.exists() and (not source.exists() or prebuilt.stat().st_mtime >= source.stat().st_mtime):
        return prebuilt
    if not source.exists():
        return None
    cache = Path(platformdirs.user_cache_dir(paths.APP_NAME, paths.APP_AUTHOR)) / "i18n"
    target = cache / f"auditapp_{language}.qm"
    if target.exists() and target.stat().st_mtime >= source.stat().st_mtime:
        return target
    tool = _lrelease()
    if tool is None:
        return None
    cache.mkdir(parents=True, exist_ok=True)
    result = subprocess.run([*tool, "-silent", str(source), "-qm", str(target)], capture_output=True, check=False)
    return target if result.returncode == 0 and target.exists() else None


_installed: list[QTranslator] = []


def install_translator(app: QCoreApplication, language: str = DEFAULT_LANGUAGE) -> QTranslator | None:
    """Install the translator for ``language``; English is the source language.

    Translators installed before are removed first, so switching to English really
    gives English (and the same strings are never translated twice over).
    """
    global _current_language
    _current_language = language
    from auditapp.language import set_language

    set_language(language)  # errors raised by the core are worded in the window's language
    while _installed:
        app.removeTranslator(_installed.pop())
    if language == "en":
        return None
    qm = compiled_translation(language)
    if qm is None:
        return None
    translator = QTranslator(app)
    if not translator.load(str(qm)):
        return None
    app.installTranslator(translator)
    _installed.append(translator)
    # Qt's own strings (dialog buttons, context menus) come from Qt's translations.
    qt_base = QTranslator(app)
    if qt_base.load(f"qtbase_{language}", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        app.installTranslator(qt_base)
        _installed.append(qt_base)
    return translator
