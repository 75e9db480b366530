"""The clause structure of a source document: which label a passage sits under.

The seeds number their requirements as 章 (二、), 节 (（二）), 条 (6.) and sub-item
(一是 / 二是 …), and their annexes as numbered indicators. A citation is precise when its
label goes down to the deepest level its quote sits in — ``二(二)6 三`` rather than
``二(二)6`` when the quote is in the third 是-sub-item. This module reads that structure
from the text so the validator can check every label instead of trusting the author, and
so that two items quoting the same sentence cannot carry two labels.

Where extraction lost a heading (wuzhong-2021 is fragmentary), ``sources/index.yaml``
names the line where the lost part starts and the label inferred from its position; a
basis citing a passage there must say ``inferred: true``.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field

NUMERALS = "一二三四五六七八九十"
_CN = {c: i + 1 for i, c in enumerate(NUMERALS)}

_CHAPTER = re.compile(r"^([一二三四五六七八九十]{1,3})、")
_SECTION = re.compile(r"^[（(]([一二三四五六七八九十]{1,3})[）)]")
_ITEM = re.compile(r"^(\d{1,2})[.．](?!\d)")
_ANNEX_ITEM = re.compile(r"(?:^|[^\d])(\d{1,2})[.．]")
_SENTENCE_END = "。；！？"


def cn_number(text: str) -> int:
    """二 → 2, 十一 → 11, 二十 → 20 (the clause numerals the seeds use)."""
    if text == "十":
        return 10
    if text.startswith("十"):
        return 10 + _CN[text[1]]
    if len(text) == 2 and text[1] == "十":
        return _CN[text[0]] * 10
    if len(text) == 3 and text[1] == "十":
        return _CN[text[0]] * 10 + _CN[text[2]]
    return _CN[text]


def cn_numeral(number: int) -> str:
    if number <= 10:
        return NUMERALS[number - 1]
    if number < 20:
        return "十" + NUMERALS[number - 11]
    tens, ones = divmod(number, 10)
    return NUMERALS[tens - 1] + "十" + (NUMERALS[ones - 1] if ones else "")


@dataclass(frozen=True)
class InferredHeading:
    """A lost heading: from raw line ``line`` on, passages sit under ``label`` (inferred)."""

    line: int
    label: str
    note: str = ""


@dataclass(frozen=True)
class ClauseStyle:
    """How a document labels its clauses (from ``clauses:`` in sources/index.yaml).

    ``numbered``: the document numbers its items 1…N throughout and is cited by that number
    alone (beijing-2022 "18"). ``nested``: chapter, section, item and sub-item, cited as
    ``二(二)6 三``. ``annex_heading`` is the line that starts the annex and ``annex_label``
    how its indicators are cited (``附件1`` → ``附件1 指标11``).
    """

    style: str = "nested"
    annex_heading: str = ""
    annex_label: str = ""
    inferred: tuple[InferredHeading, ...] = ()


@dataclass(frozen=True)
class Clause:
    label: str
    inferred: bool = False
    note: str = ""


@dataclass
class ClauseMap:
    """Labels by position in the whitespace-free text of a document."""

    starts: list[int] = field(default_factory=list)
    clauses: list[Clause] = field(default_factory=list)
    sentence_starts: list[int] = field(default_factory=list)

    def at(self, offset: int) -> Clause:
        index = bisect_right(self.starts, offset) - 1
        return self.clauses[index] if index >= 0 else Clause("")

    def sentence(self, offset: int) -> int:
        """The number of the sentence holding ``offset`` (sentences end at 。；！？ and at clause starts)."""
        return bisect_right(self.sentence_starts, offset) - 1


def _label(style: ClauseStyle, chapter: str, section: str, item: str, sub: str) -> str:
    if style.style == "numbered":
        return item or (f"{chapter}({section})" if section else chapter)
    head = chapter + (f"({section})" if section else "")
    if item:
        head += item
        return f"{head} {sub}" if sub else head
    return head + sub


def build_clause_map(text: str, style: ClauseStyle) -> ClauseMap:
    """Walk the document line by line and record where each clause starts.

    Line starts carry the headings; 是-sub-items are found inside the running text in their
    order (一是, then 二是 …), because wrapped lines split them ("二" / "是加强…"). A
    sub-item ends with its paragraph: for documents wrapped at a fixed width (yubei-2023), a
    line ending a sentence well short of that width ends the paragraph.
    """
    lines = text.splitlines()
    flat_lines = [re.sub(r"\s+", "", line) for line in lines]
    widths = sorted(len(f) for f in flat_lines if f)
    wrap = widths[int(len(widths) * 0.8)] if widths else 0
    wrapped = bool(widths) and sum(1 for w in widths if abs(w - wrap) <= 3) >= len(widths) * 0.5
    inferred = {h.line: h for h in style.inferred}

    cmap = ClauseMap()
    chapter = section = item = sub = ""
    in_annex = False
    in_contents = False
    current_inferred: InferredHeading | None = None
    # A lost chapter heading makes every label under it inferred until the next real chapter.
    chapter_inferred: InferredHeading | None = None
    expected_sub = 1
    offset = 0
    last_char = ""  # the last character of the last non-empty line

    def mark(position: int, *, sentence: bool = True) -> None:
        if current_inferred is not None:
            clause = Clause(current_inferred.label, True, current_inferred.note)
        else:
            label = _label(style, chapter, section, item, sub)
            if in_annex:
                label = f"{style.annex_label} {item}" if item else style.annex_label
            clause = Clause(label, chapter_inferred is not None, chapter_inferred.note if chapter_inferred else "")
        if cmap.starts and cmap.starts[-1] == position:
            cmap.clauses[-1] = clause
        else:
            cmap.starts.append(position)
            cmap.clauses.append(clause)
        if sentence and (not cmap.sentence_starts or cmap.sentence_starts[-1] != position):
            cmap.sentence_starts.append(position)

    for number, flat in enumerate(flat_lines, start=1):
        entry = inferred.get(number)
        if entry is not None:
            # The inferred label wins over whatever heading this line seems to carry.
            parts = _split_label(entry.label)
            if parts[0] and parts[0] != chapter:
                chapter_inferred = entry
            if parts[0]:
                chapter, section, item, sub = parts
            current_inferred = entry
            expected_sub = 1
            mark(offset)
        elif flat.startswith(("附件：", "附件:")):
            # the list of attachments after the body text: a table of contents, not clauses
            chapter, section, item, sub = "附件目录", "", "", ""
            current_inferred = chapter_inferred = None
            in_contents = True
            mark(offset)
        elif in_contents and not (style.annex_heading and flat == style.annex_heading) and not _CHAPTER.match(flat):
            pass
        elif style.annex_heading and flat == style.annex_heading:
            in_annex, in_contents = True, False
            chapter = section = item = sub = ""
            current_inferred = chapter_inferred = None
            expected_sub = 1
            mark(offset)
        elif in_annex:
            found = _ANNEX_ITEM.search(flat)
            if flat.startswith("注") or found:
                kind = "注" if flat.startswith("注") or item.startswith("注") else "指标"
                item = kind + (found.group(1) if found else "")
                mark(offset)
        elif (m := _CHAPTER.match(flat)) is not None:
            chapter, section, item, sub = m.group(1), "", "", ""
            current_inferred = chapter_inferred = None
            in_contents = False
            expected_sub = 1
            mark(offset)
        elif (m := _SECTION.match(flat)) is not None:
            section, item, sub = m.group(1), "", ""
            current_inferred = None
            expected_sub = 1
            mark(offset)
        elif (m := _ITEM.match(flat)) is not None and (section or style.style == "numbered"):
            item, sub = m.group(1), ""
            current_inferred = None
            expected_sub = 1
            mark(offset)
        # 是-sub-items inside the line (they may start on the previous line: "二" / "是…")
        if not in_annex and not in_contents and current_inferred is None and (section or style.style == "numbered"):
            search_from = 0
            while True:
                marker = cn_numeral(expected_sub) + "是"
                joined = last_char + flat
                position = joined.find(marker, search_from)
                if position < 0:
                    break
                shift = len(last_char)
                start = offset + position - shift
                sub = cn_numeral(expected_sub)
                expected_sub += 1
                mark(start)
                search_from = position + len(marker)
        # sentences
        for i, ch in enumerate(flat):
            if ch in _SENTENCE_END and i + 1 < len(flat):
                cmap.sentence_starts.append(offset + i + 1)
        if flat:
            last_char = flat[-1]
        offset += len(flat)
        ends_sentence = flat.endswith(tuple(_SENTENCE_END))
        if flat and ends_sentence:
            cmap.sentence_starts.append(offset)
            paragraph_end = not wrapped or len(flat) < wrap - 3
            if paragraph_end and sub and not in_annex:
                sub = ""
                mark(offset, sentence=False)
    cmap.sentence_starts = sorted(set(cmap.sentence_starts))
    return cmap


def _split_label(label: str) -> tuple[str, str, str, str]:
    """``二(二)6 三`` → ("二", "二", "6", "三"); ``三(十一)`` → ("三", "十一", "", "")."""
    m = re.match(r"^([一二三四五六七八九十]*)(?:\(([一二三四五六七八九十]+)\))?(\d*)\s*([一二三四五六七八九十]*)", label)
    if not m:
        return "", "", "", ""
    return m.group(1), m.group(2) or "", m.group(3), m.group(4)
