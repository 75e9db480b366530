"""The ledger's columns, once: header words, widths, which ones a department fills in.

Export writes them in this order and import reads them back by the same table, so a
column cannot mean one thing on the way out and another on the way in.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Kind = Literal["text", "date", "status", "int", "photo", "key"]

# Sheet names, in the workbook's language: (Chinese, English).
PROBLEM_SHEET = ("问题清单台账", "Problem ledger")
PROCESS_SHEET = ("整改过程记录", "Process record")
SUMMARY_SHEET = ("统计汇总", "Summary")
# The hidden sheet that says the workbook is ours and what each row was when exported.
META_SHEET = "_auditapp"
MARKER = "auditapp-ledger"
FORMAT_VERSION = 1

HEADER_ROW = 2
FIRST_ROW = 3


@dataclass(frozen=True)
class Column:
    key: str
    zh: str
    en: str
    width: float  # in Excel character units (a Chinese character is about 2)
    kind: Kind = "text"
    editable: bool = False  # filled in by the department in its workbook
    wrap: bool = False

    def header(self, language: str) -> str:
        return self.zh if language == "zh_CN" else self.en


COLUMNS: tuple[Column, ...] = (
    Column("seq", "序号", "No.", 6, "int"),
    Column("number", "问题编号", "Problem ID", 14),
    Column("found_on", "发现日期", "Found on", 11, "date"),
    Column("location", "区域/位置", "Area / place", 16, wrap=True),
    Column("statement", "问题描述", "Problem", 34, wrap=True),
    Column("basis", "依据", "Basis", 26, wrap=True),
    Column("severity", "严重程度", "Severity", 9),
    Column("department", "责任科室", "Department", 12, wrap=True),
    Column("owner", "责任人", "Owner", 10, editable=True),
    Column("deadline", "整改期限", "Deadline", 11, "date"),
    Column("measures", "整改措施", "Measures", 30, editable=True, wrap=True),
    Column("completion", "整改完成情况", "What was done", 30, editable=True, wrap=True),
    Column("status", "整改状态", "Status", 11, "status", editable=True),
    Column("completed_on", "完成日期", "Completed on", 11, "date", editable=True),
    Column("requested_deadline", "申请延期至", "Extension to", 11, "date", editable=True),
    Column("extension_reason", "延期理由", "Extension reason", 20, editable=True, wrap=True),
    Column("verification", "验收意见", "Verification / rejection", 20, wrap=True),
    Column("rounds", "驳回次数", "Rejections", 8, "int"),
    Column("photos", "照片", "Photos", 16, "photo"),
    Column("key", "行标识", "Row key", 12, "key"),
)

BY_KEY: dict[str, Column] = {c.key: c for c in COLUMNS}
EDITABLE: tuple[str, ...] = tuple(c.key for c in COLUMNS if c.editable)
# Columns whose exported value must come back unchanged (the hidden key is checked apart).
PROTECTED: tuple[str, ...] = tuple(c.key for c in COLUMNS if not c.editable and c.kind not in ("photo", "key"))


def index_of(key: str) -> int:
    """1-based column number of ``key``."""
    return next(i for i, c in enumerate(COLUMNS, start=1) if c.key == key)


def sheet_name(pair: tuple[str, str], language: str) -> str:
    return pair[0] if language == "zh_CN" else pair[1]
