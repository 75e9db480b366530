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


def _wrap_width(flat_lines: list[str]) -> tuple[int, bool]:
    """The width a fixed-width document wraps at, and whether it is wrapped at all.

    Most non-empty lines of a wrapped document (yubei-2023) are within a few characters of
    the width at the 80th percentile; a document with one paragraph a line is not.
    """
    widths = sorted(len(f) for f in flat_lines if f)
    wrap = widths[int(len(widths) * 0.8)] if widths else 0
    wrapped = bool(widths) and sum(1 for w in widths if abs(w - wrap) <= 3) >= len(widths) * 0.5
    return wrap, wrapped


class _ClauseWalker:
    """The state of one walk down a document: the heading levels seen so far and the offset.

    :func:`build_clause_map` feeds it one whitespace-free line at a time; each step of a
    line (its heading, its 是-sub-items, its sentences, a paragraph's end) is one method.
    """

    def __init__(self, style: ClauseStyle, wrap: int, wrapped: bool) -> None:
        self.style = style
        self.wrap = wrap
        self.wrapped = wrapped
        self.inferred = {h.line: h for h in style.inferred}
        self.cmap = ClauseMap()
        self.chapter = self.section = self.item = self.sub = ""
        self.in_annex = False
        self.in_contents = False
        self.current_inferred: InferredHeading | None = None
        # A lost chapter heading makes every label under it inferred until the next real chapter.
        self.chapter_inferred: InferredHeading | None = None
        self.expected_sub = 1
        self.offset = 0
        self.last_char = ""  # the last character of the last non-empty line

    def mark(self, position: int, *, sentence: bool = True) -> None:
        """Record that the current clause starts at ``position`` (replacing one started there)."""
        cmap = self.cmap
        if self.current_inferred is not None:
            clause = Clause(self.current_inferred.label, True, self.current_inferred.note)
        else:
            label = _label(self.style, self.chapter, self.section, self.item, self.sub)
            if self.in_annex:
                label = f"{self.style.annex_label} {self.item}" if self.item else self.style.annex_label
            lost = self.chapter_inferred
            clause = Clause(label, lost is not None, lost.note if lost else "")
        if cmap.starts and cmap.starts[-1] == position:
            cmap.clauses[-1] = clause
        else:
            cmap.starts.append(position)
            cmap.clauses.append(clause)
        if sentence and (not cmap.sentence_starts or cmap.sentence_starts[-1] != position):
            cmap.sentence_starts.append(position)

    def line(self, number: int, flat: str) -> None:
        """One line: its heading, the 是-sub-items in it, its sentences, and a paragraph's end."""
        self.heading(number, flat)
        if not self.in_annex and not self.in_contents and self.current_inferred is None and (
            self.section or self.style.style == "numbered"
        ):
            self.sub_items(flat)
        self.sentences(flat)
        self.end_of_line(flat)

    def heading(self, number: int, flat: str) -> None:
        """The heading a line starts with, if any: the levels it sets and resets."""
        style = self.style
        annex_heading = bool(style.annex_heading) and flat == style.annex_heading
        entry = self.inferred.get(number)
        if entry is not None:
            # The inferred label wins over whatever heading this line seems to carry.
            parts = _split_label(entry.label)
            if parts[0] and parts[0] != self.chapter:
                self.chapter_inferred = entry
            if parts[0]:
                self.chapter, self.section, self.item, self.sub = parts
            self.current_inferred = entry
            self.expected_sub = 1
        elif flat.startswith(("附件：", "附件:")):
            # the list of attachments after the body text: a table of contents, not clauses
            self.chapter, self.section, self.item, self.sub = "附件目录", "", "", ""
            self.current_inferred = self.chapter_inferred = None
            self.in_contents = True
        elif self.in_contents and not annex_heading and not _CHAPTER.match(flat):
            return
        elif annex_heading:
            self.in_annex, self.in_contents = True, False
            self.chapter = self.section = self.item = self.sub = ""
            self.current_inferred = self.chapter_inferred = None
            self.expected_sub = 1
        elif self.in_annex:
            if not self.annex_item(flat):
                return
        elif not self.body_heading(flat):
            return
        self.mark(self.offset)

    def annex_item(self, flat: str) -> bool:
        """An annex line numbering an indicator (指标11) or a note (注); False for others."""
        found = _ANNEX_ITEM.search(flat)
        if not (flat.startswith("注") or found):
            return False
        kind = "注" if flat.startswith("注") or self.item.startswith("注") else "指标"
        self.item = kind + (found.group(1) if found else "")
        return True

    def body_heading(self, flat: str) -> bool:
        """A 章 (二、), 节 (（二）) or 条 (6.) heading of the body text; False for running text."""
        if (m := _CHAPTER.match(flat)) is not None:
            self.chapter, self.section, self.item, self.sub = m.group(1), "", "", ""
            self.current_inferred = self.chapter_inferred = None
            self.in_contents = False
        elif (m := _SECTION.match(flat)) is not None:
            self.section, self.item, self.sub = m.group(1), "", ""
            self.current_inferred = None
        elif (m := _ITEM.match(flat)) is not None and (self.section or self.style.style == "numbered"):
            self.item, self.sub = m.group(1), ""
            self.current_inferred = None
        else:
            return False
        self.expected_sub = 1
        return True

    def sub_items(self, flat: str) -> None:
        """是-sub-items inside the line, in order (they may start on the previous line: "二" / "是…")."""
        joined = self.last_char + flat
        shift = len(self.last_char)
        search_from = 0
        while True:
            marker = cn_numeral(self.expected_sub) + "是"
            position = joined.find(marker, search_from)
            if position < 0:
                break
            self.sub = cn_numeral(self.expected_sub)
            self.expected_sub += 1
            self.mark(self.offset + position - shift)
            search_from = position + len(marker)

    def sentences(self, flat: str) -> None:
        """Sentence starts after each 。；！？ inside the line."""
        for i, ch in enumerate(flat):
            if ch in _SENTENCE_END and i + 1 < len(flat):
                self.cmap.sentence_starts.append(self.offset + i + 1)

    def end_of_line(self, flat: str) -> None:
        """Move past the line; a sentence ending well short of the wrap width ends a sub-item."""
        if flat:
            self.last_char = flat[-1]
        self.offset += len(flat)
        if flat and flat.endswith(tuple(_SENTENCE_END)):
            self.cmap.sentence_starts.append(self.offset)
            paragraph_end = not self.wrapped or len(flat) < self.wrap - 3
            if paragraph_end and self.sub and not self.in_annex:
                self.sub = ""
                self.mark(self.offset, sentence=False)


def build_clause_map(text: str, style: ClauseStyle) -> ClauseMap:
    """Walk the document line by line and record where each clause starts.

    Line starts carry the headings; 是-sub-items are found inside the running text in their
    order (一是, then 二是 …), because wrapped lines split them ("二" / "是加强…"). A
    sub-item ends with its paragraph: for documents wrapped at a fixed width (yubei-2023), a
    line ending a sentence well short of that width ends the paragraph.
    """
    flat_lines = [re.sub(r"\s+", "", line) for line in text.splitlines()]
    walker = _ClauseWalker(style, *_wrap_width(flat_lines))
    for number, flat in enumerate(flat_lines, start=1):
        walker.line(number, flat)
    cmap = walker.cmap
    cmap.sentence_starts = sorted(set(cmap.sentence_starts))
    return cmap


def _split_label(label: str) -> tuple[str, str, str, str]:
    """``二(二)6 三`` → ("二", "二", "6", "三"); ``三(十一)`` → ("三", "十一", "", "")."""
    m = re.match(r"^([一二三四五六七八九十]*)(?:\(([一二三四五六七八九十]+)\))?(\d*)\s*([一二三四五六七八九十]*)", label)
    if not m:
        return "", "", "", ""
    return m.group(1), m.group(2) or "", m.group(3), m.group(4)
