"""The message catalog: every raise names a code, every code reads well in both languages."""

from __future__ import annotations

import ast
import functools
import re
import string
from pathlib import Path

import pytest

from auditapp.messages import catalog, render_hint, render_message
from conftest import REPO_ROOT
from source_support import walk_file

CORE = REPO_ROOT / "auditapp"

# Every raise of the core names a catalog code (the lead's "convert as you go" list is done).
CONVERTED = sorted(str(p.relative_to(REPO_ROOT)) for p in CORE.rglob("*.py"))


@functools.cache  # read-only for its callers; the walk over every module is done once
def _error_classes() -> dict[str, bool]:
    """Every class in auditapp/ that derives from AuditAppError → whether it takes a code first.

    A class that defines ``__init__`` with a first parameter other than ``code`` (e.g.
    ChecklistError(problems)) builds its code itself.
    """
    bases: dict[str, list[str]] = {}
    takes_code: dict[str, bool] = {}
    for path in CORE.rglob("*.py"):
        for node in walk_file(path):
            if not isinstance(node, ast.ClassDef):
                continue
            bases[node.name] = [b.id if isinstance(b, ast.Name) else getattr(b, "attr", "") for b in node.bases]
            init = next((n for n in node.body if isinstance(n, ast.FunctionDef) and n.name == "__init__"), None)
            if init is not None:
                params = [*init.args.posonlyargs, *init.args.args][1:]
                takes_code[node.name] = bool(params) and params[0].arg == "code"

    def derives(name: str, seen: frozenset[str] = frozenset()) -> bool:
        if name == "AuditAppError":
            return True
        return any(derives(b, seen | {name}) for b in bases.get(name, []) if b not in seen)

    result: dict[str, bool] = {}
    for name in bases:
        if derives(name):
            # inherit "takes a code" from the nearest class that decides it
            current, decided = name, None
            while decided is None and current:
                decided = takes_code.get(current)
                parents = [b for b in bases.get(current, []) if derives(b)]
                current = parents[0] if parents else ""
            result[name] = True if decided is None else decided
    return result


def _raises_without_code(path: Path, classes: dict[str, bool], codes: set[str], shown: str = "") -> list[str]:
    rel = shown or path.relative_to(REPO_ROOT)
    out = []
    for node in walk_file(path):
        if not isinstance(node, ast.Raise) or not isinstance(node.exc, ast.Call):
            continue
        func = node.exc.func
        name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
        if not classes.get(name):
            continue
        first = node.exc.args[0] if node.exc.args else None
        literals = _code_literals(first)
        if literals is None:
            out.append(f"{rel}:{node.lineno}: {name}(…) without a code string")
        for code in literals or ():
            if code not in codes:
                out.append(f"{rel}:{node.lineno}: {name}({code!r}) is not a catalog code")
    return out


def _code_literals(node: ast.expr | None) -> list[str] | None:
    """The codes a raise's first argument can be: a string literal, or a pick from a dict of them
    (``{"measures": "rectification.needs_measures", …}[need]``); None for anything built at run time."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Dict):
        values = node.value.values
        if values and all(isinstance(v, ast.Constant) and isinstance(v.value, str) for v in values):
            return [v.value for v in values]  # type: ignore[union-attr]
    return None


def test_the_scan_recognises_error_classes() -> None:
    classes = _error_classes()
    assert classes["InvalidInputError"] and classes["NotFoundError"] and classes["UsageError"]
    assert classes["ChecklistError"] is False  # builds its own code from the problem list
    assert "ValueError" not in classes


def test_the_scan_finds_an_offender(tmp_path: Path) -> None:
    bad = tmp_path / "probe.py"
    bad.write_text(
        "from auditapp.errors import InvalidInputError, NotFoundError\n"
        'raise InvalidInputError("a plain sentence")\n'
        "raise NotFoundError(f'no visit {ref}')\n"
        'raise InvalidInputError("cli.pins_scope_missing")\n'
        'raise ValueError("not ours")\n'
        'raise InvalidInputError(f"rectification.needs_{need}")\n'
        'raise InvalidInputError({"a": "cli.pins_scope_missing", "b": "cli.no_such"}[need])\n',
        encoding="utf-8",
    )
    offenders = _raises_without_code(bad, _error_classes(), set(catalog()), shown="probe.py")
    assert offenders == [
        "probe.py:2: InvalidInputError('a plain sentence') is not a catalog code",
        "probe.py:3: NotFoundError(…) without a code string",
        "probe.py:6: InvalidInputError(…) without a code string",
        "probe.py:7: InvalidInputError('cli.no_such') is not a catalog code",
    ]


def test_every_raise_in_the_core_is_scanned() -> None:
    assert len(CONVERTED) > 150 and "auditapp/services/rectifications.py" in CONVERTED
    assert "auditapp/db/engine.py" in CONVERTED and "auditapp/sync/merge.py" in CONVERTED


def test_every_need_of_the_lifecycle_has_its_messages() -> None:
    # The service and the ledger pick the message of the first missing need by name.
    from auditapp.rules import rectification as lifecycle

    needs = {need for action in lifecycle.ACTIONS.values() for need in action.needs}
    assert needs >= {"measures", "evidence", "reason", "new_deadline"}
    for need in needs:
        assert f"rectification.needs_{need}" in catalog() and f"ledger.needs_{need}" in catalog(), need


def test_every_raise_in_converted_files_names_a_catalog_code() -> None:
    classes, codes = _error_classes(), set(catalog())
    offenders = [o for rel in CONVERTED for o in _raises_without_code(REPO_ROOT / rel, classes, codes)]
    assert offenders == []


_CJK = re.compile(r"[\u4e00-\u9fff]")


def _fields(template: str) -> set[str]:
    return {name.split(".")[0].split("[")[0] for _, name, _, _ in string.Formatter().parse(template) if name}


def _dummy(template: str) -> dict[str, object]:
    params: dict[str, object] = {}
    for _, name, spec, _ in string.Formatter().parse(template):
        if name:
            params[name] = 1 if spec and spec[-1] in "dfgeoxX%" else "x"
    return params


def _pairs(text: object) -> list[tuple[str, tuple[str, str]]]:
    return [(what, pair) for what in ("hint", "cli_hint", "gui_hint") if (pair := getattr(text, what)) is not None]


@pytest.mark.parametrize("code", sorted(catalog()))
def test_catalog_entry_reads_in_both_languages(code: str) -> None:
    text = catalog()[code]
    assert text.zh.strip() and text.en.strip(), code
    assert _CJK.search(text.zh), f"{code}: the Chinese text has no Chinese characters"
    assert _fields(text.zh) == _fields(text.en), f"{code}: placeholders differ between zh and en"
    for what, (zh, en) in _pairs(text):
        assert zh.strip() and en.strip(), f"{code}: empty {what}"
        assert _CJK.search(zh), f"{code}: the Chinese {what} has no Chinese characters"
        assert _fields(zh) == _fields(en), f"{code}: {what} placeholders differ between zh and en"


@pytest.mark.parametrize("code", sorted(catalog()))
def test_every_code_renders_with_dummy_parameters(code: str) -> None:
    text = catalog()[code]
    params = _dummy(text.zh) | _dummy(text.en)
    for _what, (zh, en) in _pairs(text):
        params |= _dummy(zh) | _dummy(en)
    for language in ("zh_CN", "en"):
        rendered = [render_message(code, params, language)]
        rendered += [render_hint(code, params, language, audience) for audience in ("cli", "gui")]  # type: ignore[misc]
        assert rendered[0].strip()
        for piece in rendered:
            assert not any("{" + name + "}" in piece or "{" + name + "!" in piece for name in params), piece


# A cancellation is what the user asked for; a record rule's message is a building block
# shown inside the message of the import, sync or save that met it, whose hint says what to do.
_NO_HINT_NEEDED = re.compile(r"^record\.|\.cancelled$")


@pytest.mark.parametrize("code", sorted(c for c in catalog() if not _NO_HINT_NEEDED.search(c)))
def test_every_message_says_how_to_fix_it(code: str) -> None:
    text = catalog()[code]
    assert text.hint or text.cli_hint or text.gui_hint, f"{code}: no hint saying how to fix it"
