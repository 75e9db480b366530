"""Functions stay small enough to read: none in ``auditapp/`` or ``ui/`` is longer than
:data:`MAX_LINES` lines (decorators and docstring included), so that a split stays split.

The limit is taken from the figures: after the splits of issue 14 the longest functions
outside the allow-list are about 80 lines, and a function that long already holds several
steps that each want a name. A function over the limit is split along its own seams
(one builder per part of a window, one method per phase of a walk), not by cutting it in
the middle.

:data:`ALLOWED` lists the ones being split on other branches right now; each entry says
whose. The lead removes an entry when its branch lands, and the test fails on an entry
that is no longer needed, so the list only shrinks.
"""

from __future__ import annotations

import ast
from pathlib import Path

from conftest import REPO_ROOT
from source_support import parse_file

MAX_LINES = 80

# "path::Qualified.name" -> why it is over the limit today. A path alone covers every
# function of that file (modules being restructured as a whole).
ALLOWED: dict[str, str] = {
    # runop: the rectification widget, the floor-plan panel and the photo strip (their
    # _build_editor, floorplan_view package and photo editor split has landed).
    "ui/rectifications.py::RectificationsWidget.__init__": "runop restructures ui/rectifications.py (issue 14)",
    "ui/photos/strip.py::PhotoStrip.__init__": "runop restructures ui/photos (issue 14)",
    "ui/floorplan_view/panel.py::FloorPlanPanel.__init__": "runop restructures FloorPlanPanel (issue 14)",
    # runop and rules both change these now (background work, rules out of widgets, messages):
    # a split on this branch would only conflict with theirs.
    "ui/dashboard.py::DashboardWindow.__init__": "runop changes ui/dashboard.py (issue 14); split after it lands",
    "auditapp/services/rectifications.py::_apply": "runop and rules change it (issue 14); split after they land",
    # startup: the main window is rebuilt to show before the database work.
    "ui/main_window.py::MainWindow.__init__": "startup restructures the main window's start-up (issue 14)",
}


def function_lengths(root: Path = REPO_ROOT) -> dict[str, int]:
    """``path::Qualified.name`` -> lines, for every function and method in auditapp/ and ui/."""
    found: dict[str, int] = {}
    for package in ("auditapp", "ui"):
        for path in sorted((root / package).rglob("*.py")):
            rel = path.relative_to(root).as_posix()
            if "/migrations/versions/" in rel:
                continue  # frozen history, as Alembic wrote it
            tree = parse_file(path)
            _collect(tree, rel, "", found)
    return found


def _collect(node: ast.AST, rel: str, prefix: str, found: dict[str, int]) -> None:
    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.expr | ast.expr_context | ast.operator | ast.arguments | ast.keyword | ast.alias):
            continue  # a def or class is a statement: none sits inside an expression (most of a tree's nodes)
        if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
            name = prefix + child.name
            first = min([child.lineno, *(d.lineno for d in child.decorator_list)])
            assert child.end_lineno is not None
            found[f"{rel}::{name}"] = child.end_lineno - first + 1
            _collect(child, rel, name + ".", found)
        elif isinstance(child, ast.ClassDef):
            _collect(child, rel, prefix + child.name + ".", found)
        else:
            _collect(child, rel, prefix, found)


def _allowed(key: str) -> bool:
    return key in ALLOWED or key.partition("::")[0] in ALLOWED


def test_no_function_is_longer_than_the_limit() -> None:
    too_long = {key: n for key, n in function_lengths().items() if n > MAX_LINES and not _allowed(key)}
    assert too_long == {}, (
        f"functions over {MAX_LINES} lines: split them along their own seams (see this test's docstring): "
        + ", ".join(f"{key} ({n})" for key, n in sorted(too_long.items(), key=lambda kv: -kv[1]))
    )


def test_the_allow_list_only_holds_functions_still_over_the_limit() -> None:
    lengths = function_lengths()
    stale = [key for key in ALLOWED if "::" in key and lengths.get(key, 0) <= MAX_LINES]
    stale += [key for key in ALLOWED if "::" not in key and not (REPO_ROOT / key).is_file()]
    assert stale == [], f"remove from ALLOWED (split, renamed or gone): {', '.join(stale)}"


def test_the_measure_counts_decorators_nested_functions_and_methods(tmp_path: Path) -> None:
    (tmp_path / "auditapp").mkdir()
    (tmp_path / "ui").mkdir()
    (tmp_path / "auditapp" / "m.py").write_text(
        "import functools\n"
        "@functools.cache\n"
        "def f():\n"
        "    def inner():\n"
        "        return 1\n"
        "    return inner\n"
        "class C:\n"
        "    def method(self):\n"
        "        pass\n",
        encoding="utf-8",
    )
    assert function_lengths(tmp_path) == {
        "auditapp/m.py::f": 5,
        "auditapp/m.py::f.inner": 2,
        "auditapp/m.py::C.method": 2,
    }
