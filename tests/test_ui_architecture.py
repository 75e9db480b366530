"""The GUI's own architecture: background work one way (``ui/workers.py``), no import cycles.

Beside ``tests/test_architecture.py`` (the core stays Qt-free) and ``tests/test_layers.py``
(the core's layer order). These tests read the source; they do not start Qt.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

from conftest import REPO_ROOT
from source_support import walk_file

UI = REPO_ROOT / "ui"
WORKERS = UI / "workers.py"

# What only ui/workers.py may use: its own progress dialog, thread plumbing and lifetime checks.
# (The check: grep -rn "QProgressDialog\|TaskRelay\|shiboken6.isValid\|QEventLoop\|QThread(" ui/)
BACKGROUND_PRIMITIVES = re.compile(r"QProgressDialog|TaskRelay|shiboken6\.isValid|QEventLoop|QThread\(")


def _ui_files() -> list[Path]:
    return sorted(UI.rglob("*.py"))


def _module_name(path: Path) -> str:
    parts = path.relative_to(REPO_ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def test_background_work_primitives_appear_only_in_workers() -> None:
    offenders = [
        f"{path.relative_to(REPO_ROOT)}:{n}: {line.strip()}"
        for path in _ui_files()
        if path != WORKERS
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if BACKGROUND_PRIMITIVES.search(line)
    ]
    assert offenders == [], "run background work with ui.workers.run_op:\n" + "\n".join(offenders)


def test_no_widget_imports_qt_thread_classes_or_shiboken() -> None:
    """Also through aliases the text check would miss (``import shiboken6 as sb``, ``QtCore.QThread``)."""
    banned = {"QProgressDialog", "QEventLoop", "QThread", "TaskRelay", "shiboken6"}
    offenders = []
    for path in _ui_files():
        if path == WORKERS:
            continue
        for node in walk_file(path):
            names: set[str] = set()
            if isinstance(node, ast.Import):
                names = {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom):
                names = {alias.name for alias in node.names} | {(node.module or "").split(".")[0]}
            elif isinstance(node, ast.Attribute):
                names = {node.attr}
            if names & banned:
                offenders.append(f"{path.relative_to(REPO_ROOT)}:{node.lineno}: {sorted(names & banned)}")
    assert offenders == []


def test_the_one_cancel_convention_is_the_token() -> None:
    """No op turns the CancelToken back into a ``cancelled()`` callable (the old convention)."""
    old = re.compile(r"lambda:\s*\w*token\w*\.cancelled|\bcancelled=lambda")
    offenders = [
        f"{path.relative_to(REPO_ROOT)}:{n}"
        for path in _ui_files()
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if old.search(line)
    ]
    assert offenders == []


def _ui_imports(path: Path, modules: set[str]) -> set[str]:
    """The ui modules ``path`` imports, at module level or inside a function (both tie them)."""
    out: set[str] = set()
    for node in walk_file(path):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "ui":
            submodules = {f"{node.module}.{alias.name}" for alias in node.names} & modules
            out |= submodules
            if len(submodules) < len(node.names):  # a name defined in the module itself
                out.add(node.module)
        elif isinstance(node, ast.Import):
            out |= {alias.name for alias in node.names if alias.name.split(".")[0] == "ui"}
    return out & modules


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


# Known, lazily imported pairs, each left for its own change: the apology names the log file
# (messages -> error_log) and the excepthook shows the apology (error_log -> messages); the
# report dialog adds the ledger buttons, the ledger shows its notice in the PDF preview.
KNOWN_CYCLES = [["ui.error_log", "ui.messages"], ["ui.ledger_dialogs", "ui.reports_dialog"]]


def test_no_import_cycles_between_gui_modules() -> None:
    """ui.photos.editor <-> ui.photos.strip went; no new cycle may come."""
    files = {_module_name(p): p for p in _ui_files()}
    modules = set(files)
    graph = {name: _ui_imports(path, modules) - {name} for name, path in files.items()}
    assert [c for c in _cycles(graph) if c not in KNOWN_CYCLES] == []


def test_the_cycle_check_finds_a_cycle() -> None:
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
