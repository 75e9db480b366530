"""Follow-up report (整改跟踪): every rectification of an institution, overdue first, with
before and after photos side by side and the status history.

Problems come from several visits, and each visit numbers its problems from 1, so the
rows of this report are numbered through (序号 1, 2, 3 …) and each also shows its
original reference (report number–problem number) to find it in that visit's papers.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Spacer, Table

from auditapp.reports.blocks import data_table, grid_style, head_row, heading, with_heading
from auditapp.reports.contents import FollowUpData, FollowUpEntry
from auditapp.reports.images import PhotoLoader, Placement, PrefetchingLoader, photo_cell, request_side
from auditapp.reports.layout import PageDecor, Tracker, build_pdf, frame_width
from auditapp.reports.rectification import department_of, location_text, severity_markup, status_markup
from auditapp.reports.styles import BAND_BG, HEAD_BG, OVERDUE, Paragraph, Styles, coloured, make_styles, para, text
from auditapp.reports.values import measured_text
from auditapp.reports.words import Wording

PHOTO_HEIGHT = 55 * mm


def reference(entry: FollowUpEntry) -> str:
    """The problem's number in its own visit's papers: "2026-11-003-8" (or "8" without a report number)."""
    number = str(entry.finding.number)
    return f"{entry.report_number}-{number}" if entry.report_number else number


def before_after(entry: FollowUpEntry, styles: Styles, width: float, loader: PhotoLoader, w: Wording, row: int) -> Table:
    """Before photos on the left, after photos on the right, paired row by row."""
    st = styles
    col = width / 2
    before, after = entry.finding.photos, entry.after_photos
    rows: list[list[object]] = [head_row([w("fu.before"), w("fu.after")], st)]
    for i in range(max(len(before), len(after), 1)):
        cells: list[object] = []
        for refs, prefix, empty in ((before, w("fu.before"), w("fu.no_before")), (after, w("fu.after"), w("fu.no_after"))):
            if i < len(refs):
                cells.append(photo_cell(loader, refs[i], f"{prefix} {row}-{i + 1}", col - 8, PHOTO_HEIGHT, styles=st,
                                        placement=Placement(), missing_text=w("photo_unreadable")))
            else:
                cells.append(para(empty, st.small) if i == 0 else "")
        rows.append(cells)
    table = Table(rows, colWidths=[col, col], repeatRows=1)
    table.setStyle(grid_style(extra=[("ALIGN", (0, 1), (-1, -1), "CENTER"), ("VALIGN", (0, 1), (-1, -1), "MIDDLE")]))
    return table


def history_table(entry: FollowUpEntry, styles: Styles, width: float, w: Wording) -> Flowable:
    st = styles
    rows: list[list[object]] = [head_row([w("fu.col.time"), w("fu.col.change"), w("fu.col.note"), w("fu.col.actor")], st)]
    for e in entry.history:
        change = w.term("rectification_status", e.status_to)
        if e.status_from:
            change = f"{w.term('rectification_status', e.status_from)} → {change}"
        rows.append([para(e.at.astimezone().strftime("%Y-%m-%d %H:%M"), st.cell_small), para(change, st.cell_small),
                     para(e.note, st.cell_small), para(e.actor, st.cell_small)])
    if not entry.history:
        rows.append([para(w("fu.no_history"), st.cell_small), "", "", ""])
    return data_table(rows, [32 * mm, 42 * mm, width - 100 * mm, 26 * mm])


def entry_block(entry: FollowUpEntry, row: int, styles: Styles, width: float, loader: PhotoLoader, as_of: date,
                w: Wording) -> list[Flowable]:
    st = styles
    f = entry.finding
    late = ""
    if f.overdue and f.deadline is not None:
        late = " " + coloured(w("fu.days_overdue", days=(as_of - f.deadline).days), OVERDUE)
    band_text = w.gap.join([
        f"<b>{text(w('fu.row', row=row))}</b>",
        text(w("fu.ref", ref=reference(entry))),
        text(w("fu.visit", date=entry.visit_date.isoformat())),
        w.pair(text(w("rect.severity")), severity_markup(f.severity, w)),
        w.pair(text(w("rect.status")), status_markup(f, w)) + late,
    ])
    label_w = 21 * mm if w.chinese else 25 * mm
    value_w = (width - 2 * label_w) / 2
    band = data_table([[Paragraph(band_text, st.cell)]], [width], header_rows=0,
                      extra=[("BACKGROUND", (0, 0), (-1, -1), HEAD_BG)])
    described: list[list[object]] = [[para(w("rect.problem"), st.label), para(f.text, st.cell)]]
    if f.observed:
        described.append([para(w("rect.observed"), st.label), para(f.observed, st.cell)])
    if f.measured is not None:
        described.append([para(w("rect.measured"), st.label), para(measured_text(f.measured, w), st.cell)])
    location = location_text(f, w)
    if location:
        described.append([para(w("rect.location"), st.label), para(location, st.cell)])
    problem = data_table(described, [label_w, width - label_w], header_rows=0,
                         extra=[("BACKGROUND", (0, 0), (0, -1), BAND_BG)])
    verified = entry.verified_at.astimezone().strftime("%Y-%m-%d") if entry.verified_at else "—"
    duty = data_table(
        [
            [para(w("rect.department"), st.label), para(department_of(f, w), st.cell), para(w("rect.owner"), st.label),
             para(f.owner or "—", st.cell)],
            [para(w("rect.deadline"), st.label), para(f.deadline.isoformat() if f.deadline else "—", st.cell),
             para(w("fu.verified_at"), st.label), para(verified, st.cell)],
        ],
        [label_w, value_w, label_w, value_w], header_rows=0,
        extra=[("BACKGROUND", (0, 0), (0, -1), BAND_BG), ("BACKGROUND", (2, 0), (2, -1), BAND_BG)],
    )
    measures = data_table([[para(w("rect.measures"), st.label), para(f.measures or "—", st.cell)]],
                          [label_w, width - label_w], header_rows=0, extra=[("BACKGROUND", (0, 0), (0, -1), BAND_BG)])
    parts: list[Flowable] = [band, problem, duty, measures, Spacer(1, 2 * mm),
                             before_after(entry, st, width, loader, w, row), Spacer(1, 2 * mm),
                             para(w("fu.history"), st.label), history_table(entry, st, width, w)]
    # One rectification stays on one page when it fits, history included (a longer one
    # starts on a new page and breaks inside).
    return [KeepTogether(parts), Spacer(1, 7 * mm)]


def build_story(data: FollowUpData, *, loader: PhotoLoader, tracker: Tracker | None, w: Wording) -> list[Flowable]:
    st = make_styles(10, w.language)
    width = frame_width()
    overdue = [e for e in data.entries if e.finding.overdue]
    still_open = [e for e in data.entries if not e.finding.overdue and e.finding.is_open]
    done = [e for e in data.entries if not e.finding.overdue and not e.finding.is_open]
    story: list[Flowable] = [Paragraph(text(w("title.followup")), st.title), para(data.institution, st.subtitle)]
    summary = data_table(
        [head_row([w("fu.as_of"), w("fu.total"), w("fu.overdue"), w("fu.open"), w("fu.done")], st),
         [para(v, st.cell_center) for v in (data.as_of.isoformat(), len(data.entries), len(overdue), len(still_open), len(done))]],
        [width / 5] * 5,
    )
    story += [summary, Spacer(1, 2 * mm), para(w("fu.order_note"), st.small)]
    row = 0
    for key, group in (("fu.group.overdue", overdue), ("fu.group.open", still_open), ("fu.group.done", done)):
        group_heading = heading(w(key, count=len(group)), st.h1)
        if not group:
            story += [*group_heading, para(w("fu.none"), st.small)]
        for i, entry in enumerate(group):
            row += 1
            block = entry_block(entry, row, st, width, loader, data.as_of, w)
            story += with_heading(group_heading, block) if i == 0 else block
            if tracker is not None:
                tracker.step()
    return story


def write_followup_report(data: FollowUpData, out_path: Path | str, *, loader: PhotoLoader, tracker: Tracker | None = None,
                          language: str | None = None) -> int:
    w = Wording(language)
    col = frame_width() / 2 - 8
    requests = [
        (ref.id, request_side(ref, col, PHOTO_HEIGHT, Placement()))
        for e in data.entries
        for ref in (*e.finding.photos, *e.after_photos)
    ]
    with PrefetchingLoader(loader, requests) as prefetched:
        story = build_story(data, loader=prefetched, tracker=tracker, w=w)
    return build_pdf(out_path, story, decor=PageDecor(title=w("title.followup"), institution=data.institution, words=w),
                     tracker=tracker)
