"""Page frame shared by all reports: A4 page templates, running header, the footer
"第 X 页 共 Y 页" with the generation time, progress/cancel hooks and atomic writing.

The page total is only known after the last page, so the canvas keeps each page's
content and draws header and footer when the document is saved (one layout pass).

Content that can outgrow a page is laid out to split (tables by rows and inside rows,
charts by rows, long text by lines). As a last resort the document template shrinks a
flowable that still does not fit an empty page rather than failing the whole report,
and logs a warning naming it (tests assert that none of our layouts needs it).
"""

from __future__ import annotations

import contextlib
import logging
import os
import tempfile
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from reportlab.lib.pagesizes import A4
from reportlab.lib.pagesizes import landscape as to_landscape
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, KeepInFrame, PageTemplate
from reportlab.platypus.doctemplate import LayoutError

from auditapp.errors import AuditAppError
from auditapp.progress import Cancelled, CancelToken, Progress
from auditapp.reports.fonts import register_fonts
from auditapp.reports.styles import MUTED, RULE
from auditapp.reports.words import Wording

log = logging.getLogger("auditapp.reports")

MARGIN_X = 15 * mm
MARGIN_TOP = 20 * mm
MARGIN_BOTTOM = 18 * mm


class ReportCancelled(Cancelled):
    """The user cancelled a report; no file was written."""

    def __init__(self) -> None:
        super().__init__("report.cancelled")


class ReportLayoutError(AuditAppError):
    """A report could not be laid out on its pages (a bug of ours, logged with its traceback)."""


@dataclass(frozen=True)
class ReportResult:
    path: Path
    pages: int
    seconds: float


@dataclass(frozen=True)
class PageDecor:
    """What the running header and the footer show on every page."""

    title: str
    institution: str = ""
    report_number: str = ""
    generated_at: datetime = field(default_factory=lambda: datetime.now().astimezone())
    words: Wording = field(default_factory=Wording)


class Tracker:
    """Counts work steps for ``progress(done, total, text)`` and checks the cancel token."""

    def __init__(self, progress: Progress | None, cancel: CancelToken | None, total: int) -> None:
        self._progress = progress
        self._cancel = cancel
        self.total = max(total, 1)
        self.done = 0

    def check(self) -> None:
        if self._cancel is not None and self._cancel.cancelled:
            raise ReportCancelled()

    def step(self, count: int = 1) -> None:
        self.check()
        self.done = min(self.done + count, self.total)
        if self._progress is not None:
            self._progress(self.done, self.total, "")

    def finish(self) -> None:
        self.done = self.total
        if self._progress is not None:
            self._progress(self.total, self.total, "")


class SectionMarker(Flowable):
    """Zero-size flowable that starts a section with its own page count (one department)."""

    def __init__(self, name: str) -> None:
        super().__init__()
        self.name = name
        self.width = self.height = 0

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        self.canv._report_section = self.name


def _numbered_canvas_class(decor: PageDecor, stats: dict[str, int]) -> type[Canvas]:
    font = register_fonts()

    class NumberedCanvas(Canvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            # Start pages in the CJK font so no unused, unembedded Helvetica is listed.
            kwargs["initialFontName"] = font
            super().__init__(*args, **kwargs)
            self._report_section = ""
            self._page_states: list[dict[str, Any]] = []

        def showPage(self) -> None:  # noqa: N802 (ReportLab API)
            self._page_states.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._page_states)
            sections: dict[str, int] = {}
            for state in self._page_states:
                name = state.get("_report_section", "")
                sections[name] = sections.get(name, 0) + 1
            seen: dict[str, int] = {}
            for number, state in enumerate(self._page_states, start=1):
                self.__dict__.update(state)
                name = state.get("_report_section", "")
                seen[name] = seen.get(name, 0) + 1
                self._decorate(number, total, name, seen[name], sections[name])
                Canvas.showPage(self)
            stats["pages"] = total
            Canvas.save(self)

        def _decorate(self, number: int, total: int, section: str, sec_no: int, sec_total: int) -> None:
            width, height = self._pagesize
            self.saveState()
            self.setStrokeColor(RULE)
            self.setLineWidth(0.5)
            self.setFillColor(MUTED)
            w = decor.words
            top = height - MARGIN_TOP + 6 * mm
            right = decor.title + ("　" + w("report_no", number=decor.report_number) if decor.report_number else "")
            if section:
                right = w("section_page_of", section=section, n=sec_no, total=sec_total) + "　|　" + right
            self.setFont(font, 8.5)
            right_w = self.stringWidth(right, font, 8.5)
            # The institution's name gives way to the right-hand text on narrow pages.
            left = _clip_to_width(decor.institution, width - 2 * MARGIN_X - right_w - 6 * mm, font, 8.5, self)
            self.drawString(MARGIN_X, top + 1.5 * mm, left)
            self.drawRightString(width - MARGIN_X, top + 1.5 * mm, right)
            self.line(MARGIN_X, top, width - MARGIN_X, top)
            bottom = MARGIN_BOTTOM - 8 * mm
            self.line(MARGIN_X, bottom + 4 * mm, width - MARGIN_X, bottom + 4 * mm)
            self.setFont(font, 9)
            self.drawCentredString(width / 2, bottom, w("page_of", n=number, total=total))
            self.setFont(font, 7.5)
            self.drawString(MARGIN_X, bottom, decor.title)
            self.drawRightString(
                width - MARGIN_X, bottom, w("generated_at", at=decor.generated_at.strftime("%Y-%m-%d %H:%M"))
            )
            self.restoreState()

    return NumberedCanvas


def _clip_to_width(value: str, limit: float, font: str, size: float, canvas: Canvas) -> str:
    """``value`` whole if it fits ``limit``, else its longest start that fits with "…" after it.

    Searched by halving (a start's width only grows with its length): the header clips the
    institution's name on every page, and taking one character off at a time measured a
    400-character name 400 times per page.
    """
    if canvas.stringWidth(value, font, size) <= limit:
        return value
    fits, too_long = 0, len(value)  # value[:fits] + "…" fits (or fits == 0), value[:too_long] + "…" does not
    while too_long - fits > 1:
        middle = (fits + too_long) // 2
        if canvas.stringWidth(value[:middle] + "…", font, size) <= limit:
            fits = middle
        else:
            too_long = middle
    return value[:fits] + "…" if fits else ""


class ReportDocTemplate(BaseDocTemplate):
    """A document template that never fails a report for one flowable too large for a page.

    ReportLab raises ``LayoutError`` when a flowable that cannot split does not fit an
    empty frame. Our layouts split everything that can grow (tables, charts, text), so
    this is a safety net: the flowable is scaled down to fit the frame and a warning
    names it in the log.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.shrunk: list[str] = []

    def handle_flowable(self, flowables: list[Flowable]) -> None:
        first = flowables[0] if flowables else None
        try:
            super().handle_flowable(flowables)
        except LayoutError:
            grouped = getattr(first, "keepWithNext", 0)  # then ReportLab laid out a group, not ``first``
            if first is None or grouped or isinstance(first, _ShrunkToFrame) or (flowables and flowables[0] is first):
                raise
            frame = self.frame
            ident = first.identity(80) if hasattr(first, "identity") else repr(first)[:80]
            log.warning("report %r: %s did not fit a page and was scaled down to fit", self.title, ident)
            self.shrunk.append(ident)
            if hasattr(first, "_postponed"):
                del first._postponed
            flowables.insert(0, _ShrunkToFrame(frame._width, frame._height, [first], mode="shrink"))


class _ShrunkToFrame(KeepInFrame):
    """Marks a flowable the template already scaled down (so it is not wrapped twice)."""


def page_size(landscape: bool = False) -> tuple[float, float]:
    return to_landscape(A4) if landscape else A4


def frame_width(landscape: bool = False) -> float:
    return page_size(landscape)[0] - 2 * MARGIN_X


def frame_height(landscape: bool = False) -> float:
    return page_size(landscape)[1] - MARGIN_TOP - MARGIN_BOTTOM


def build_pdf(
    out_path: Path | str,
    story: list[Flowable],
    *,
    decor: PageDecor,
    landscape: bool = False,
    tracker: Tracker | None = None,
    subject: str = "",
) -> int:
    """Lay out ``story`` into ``out_path`` atomically and return the page count.

    The PDF is written to a temporary file next to the target and renamed at the end,
    so a failure or a cancel never leaves a half-written report behind.
    """
    out = Path(out_path)
    out.parent.mkdir(parents=True, exist_ok=True)
    size = page_size(landscape)
    stats: dict[str, int] = {}
    fd, tmp_name = tempfile.mkstemp(prefix=f".{out.stem}.", suffix=".part", dir=out.parent)
    os.close(fd)
    try:
        doc = ReportDocTemplate(
            tmp_name,
            pagesize=size,
            leftMargin=MARGIN_X,
            rightMargin=MARGIN_X,
            topMargin=MARGIN_TOP,
            bottomMargin=MARGIN_BOTTOM,
            title=decor.title + (f" {decor.report_number}" if decor.report_number else ""),
            author=decor.institution,
            subject=subject or decor.title,
            creator="auditapp",
        )
        frame = Frame(MARGIN_X, MARGIN_BOTTOM, size[0] - 2 * MARGIN_X, size[1] - MARGIN_TOP - MARGIN_BOTTOM, id="body",
                      leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
        doc.addPageTemplates([PageTemplate(id="page", frames=[frame], pagesize=size)])
        if tracker is not None:
            doc.afterFlowable = lambda _f: tracker.check()
        doc.build(story, canvasmaker=_numbered_canvas_class(decor, stats))
        stats["shrunk"] = len(doc.shrunk)
        if tracker is not None:
            tracker.check()
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp_name, 0o666 & ~umask)  # mkstemp creates 0600; a report is an ordinary file
        os.replace(tmp_name, out)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp_name)
        raise
    return int(stats.get("pages", 0))


class Stopwatch:
    def __init__(self) -> None:
        self.start = time.perf_counter()

    def seconds(self) -> float:
        return time.perf_counter() - self.start
