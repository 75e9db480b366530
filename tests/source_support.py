"""The app's source files parsed once per test process, for the tests that read the code itself.

test_messages, test_layers, test_function_size and test_architecture each walk every
module of auditapp/ (and ui/); parsing them all costs 1–2 s, and those tests did it about
ten times in one process. A tree is kept per file for as long as the file is unchanged
(size and modification time), so tests that write their own probe files get fresh trees.
Callers only read the trees: never change one.
"""

from __future__ import annotations

import ast
import functools
from pathlib import Path


def parse_file(path: Path) -> ast.Module:
    """``ast.parse`` of ``path`` (UTF-8), shared with every other reader of the same unchanged file."""
    st = path.stat()
    return _parse(str(path), st.st_mtime_ns, st.st_size)


@functools.cache
def _parse(path: str, _mtime_ns: int, _size: int) -> ast.Module:
    return ast.parse(Path(path).read_text(encoding="utf-8"), filename=path)


def walk_file(path: Path) -> tuple[ast.AST, ...]:
    """Every node of the file's tree in ``ast.walk`` order, listed once per unchanged file.

    Walking a tree costs more than parsing it; these tests walk every module several times.
    """
    st = path.stat()
    return _walk(str(path), st.st_mtime_ns, st.st_size)


@functools.cache
def _walk(path: str, mtime_ns: int, size: int) -> tuple[ast.AST, ...]:
    return tuple(ast.walk(_parse(path, mtime_ns, size)))
