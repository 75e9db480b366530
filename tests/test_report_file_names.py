"""A report's offered file name follows the user's language (auditapp.reports.file_names)."""

from __future__ import annotations

import re
from datetime import date

import pytest

from auditapp.reports.file_names import FILE_WORDS, report_file_name

_CJK = re.compile(r"[\u4e00-\u9fff]")
KINDS = ["rectification", "visit", "followup", "summary", "indicators"]


@pytest.mark.parametrize("kind", KINDS)
def test_every_kind_is_named_in_both_languages(kind: str) -> None:
    zh = report_file_name(kind, institution="Hospital A", day=date(2026, 11, 3), language="zh_CN")
    en = report_file_name(kind, institution="Hospital A", day=date(2026, 11, 3), language="en")
    assert zh.startswith(FILE_WORDS[kind].zh + "_") and _CJK.search(zh)
    assert en == f"{FILE_WORDS[kind].en}_Hospital_A_2026-11-03.pdf" and not _CJK.search(en)


def test_the_words_follow_the_current_language(monkeypatch: pytest.MonkeyPatch) -> None:
    args = {"institution": "测试区人民医院", "day": date(2026, 11, 3), "by_department": True, "open_only": True}
    monkeypatch.setenv("AUDITAPP_LANG", "zh_CN")
    assert report_file_name("rectification", **args) == "整改清单_测试区人民医院_2026-11-03_分科室_未完成.pdf"  # type: ignore[arg-type]
    monkeypatch.setenv("AUDITAPP_LANG", "en")
    # the institution keeps its own name; the app's words change
    assert report_file_name("rectification", **args) == (  # type: ignore[arg-type]
        "rectification-list_测试区人民医院_2026-11-03_by-department_open-only.pdf"
    )


@pytest.mark.parametrize(("language", "expected"), [("zh_CN", "督查汇总_2026-01-01至2026-06-30.pdf"),
                                                     ("en", "summary_2026-01-01_to_2026-06-30.pdf")])
def test_a_summary_range(language: str, expected: str) -> None:
    assert report_file_name("summary", start=date(2026, 1, 1), end=date(2026, 6, 30), day=date(2026, 7, 1),
                            language=language) == expected
    open_end = report_file_name("summary", start=date(2026, 1, 1), language=language)
    assert open_end.endswith(("2026-01-01至.pdf", "from_2026-01-01.pdf"))
    assert report_file_name("summary", end=date(2026, 6, 30), language=language).endswith(("至2026-06-30.pdf",
                                                                                            "to_2026-06-30.pdf"))


@pytest.mark.parametrize("language", ["zh_CN", "en"])
def test_unsafe_characters_never_reach_the_name(language: str) -> None:
    name = report_file_name("visit", institution='a/b\\c:d*e?"f<g>h|i\tj\x00k', day=date(2026, 1, 2), language=language)
    assert not re.search(r'[\\/:*?"<>|\s\x00]', name), name
    assert report_file_name("visit", institution="...", language=language).endswith(".pdf")
