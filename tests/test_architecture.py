"""The core must stay Qt-free: the GUI depends on it, never the other way round."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

from conftest import REPO_ROOT
from source_support import walk_file

CORE = REPO_ROOT / "auditapp"


def _imported_modules(path: Path) -> set[str]:
    names: set[str] = set()
    for node in walk_file(path):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def _offenders(prefix: str, allowed: set[str] = frozenset()) -> list[str]:  # type: ignore[assignment]
    out = []
    for path in CORE.rglob("*.py"):
        rel = str(path.relative_to(REPO_ROOT))
        if rel in allowed:
            continue
        if any(name == prefix or name.startswith(prefix + ".") for name in _imported_modules(path)):
            out.append(rel)
    return sorted(out)


def test_no_core_module_imports_pyside6() -> None:
    assert _offenders("PySide6") == []


def test_only_the_cli_entry_point_reaches_the_gui() -> None:
    # `auditapp` without a command opens the GUI, so the CLI runner may import ui lazily; nothing else may.
    assert _offenders("ui", allowed={"auditapp/cli/runner.py"}) == []


def test_importing_the_whole_core_does_not_load_qt() -> None:
    code = (
        "import importlib, pkgutil, sys, auditapp\n"
        "for m in pkgutil.walk_packages(auditapp.__path__, 'auditapp.'):\n"
        "    if '.migrations' in m.name or m.name == 'auditapp.__main__':\n"
        "        continue\n"
        "    importlib.import_module(m.name)\n"
        "print(sorted(k for k in sys.modules if k.startswith('PySide6')))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO_ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
