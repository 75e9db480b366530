"""The seed documents that checklist items cite (``checklists/sources/``).

Each document declares in ``sources/index.yaml`` where and to whom it applies (its
jurisdiction: a region, and all institutions or TCM institutions only) and how its
clauses are numbered, so that the app knows which items bind an institution and the
validator can check every clause label against the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from auditapp.checklists.clauses import Clause, ClauseMap, ClauseStyle, InferredHeading, build_clause_map
from auditapp.checklists.regions import Region, parse_region
from auditapp.checklists.textfile import MAX_SOURCE_BYTES, read_text

_WS = re.compile(r"\s+")

# Whom a document (or one sentence of it) addresses: every institution, or TCM ones only.
INSTITUTION_SCOPES = ("all", "tcm")
CLAUSE_STYLES = ("nested", "numbered")


@dataclass(frozen=True)
class Jurisdiction:
    """Where a document binds (a region and everything in it) and which institutions."""

    region: Region
    institutions: str = "all"

    @property
    def tcm_only(self) -> bool:
        return self.institutions == "tcm"


def normalise(text: str) -> str:
    """Text with all whitespace removed: seed texts break lines mid-sentence."""
    return _WS.sub("", text)


@dataclass(frozen=True)
class SourceDocument:
    short_name: str
    title: str
    issuer: str
    number: str
    date: str
    path: Path
    jurisdiction: Jurisdiction | None = None
    clause_style: ClauseStyle | None = None
    _cache: dict[str, object] = field(default_factory=dict, compare=False, repr=False)

    def text(self) -> str:
        if "text" not in self._cache:
            self._cache["text"] = self.path.read_text(encoding="utf-8")
        return self._cache["text"]  # type: ignore[return-value]

    def _normalised(self) -> tuple[str, list[int]]:
        """Whitespace-free text and, per kept character, its line number (1-based).

        Computed once per document: validating a library checks hundreds of quotes.
        """
        cached = self._cache.get("normalised")
        if cached is not None:
            return cached  # type: ignore[return-value]
        chars: list[str] = []
        lines: list[int] = []
        line = 1
        for ch in self.text():
            if ch == "\n":
                line += 1
            if ch.isspace():
                continue
            chars.append(ch)
            lines.append(line)
        result = ("".join(chars), lines)
        self._cache["normalised"] = result
        return result

    def contains(self, quote: str) -> bool:
        return normalise(quote) in self._normalised()[0]

    def find_passage(self, quote: str, *, context_lines: int = 2) -> tuple[int, int, str] | None:
        """Lines (1-based, inclusive) holding ``quote`` plus some context, and their text.

        Used by the GUI to show the cited passage of the source document.
        """
        flat, lines = self._normalised()
        start = flat.find(normalise(quote))
        if start < 0:
            return None
        first = lines[start]
        last = lines[start + len(normalise(quote)) - 1]
        all_lines = self.text().splitlines()
        lo = max(1, first - context_lines)
        hi = min(len(all_lines), last + context_lines)
        return first, last, "\n".join(all_lines[lo - 1 : hi])

    def occurrences(self, quote: str) -> list[int]:
        """Offsets (in the whitespace-free text) of every occurrence of ``quote``."""
        flat = self._normalised()[0]
        needle = normalise(quote)
        found: list[int] = []
        start = flat.find(needle) if needle else -1
        while start >= 0:
            found.append(start)
            start = flat.find(needle, start + 1)
        return found

    def clause_map(self) -> ClauseMap | None:
        """The document's clause structure, or None when ``clauses:`` is not declared."""
        if self.clause_style is None:
            return None
        cached = self._cache.get("clauses")
        if cached is None:
            cached = self._cache["clauses"] = build_clause_map(self.text(), self.clause_style)
        return cached  # type: ignore[return-value]

    def clauses_of(self, quote: str) -> list[tuple[Clause, int]]:
        """The clause and sentence number of each occurrence of ``quote`` (empty without structure)."""
        cmap = self.clause_map()
        if cmap is None:
            return []
        return [(cmap.at(start), cmap.sentence(start)) for start in self.occurrences(quote)]

    def sentence_number(self, offset: int) -> int:
        """Which sentence of the document holds ``offset`` (for "same sentence, same label")."""
        cmap = self.clause_map()
        if cmap is not None:
            return cmap.sentence(offset)
        # Without a known structure, a sentence also ends at a line break: a document's
        # tables (annex lists) have no punctuation between their lines.
        flat, lines = self._normalised()
        enders = sum(flat.count(ch, 0, offset) for ch in "。；！？")
        return enders * 100000 + (lines[offset] if offset < len(lines) else 0)

    @property
    def region(self) -> Region | None:
        return self.jurisdiction.region if self.jurisdiction else None

    @property
    def tcm_only(self) -> bool:
        """Whether the whole document addresses TCM institutions only."""
        return bool(self.jurisdiction and self.jurisdiction.tcm_only)

    @property
    def citation(self) -> str:
        """How reports name the document: title and number."""
        return f"{self.title}（{self.number}）" if self.number else self.title


def load_sources(folder: Path) -> tuple[dict[str, SourceDocument], list[str]]:
    """The documents listed in ``folder/index.yaml``, with problems as ``file:line: message``."""
    index = folder / "index.yaml"
    if not index.is_file():
        return {}, []
    display = str(index)
    text, problems = read_text(index, display)
    if text is None:
        return {}, problems
    import yaml  # here: the start-up path imports this module for its types, not to read files

    try:
        entries = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        return {}, [f"{display}:{mark.line + 1 if mark else 1}: YAML syntax error: {exc}"]
    except RecursionError:
        return {}, [f"{display}:1: nested too deeply to be a list of documents"]
    if not isinstance(entries, list):
        return {}, [f"{display}:1: expected a list of documents"]
    sources: dict[str, SourceDocument] = {}
    required = ("short_name", "title", "issuer", "file", "jurisdiction")
    for n, entry in enumerate(entries, start=1):
        if not isinstance(entry, dict) or any(k not in entry for k in required):
            problems.append(f"{display}: entry {n} needs {', '.join(required)}")
            continue
        path = folder / str(entry["file"])
        if not path.exists():
            problems.append(f"{display}: entry {n}: source file {path.name} is missing")
            continue
        # Read now, with the same guards as a checklist (size, kind of file, UTF-8):
        # a quote check must never meet an unreadable document halfway through.
        source_text, source_problems = read_text(path, str(path), max_bytes=MAX_SOURCE_BYTES)
        if source_text is None:
            problems.extend(source_problems)
            continue
        name = str(entry["short_name"])
        jurisdiction, entry_problems = _jurisdiction(entry.get("jurisdiction"), f"{display}: entry {n} ({name})")
        style, style_problems = _clause_style(entry.get("clauses"), f"{display}: entry {n} ({name})")
        problems += entry_problems + style_problems
        raw_date = entry.get("date", "")
        sources[name] = SourceDocument(
            short_name=name,
            title=str(entry["title"]),
            issuer=str(entry["issuer"]),
            number=str(entry.get("number") or ""),
            date=raw_date.isoformat() if isinstance(raw_date, date) else str(raw_date or ""),
            path=path,
            jurisdiction=jurisdiction,
            clause_style=style,
        )
        sources[name]._cache["text"] = source_text
    return sources, problems


def _jurisdiction(data: object, where: str) -> tuple[Jurisdiction | None, list[str]]:
    if not isinstance(data, dict) or not str(data.get("region") or "").strip():
        return None, [f"{where}: jurisdiction needs a region, e.g. {{region: 江苏省淮安市, institutions: all}}"]
    extra = set(data) - {"region", "institutions"}
    problems = [f"{where}: unknown key {k!r} in jurisdiction (allowed: region, institutions)" for k in sorted(extra)]
    scope = str(data.get("institutions") or "all")
    if scope not in INSTITUTION_SCOPES:
        problems.append(f"{where}: jurisdiction institutions must be one of {', '.join(INSTITUTION_SCOPES)}, not {scope!r}")
        scope = "all"
    return Jurisdiction(parse_region(str(data["region"])), scope), problems


def _clause_style(data: object, where: str) -> tuple[ClauseStyle | None, list[str]]:
    if data is None:
        return None, []
    if not isinstance(data, dict):
        return None, [f"{where}: clauses must be a mapping (style, annex_heading, annex_label, inferred)"]
    problems = [f"{where}: unknown key {k!r} in clauses (allowed: style, annex_heading, annex_label, inferred)"
                for k in sorted(set(data) - {"style", "annex_heading", "annex_label", "inferred"})]
    style = str(data.get("style") or "nested")
    if style not in CLAUSE_STYLES:
        problems.append(f"{where}: clause style must be one of {', '.join(CLAUSE_STYLES)}, not {style!r}")
    inferred = []
    for k, raw in enumerate(data.get("inferred") or [], start=1):
        if not isinstance(raw, dict) or not isinstance(raw.get("line"), int) or not str(raw.get("label") or "").strip():
            problems.append(f"{where}: inferred heading {k} needs line (a number) and label")
            continue
        inferred.append(InferredHeading(int(raw["line"]), str(raw["label"]), str(raw.get("note") or "")))
    return ClauseStyle(
        style=style,
        annex_heading=normalise(str(data.get("annex_heading") or "")),
        annex_label=str(data.get("annex_label") or ""),
        inferred=tuple(inferred),
    ), problems
