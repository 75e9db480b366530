"""Writing the rectification ledger (整改台账) as an .xlsx workbook with openpyxl.

Three sheets: the problem ledger (one row per problem, a thumbnail of its first photo),
the process record (every status change) and the summary (by department and by
status). A department's workbook (``department=``) holds only that department's rows,
leaves the columns it fills in unlocked and validated and protects the rest; a hidden
sheet says the workbook is ours and what every row was when it left, which is what
:mod:`auditapp.ledger.read` checks the returned file against.
"""

from __future__ import annotations

import hashlib
import io
import json
import math
import os
import tempfile
import unicodedata
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.drawing.image import Image as XlImage
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from auditapp import __version__
from auditapp.db import Database
from auditapp.errors import FileAccessError, InvalidInputError
from auditapp.language import current_language
from auditapp.ledger import columns as cols
from auditapp.ledger.cells import row_texts, row_values
from auditapp.progress import Cancelled, CancelToken, Progress, is_cancelled
from auditapp.rules import rectification as lifecycle
from auditapp.services.ledger import Ledger, LedgerEntry, ledger, photo_thumbnail
from auditapp.terms import label

# Fonts named explicitly (WPS and Excel on Chinese Windows have both), so no program
# reports a missing font or substitutes a Latin one for the Chinese text.
BODY_FONT = "宋体"
HEAD_FONT = "黑体"
BODY_SIZE = 10.5
THUMB_PX = 64  # thumbnail side in the photo column
LINE_PT = 13.5  # height of one wrapped line of body text
OVERDUE_FILL = PatternFill("solid", fgColor="FDE8E8")
EDITABLE_FILL = PatternFill("solid", fgColor="FFF8DC")
HEAD_FILL = PatternFill("solid", fgColor="DCE6F1")
THIN = Side(style="thin", color="999999")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)


@dataclass(frozen=True)
class LedgerExport:
    """What was written, for the command line's --json and the GUI's message."""

    path: Path
    kind: str  # "ledger" (the office's full ledger) or "department" (to fill in and return)
    department: str | None
    rows: int
    photos: int
    byte_size: int
    export_id: str


class ExportCancelled(Cancelled):
    """The user cancelled; nothing was written."""


def _text_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _lines(text: str, width: float) -> int:
    if not text:
        return 1
    per_line = max(int(width * 1.1), 1)
    return sum(max(1, math.ceil(_text_width(line) / per_line)) for line in text.split("\n"))


def _font(*, bold: bool = False, size: float = BODY_SIZE, head: bool = False, color: str | None = None) -> Font:
    return Font(name=HEAD_FONT if head else BODY_FONT, size=size, bold=bold, color=color)


Shape = str  # "text", "wrap", "center", "date"
Mode = str  # "plain", "edit", "overdue", "late" (the deadline of an overdue row)


def _style_name(shape: Shape, mode: Mode) -> str:
    return f"ledger-{shape}-{mode}"


def _register_styles(wb: Workbook) -> None:
    """Named styles for every kind of cell: assigning a name is cheap, building styles per cell is not
    (openpyxl hashes every style object it is given; 20,000 cells took seconds)."""
    for shape in ("text", "wrap", "center", "date"):
        for mode in ("plain", "edit", "overdue", "late"):
            style = NamedStyle(name=_style_name(shape, mode))
            style.font = _font(color="B91C1C", bold=True) if mode == "late" else _font()
            style.border = BORDER
            style.alignment = Alignment(
                vertical="top", wrap_text=shape == "wrap",
                horizontal="center" if shape in ("center", "date") else None,
            )
            if shape == "date":
                style.number_format = "yyyy-mm-dd"
            if mode == "edit":
                style.fill = EDITABLE_FILL
                style.protection = Protection(locked=False)
            elif mode in ("overdue", "late"):
                style.fill = OVERDUE_FILL
            wb.add_named_style(style)


def _shape(column: cols.Column) -> Shape:
    if column.kind == "date":
        return "date"
    if column.kind in ("int", "status"):
        return "center"
    return "wrap" if column.wrap or column.kind == "photo" else "text"


def _set_default_font(wb: Workbook) -> None:
    """The workbook's Normal style in the body font, so empty cells and new entries match."""
    wb._fonts[0] = _font()  # type: ignore[attr-defined]  # openpyxl keeps the default font first
    for style in wb._named_styles:  # type: ignore[attr-defined]
        if style.name == "Normal":
            style.font = _font()


def _print_setup(ws: Worksheet, *, title_rows: str, landscape: bool = True) -> None:
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    # openpyxl gives every new worksheet these parts; its type hints allow None.
    fit = ws.sheet_properties.pageSetUpPr
    footer = ws.oddFooter
    assert fit is not None and footer is not None
    fit.fitToPage = True
    ws.print_title_rows = title_rows
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    footer.center.text = "第 &P 页 共 &N 页" if current_language() == "zh_CN" else "Page &P of &N"
    footer.center.font = BODY_FONT
    footer.center.size = 9


def _title(ws: Worksheet, text: str, last_col: int, widths: Sequence[float] | None = None) -> None:
    """The sheet's title across its columns, on two lines where the columns are too narrow for it."""
    ws.cell(row=1, column=1, value=text).font = _font(bold=True, size=14, head=True)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=last_col)
    room = sum(widths) if widths else 1e9
    lines = max(1, math.ceil(_text_width(text) * 1.35 / room))
    ws.row_dimensions[1].height = 26 * min(lines, 3)
    ws.cell(row=1, column=1).alignment = Alignment(vertical="center", wrap_text=lines > 1)


def _header(ws: Worksheet, row: int, headers: Sequence[str], widths: Sequence[float]) -> None:
    for n, (text, width) in enumerate(zip(headers, widths, strict=False), start=1):
        cell = ws.cell(row=row, column=n, value=text)
        cell.font = _font(bold=True, head=True)
        cell.fill = HEAD_FILL
        cell.border = BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        ws.column_dimensions[get_column_letter(n)].width = width
    ws.row_dimensions[row].height = 30


def scope_title(data: Ledger, language: str) -> str:
    s = data.scope
    zh = language == "zh_CN"
    what = s.institution_name
    if s.visit_id:
        what += f" {s.report_number} ({s.visit_date.isoformat() if s.visit_date else ''})" if not zh else \
            f"（{s.visit_date.isoformat() if s.visit_date else ''} 第 {s.report_number} 号）"
    if s.department:
        what += f" · {s.department}"
    return f"{what} 问题整改台账" if zh else f"{what} — rectification ledger"


def _problem_sheet(
    wb: Workbook, db: Database, data: Ledger, *, language: str, department_kind: bool,
    progress: Progress | None, cancel: CancelToken | None,
) -> tuple[Worksheet, list[dict[str, str]], int]:
    ws = wb.active
    assert ws is not None
    ws.title = cols.sheet_name(cols.PROBLEM_SHEET, language)
    last = len(cols.COLUMNS)
    today = data.scope.today
    exported = data.scope.today.isoformat()
    suffix = f"    （导出于 {exported}）" if language == "zh_CN" else f"    (exported {exported})"
    _title(ws, scope_title(data, language) + suffix, last)
    _header(ws, cols.HEADER_ROW, [c.header(language) for c in cols.COLUMNS], [c.width for c in cols.COLUMNS])
    snapshots: list[dict[str, str]] = []
    photos = 0
    photo_col = cols.index_of("photos")
    total = len(data.entries)
    for n, entry in enumerate(data.entries, start=1):
        if is_cancelled(cancel):
            raise ExportCancelled("work.cancelled")
        row = cols.FIRST_ROW + n - 1
        values = row_values(entry, n, language)
        snapshots.append(row_texts(values))
        rect = entry.rectification
        editable_row = department_kind and lifecycle.is_open(rect.status)
        overdue = rect.overdue or bool(rect.deadline and rect.deadline < today and lifecycle.is_open(rect.status))
        height = LINE_PT
        for c_index, column in enumerate(cols.COLUMNS, start=1):
            value = values[column.key]
            cell = ws.cell(row=row, column=c_index, value=value if value != "" else None)
            if column.editable and editable_row:
                mode = "edit"
            elif overdue:
                mode = "late" if column.key == "deadline" else "overdue"
            else:
                mode = "plain"
            cell.style = _style_name(_shape(column), mode)
            if column.wrap and isinstance(value, str):
                height = max(height, _lines(value, column.width) * LINE_PT + 4)
        if entry.photos:
            data_jpeg = photo_thumbnail(db, entry.photos[0], max_side=THUMB_PX * 2)
            if data_jpeg is not None:
                image = XlImage(io.BytesIO(data_jpeg))
                scale = THUMB_PX / max(image.width, image.height)
                image.width, image.height = int(image.width * scale), int(image.height * scale)
                ws.add_image(image, f"{get_column_letter(photo_col)}{row}")
                photos += 1
                # The labels sit under the picture: leave the picture its room.
                height = max(height, THUMB_PX * 0.75 + LINE_PT * 1.5)
                ws.cell(row=row, column=photo_col).alignment = Alignment(vertical="bottom", wrap_text=True)
        ws.row_dimensions[row].height = min(height, 400)
        if progress is not None:
            progress(n, total, "")
    last_row = max(cols.FIRST_ROW + total - 1, cols.HEADER_ROW)
    ws.freeze_panes = f"C{cols.FIRST_ROW}"
    ws.auto_filter.ref = f"A{cols.HEADER_ROW}:{get_column_letter(last - 1)}{last_row}"
    ws.column_dimensions[get_column_letter(cols.index_of("key"))].hidden = True
    _print_setup(ws, title_rows=f"1:{cols.HEADER_ROW}")
    ws.print_area = f"A1:{get_column_letter(last - 1)}{last_row}"
    if department_kind and total:
        _validations(ws, language, last_row)
        ws.protection.sheet = True
        # What a department may still do on the protected sheet: filter, sort, resize.
        ws.protection.autoFilter = False
        ws.protection.sort = False
        ws.protection.formatColumns = False
        ws.protection.formatRows = False
        ws.protection.selectLockedCells = False
        ws.protection.selectUnlockedCells = False
    return ws, snapshots, photos


def _validations(ws: Worksheet, language: str, last_row: int) -> None:
    zh = language == "zh_CN"
    words = [label("rectification_status", s, language) for s in lifecycle.DEPARTMENT_STATUSES]
    status = DataValidation(
        type="list", formula1='"' + ",".join(words) + '"', allow_blank=False,
        showErrorMessage=True, errorTitle="整改状态" if zh else "Status",
        error=("只能选择：" if zh else "Choose one of: ") + "、".join(words),
        showInputMessage=True, promptTitle="整改状态" if zh else "Status",
        prompt=("已报整改需填写整改措施；申请延期需填写申请延期至和延期理由。" if zh else
                "Reported fixed needs the measures; an extension needs the new date and a reason."),
    )
    status.add(f"{get_column_letter(cols.index_of('status'))}{cols.FIRST_ROW}:"
               f"{get_column_letter(cols.index_of('status'))}{last_row}")
    dates = DataValidation(
        type="date", operator="between", formula1="DATE(2000,1,1)", formula2="DATE(2099,12,31)",
        allow_blank=True, showErrorMessage=True, errorTitle="日期" if zh else "Date",
        error="请输入日期，如 2026-12-20" if zh else "Enter a date such as 2026-12-20",
    )
    for key in ("completed_on", "requested_deadline"):
        letter = get_column_letter(cols.index_of(key))
        dates.add(f"{letter}{cols.FIRST_ROW}:{letter}{last_row}")
    ws.add_data_validation(status)
    ws.add_data_validation(dates)


def _process_sheet(wb: Workbook, data: Ledger, language: str) -> None:
    zh = language == "zh_CN"
    ws = wb.create_sheet(cols.sheet_name(cols.PROCESS_SHEET, language))
    headers = (["序号", "问题编号", "时间", "操作人", "操作", "原状态", "新状态", "说明", "期限"] if zh else
               ["No.", "Problem ID", "When", "Who", "Action", "From", "To", "Note", "Deadline"])
    widths = [6, 14, 17, 20, 14, 11, 11, 40, 11]
    _title(ws, (scope_title(data, language) + (" · 整改过程记录" if zh else " — process record")), len(headers))
    _header(ws, cols.HEADER_ROW, headers, widths)
    row = cols.FIRST_ROW
    for n, entry in enumerate(data.entries, start=1):
        for event in entry.history:
            values = [
                n, entry.number, event.at.astimezone().strftime("%Y-%m-%d %H:%M"), event.actor,
                label("rectification_action", event.action, language) if event.action else "",
                label("rectification_status", event.status_from, language) if event.status_from else "",
                label("rectification_status", event.status_to, language), event.note, event.deadline,
            ]
            for c, value in enumerate(values, start=1):
                cell = ws.cell(row=row, column=c, value=value if value != "" else None)
                cell.style = _style_name("date" if c == 9 else "wrap" if c == 8 else "text", "plain")
            ws.row_dimensions[row].height = max(LINE_PT, _lines(event.note, widths[7]) * LINE_PT + 4)
            row += 1
    ws.freeze_panes = f"A{cols.FIRST_ROW}"
    ws.auto_filter.ref = f"A{cols.HEADER_ROW}:{get_column_letter(len(headers))}{max(row - 1, cols.HEADER_ROW)}"
    _print_setup(ws, title_rows=f"1:{cols.HEADER_ROW}")


def summary_counts(entries: list[LedgerEntry], today: date) -> tuple[list[tuple[str, int, int, int, int]], dict[str, int]]:
    """Per department (total, done, still open, overdue) and per status: what the summary sheet shows."""
    by_dept: dict[str, list[int]] = {}
    by_status: dict[str, int] = {s: 0 for s in lifecycle.STATUSES}
    for entry in entries:
        rect = entry.rectification
        status = lifecycle.normalise_status(rect.status)
        counts = by_dept.setdefault(rect.department, [0, 0, 0, 0])
        counts[0] += 1
        if status in lifecycle.DONE_STATUSES:
            counts[1] += 1
        else:
            counts[2] += 1
        if lifecycle.is_overdue(rect, today):
            counts[3] += 1
        by_status[status] = by_status.get(status, 0) + 1
    rows = [(dept, *counts) for dept, counts in sorted(by_dept.items())]
    return rows, by_status  # type: ignore[return-value]


def _summary_sheet(wb: Workbook, data: Ledger, language: str) -> None:
    zh = language == "zh_CN"
    ws = wb.create_sheet(cols.sheet_name(cols.SUMMARY_SHEET, language))
    headers = (["责任科室", "问题总数", "已完成", "未完成", "逾期", "整改完成率"] if zh else
               ["Department", "Total", "Done", "Not done", "Overdue", "Closure rate"])
    widths = [20, 10, 10, 10, 10, 12]
    _title(ws, scope_title(data, language) + (" · 统计汇总" if zh else " — summary"), len(headers), widths)
    _header(ws, cols.HEADER_ROW, headers, widths)
    rows, by_status = summary_counts(data.entries, data.scope.today)
    none_word = "（未指定科室）" if zh else "(no department)"
    total = [0, 0, 0, 0]
    row = cols.FIRST_ROW
    for dept, n, done, open_, overdue in rows:
        for i, v in enumerate((n, done, open_, overdue)):
            total[i] += v
        _summary_row(ws, row, [dept or none_word, n, done, open_, overdue, done / n if n else 0])
        row += 1
    _summary_row(ws, row, ["合计" if zh else "Total", *total, total[1] / total[0] if total[0] else 0], bold=True)
    row += 2
    _header(ws, row, ["整改状态" if zh else "Status", "数量" if zh else "Count", "占比" if zh else "Share"], widths[:3])
    row += 1
    count = sum(by_status.values())
    for status in lifecycle.STATUSES:
        _summary_row(ws, row, [label("rectification_status", status, language), by_status.get(status, 0),
                               by_status.get(status, 0) / count if count else 0])
        row += 1
    _print_setup(ws, title_rows=f"1:{cols.HEADER_ROW}", landscape=False)


def _summary_row(ws: Worksheet, row: int, values: list[Any], *, bold: bool = False) -> None:
    for c, value in enumerate(values, start=1):
        cell = ws.cell(row=row, column=c, value=value)
        cell.font = _font(bold=bold)
        cell.border = BORDER
        if isinstance(value, float):
            cell.number_format = "0.0%"
        if c > 1:
            cell.alignment = Alignment(horizontal="center")


def _digest(header: str, lines: list[str]) -> str:
    h = hashlib.sha256(header.encode("utf-8"))
    for line in lines:
        h.update(b"\n" + line.encode("utf-8"))
    return h.hexdigest()


def _meta_sheet(wb: Workbook, meta: dict[str, Any], data: Ledger, snapshots: list[dict[str, str]]) -> None:
    """The hidden sheet: our marker, the export's facts and every row as it was exported."""
    ws = wb.create_sheet(cols.META_SHEET)
    ws.sheet_state = "veryHidden"
    header = json.dumps(meta, ensure_ascii=False, sort_keys=True)
    lines = []
    for n, (entry, snapshot) in enumerate(zip(data.entries, snapshots, strict=False), start=2):
        stamp = entry.rectification.updated_at.isoformat() if entry.rectification.updated_at else ""
        line = json.dumps({"finding": entry.finding_id, "updated_at": stamp, "values": snapshot},
                          ensure_ascii=False, sort_keys=True)
        ws.cell(row=n, column=1, value=line)
        lines.append(line)
    ws.cell(row=1, column=1, value=cols.MARKER)
    ws.cell(row=1, column=2, value=cols.FORMAT_VERSION)
    ws.cell(row=1, column=3, value=header)
    ws.cell(row=1, column=4, value=_digest(header, lines))


def check_output(path: Path, suffix: str) -> Path:
    """Refuse an output path that cannot be written before any work is done."""
    path = Path(path)
    if path.is_dir():
        raise FileAccessError("ledger.output_is_folder", path=str(path))
    if not path.parent.exists():
        raise FileAccessError("ledger.output_folder_missing", path=str(path), folder=str(path.parent))
    if path.suffix.lower() != suffix:
        raise InvalidInputError("ledger.output_suffix", path=str(path), suffix=suffix)
    return path


def save_atomically(path: Path, write: Callable[[Path], object]) -> int:
    """Write to a temporary file beside ``path`` and move it into place: no half-written file."""
    fd, tmp_name = tempfile.mkstemp(prefix=".auditapp-", suffix=path.suffix, dir=path.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        write(tmp)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes 0600; the file is for others to open (as reports do)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return path.stat().st_size


def export_ledger(
    db: Database,
    output: Path,
    *,
    visit: str | None = None,
    institution: str | None = None,
    department: str | None = None,
    for_department: str | None = None,
    open_only: bool = False,
    language: str | None = None,
    today: date | None = None,
    progress: Progress | None = None,
    cancel: CancelToken | None = None,
) -> LedgerExport:
    """Write the ledger of a visit or an institution; ``for_department`` writes that department's workbook.

    A department's workbook is the one that can come back: its editable columns are
    unlocked, the rest protected, and a hidden sheet records each row's exported state.
    """
    output = check_output(Path(output), ".xlsx")
    language = language or current_language()
    kind = "department" if for_department is not None else "ledger"
    if for_department is not None:
        if not for_department.strip():
            raise InvalidInputError("ledger.department_missing")
        department = for_department
    data = ledger(db, visit=visit, institution=institution, department=department, open_only=open_only, today=today)
    wb = Workbook()
    _set_default_font(wb)
    _register_styles(wb)
    ws, snapshots, photos = _problem_sheet(
        wb, db, data, language=language, department_kind=kind == "department", progress=progress, cancel=cancel
    )
    _process_sheet(wb, data, language)
    _summary_sheet(wb, data, language)
    export_id = str(uuid.uuid4())
    meta = {
        "export_id": export_id,
        "kind": kind,
        "device_id": db.device_id,
        "institution_id": data.scope.institution_id,
        "institution": data.scope.institution_name,
        "visit_id": data.scope.visit_id,
        "department": data.scope.department,
        "language": language,
        "sheet": ws.title,
        "exported_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "app_version": __version__,
        "rows": len(data.entries),
    }
    _meta_sheet(wb, meta, data, snapshots)
    wb.active = 0
    wb.properties.creator = "auditapp"
    wb.properties.title = scope_title(data, language)
    size = save_atomically(output, lambda p: wb.save(p))
    return LedgerExport(
        path=output, kind=kind, department=data.scope.department, rows=len(data.entries), photos=photos,
        byte_size=size, export_id=export_id,
    )
