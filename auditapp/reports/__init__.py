"""PDF reports (ReportLab, A4, Simplified Chinese): rectification list, visit report,
follow-up report, bureau summary and indicator report, for the GUI and the ``auditapp report`` commands.

Each ``render_*`` function loads its data through the services, lays it out and writes
the PDF atomically; ``progress(done, total, text)`` is called as work advances and a
cancelled ``cancel`` token (``auditapp.progress``) stops with :class:`ReportCancelled`,
leaving no file.

The names are imported on first use, so that registering the ``report`` commands
(``auditapp.reports.cli``) does not load ReportLab and SQLAlchemy at CLI start-up.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from auditapp.reports.api import (
        render_followup_report,
        render_indicator_report,
        render_rectification_list,
        render_summary_report,
        render_visit_report,
    )
    from auditapp.reports.layout import ReportCancelled, ReportResult

_EXPORTS = {
    "render_followup_report": "auditapp.reports.api",
    "render_indicator_report": "auditapp.reports.api",
    "render_rectification_list": "auditapp.reports.api",
    "render_summary_report": "auditapp.reports.api",
    "render_visit_report": "auditapp.reports.api",
    "ReportCancelled": "auditapp.reports.layout",
    "ReportResult": "auditapp.reports.layout",
}

__all__ = [  # the names of _EXPORTS, spelled out for readers and linters
    "ReportCancelled",
    "ReportResult",
    "render_followup_report",
    "render_indicator_report",
    "render_rectification_list",
    "render_summary_report",
    "render_visit_report",
]
assert sorted(__all__) == sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(module), name)
