"""Freezing a checklist as canonical JSON, stored with a visit so old visits never change."""

from __future__ import annotations

import hashlib
import json

from auditapp.checklists.schema import Checklist


def snapshot_json(checklist: Checklist) -> tuple[str, str]:
    data = checklist.model_dump(mode="json", by_alias=True)
    text = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return text, hashlib.sha256(text.encode("utf-8")).hexdigest()


def checklist_from_snapshot(json_text: str) -> Checklist:
    return Checklist.model_validate_json(json_text)
