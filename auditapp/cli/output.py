"""How the command line writes: JSON, JSON lines, plain tables, error and warning lines.

Kept light: the JSON conversion of service objects (``to_jsonable``) loads only when
something is printed as JSON.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Sequence


def jsonable(value: Any) -> Any:
    from auditapp.jsonable import to_jsonable

    return to_jsonable(value)


def emit_json(value: Any) -> None:
    import json

    json.dump(jsonable(value), sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


def emit_event(event: str, **fields: Any) -> None:
    """One JSON line on stdout (``--progress``): ``{"event": "progress", "done": 3, "total": 10}``."""
    import json

    line = json.dumps({"event": event, **jsonable(fields)}, ensure_ascii=False)
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def _width(text: str) -> int:
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def table(rows: Sequence[Sequence[str]], headers: Sequence[str]) -> None:
    """Print a plain table; widths count CJK characters as two columns."""
    cols = [max([_width(h)] + [_width(r[i]) for r in rows]) for i, h in enumerate(headers)]
    for row in [list(headers), *rows]:
        cells = [cell + " " * (cols[i] - _width(cell)) for i, cell in enumerate(row)]
        print("  ".join(cells).rstrip())


def print_id(value: Any, _ctx: Any = None) -> None:
    """Text renderer of commands that create one record: its id, for ``$(auditapp … add)``."""
    print(value.id)


def error_prefix() -> str:
    """``auditapp: 错误：`` or ``auditapp: error: ``."""
    from auditapp.language import is_chinese

    return "auditapp: 错误：" if is_chinese() else "auditapp: error: "


def warning_prefix() -> str:
    from auditapp.language import is_chinese

    return "auditapp: 警告：" if is_chinese() else "auditapp: warning: "


def print_error(message: str, hint: str = "") -> None:
    sys.stderr.write(f"{error_prefix()}{message}\n")
    if hint:
        sys.stderr.write(f"{hint}\n")
    sys.stderr.flush()


def print_warning(message: str) -> None:
    sys.stderr.write(f"{warning_prefix()}{message}\n")
