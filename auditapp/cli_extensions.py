"""Command groups that other parts of the core add to ``auditapp`` (photo, report, sync …).

Each registrar receives the top-level subparsers object and adds its own group, so a
feature's commands live next to its code instead of growing one big cli.py.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Registrar = Callable[[Any], None]

from auditapp.cli_places import register as _register_places  # noqa: E402
from auditapp.photos.cli import register as _register_photos  # noqa: E402
from auditapp.reports.cli import register as _register_reports  # noqa: E402
from auditapp.sync.cli import register as _register_sync  # noqa: E402

REGISTRARS: list[Registrar] = [_register_places, _register_photos, _register_reports, _register_sync]
