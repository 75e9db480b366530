"""What every ``auditapp`` command module shares: opening the data folder, JSON and
table output, date arguments. Kept light (the database layer loads only when a command
opens it), so registering commands costs nothing at start-up."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path
from typing import Any

from auditapp import paths


def emit_json(value: Any) -> None:
    from auditapp.services.common import to_jsonable

    json.dump(to_jsonable(value), sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


def table(rows: list[list[str]], headers: list[str]) -> None:
    """Print a plain table; widths count CJK characters as two columns."""
    import unicodedata

    def width(text: str) -> int:
        return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)

    cols = [max([width(h)] + [width(r[i]) for r in rows]) for i, h in enumerate(headers)]
    for row in [headers, *rows]:
        cells = [cell + " " * (cols[i] - width(cell)) for i, cell in enumerate(row)]
        print("  ".join(cells).rstrip())


def parse_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date: {text!r} (use YYYY-MM-DD)") from None


def data_dir(args: argparse.Namespace) -> Path:
    if getattr(args, "data_dir", None):
        return Path(args.data_dir).expanduser()
    return paths.default_data_dir()


def open_db(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    from auditapp.db import open_database

    return open_database(data_dir(args))
