"""Freezing a checklist as canonical JSON, stored with a visit so old visits never change."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from pydantic import ValidationError

from auditapp.checklists.schema import Checklist


def snapshot_json(checklist: Checklist) -> tuple[str, str]:
    data = checklist.model_dump(mode="json", by_alias=True)
    text = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return text, hashlib.sha256(text.encode("utf-8")).hexdigest()


def checklist_from_snapshot(json_text: str) -> Checklist:
    """The checklist a visit froze, whichever version of the app wrote it.

    Snapshots written before a field existed load with its default. A snapshot written
    by a newer version (synced from another laptop) may carry keys this version does not
    know; they are dropped rather than making the visit unreadable.
    """
    return lenient_validate(Checklist, json.loads(json_text))


def lenient_validate(model: type[Any], data: Any) -> Any:
    """Validate ``data`` against ``model``, dropping keys the model does not know."""
    for _attempt in range(50):
        try:
            return model.model_validate(data)
        except ValidationError as exc:
            extras = [e["loc"] for e in exc.errors() if e["type"] == "extra_forbidden"]
            if not extras:
                raise
            for loc in extras:
                _drop(data, loc)
    return model.model_validate(data)


def _drop(data: Any, loc: tuple[Any, ...]) -> None:
    node = data
    for part in loc[:-1]:
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            # pydantic names union members in locations ("function-after[...]"): skip them
            continue
    if isinstance(node, dict):
        node.pop(loc[-1], None)


__all__ = ["checklist_from_snapshot", "lenient_validate", "snapshot_json"]
