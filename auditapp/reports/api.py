"""The report entry points: load data, lay it out, write the file, time it.

This is the boundary the GUI and the command line call. Whatever goes wrong reaches
them as an :class:`~auditapp.errors.AuditAppError` with a code: a report that cannot
be laid out (a bug of ours, logged with its traceback) names the report and the visit
or institution; a folder that cannot be written names the file.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from pathlib import Path

from reportlab.platypus.doctemplate import LayoutError

# Runtime imports, not TYPE_CHECKING ones: callers read these signatures (typing.get_type_hints),
# and a report process loads the checklist classes anyway (the services import them).
from auditapp.checklists.loader import Library
from auditapp.db import Database
from auditapp.errors import AuditAppError, FileAccessError, PhotoError
from auditapp.progress import CancelToken, Progress
from auditapp.reports.contents import VisitHeader
from auditapp.reports.images import JPEG_QUALITY, PhotoLoader
from auditapp.reports.layout import ReportLayoutError, ReportResult, Stopwatch, Tracker
from auditapp.terms import Words

log = logging.getLogger("auditapp.reports")

REPORT_NAMES = {
    "rectification": Words("整改清单", "rectification list"),
    "visit": Words("体验检查报告", "visit report"),
    "followup": Words("整改跟踪报告", "follow-up report"),
    "summary": Words("汇总报告", "summary report"),
    "indicators": Words("评估指标报告", "indicator report"),
}


def db_photo_loader(db: Database) -> PhotoLoader:
    """Photos through the photo service: upright, annotations and redactions burned in."""

    def load(photo_id: str, max_side: int) -> bytes:
        try:
            from auditapp.services.photos import photo_export_jpeg
        except ImportError as exc:
            raise PhotoError("report.photo_service_missing", reason=str(exc)) from exc
        return photo_export_jpeg(db, photo_id, max_side=max_side, quality=JPEG_QUALITY)

    return load


class _Subject:
    """What a report is about, for its error message: the reference first, the name once loaded."""

    def __init__(self, ref: str) -> None:
        self.text = ref


@contextmanager
def _report_errors(report: str, subject: _Subject, out_path: Path | str) -> Iterator[None]:
    try:
        yield
    except AuditAppError:
        raise
    except LayoutError as exc:
        log.error("the %s of %s could not be laid out", report, subject.text, exc_info=True)
        raise ReportLayoutError("report.layout_failed", report=REPORT_NAMES[report], subject=subject.text) from exc
    except OSError as exc:
        raise FileAccessError("report.output_unwritable", path=str(out_path), reason=exc.strerror or str(exc)) from exc


def _visit_subject(header: VisitHeader) -> str:
    parts = [header.institution, *(d.isoformat() for d in header.visit_dates[:1])]
    if header.report_number:
        parts.append(header.report_number)
    return " ".join(p for p in parts if p)


def render_rectification_list(
    db: Database,
    visit_ref: str,
    out_path: Path | str,
    *,
    open_only: bool = False,
    by_department: bool = False,
    landscape: bool = False,
    progress: Progress | None = None,
    cancel: CancelToken | None = None,
    library: Library | None = None,
    photo_loader: PhotoLoader | None = None,
    language: str | None = None,
) -> ReportResult:
    """The rectification list (整改清单) of one visit.

    Args:
        open_only: leave out findings whose rectification is done (and findings without one).
        by_department: one section per responsible department, each starting on a new
            page with its own page count and sign-off, to hand each department its pages.
        landscape: one table row per finding on landscape pages instead of blocks.
        language: ``zh_CN`` or ``en``; the user's language when not given.
    """
    from auditapp.reports.data import rectification_list_data
    from auditapp.reports.rectification import write_rectification_list

    subject = _Subject(visit_ref)
    with _report_errors("rectification", subject, out_path):
        clock = Stopwatch()
        tracker = Tracker(progress, cancel, total=1)
        tracker.check()
        data = rectification_list_data(db, visit_ref, open_only=open_only, library=library, language=language)
        subject.text = _visit_subject(data.header)
        tracker.total = len(data.findings) + 2
        tracker.step()
        pages = write_rectification_list(
            data,
            out_path,
            loader=photo_loader or db_photo_loader(db),
            by_department=by_department,
            landscape=landscape,
            tracker=tracker,
            language=language,
        )
        tracker.finish()
        return ReportResult(path=Path(out_path), pages=pages, seconds=clock.seconds())


def render_visit_report(
    db: Database,
    visit_ref: str,
    out_path: Path | str,
    *,
    progress: Progress | None = None,
    cancel: CancelToken | None = None,
    library: Library | None = None,
    photo_loader: PhotoLoader | None = None,
    language: str | None = None,
) -> ReportResult:
    """Scores per section with a bar chart, every answer, journey timings, floor plans with pins."""
    from auditapp.reports.data import visit_report_data
    from auditapp.reports.visit import write_visit_report

    subject = _Subject(visit_ref)
    with _report_errors("visit", subject, out_path):
        clock = Stopwatch()
        tracker = Tracker(progress, cancel, total=3)
        tracker.check()
        data = visit_report_data(db, visit_ref, library=library, language=language)
        subject.text = _visit_subject(data.header)
        tracker.step()
        pages = write_visit_report(data, out_path, loader=photo_loader or db_photo_loader(db), tracker=tracker,
                                   language=language)
        tracker.finish()
        return ReportResult(path=Path(out_path), pages=pages, seconds=clock.seconds())


def render_followup_report(
    db: Database,
    institution_ref: str,
    out_path: Path | str,
    *,
    today: date | None = None,
    progress: Progress | None = None,
    cancel: CancelToken | None = None,
    photo_loader: PhotoLoader | None = None,
    library: Library | None = None,
    language: str | None = None,
) -> ReportResult:
    """Every rectification of an institution, overdue first, with before/after photos and history."""
    from auditapp.reports.data import followup_data
    from auditapp.reports.followup import write_followup_report

    subject = _Subject(institution_ref)
    with _report_errors("followup", subject, out_path):
        clock = Stopwatch()
        tracker = Tracker(progress, cancel, total=1)
        tracker.check()
        data = followup_data(db, institution_ref, today=today, library=library, language=language)
        subject.text = data.institution
        tracker.total = len(data.entries) + 2
        tracker.step()
        pages = write_followup_report(data, out_path, loader=photo_loader or db_photo_loader(db), tracker=tracker,
                                      language=language)
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
    progress: Progress | None = None,
    cancel: CancelToken | None = None,
    library: Library | None = None,
    language: str | None = None,
) -> ReportResult:
    """Bureau summary: institutions side by side, ranking, frequent problems, monthly trend."""
    from auditapp.reports.summary import range_text, write_summary_report
    from auditapp.reports.summary_data import summary_data
    from auditapp.reports.words import Wording

    subject = _Subject(", ".join(institutions or ()))
    with _report_errors("summary", subject, out_path):
        if date_from and date_to and date_from > date_to:
            from auditapp.errors import InvalidInputError

            raise InvalidInputError("report.date_range_reversed", date_from=date_from, date_to=date_to)
        clock = Stopwatch()
        tracker = Tracker(progress, cancel, total=3)
        tracker.check()
        data = summary_data(db, institutions=institutions, date_from=date_from, date_to=date_to, today=today,
                            library=library, language=language)
        subject.text = range_text(data, Wording(language))
        tracker.step()
        pages = write_summary_report(data, out_path, tracker=tracker, language=language)
        tracker.finish()
        return ReportResult(path=Path(out_path), pages=pages, seconds=clock.seconds())


def render_indicator_report(
    db: Database,
    institution_ref: str,
    set_id: str,
    out_path: Path | str,
    *,
    first: str | None = None,
    last: str | None = None,
    progress: Progress | None = None,
    cancel: CancelToken | None = None,
    library: Library | None = None,
    language: str | None = None,
) -> ReportResult:
    """One institution's indicators of one set across periods (``first``…``last``, default all reported)."""
    from auditapp.checklists import load_library
    from auditapp.reports.indicators import write_indicator_report
    from auditapp.services.indicators import indicator_trend

    subject = _Subject(institution_ref)
    with _report_errors("indicators", subject, out_path):
        clock = Stopwatch()
        tracker = Tracker(progress, cancel, total=3)
        tracker.check()
        library = library if library is not None else load_library()
        trend = indicator_trend(db, institution=institution_ref, set_id=set_id, first=first, last=last, library=library)
        subject.text = trend.institution_name
        tracker.step()
        pages = write_indicator_report(trend, dict(library.sources), out_path, tracker=tracker, language=language)
        tracker.finish()
        return ReportResult(path=Path(out_path), pages=pages, seconds=clock.seconds())
