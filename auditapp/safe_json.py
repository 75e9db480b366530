"""JSON from outside the app, read safely: no nesting bombs, no NaN or Infinity.

Shared by the photo annotations (a layers file a user names), the record rules of the
database (``auditapp.db.validation``) and package import, so it sits at the bottom of the
core and imports nothing of it.
"""

from __future__ import annotations

import json
from typing import Any

JSON_MAX_DEPTH = 40


def json_depth(value: Any, limit: int) -> int:
    """Nesting depth of a JSON value, stopping at ``limit`` (no recursion)."""
    deepest = 0
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > deepest:
            deepest = depth
            if deepest > limit:
                return deepest
        if isinstance(node, dict):
            stack.extend((v, depth + 1) for v in node.values())
        elif isinstance(node, list):
            stack.extend((v, depth + 1) for v in node)
    return deepest


class JsonTooDeepError(ValueError):
    """JSON nested deeper than allowed (a nesting bomb)."""


class JsonNotFiniteError(ValueError):
    """JSON holding NaN or Infinity, which strict JSON and the database's JSON columns refuse."""

    def __init__(self, constant: str) -> None:
        super().__init__(f"{constant} is not a number JSON allows")
        self.constant = constant


def loads_json(text: str, *, max_depth: int = JSON_MAX_DEPTH) -> Any:
    """``json.loads`` that refuses nesting bombs and non-finite numbers (ValueError subclasses).

    ``json.JSONDecodeError`` for text that is not JSON, :class:`JsonNotFiniteError` for
    NaN/Infinity, :class:`JsonTooDeepError` for more than ``max_depth`` levels.
    """

    def no_constants(name: str) -> Any:
        raise JsonNotFiniteError(name)

    try:
        value = json.loads(text, parse_constant=no_constants)
    except RecursionError:
        raise JsonTooDeepError(f"nested more than {max_depth} levels deep") from None
    if json_depth(value, max_depth) > max_depth:
        raise JsonTooDeepError(f"nested more than {max_depth} levels deep")
    return value
