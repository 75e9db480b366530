"""The four report entry points: load data, lay it out, write the file, time it."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

from auditapp.db import Database
from auditapp.errors import PhotoError
from auditapp.reports.images import JPEG_QUALITY, PhotoLoader
from auditapp.reports.layout import CancelCallback, ProgressCallback, ReportResult, Stopwatch, Tracker


def db_photo_loader(db: Database) -> PhotoLoader:
    """Photos through the photo service: upright, annotations and redactions burned in."""

    def load(photo_id: str, max_side: int) -> bytes:
        try:
            from auditapp.services.photos import photo_export_jpeg
        except ImportError as exc:
            raise PhotoError(f"the photo service is not available ({exc})") from exc
        return photo_export_jpeg(db, photo_id, max_side=max_side, quality=JPEG_QUALITY)

    return load


def render_rectification_list(
    db: Database,
    visit_ref: str,
    out_path: Path | str,
    *,
    open_only: bool = False,
    by_department: bool = False,
    landscape: bool = False,
    progress: ProgressCallback | None = None,
    cancel: CancelCallback | None = None,
    library: Any = None,
    photo_loader: PhotoLoader | None = None,
) -> ReportResult:
    """The rectification list (整改清单) of one visit.

    Args:
        open_only: leave out verified findings (and findings without rectification).
        by_department: one section per responsible department, each starting on a new
            page with its own page count and sign-off, to hand each department its pages.
        landscape: one table row per finding on landscape pages instead of blocks.
    """
    from auditapp.reports.data import rectification_list_data
    from auditapp.reports.rectification import write_rectification_list

    clock = Stopwatch()
    tracker = Tracker(progress, cancel, total=1)
    tracker.check()
    data = rectification_list_data(db, visit_ref, open_only=open_only, library=library)
    tracker.total = len(data.findings) + 2
    tracker.step()
    pages = write_rectification_list(
        data,
        out_path,
        loader=photo_loader or db_photo_loader(db),
        by_department=by_department,
        landscape=landscape,
        tracker=tracker,
    )
    tracker.finish()
    return ReportResult(path=Path(out_path), pages=pages, seconds=clock.seconds())


def render_visit_report(
    db: Database,
    visit_ref: str,
    out_path: Path | str,
    *,
    progress: ProgressCallback | None = None,
    cancel: CancelCallback | None = None,
    library: Any = None,
    photo_loader: PhotoLoader | None = None,
) -> ReportResult:
    """Scores per section with a bar chart, every answer, journey timings, floor plans with pins."""
    from auditapp.reports.data import visit_report_data
    from auditapp.reports.visit import write_visit_report

    clock = Stopwatch()
    tracker = Tracker(progress, cancel, total=3)
    tracker.check()
    data = visit_report_data(db, visit_ref, library=library)
    tracker.step()
    pages = write_visit_report(data, out_path, loader=photo_loader or db_photo_loader(db), tracker=tracker)
    tracker.finish()
    return ReportResult(path=Path(out_path), pages=pages, seconds=clock.seconds())


def render_followup_report(
    db: Database,
    institution_ref: str,
    out_path: Path | str,
    *,
    today: date | None = None,
    progress: ProgressCallback | None = None,
    cancel: CancelCallback | None = None,
    photo_loader: PhotoLoader | None = None,
) -> ReportResult:
    """Every rectification of an institution, overdue first, with before/after photos and history."""
    from auditapp.reports.data import followup_data
    from auditapp.reports.followup import write_followup_report

    clock = Stopwatch()
    tracker = Tracker(progress, cancel, total=1)
    tracker.check()
    data = followup_data(db, institution_ref, today=today)
    tracker.total = len(data.entries) + 2
    tracker.step()
    pages = write_followup_report(data, out_path, loader=photo_loader or db_photo_loader(db), tracker=tracker)
    tracker.finish()
    return ReportResult(path=Path(out_path), pages=pages, seconds=clock.seconds())


def render_summary_report(
    db: Database,
    out_path: Path | str,
    *,
    institutions: Sequence[str] | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    today: date | None = None,
    progress: ProgressCallback | None = None,
    cancel: CancelCallback | None = None,
) -> ReportResult:
    """Bureau summary: institutions side by side, ranking, frequent problems, monthly trend."""
    from auditapp.reports.data import summary_data
    from auditapp.reports.summary import write_summary_report

    clock = Stopwatch()
    tracker = Tracker(progress, cancel, total=3)
    tracker.check()
    data = summary_data(db, institutions=institutions, date_from=date_from, date_to=date_to, today=today)
    tracker.step()
    pages = write_summary_report(data, out_path, tracker=tracker)
    tracker.finish()
    return ReportResult(path=Path(out_path), pages=pages, seconds=clock.seconds())
