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
