"""The rectification list (整改清单): one block (or table row) per finding, a summary by
department and sign-off lines, printed for departments to fix, sign and hand back."""

from __future__ import annotations

from collections import Counter, OrderedDict
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, PageBreak, Paragraph, Spacer, Table

from auditapp.reports.blocks import grid_style, head_row, sign_off, visit_facts, with_heading
from auditapp.reports.images import PhotoLoader, Placement, PrefetchingLoader, grid_cell_width, photo_rows, request_side
from auditapp.reports.layout import (
    PageDecor,
    SectionMarker,
    Tracker,
    build_pdf,
    frame_height,
    frame_width,
)
from auditapp.reports.model import OPEN_STATUSES, Basis, FindingEntry, RectificationListData
from auditapp.reports.styles import (
    BAND_BG,
    HEAD_BG,
    NO_DEPARTMENT,
    OVERDUE,
    SEVERITY_COLOURS,
    SEVERITY_LABELS,
    STATUS_LABELS,
    Styles,
    coloured,
    make_styles,
    para,
    text,
)

TITLE = "整改清单"
SEVERITY_ORDER = ("critical", "major", "minor")


def basis_markup(basis: Sequence[Basis], styles: Styles) -> list[Paragraph]:
    """Each citation as 《document》clause, then the quoted requirement."""
    if not basis:
        return [Paragraph("—（其他问题，无对应条款）", styles.cell_small)]
    out = []
    for b in basis:
        head = f"《{text(b.document)}》"
        if b.number:
            head += f"（{text(b.number)}）"
        if b.clause:
            head += f" {text(b.clause)}"
        out.append(Paragraph(head, styles.cell))
        if b.quote:
            out.append(Paragraph(f"“{text(b.quote)}”", styles.quote))
    return out


def status_markup(f: FindingEntry) -> str:
    label = STATUS_LABELS.get(f.status, f.status or "—")
    if f.overdue:
        return text(label) + " " + coloured("（已逾期）", OVERDUE)
    return text(label)


def severity_markup(severity: str) -> str:
    return coloured(SEVERITY_LABELS.get(severity, severity), SEVERITY_COLOURS.get(severity, SEVERITY_COLOURS["minor"]))


def _deadline(d: date | None) -> str:
    return d.isoformat() if d else "—"


def _department(f: FindingEntry) -> str:
    return f.department or NO_DEPARTMENT


def _photo_labels(f: FindingEntry) -> list[str]:
    return [f"图 {f.number}-{i}" for i in range(1, len(f.photos) + 1)]


BLOCK_LABEL_W = 21 * mm
BLOCK_PHOTO_COLUMNS = 2
BLOCK_PHOTO_HEIGHT = 50 * mm
LANDSCAPE_PHOTO_HEIGHT = 30 * mm


def _block_photo_width(width: float) -> float:
    return width - BLOCK_LABEL_W - 6


def finding_block(
    f: FindingEntry, *, styles: Styles, width: float, loader: PhotoLoader, placement: Placement
) -> list[Flowable]:
    """One finding as a framed block of stacked tables.

    The block moves whole to the next page when it fits on one page; a longer block
    (very long notes) starts at once and breaks inside its text. The stacked tables
    avoid spanned cells, which ReportLab cannot split inside a row.
    """
    label_w = BLOCK_LABEL_W
    value_w = (width - 2 * label_w) / 2
    S = styles
    title = f"编号 {f.number}"
    if f.area:
        title += f"　{text(f.area)}"
    if f.carried:
        title += "　（上次检查遗留，复查）"
    band = Table(
        [[Paragraph(f"{title}　　严重程度：{severity_markup(f.severity)}　　状态：{status_markup(f)}", S.cell)]],
        colWidths=[width],
    )
    band.setStyle(grid_style(header_rows=0, extra=[("BACKGROUND", (0, 0), (-1, -1), HEAD_BG)]))

    def two_columns(rows: list[list[object]], heights: list[float | None] | None = None) -> Table:
        table = Table(rows, colWidths=[label_w, width - label_w], rowHeights=heights, splitInRow=1)
        table.setStyle(grid_style(header_rows=0, extra=[("BACKGROUND", (0, 0), (0, -1), BAND_BG)]))
        return table

    body: list[list[object]] = [
        [para("问题描述", S.label), para(f.text, S.cell)],
        [para("检查依据", S.label), basis_markup(f.basis, S)],
    ]
    if f.photos:
        photo_tables = photo_rows(
            loader,
            f.photos,
            labels=_photo_labels(f),
            width=_block_photo_width(width),
            columns=BLOCK_PHOTO_COLUMNS,
            max_height=BLOCK_PHOTO_HEIGHT,
            styles=S,
            placement=placement,
        )
        for i, table in enumerate(photo_tables):
            body.append([para("现场照片" if i == 0 else "", S.label), table])
    else:
        body.append([para("现场照片", S.label), para("无", S.cell_small)])
    duty = Table(
        [
            [para("责任科室", S.label), para(_department(f), S.cell), para("责任人", S.label), para(f.owner or "—", S.cell)],
            [
                para("整改期限", S.label),
                Paragraph(text(_deadline(f.deadline)) + (" " + coloured("已逾期", OVERDUE) if f.overdue else ""), S.cell),
                para("整改状态", S.label),
                Paragraph(status_markup(f), S.cell),
            ],
        ],
        colWidths=[label_w, value_w, label_w, value_w],
    )
    duty.setStyle(grid_style(header_rows=0, extra=[("BACKGROUND", (0, 0), (0, -1), BAND_BG), ("BACKGROUND", (2, 0), (2, -1), BAND_BG)]))
    tail = two_columns(
        [
            [para("整改措施", S.label), para(f.measures or "", S.cell)],
            [para("落实情况", S.label), para("（由责任科室填写整改结果并签字）", S.small)],
        ],
        [None, 16 * mm],
    )
    parts: list[Flowable] = [band, two_columns(body), duty, tail]
    height = sum(p.wrap(width, 10_000)[1] for p in parts)
    if height <= frame_height() * 0.95:
        return [KeepTogether(parts), Spacer(1, 5 * mm)]
    return [*parts, Spacer(1, 5 * mm)]


LANDSCAPE_COLUMNS = (
    ("编号", 10),
    ("区域", 18),
    ("问题描述", 46),
    ("检查依据", 46),
    ("照片", 60),
    ("严重程度", 17),
    ("责任科室\n责任人", 22),
    ("整改期限", 18),
    ("整改措施", 24),
    ("状态", 14),
)
LANDSCAPE_PHOTO_COLUMNS = 2


def landscape_table(
    findings: Sequence[FindingEntry], *, styles: Styles, width: float, loader: PhotoLoader, placement: Placement,
    tracker: Tracker | None,
) -> Flowable:
    """All findings as one table with its header row repeated on every page."""
    S = styles
    scale = width / (sum(w for _, w in LANDSCAPE_COLUMNS) * mm)
    widths = [w * mm * scale for _, w in LANDSCAPE_COLUMNS]
    rows: list[list[object]] = [head_row([label for label, _ in LANDSCAPE_COLUMNS], S)]
    for f in findings:
        photos: list[object] = photo_rows(
            loader,
            f.photos,
            labels=_photo_labels(f),
            width=widths[4] - 6,
            columns=LANDSCAPE_PHOTO_COLUMNS,
            max_height=LANDSCAPE_PHOTO_HEIGHT,
            styles=S,
            placement=placement,
        )
        description: list[object] = [para(f.text, S.cell_small)]
        if f.carried:
            description.append(para("（上次检查遗留，复查）", S.small))
        rows.append(
            [
                para(str(f.number), S.cell_center),
                para(f.area or "—", S.cell_small),
                description,
                basis_markup(f.basis, S),
                photos or para("无", S.cell_small),
                Paragraph(severity_markup(f.severity), S.cell_center),
                [para(_department(f), S.cell_small), para(f.owner or "", S.cell_small)],
                Paragraph(
                    text(_deadline(f.deadline)) + ("<br/>" + coloured("已逾期", OVERDUE) if f.overdue else ""),
                    S.cell_small,
                ),
                para(f.measures, S.cell_small),
                Paragraph(text(STATUS_LABELS.get(f.status, f.status or "—")), S.cell_small),
            ]
        )
        if tracker is not None:
            tracker.step()
    table = Table(rows, colWidths=widths, repeatRows=1, splitInRow=1)
    table.setStyle(grid_style())
    return table


def department_summary(findings: Sequence[FindingEntry], styles: Styles, width: float) -> Table:
    """Per department: how many findings, by severity, still open, overdue, verified."""
    S = styles
    groups: OrderedDict[str, list[FindingEntry]] = OrderedDict()
    for f in sorted(findings, key=lambda f: (_department(f) == NO_DEPARTMENT, _department(f))):
        groups.setdefault(_department(f), []).append(f)
    labels = ["责任科室", "问题数", "严重", "较重", "一般", "未完成", "其中逾期", "已验收"]
    rows: list[list[object]] = [head_row(labels, S)]

    def counts(items: Sequence[FindingEntry]) -> list[str]:
        sev = Counter(f.severity for f in items)
        return [
            str(len(items)),
            str(sev["critical"]),
            str(sev["major"]),
            str(sev["minor"]),
            str(sum(1 for f in items if f.status in OPEN_STATUSES)),
            str(sum(1 for f in items if f.overdue)),
            str(sum(1 for f in items if f.status == "verified")),
        ]

    for name, items in groups.items():
        rows.append([para(name, S.cell)] + [para(v, S.cell_center) for v in counts(items)])
    rows.append([para("合计", S.cell)] + [para(v, S.cell_center) for v in counts(findings)])
    first = 40 * mm
    rest = (width - first) / (len(labels) - 1)
    table = Table(rows, colWidths=[first] + [rest] * (len(labels) - 1), repeatRows=1)
    table.setStyle(grid_style(extra=[("BACKGROUND", (0, -1), (-1, -1), BAND_BG)]))
    return table


def photo_requests(findings: Sequence[FindingEntry], *, width: float, landscape: bool, placement: Placement) -> list[tuple[str, int]]:
    """The (photo id, pixel size) pairs the layout will ask the loader for, in order."""
    if landscape:
        scale = width / (sum(w for _, w in LANDSCAPE_COLUMNS) * mm)
        cell = grid_cell_width(LANDSCAPE_COLUMNS[4][1] * mm * scale - 6, LANDSCAPE_PHOTO_COLUMNS)
        height = LANDSCAPE_PHOTO_HEIGHT
    else:
        cell = grid_cell_width(_block_photo_width(width), BLOCK_PHOTO_COLUMNS)
        height = BLOCK_PHOTO_HEIGHT
    return [(ref.id, request_side(ref, cell, height, placement)) for f in findings for ref in f.photos]


def _intro(data: RectificationListData, styles: Styles) -> Paragraph:
    scope = "本清单仅列出尚未完成整改的问题。" if data.open_only else ""
    return Paragraph(
        text(
            f"{scope}请各责任科室按期完成整改，在“落实情况”栏填写整改结果并签字，"
            "连同整改前后照片交回；逾期未完成的问题将在下次体验时重点复查。"
        ),
        styles.small,
    )


def _head(data: RectificationListData, styles: Styles, width: float, subtitle: str) -> list[Flowable]:
    total = len(data.findings)
    extra = [("问题数", f"{total} 项" + ("（仅未完成）" if data.open_only else ""))]
    return [
        Paragraph(TITLE, styles.title),
        para(subtitle, styles.subtitle),
        visit_facts(data.header, styles, width, extra),
        Spacer(1, 3 * mm),
        _intro(data, styles),
    ]


def build_story(
    data: RectificationListData,
    *,
    loader: PhotoLoader,
    placement: Placement,
    landscape: bool,
    by_department: bool,
    tracker: Tracker | None,
) -> list[Flowable]:
    styles = make_styles(9.5 if landscape else 10)
    width = frame_width(landscape)
    findings = list(data.findings)

    def findings_part(items: Sequence[FindingEntry]) -> list[Flowable]:
        if not items:
            return [Spacer(1, 4 * mm), para("本次体验未发现需整改的问题。", styles.body)]
        if landscape:
            return [Spacer(1, 3 * mm), landscape_table(items, styles=styles, width=width, loader=loader,
                                                       placement=placement, tracker=tracker)]
        out: list[Flowable] = [Spacer(1, 3 * mm)]
        for f in items:
            out += finding_block(f, styles=styles, width=width, loader=loader, placement=placement)
            if tracker is not None:
                tracker.step()
        return out

    story: list[Flowable] = []
    if not by_department:
        story += _head(data, styles, width, data.header.institution)
        part = findings_part(findings)
        story += with_heading(Paragraph("问题清单", styles.h1), part[1:])  # the heading's own spacing replaces the spacer
        story += [Paragraph("按责任科室汇总", styles.h1), department_summary(findings, styles, width)]
        story.append(sign_off(styles, width))
        return story

    story.append(SectionMarker("汇总"))
    story += _head(data, styles, width, data.header.institution)
    story += [Paragraph("按责任科室汇总", styles.h1), department_summary(findings, styles, width)]
    story += [Spacer(1, 4 * mm), para("以下按责任科室分节，每节另起一页，可分别交各科室。", styles.small)]
    story.append(sign_off(styles, width, ("检查人", "分管院领导")))
    groups: OrderedDict[str, list[FindingEntry]] = OrderedDict()
    for f in sorted(findings, key=lambda f: (_department(f) == NO_DEPARTMENT, _department(f), f.number)):
        groups.setdefault(_department(f), []).append(f)
    for name, items in groups.items():
        story += [PageBreak(), SectionMarker(name)]
        story += _head(data, styles, width, f"{data.header.institution}　·　责任科室：{name}（{len(items)} 项）")
        story += findings_part(items)
        story.append(sign_off(styles, width))
    return story


def write_rectification_list(
    data: RectificationListData,
    out_path: Path | str,
    *,
    loader: PhotoLoader,
    placement: Placement = Placement(),
    by_department: bool = False,
    landscape: bool = False,
    tracker: Tracker | None = None,
) -> int:
    """Lay out ``data`` as a PDF at ``out_path``; returns the page count."""
    requests = photo_requests(data.findings, width=frame_width(landscape), landscape=landscape, placement=placement)
    with PrefetchingLoader(loader, requests) as prefetched:
        story = build_story(
            data, loader=prefetched, placement=placement, landscape=landscape, by_department=by_department, tracker=tracker
        )
    decor = PageDecor(title=TITLE, institution=data.header.institution, report_number=data.header.report_number)
    return build_pdf(out_path, story, decor=decor, landscape=landscape, tracker=tracker)


