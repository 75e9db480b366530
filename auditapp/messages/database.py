"""Messages of the database area (see auditapp.messages)."""

from __future__ import annotations

from auditapp.messages import T, Text

MESSAGES: dict[str, Text] = {
}
