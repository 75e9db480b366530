"""The seed documents that checklist items cite (``checklists/sources/``)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import yaml

_WS = re.compile(r"\s+")


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
        self._cache["normalised"] = result  # type: ignore[assignment]
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
    try:
        entries = yaml.safe_load(index.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        return {}, [f"{display}:{mark.line + 1 if mark else 1}: YAML syntax error: {exc}"]
    if not isinstance(entries, list):
        return {}, [f"{display}:1: expected a list of documents"]
    sources: dict[str, SourceDocument] = {}
    problems: list[str] = []
    required = ("short_name", "title", "issuer", "file")
    for n, entry in enumerate(entries, start=1):
        if not isinstance(entry, dict) or any(k not in entry for k in required):
            problems.append(f"{display}: entry {n} needs {', '.join(required)}")
            continue
        path = folder / str(entry["file"])
        if not path.is_file():
            problems.append(f"{display}: entry {n}: source file {path.name} is missing")
            continue
        raw_date = entry.get("date", "")
        sources[str(entry["short_name"])] = SourceDocument(
            short_name=str(entry["short_name"]),
            title=str(entry["title"]),
            issuer=str(entry["issuer"]),
            number=str(entry.get("number") or ""),
            date=raw_date.isoformat() if isinstance(raw_date, date) else str(raw_date or ""),
            path=path,
        )
    return sources, problems
