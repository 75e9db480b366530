"""Every string the GUI shows has a Simplified Chinese translation, and the .ts compiles.

lupdate is run on a copy of the translation file, so a new ``tr()`` string without a
translation fails here instead of showing up in English in front of a hospital leader.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import PySide6

from conftest import REPO_ROOT

sys.path.insert(0, str(REPO_ROOT / "resources" / "i18n"))
import apply_translations

TS = REPO_ROOT / "resources" / "i18n" / "auditapp_zh_CN.ts"
TOOLS = Path(PySide6.__file__).parent


def _tool(name: str) -> str:
    return str(TOOLS / (f"{name}.exe" if sys.platform == "win32" else name))


def test_every_ui_string_is_translated(tmp_path: Path) -> None:
    copy = tmp_path / TS.name
    shutil.copy(TS, copy)
    sources = sorted(str(p) for p in (REPO_ROOT / "ui").rglob("*.py"))
    subprocess.run([_tool("lupdate"), *sources, "-ts", str(copy)], check=True, capture_output=True)
    missing = apply_translations.untranslated(ET.parse(copy))
    assert missing == [], f"untranslated: {missing[:10]}"
    assert len(ET.parse(copy).getroot().findall("context/message")) > 300


def test_translation_file_compiles_cleanly(tmp_path: Path) -> None:
    result = subprocess.run(
        [_tool("lrelease"), str(TS), "-qm", str(tmp_path / "zh.qm")], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 unfinished" in result.stdout
    assert (tmp_path / "zh.qm").stat().st_size > 10_000


def test_qt_file_dialog_has_no_english_label_in_chinese(qapp) -> None:  # type: ignore[no-untyped-def]
    """Qt's own dialog (used on Linux) showed "Look in:" and "Files of type:" in English
    in the Chinese window: Qt 6.9+ writes them with mnemonics, which Qt's Chinese
    translation lacks; our .ts fills the gap."""
    import re

    from PySide6.QtWidgets import QFileDialog, QLabel

    from ui.app import create_application
    from ui.messages import FILE_DIALOG_OPTIONS

    create_application(language="zh_CN")
    try:
        dialog = QFileDialog(None, "x")
        dialog.setOptions(FILE_DIALOG_OPTIONS | QFileDialog.Option.DontUseNativeDialog)
        labels = [label.text() for label in dialog.findChildren(QLabel) if label.text()]
        assert len(labels) >= 3
        english = [text for text in labels if re.search(r"[A-Za-z]{2,}", text)]
        assert english == []
        dialog.deleteLater()
    finally:
        create_application(language="en")
