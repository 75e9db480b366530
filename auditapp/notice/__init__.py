"""The rectification notice (整改通知书) as a Word document laid out after GB/T 9704-2012.

Offices file and print official documents in Word or WPS; the notice states what a visit
found and what must be fixed by when, with the problem list as its attachment. The
layout facts of the standard it follows: A4, top margin (天头) 37 mm, left (订口) 28 mm,
type area 156 × 225 mm (so bottom 35 mm, right 26 mm), 22 lines of 28 characters; title
in 2号 小标宋, body in 3号 仿宋, headings 一、 黑体 / （一） 楷体 / 1. and （1） 仿宋;
发文字号 with 〔〕; 成文日期 in Arabic numerals, 4 characters from the right; page numbers
in 4号 宋体 as "— 1 —", odd pages on the right and even pages on the left, one
character in from the edge.

python-docx names only the Latin font of a run; Word and WPS then draw the Chinese text
in the theme's East Asian font. Every run here names its East Asian font explicitly, and
the theme references of the default styles are replaced by real font names.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_LINE_SPACING, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.text.paragraph import Paragraph

from auditapp.db import Database
from auditapp.errors import NotFoundError
from auditapp.ledger.export import check_output, save_atomically
from auditapp.services.ledger import Ledger, LedgerEntry, ledger
from auditapp.terms import label

# Sizes of the Chinese type scale (字号) in points.
SIZE_2 = 22.0  # 二号
SIZE_3 = 16.0  # 三号
SIZE_4 = 14.0  # 四号
SIZE_5 = 10.5  # 五号
TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋"
HEI_FONT = "黑体"
KAI_FONT = "楷体"
SONG_FONT = "宋体"
RED = RGBColor(0xFF, 0x00, 0x00)

PAGE_W, PAGE_H = 210, 297
TOP, LEFT = 37, 28
TYPE_W, TYPE_H = 156, 225
BOTTOM, RIGHT = PAGE_H - TOP - TYPE_H, PAGE_W - LEFT - TYPE_W  # 35, 26
LINES_PER_PAGE = 22
LINE = Mm(TYPE_H / LINES_PER_PAGE)  # 22 lines fill the type area
CHAR = Pt(SIZE_3)  # "一字": the width of one body character
# The page number's dash line sits 7 mm under the type area.
FOOTER_DISTANCE = Mm(BOTTOM - 7 - 5)
MAX_LISTED = 10  # problems named in the body per severity; all are in the attachment


@dataclass(frozen=True)
class NoticeOptions:
    """What the office fills in: 文号, 签发人, 发文机关 (the signature), 成文日期."""

    number: str = ""
    issuer: str = ""
    office: str = ""
    issued_on: date | None = None


@dataclass(frozen=True)
class NoticeResult:
    path: Path
    problems: int
    departments: int
    byte_size: int
    title: str


def chinese_date(d: date) -> str:
    """成文日期 in Arabic numerals without leading zeros: 2026年12月1日."""
    return f"{d.year}年{d.month}月{d.day}日"


def set_fonts(run: object, east_asia: str, *, size: float, bold: bool = False, color: RGBColor | None = None) -> None:
    """Name the font of a run for Latin and East Asian text alike, with no theme fallback."""
    font = run.font  # type: ignore[attr-defined]
    font.name = east_asia
    font.size = Pt(size)
    font.bold = bold
    if color is not None:
        font.color.rgb = color
    r_fonts = run._element.get_or_add_rPr().get_or_add_rFonts()  # type: ignore[attr-defined]
    for attr in ("ascii", "hAnsi", "eastAsia", "cs"):
        r_fonts.set(qn(f"w:{attr}"), east_asia)
    _drop_theme(r_fonts)


def _drop_theme(r_fonts: object) -> None:
    for attr in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
        key = qn(f"w:{attr}")
        if key in r_fonts.attrib:  # type: ignore[attr-defined]
            del r_fonts.attrib[key]  # type: ignore[attr-defined]


def _no_theme_fonts(doc: Document) -> None:  # type: ignore[valid-type]
    """Replace every theme font reference of the styles part by the body font."""
    styles = doc.styles.element  # type: ignore[attr-defined]
    for r_fonts in styles.iter(qn("w:rFonts")):
        themed = any(qn(f"w:{a}") in r_fonts.attrib for a in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"))
        _drop_theme(r_fonts)
        if themed or not r_fonts.get(qn("w:eastAsia")):
            for attr in ("ascii", "hAnsi", "eastAsia", "cs"):
                r_fonts.set(qn(f"w:{attr}"), BODY_FONT)
    # docDefaults may have no rFonts at all: give it one.
    defaults = styles.find(qn("w:docDefaults"))
    if defaults is not None:
        rpr = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}")
        if rpr is not None and rpr.find(qn("w:rFonts")) is None:
            r_fonts = OxmlElement("w:rFonts")
            for attr in ("ascii", "hAnsi", "eastAsia", "cs"):
                r_fonts.set(qn(f"w:{attr}"), BODY_FONT)
            rpr.insert(0, r_fonts)
    normal = doc.styles["Normal"]  # type: ignore[attr-defined]
    normal.font.name = BODY_FONT
    normal.font.size = Pt(SIZE_3)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT)


def _paragraph(
    doc: object, text: str = "", *, font: str = BODY_FONT, size: float = SIZE_3, bold: bool = False,
    align: WD_ALIGN_PARAGRAPH | None = None, first_indent: object = None, left_indent: object = None,
    right_indent: object = None, line: object = LINE, color: RGBColor | None = None, keep_next: bool = False,
) -> Paragraph:
    p = doc.add_paragraph()  # type: ignore[attr-defined]
    fmt = p.paragraph_format
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(0)
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = line
    fmt.keep_with_next = keep_next
    fmt.widow_control = True
    if align is not None:
        p.alignment = align
    if first_indent is not None:
        fmt.first_line_indent = first_indent
    if left_indent is not None:
        fmt.left_indent = left_indent
    if right_indent is not None:
        fmt.right_indent = right_indent
    if text:
        set_fonts(p.add_run(text), font, size=size, bold=bold, color=color)
    return p


def _body(doc: object, text: str) -> Paragraph:
    """A body paragraph: 3号仿宋, two characters in on its first line."""
    return _paragraph(doc, text, first_indent=CHAR * 2)


def _heading(doc: object, text: str, level: int) -> Paragraph:
    font = {1: HEI_FONT, 2: KAI_FONT}.get(level, BODY_FONT)
    return _paragraph(doc, text, font=font, first_indent=CHAR * 2, keep_next=True)


# The order of w:pPr's children (ECMA-376 CT_PPrBase): Word refuses a file whose
# paragraph properties come out of this order, so elements are inserted at their place.
_PPR_ORDER = (
    "pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl", "numPr",
    "suppressLineNumbers", "pBdr", "shd", "tabs", "suppressAutoHyphens", "kinsoku", "wordWrap",
    "overflowPunct", "topLinePunct", "autoSpaceDE", "autoSpaceDN", "bidi", "adjustRightInd", "snapToGrid",
    "spacing", "ind", "contextualSpacing", "mirrorIndents", "suppressOverlap", "jc", "textDirection",
    "textAlignment", "textboxTightWrap", "outlineLvl", "divId", "cnfStyle", "rPr", "sectPr", "pPrChange",
)


def _insert_ppr(ppr: Any, element: Any) -> None:
    """Put ``element`` into the paragraph properties ``ppr`` where the schema wants it."""
    name = element.tag.rsplit("}", 1)[-1]
    later = _PPR_ORDER[_PPR_ORDER.index(name) + 1:]
    ppr.insert_element_before(element, *(f"w:{t}" for t in later))


def _bottom_rule(paragraph: Paragraph, color: str = "FF0000", size_eighths: int = 12) -> None:
    """The red separator line of the document head (版头中的分隔线), full type-area width."""
    ppr = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    bottom.set(qn("w:val"), "single")
    bottom.set(qn("w:sz"), str(size_eighths))
    bottom.set(qn("w:space"), "6")
    bottom.set(qn("w:color"), color)
    borders.append(bottom)
    _insert_ppr(ppr, borders)


def _page_number(paragraph: Paragraph) -> None:
    """"— PAGE —" in 4号宋体 (a PAGE field, so every page shows its own number)."""
    set_fonts(paragraph.add_run("— "), SONG_FONT, size=SIZE_4)
    for kind, text in (("begin", None), ("instr", " PAGE "), ("separate", None), ("text", "1"), ("end", None)):
        run = paragraph.add_run()
        set_fonts(run, SONG_FONT, size=SIZE_4)
        if kind == "instr":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            run._r.append(instr)
        elif kind == "text":
            run.text = text or ""
        else:
            fld = OxmlElement("w:fldChar")
            fld.set(qn("w:fldCharType"), kind)
            run._r.append(fld)
    set_fonts(paragraph.add_run(" —"), SONG_FONT, size=SIZE_4)


def _footers(doc: object) -> None:
    doc.settings.odd_and_even_pages_header_footer = True  # type: ignore[attr-defined]
    for section in doc.sections:  # type: ignore[attr-defined]
        section.footer_distance = FOOTER_DISTANCE
        for footer, align, side in (
            (section.footer, WD_ALIGN_PARAGRAPH.RIGHT, "right"),
            (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT, "left"),
        ):
            footer.is_linked_to_previous = False
            p = footer.paragraphs[0] if footer.paragraphs else footer.add_paragraph()
            p.alignment = align
            if side == "right":
                p.paragraph_format.right_indent = Pt(SIZE_4)
            else:
                p.paragraph_format.left_indent = Pt(SIZE_4)
            _page_number(p)


def _page(section: object) -> None:
    section.page_width, section.page_height = Mm(PAGE_W), Mm(PAGE_H)  # type: ignore[attr-defined]
    section.top_margin, section.bottom_margin = Mm(TOP), Mm(BOTTOM)  # type: ignore[attr-defined]
    section.left_margin, section.right_margin = Mm(LEFT), Mm(RIGHT)  # type: ignore[attr-defined]
    section.header_distance = Mm(15)  # type: ignore[attr-defined]
    # A line grid of 22 lines, so Word and WPS keep 22 lines a page.
    sect_pr = section._sectPr  # type: ignore[attr-defined]
    grid = sect_pr.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        sect_pr.append(grid)
    grid.set(qn("w:type"), "lines")
    grid.set(qn("w:linePitch"), str(int(LINE.pt * 20)))


def _count_words(entries: list[LedgerEntry]) -> str:
    counts = [(label("severity", s, "zh_CN"), sum(1 for e in entries if e.severity == s))
              for s in ("critical", "major", "minor")]
    return "、".join(f"{word}{n}个" for word, n in counts if n)


def notice_title(data: Ledger) -> str:
    """Short enough for one line of 2号 type (20 characters): the date is in the first paragraph."""
    kind = "督查" if data.scope.mode == "bureau" else "患者体验检查"
    return f"关于限期整改{kind}发现问题的通知"


def attachment_title(data: Ledger) -> str:
    who = data.scope.department or data.scope.institution_name
    return f"{who}问题整改清单"


def _recipient(data: Ledger) -> str:
    if data.scope.department:
        return data.scope.department
    return data.scope.institution_name if data.scope.mode == "bureau" else "各相关科室"


def _intro(data: Ledger) -> str:
    s = data.scope
    entries = data.entries
    d = s.visit_date or s.today
    departments = {e.department for e in entries if e.department}
    who = s.inspector or "检查组"
    text = (
        f"{chinese_date(d)}，{who}以普通患者身份对{s.institution_name}就医流程进行了体验检查"
        f"（第{s.report_number}号），发现{'贵科室存在' if s.department else ''}问题{len(entries)}个"
        f"（{_count_words(entries)}）"
    )
    if not s.department and departments:
        text += f"，涉及{len(departments)}个科室"
    return text + "。现将有关情况通知如下，请认真组织整改。"


def _requirements(data: Ledger) -> list[tuple[str, str]]:
    deadlines = sorted(e.rectification.deadline for e in data.entries if e.rectification.deadline)
    start = data.scope.visit_date or data.scope.today
    undated = sum(1 for e in data.entries if not e.rectification.deadline)
    when = ""
    if deadlines:
        first, last = chinese_date(deadlines[0]), chinese_date(deadlines[-1])
        when = f"各问题整改期限见附件（最早{first}，最迟{last}）" if first != last else f"请于{first}前完成整改"
    if undated:
        fallback = chinese_date(start + timedelta(days=30))
        when = (when + "；" if when else "") + f"未注明期限的{undated}个问题，请于{fallback}前完成整改"
    return [
        ("（一）逐条整改。", f"请对照附件所列问题逐条制定整改措施，明确责任人和完成时限，{when}。"),
        ("（二）按时报送。", "整改完成后，请在整改台账中填写整改措施、整改完成情况和完成日期，连同整改后照片一并报送；"
                          "确需延期的，请在台账中填写申请延期至的日期和延期理由，经同意后方可延期。"),
        ("（三）跟踪问效。", "检查组将在下次体验检查时逐条复查，对逾期未整改或整改不到位的问题予以驳回并通报。"),
    ]


def _attachment_table(doc: object, data: Ledger) -> None:
    headers = ["序号", "区域/位置", "问题描述", "依据", "责任科室", "整改期限"]
    # 五号 is 3.7 mm a character and a cell keeps 1.9 mm each side: 序号 and 责任科室 need
    # 12 and 19 mm to stay on one line, a date (2026-12-05) 25 mm. Together the type width.
    widths = [Mm(12), Mm(22), Mm(46), Mm(31), Mm(20), Mm(25)]
    table = doc.add_table(rows=1, cols=len(headers))  # type: ignore[attr-defined]
    table.style = doc.styles["Table Grid"]  # type: ignore[attr-defined]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False

    def fill(cell: object, text: str, *, font: str = BODY_FONT, bold: bool = False, center: bool = False) -> None:
        p = cell.paragraphs[0]  # type: ignore[attr-defined]
        p.paragraph_format.space_before = Pt(2)
        p.paragraph_format.space_after = Pt(2)
        p.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
        # Off the page's 22-line grid: on it every 五号 line of a cell takes a full 10 mm
        # body line, and a page of the attachment holds four problems.
        snap = OxmlElement("w:snapToGrid")
        snap.set(qn("w:val"), "0")
        _insert_ppr(p._p.get_or_add_pPr(), snap)
        if center:
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        lines = text.split("\n")
        for n, line in enumerate(lines):
            run = p.add_run(line)
            set_fonts(run, font, size=SIZE_5, bold=bold)
            if n < len(lines) - 1:
                run.add_break(WD_BREAK.LINE)

    cells = list(table.rows[0].cells)
    for cell, text in zip(cells, headers, strict=True):
        fill(cell, text, font=HEI_FONT, center=True)
    # Repeat the header row on every page of the attachment.
    tr_pr = table.rows[0]._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    tr_pr.append(header)
    for n, e in enumerate(data.entries, start=1):
        cells = list(table.add_row().cells)
        # The first citation: the attachment is read on paper; the ledger carries them all.
        basis = e.basis[0] + ("等" if len(e.basis) > 1 else "") if e.basis else ""
        values = [str(n), e.location, e.statement, basis, e.department,
                  e.rectification.deadline.isoformat() if e.rectification.deadline else "—"]
        for cell, text in zip(cells, values, strict=True):
            fill(cell, text, center=cell is cells[0] or cell is cells[5])
    # LibreOffice lays a table out by its grid columns, Word by the cells: set both.
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = width
        cant_split = OxmlElement("w:cantSplit")  # a problem is never cut across two pages
        row._tr.get_or_add_trPr().insert_element_before(  # before w:tblHeader, as the schema orders them
            cant_split, "w:trHeight", "w:tblHeader", "w:tblCellSpacing", "w:jc", "w:hidden")


def write_notice(
    db: Database,
    visit: str,
    output: Path,
    *,
    department: str | None = None,
    options: NoticeOptions | None = None,
    today: date | None = None,
) -> NoticeResult:
    """Write the notice of a visit's open problems (one department's, or all) as .docx."""
    output = check_output(Path(output), ".docx")
    options = options or NoticeOptions()
    data = ledger(db, visit=visit, department=department, open_only=True, today=today)
    if not data.entries:
        raise NotFoundError(
            "notice.no_problems", visit=data.scope.report_number or visit,
            department=f"“{department}”" if department else "",
        )
    entries = sorted(data.entries, key=lambda e: (("critical", "major", "minor").index(e.severity)
                                                   if e.severity in ("critical", "major", "minor") else 3, e.seq))
    office = options.office.strip() or data.scope.institution_name
    issued = options.issued_on or data.scope.today

    doc = Document()
    _no_theme_fonts(doc)
    section = doc.sections[0]
    _page(section)
    section.start_type = WD_SECTION.NEW_PAGE
    number = _letterhead(doc, office, options)
    title = notice_title(data)
    _paragraph(doc, title, font=TITLE_FONT, size=SIZE_2, align=WD_ALIGN_PARAGRAPH.CENTER, line=Mm(14))
    _paragraph(doc)
    _paragraph(doc, f"{_recipient(data)}：")
    _body(doc, _intro(Ledger(scope=data.scope, entries=entries)))
    _problems(doc, data, entries)
    _requirements_and_signature(doc, data, office, issued)
    _attachment(doc, data, entries)
    _footers(doc)
    doc.core_properties.title = title
    doc.core_properties.author = office
    doc.core_properties.subject = number
    size = save_atomically(output, lambda p: doc.save(str(p)))
    return NoticeResult(path=output, problems=len(entries), departments=len({e.department for e in entries}),
                        byte_size=size, title=title)


def _letterhead(doc: object, office: str, options: NoticeOptions) -> str:
    """版头: the issuing office in red, the document number (with the signer for reports up), the red rule."""
    _paragraph(doc, office, font=TITLE_FONT, size=SIZE_2 + 4, align=WD_ALIGN_PARAGRAPH.CENTER, color=RED, line=Mm(16))
    _paragraph(doc)
    number = options.number.strip()
    if options.issuer.strip():
        # Number one character in from the left, signer one in from the right (上行文).
        p = _paragraph(doc, "")
        p.paragraph_format.tab_stops.add_tab_stop(Mm(TYPE_W) - CHAR, WD_TAB_ALIGNMENT.RIGHT)
        set_fonts(p.add_run("\u3000" + number), BODY_FONT, size=SIZE_3)
        set_fonts(p.add_run("\t签发人："), BODY_FONT, size=SIZE_3)
        set_fonts(p.add_run(options.issuer.strip()), KAI_FONT, size=SIZE_3)
        rule = p
    else:
        rule = _paragraph(doc, number, align=WD_ALIGN_PARAGRAPH.CENTER)
    _bottom_rule(rule)
    _paragraph(doc)
    _paragraph(doc)
    return number


def _problems(doc: object, data: Ledger, entries: list[LedgerEntry]) -> None:
    """一、发现的主要问题: by severity, each group listing at most MAX_LISTED (the rest are in the annex)."""
    _heading(doc, "一、发现的主要问题", 1)
    groups = [(s, [e for e in entries if e.severity == s]) for s in ("critical", "major", "minor")]
    for chinese_number, (severity, group) in zip("一二三", [g for g in groups if g[1]], strict=False):
        _heading(doc, f"（{chinese_number}）{label('severity', severity, 'zh_CN')}问题{len(group)}个", 2)
        for n, e in enumerate(group[:MAX_LISTED], start=1):
            where = f"（{e.location}）" if e.location else ""
            due = f"，整改期限{chinese_date(e.rectification.deadline)}" if e.rectification.deadline else ""
            dept = f"，责任科室：{e.department}" if e.department and not data.scope.department else ""
            _body(doc, f"{n}. {e.statement.rstrip('。')}{where}{dept}{due}。")
        if len(group) > MAX_LISTED:
            _body(doc, f"另有{len(group) - MAX_LISTED}个问题，详见附件。")


def _requirements_and_signature(doc: object, data: Ledger, office: str, issued: date) -> None:
    """二、整改要求, the attachment note, and the signature and date kept together on one page."""
    _heading(doc, "二、整改要求", 1)
    for head, text in _requirements(data):
        p = _paragraph(doc, "", first_indent=CHAR * 2)
        set_fonts(p.add_run(head), KAI_FONT, size=SIZE_3)
        set_fonts(p.add_run(text), BODY_FONT, size=SIZE_3)
    _paragraph(doc)
    _paragraph(doc, f"附件：{attachment_title(data)}", left_indent=CHAR * 2, keep_next=True)
    _paragraph(doc, keep_next=True)
    _paragraph(doc, keep_next=True)
    # Signature and date stay together (and with the attachment note) on one page.
    _paragraph(doc, office, align=WD_ALIGN_PARAGRAPH.RIGHT, right_indent=CHAR * 4, keep_next=True)
    _paragraph(doc, chinese_date(issued), align=WD_ALIGN_PARAGRAPH.RIGHT, right_indent=CHAR * 4)


def _attachment(doc: object, data: Ledger, entries: list[LedgerEntry]) -> None:
    """附件 on its own page: "附件" in 黑体 at the top left, its title, the problem table.

    "Page break before" on its first paragraph, not a paragraph holding a break: when the
    date is the last line of a page, that paragraph falls onto the next page and its
    break leaves that page blank.
    """
    _paragraph(doc, "附件", font=HEI_FONT).paragraph_format.page_break_before = True
    _paragraph(doc)
    _paragraph(doc, attachment_title(data), font=TITLE_FONT, size=SIZE_2, align=WD_ALIGN_PARAGRAPH.CENTER, line=Mm(14))
    _paragraph(doc)
    _attachment_table(doc, Ledger(scope=data.scope, entries=entries))
