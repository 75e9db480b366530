"""Follow-up report (整改跟踪): every rectification of an institution, overdue first, with
before and after photos side by side and the status history."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer, Table

from auditapp.reports.blocks import grid_style, head_row, with_heading
from auditapp.reports.images import PhotoLoader, Placement, PrefetchingLoader, photo_cell, request_side
from auditapp.reports.layout import PageDecor, Tracker, build_pdf, frame_width
from auditapp.reports.model import OPEN_STATUSES, FollowUpData, FollowUpEntry
from auditapp.reports.rectification import severity_markup, status_markup
from auditapp.reports.styles import BAND_BG, HEAD_BG, NO_DEPARTMENT, OVERDUE, STATUS_LABELS, Styles, coloured, make_styles, para, text

TITLE = "整改跟踪报告"
PHOTO_HEIGHT = 55 * mm


def before_after(entry: FollowUpEntry, styles: Styles, width: float, loader: PhotoLoader) -> Table:
    """Before photos on the left, after photos on the right, paired row by row."""
    S = styles
    col = width / 2
    before, after = entry.finding.photos, entry.after_photos
    rows: list[list[object]] = [head_row(["整改前", "整改后"], S)]
    n = entry.finding.number
    for i in range(max(len(before), len(after), 1)):
        cells: list[object] = []
        for refs, prefix, empty in ((before, "整改前", "无整改前照片"), (after, "整改后", "尚无整改后照片")):
            if i < len(refs):
                cells.append(photo_cell(loader, refs[i], f"{prefix} {n}-{i + 1}", col - 8, PHOTO_HEIGHT, styles=S, placement=Placement()))
            else:
                cells.append(para(empty, S.small) if i == 0 else "")
        rows.append(cells)
    table = Table(rows, colWidths=[col, col], repeatRows=1)
    table.setStyle(grid_style(extra=[("ALIGN", (0, 1), (-1, -1), "CENTER"), ("VALIGN", (0, 1), (-1, -1), "MIDDLE")]))
    return table


def history_table(entry: FollowUpEntry, styles: Styles, width: float) -> Table:
    S = styles
    rows: list[list[object]] = [head_row(["时间", "状态变化", "说明", "操作人"], S)]
    for e in entry.history:
        change = STATUS_LABELS.get(e.status_to, e.status_to)
        if e.status_from:
            change = f"{STATUS_LABELS.get(e.status_from, e.status_from)} → {change}"
        rows.append([para(e.at.astimezone().strftime("%Y-%m-%d %H:%M"), S.cell_small), para(change, S.cell_small),
                     para(e.note, S.cell_small), para(e.actor, S.cell_small)])
    if not entry.history:
        rows.append([para("无记录", S.cell_small), "", "", ""])
    table = Table(rows, colWidths=[32 * mm, 42 * mm, width - 100 * mm, 26 * mm], repeatRows=1)
    table.setStyle(grid_style())
    return table


def entry_block(entry: FollowUpEntry, styles: Styles, width: float, loader: PhotoLoader, as_of: date) -> list[Flowable]:
    S = styles
    f = entry.finding
    late = ""
    if f.overdue and f.deadline is not None:
        days = (as_of - f.deadline).days
        late = " " + coloured(f"逾期 {days} 天", OVERDUE)
    band = Paragraph(
        f"编号 {f.number}　{text(entry.visit_date.isoformat())} 体验" + (f"（报告 {text(entry.report_number)}）" if entry.report_number else "")
        + (f"　{text(f.area)}" if f.area else "") + f"　严重程度：{severity_markup(f.severity)}　状态：{status_markup(f)}{late}",
        S.cell,
    )
    label_w = 21 * mm
    value_w = (width - 2 * label_w) / 2
    rows: list[list[object]] = [
        [band, "", "", ""],
        [para("问题描述", S.label), para(f.text, S.cell), "", ""],
        [para("责任科室", S.label), para(f.department or NO_DEPARTMENT, S.cell), para("责任人", S.label), para(f.owner or "—", S.cell)],
        [para("整改期限", S.label), para(f.deadline.isoformat() if f.deadline else "—", S.cell), para("验收时间", S.label),
         para(entry.verified_at.astimezone().strftime("%Y-%m-%d") if entry.verified_at else "—", S.cell)],
        [para("整改措施", S.label), para(f.measures or "—", S.cell), "", ""],
    ]
    head = Table(rows, colWidths=[label_w, value_w, label_w, value_w], splitInRow=1)
    head.setStyle(grid_style(header_rows=0, extra=[
        ("SPAN", (0, 0), (-1, 0)), ("BACKGROUND", (0, 0), (-1, 0), HEAD_BG), ("SPAN", (1, 1), (-1, 1)), ("SPAN", (1, 4), (-1, 4)),
        ("BACKGROUND", (0, 1), (0, -1), BAND_BG), ("BACKGROUND", (2, 2), (2, 3), BAND_BG),
    ]))
    # One rectification stays on one page when it fits, history included.
    return [
        KeepTogether(
            [head, Spacer(1, 2 * mm), before_after(entry, S, width, loader), Spacer(1, 2 * mm),
             para("状态记录", S.label), history_table(entry, S, width)]
        ),
        Spacer(1, 7 * mm),
    ]


def build_story(data: FollowUpData, *, loader: PhotoLoader, tracker: Tracker | None) -> list[Flowable]:
    S = make_styles(10)
    width = frame_width()
    overdue = [e for e in data.entries if e.finding.overdue]
    still_open = [e for e in data.entries if not e.finding.overdue and e.finding.status in OPEN_STATUSES]
    done = [e for e in data.entries if not e.finding.overdue and e.finding.status not in OPEN_STATUSES]
    story: list[Flowable] = [Paragraph(TITLE, S.title), para(data.institution, S.subtitle)]
    summary = Table(
        [head_row(["截至日期", "整改总数", "已逾期", "整改中（未逾期）", "已完成"], S),
         [para(v, S.cell_center) for v in (data.as_of.isoformat(), len(data.entries), len(overdue), len(still_open), len(done))]],
        colWidths=[width / 5] * 5,
    )
    summary.setStyle(grid_style())
    story += [summary, Spacer(1, 2 * mm), para("排列顺序：已逾期的问题在前（按整改期限由早到晚），其次为整改中的问题，最后为已完成的问题。", S.small)]
    for title, group in (("一、已逾期", overdue), ("二、整改中（未逾期）", still_open), ("三、已完成", done)):
        heading = Paragraph(f"{title}（{len(group)} 项）", S.h1)
        if not group:
            story += [heading, para("无。", S.small)]
        for i, entry in enumerate(group):
            block = entry_block(entry, S, width, loader, data.as_of)
            story += with_heading(heading, block) if i == 0 else block
            if tracker is not None:
                tracker.step()
    return story


def write_followup_report(data: FollowUpData, out_path: Path | str, *, loader: PhotoLoader, tracker: Tracker | None = None) -> int:
    col = frame_width() / 2 - 8
    requests = [
        (ref.id, request_side(ref, col, PHOTO_HEIGHT, Placement()))
        for e in data.entries
        for ref in (*e.finding.photos, *e.after_photos)
    ]
    with PrefetchingLoader(loader, requests) as prefetched:
        story = build_story(data, loader=prefetched, tracker=tracker)
    return build_pdf(out_path, story, decor=PageDecor(title=TITLE, institution=data.institution), tracker=tracker)
