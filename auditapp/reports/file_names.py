"""The name a report's PDF is offered under, in the reader's language.

People find reports in a folder by name: the kind, the institution, the date. The words
follow the user's language like every other word of the app (``整改清单_某医院_2026-11-03.pdf``
in Chinese, ``rectification-list_某医院_2026-11-03.pdf`` in English; an institution's
name stays as it is written). Qt-free, so the GUI and the command line offer the same
names.
"""

from __future__ import annotations

import re
from datetime import date

from auditapp.language import current_language, normalise
from auditapp.terms import Words

# Short on purpose: a file name, not a title (the PDF's title is in auditapp.reports.words).
FILE_WORDS: dict[str, Words] = {
    "rectification": Words("整改清单", "rectification-list"),
    "visit": Words("体验报告", "visit-report"),
    "followup": Words("复查报告", "follow-up-report"),
    "summary": Words("督查汇总", "summary"),
    "indicators": Words("评估指标", "indicators"),
    "by_department": Words("分科室", "by-department"),
    "open_only": Words("未完成", "open-only"),
    "report": Words("报告", "report"),
}
_UNSAFE = re.compile(r'[\\/:*?"<>|\s\x00-\x1f]+')


def safe_part(text: str, language: str | None = None) -> str:
    """A file-name part without characters Windows or macOS refuse ('' becomes the word for report)."""
    return _UNSAFE.sub("_", text).strip("._") or FILE_WORDS["report"].render(_lang(language))


def _lang(language: str | None) -> str:
    return normalise(language) or current_language()


def report_file_name(
    kind: str,
    *,
    institution: str = "",
    day: date | None = None,
    start: date | None = None,
    end: date | None = None,
    by_department: bool = False,
    open_only: bool = False,
    language: str | None = None,
) -> str:
    """``<kind>_<institution>_<date or range>[_<by department>][_<open only>].pdf`` in ``language``.

    ``day``: the visit's date (rectification list, visit report) or today; ``start``/``end``:
    a summary's range (either may be open).
    """
    lang = _lang(language)
    parts = [FILE_WORDS.get(kind, FILE_WORDS["report"]).render(lang), institution]
    if start or end:
        first, last = start.isoformat() if start else "", end.isoformat() if end else ""
        if lang == "zh_CN":
            parts.append(f"{first}至{last}")
        else:
            parts.append(f"{first}_to_{last}" if first and last else f"from_{first}" if first else f"to_{last}")
    elif day is not None:
        parts.append(day.isoformat())
    if by_department:
        parts.append(FILE_WORDS["by_department"].render(lang))
    if open_only:
        parts.append(FILE_WORDS["open_only"].render(lang))
    return "_".join(safe_part(p, lang) for p in parts if p) + ".pdf"
