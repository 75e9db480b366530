"""The files of the storage, photo and sync layers raise only catalog codes, and every
message of their catalogs says the same thing in both languages (same placeholders)."""

from __future__ import annotations

import ast
import inspect
import string
from pathlib import Path

import pytest

import auditapp.errors as errors
from auditapp.messages import catalog, has_code
from conftest import REPO_ROOT

FILES = [
    *sorted(
        str(p.relative_to(REPO_ROOT))
        for folder in ("auditapp/db", "auditapp/photos", "auditapp/sync")
        for p in (REPO_ROOT / folder).glob("*.py")
        if p.name != "cli.py"
    ),
    "auditapp/services/photos.py",
    "auditapp/checklists/schema.py",
]

USER_ERRORS = {name for name, obj in vars(errors).items() if inspect.isclass(obj) and issubclass(obj, errors.AuditAppError)}
USER_ERRORS |= {"SyncError", "PackageError", "RecordError", "AnswerValueError"}


def _raises(path: Path) -> list[tuple[int, str, ast.expr | None]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call):
            func = node.exc.func
            name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
            if name in USER_ERRORS:
                out.append((node.lineno, name, node.exc.args[0] if node.exc.args else None))
    return out


@pytest.mark.parametrize("rel", FILES)
def test_every_user_facing_raise_names_a_catalog_code(rel: str) -> None:
    bad = []
    for line, name, first in _raises(REPO_ROOT / rel):
        if name == "SyncCancelled":
            continue
        if not (isinstance(first, ast.Constant) and isinstance(first.value, str) and has_code(first.value)):
            bad.append(f"{rel}:{line}: {name}({ast.unparse(first) if first is not None else ''} …)")
    assert bad == []


def _fields(text: str) -> set[str]:
    return {f for _lit, f, _spec, _conv in string.Formatter().parse(text) if f}


AREAS = ("database.", "backup.", "record.", "photo.", "package.", "sync.", "conflict.", "answer.")


@pytest.mark.parametrize("code", sorted(c for c in catalog() if c.startswith(AREAS)))
def test_both_languages_carry_the_same_placeholders(code: str) -> None:
    text = catalog()[code]
    assert text.zh.strip() and text.en.strip()
    assert _fields(text.zh) == _fields(text.en), code
    for pair in (text.hint, text.cli_hint, text.gui_hint):
        if pair:
            assert _fields(pair[0]) == _fields(pair[1]), code
            assert _fields(pair[0]) <= _fields(text.en) | {"hint"}, code


def test_package_errors_keep_a_machine_readable_check() -> None:
    from auditapp.sync.errors import PackageError

    assert PackageError("package.zip_slip", member="'../x'").check == "zip-slip"
    assert PackageError("package.bad_record", check="bad-records", member="m", row=1, record="r", problem="p").check == "bad-records"
