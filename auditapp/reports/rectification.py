"""The rectification list (整改清单): one block (or table row) per finding, a summary by
department and sign-off lines, printed for departments to fix, sign and hand back.

Each finding says what to fix (a problem statement, never the checklist question), the
measured value against its target where the item measures one, and where it is: the
area and, when the finding or its answer is pinned, the floor plan, floor and pin.
"""

from __future__ import annotations

from collections import Counter, OrderedDict
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, PageBreak, Spacer, Table

from auditapp.reports.blocks import (
    binding_tag,
    coverage_text,
    data_table,
    grid_style,
    head_row,
    heading,
    incomplete_note,
    jurisdiction_note,
    no_problems_text,
    sign_off,
    visit_facts,
    with_heading,
)
from auditapp.reports.contents import Basis, FindingEntry, Place, RectificationListData
from auditapp.reports.images import PhotoLoader, Placement, PrefetchingLoader, grid_cell_width, photo_rows, request_side
from auditapp.reports.layout import PageDecor, SectionMarker, Tracker, build_pdf, frame_height, frame_width
from auditapp.reports.styles import (
    BAND_BG,
    HEAD_BG,
    OVERDUE,
    SEVERITY_COLOURS,
    Paragraph,
    Styles,
    coloured,
    make_styles,
    para,
    text,
)
from auditapp.reports.values import measured_text
from auditapp.reports.words import Wording

SEVERITY_ORDER = ("critical", "major", "minor")

DEFAULT_PLACEMENT = Placement()  # how photos sit in the list unless a caller says otherwise


def basis_markup(basis: Sequence[Basis], styles: Styles, w: Wording, binding: bool | None = None) -> list[Flowable]:
    """Each citation as 《document》clause, then the quoted requirement; led by ［本地要求］ or
    ［参考］ when the item's binding for the institution is known."""
    if not basis:
        return [Paragraph(text(w("rect.free_basis")), styles.cell_small)]
    out = []
    if binding is not None:
        out.append(Paragraph(text(binding_tag(binding, w)), styles.cell_small))
    for b in basis:
        head = f"《{text(b.document)}》"
        if b.number:
            head += f"（{text(b.number)}）"
        if b.clause:
            head += f" {text(b.clause_text(w.chinese))}"
        out.append(Paragraph(head, styles.cell))
        if b.quote:
            out.append(Paragraph(f"“{text(b.quote)}”", styles.quote))
    return out


def status_markup(f: FindingEntry, w: Wording) -> str:
    label = w.term("rectification_status", f.status) if f.status else "—"
    if f.overdue:
        return text(label) + " " + coloured(w("rect.overdue_paren").strip(), OVERDUE)
    return text(label)


def severity_markup(severity: str, w: Wording) -> str:
    return coloured(w.term("severity", severity), SEVERITY_COLOURS.get(severity, SEVERITY_COLOURS["minor"]))


def _deadline(d: date | None) -> str:
    return d.isoformat() if d else "—"


def department_of(f: FindingEntry, w: Wording) -> str:
    return f.department or w("no_department")


def place_text(place: Place, w: Wording) -> str:
    """ "门诊楼一层（1F）· 图钉 导医台旁"."""
    plan = place.plan + (f"（{place.floor}）" if place.floor and w.chinese else f" ({place.floor})" if place.floor else "")
    return plan + (" · " + w("pin_place", pin=place.pin) if place.pin else "")


def location_text(f: FindingEntry, w: Wording) -> str:
    """The area, then every floor-plan place the finding is pinned at, one per line."""
    lines = [f.area] if f.area else []
    lines += [place_text(p, w) for p in f.places]
    return "\n".join(lines)


def problem_cell(f: FindingEntry, styles: Styles, w: Wording, style_name: str = "cell") -> list[Flowable]:
    """The statement, then the measured value against its target (landscape table cell)."""
    out: list[Flowable] = [para(f.text, getattr(styles, style_name))]
    if f.observed:
        out.append(para(w("rect.observed_inline", note=f.observed), styles.cell_small))
    if f.measured is not None:
        out.append(para(measured_text(f.measured, w), styles.cell_small))
    return out


def _photo_labels(f: FindingEntry, w: Wording) -> list[str]:
    return [w("rect.photo_label", number=f.number, index=i) for i in range(1, len(f.photos) + 1)]


BLOCK_LABEL_W = 21 * mm
BLOCK_PHOTO_COLUMNS = 2
BLOCK_PHOTO_HEIGHT = 50 * mm
LANDSCAPE_PHOTO_HEIGHT = 30 * mm


def _label_width(w: Wording) -> float:
    return BLOCK_LABEL_W if w.chinese else 25 * mm


def _block_photo_width(width: float, w: Wording) -> float:
    return width - _label_width(w) - 6


def finding_block(
    f: FindingEntry, *, styles: Styles, width: float, loader: PhotoLoader, placement: Placement, w: Wording
) -> list[Flowable]:
    """One finding as a framed block of stacked tables.

    The block moves whole to the next page when it fits on one page; a longer block
    (very long notes) starts at once and breaks inside its text. The stacked tables
    avoid spanned cells, which ReportLab cannot split inside a row.
    """
    label_w = _label_width(w)
    value_w = (width - 2 * label_w) / 2
    st = styles
    title = text(w("rect.no", number=f.number))
    if f.carried:
        title += ("" if w.chinese else " ") + text(w("rect.carried"))
    band = data_table(
        [[Paragraph(w.gap.join([title, w.pair(text(w("rect.severity")), severity_markup(f.severity, w)),
                                w.pair(text(w("rect.status")), status_markup(f, w))]), st.cell)]],
        [width], header_rows=0, extra=[("BACKGROUND", (0, 0), (-1, -1), HEAD_BG)],
    )

    def two_columns(rows: list[list[object]], heights: list[float | None] | None = None) -> Table:
        table = Table(rows, colWidths=[label_w, width - label_w], rowHeights=heights, splitInRow=1)
        table.setStyle(grid_style(header_rows=0, extra=[("BACKGROUND", (0, 0), (0, -1), BAND_BG)]))
        return table

    body: list[list[object]] = [[para(w("rect.problem"), st.label), para(f.text, st.cell)]]
    if f.observed:
        body.append([para(w("rect.observed"), st.label), para(f.observed, st.cell)])
    if f.measured is not None:
        body.append([para(w("rect.measured"), st.label), para(measured_text(f.measured, w), st.cell)])
    location = location_text(f, w)
    if location:
        body.append([para(w("rect.location"), st.label), para(location, st.cell)])
    body.append([para(w("rect.basis"), st.label), basis_markup(f.basis, st, w, f.binding)])
    if f.photos:
        photo_tables = photo_rows(
            loader,
            f.photos,
            labels=_photo_labels(f, w),
            width=_block_photo_width(width, w),
            columns=BLOCK_PHOTO_COLUMNS,
            max_height=BLOCK_PHOTO_HEIGHT,
            styles=st,
            placement=placement,
            missing_text=w("photo_unreadable"),
        )
        for i, table in enumerate(photo_tables):
            body.append([para(w("rect.photos") if i == 0 else "", st.label), table])
    else:
        body.append([para(w("rect.photos"), st.label), para(w("rect.no_photos"), st.cell_small)])
    deadline = text(_deadline(f.deadline)) + (" " + coloured(w("rect.overdue"), OVERDUE) if f.overdue else "")
    duty = Table(
        [
            [para(w("rect.department"), st.label), para(department_of(f, w), st.cell), para(w("rect.owner"), st.label),
             para(f.owner or "—", st.cell)],
            [para(w("rect.deadline"), st.label), Paragraph(deadline, st.cell), para(w("rect.rect_status"), st.label),
             Paragraph(status_markup(f, w), st.cell)],
        ],
        colWidths=[label_w, value_w, label_w, value_w],
        splitInRow=1,
    )
    duty.setStyle(grid_style(header_rows=0, extra=[("BACKGROUND", (0, 0), (0, -1), BAND_BG), ("BACKGROUND", (2, 0), (2, -1), BAND_BG)]))
    tail = two_columns(
        [
            [para(w("rect.measures"), st.label), para(f.measures or "", st.cell)],
            [para(w("rect.action_taken"), st.label), para(w("rect.action_hint"), st.small)],
        ],
        [None, 16 * mm],
    )
    # Kept on one page when it fits; a block taller than a page starts on a new page and
    # breaks inside its text (KeepTogether splits what cannot fit a whole page).
    return [KeepTogether([band, two_columns(body), duty, tail]), Spacer(1, 5 * mm)]


LANDSCAPE_COLUMNS = (
    ("rect.col.no", 10),
    ("rect.col.location", 22),
    ("rect.col.problem", 50),
    ("rect.col.basis", 42),
    ("rect.col.photos", 58),
    ("rect.col.severity", 15),
    ("rect.col.department", 22),
    ("rect.col.deadline", 18),
    ("rect.col.measures", 24),
    ("rect.col.status", 14),
)
LANDSCAPE_PHOTO_COLUMNS = 2
PHOTO_COLUMN = 4
NO_PHOTOS_WIDTH = 12  # mm of the photo column when no finding has a photo; the rest goes to the text


def _landscape_widths(width: float, with_photos: bool = True) -> list[float]:
    units: list[float] = [w for _, w in LANDSCAPE_COLUMNS]
    if not with_photos:
        spare = units[PHOTO_COLUMN] - NO_PHOTOS_WIDTH
        units[PHOTO_COLUMN] = NO_PHOTOS_WIDTH
        units[2] += spare / 2  # problem
        units[3] += spare / 2  # basis
    scale = width / (sum(units) * mm)
    return [u * mm * scale for u in units]


def landscape_table(
    findings: Sequence[FindingEntry], *, styles: Styles, width: float, loader: PhotoLoader, placement: Placement,
    tracker: Tracker | None, w: Wording,
) -> Flowable:
    """All findings as one table with its header row repeated on every page."""
    st = styles
    widths = _landscape_widths(width, any(f.photos for f in findings))
    rows: list[Sequence[object]] = [head_row([w(key) for key, _ in LANDSCAPE_COLUMNS], st)]
    for f in findings:
        photos: list[object] = photo_rows(
            loader,
            f.photos,
            labels=_photo_labels(f, w),
            width=widths[4] - 6,
            columns=LANDSCAPE_PHOTO_COLUMNS,
            max_height=LANDSCAPE_PHOTO_HEIGHT,
            styles=st,
            placement=placement,
            missing_text=w("photo_unreadable"),
        )
        description: list[object] = list(problem_cell(f, st, w, "cell_small"))
        if f.carried:
            description.append(para(w("rect.carried"), st.small))
        deadline = text(_deadline(f.deadline)) + ("<br/>" + coloured(w("rect.overdue"), OVERDUE) if f.overdue else "")
        rows.append(
            [
                para(str(f.number), st.cell_center),
                para(location_text(f, w) or "—", st.cell_small),
                description,
                basis_markup(f.basis, st, w, f.binding),
                photos or para(w("rect.no_photos"), st.cell_small),
                Paragraph(severity_markup(f.severity, w), st.cell_center),
                [para(department_of(f, w), st.cell_small), para(f.owner or "", st.cell_small)],
                Paragraph(deadline, st.cell_small),
                para(f.measures, st.cell_small),
                Paragraph(status_markup(f, w), st.cell_small),
            ]
        )
        if tracker is not None:
            tracker.step()
    return data_table(rows, widths)


def department_summary(findings: Sequence[FindingEntry], styles: Styles, width: float, w: Wording) -> Table:
    """Per department: how many findings, by severity, still open, overdue, verified."""
    st = styles
    groups: OrderedDict[str, list[FindingEntry]] = OrderedDict()
    no_department = w("no_department")
    for f in sorted(findings, key=lambda f: (department_of(f, w) == no_department, department_of(f, w))):
        groups.setdefault(department_of(f, w), []).append(f)
    labels = [w("sum.department"), w("sum.findings"), *(w.term("severity", s) for s in SEVERITY_ORDER),
              w("sum.open"), w("sum.overdue"), w("sum.done")]
    rows: list[Sequence[object]] = [head_row(labels, st)]

    def counts(items: Sequence[FindingEntry]) -> list[str]:
        sev = Counter(f.severity for f in items)
        return [
            str(len(items)),
            *(str(sev[s]) for s in SEVERITY_ORDER),
            str(sum(1 for f in items if f.status and f.is_open)),
            str(sum(1 for f in items if f.overdue)),
            str(sum(1 for f in items if f.status and not f.is_open)),
        ]

    for name, items in groups.items():
        rows.append([para(name, st.cell)] + [para(v, st.cell_center) for v in counts(items)])
    rows.append([para(w("sum.total"), st.cell)] + [para(v, st.cell_center) for v in counts(findings)])
    first = 40 * mm
    rest = (width - first) / (len(labels) - 1)
    return data_table(rows, [first] + [rest] * (len(labels) - 1), extra=[("BACKGROUND", (0, -1), (-1, -1), BAND_BG)])


def photo_requests(findings: Sequence[FindingEntry], *, width: float, landscape: bool, placement: Placement,
                   w: Wording) -> list[tuple[str, int]]:
    """The (photo id, pixel size) pairs the layout will ask the loader for, in order."""
    if landscape:
        cell = grid_cell_width(_landscape_widths(width)[4] - 6, LANDSCAPE_PHOTO_COLUMNS)
        height = LANDSCAPE_PHOTO_HEIGHT
    else:
        cell = grid_cell_width(_block_photo_width(width, w), BLOCK_PHOTO_COLUMNS)
        height = BLOCK_PHOTO_HEIGHT
    return [(ref.id, request_side(ref, cell, height, placement)) for f in findings for ref in f.photos]


def _intro(data: RectificationListData, styles: Styles, w: Wording) -> Flowable:
    scope = w("rect.open_only_scope") if data.open_only else ""
    return Paragraph(text(scope + w("rect.intro")), styles.small)


def _head(data: RectificationListData, styles: Styles, width: float, subtitle: str, w: Wording) -> list[Flowable]:
    total = len(data.findings)
    extra = [(w("fact.findings"), w("items_count", count=total) + (w("open_only_suffix") if data.open_only else ""))]
    coverage = data.header.coverage
    if coverage is not None:
        extra.append((w("fact.coverage"), coverage_text(coverage, w)))
    out: list[Flowable] = [
        Paragraph(text(w("title.rectification")), styles.title),
        para(subtitle, styles.subtitle),
        visit_facts(data.header, styles, width, w, extra),
    ]
    out += jurisdiction_note(data.jurisdiction, data.header.institution, styles, w)
    if coverage is not None:
        out += incomplete_note(coverage, styles, w)
    return [*out, Spacer(1, 3 * mm), _intro(data, styles, w)]


def _empty_text(data: RectificationListData, w: Wording) -> str:
    if data.open_only:
        return w("no_open_problems")
    if data.header.coverage is None:
        return w("no_problems_listed")
    return no_problems_text(data.header.coverage, w)


def build_story(
    data: RectificationListData,
    *,
    loader: PhotoLoader,
    placement: Placement,
    landscape: bool,
    by_department: bool,
    tracker: Tracker | None,
    w: Wording,
) -> list[Flowable]:
    styles = make_styles(9.5 if landscape else 10, w.language)
    width = frame_width(landscape)
    findings = list(data.findings)

    def findings_part(items: Sequence[FindingEntry]) -> list[Flowable]:
        if not items:
            return [para(_empty_text(data, w), styles.body)]
        if landscape:
            return [landscape_table(items, styles=styles, width=width, loader=loader, placement=placement,
                                    tracker=tracker, w=w)]
        out: list[Flowable] = []
        for f in items:
            out += finding_block(f, styles=styles, width=width, loader=loader, placement=placement, w=w)
            if tracker is not None:
                tracker.step()
        return out

    story: list[Flowable] = []
    institution = data.header.institution
    if not by_department:
        story += _head(data, styles, width, institution, w)
        story += with_heading(heading(w("rect.problems"), styles.h1), findings_part(findings),
                              max_room=frame_height(landscape) * 0.8)
        if findings:
            story += with_heading(heading(w("rect.by_department"), styles.h1),
                                  [department_summary(findings, styles, width, w)])
        story.append(sign_off(styles, width, w))
        return story

    story.append(SectionMarker(w("rect.summary_section")))
    story += _head(data, styles, width, institution, w)
    if not findings:
        story += [Spacer(1, 4 * mm), para(_empty_text(data, w), styles.body), sign_off(styles, width, w)]
        return story
    story += with_heading(heading(w("rect.by_department"), styles.h1), [department_summary(findings, styles, width, w)])
    story += [Spacer(1, 4 * mm), para(w("rect.by_department_note"), styles.small)]
    story.append(sign_off(styles, width, w, ("sign.inspector", "sign.leader")))
    groups: OrderedDict[str, list[FindingEntry]] = OrderedDict()
    no_department = w("no_department")
    for f in sorted(findings, key=lambda f: (department_of(f, w) == no_department, department_of(f, w), f.number)):
        groups.setdefault(department_of(f, w), []).append(f)
    for name, items in groups.items():
        story += [PageBreak(), SectionMarker(name)]
        subtitle = w("rect.department_subtitle", institution=institution, department=name, count=len(items))
        story += _head(data, styles, width, subtitle, w)
        story += [Spacer(1, 3 * mm), *findings_part(items)]
        story.append(sign_off(styles, width, w))
    return story


def write_rectification_list(
    data: RectificationListData,
    out_path: Path | str,
    *,
    loader: PhotoLoader,
    placement: Placement = DEFAULT_PLACEMENT,
    by_department: bool = False,
    landscape: bool = False,
    tracker: Tracker | None = None,
    language: str | None = None,
) -> int:
    """Lay out ``data`` as a PDF at ``out_path``; returns the page count."""
    w = Wording(language)
    requests = photo_requests(data.findings, width=frame_width(landscape), landscape=landscape, placement=placement, w=w)
    with PrefetchingLoader(loader, requests) as prefetched:
        story = build_story(
            data, loader=prefetched, placement=placement, landscape=landscape, by_department=by_department,
            tracker=tracker, w=w,
        )
    decor = PageDecor(title=w("title.rectification"), institution=data.header.institution,
                      report_number=data.header.report_number, words=w)
    return build_pdf(out_path, story, decor=decor, landscape=landscape, tracker=tracker)
