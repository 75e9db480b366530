"""The coverage table of the seed documents: which clauses are cited, and why the rest are not.

``checklists/COVERAGE.md`` is produced by this module (``auditapp checklists coverage
-o checklists/COVERAGE.md``), never by hand, so it cannot drift from the checklists.
Every clause of a document whose structure is known (``clauses:`` in sources/index.yaml)
is either cited — by a walk item (an observable requirement covered) or by an indicator
(a hospital statistic) — or listed in ``checklists/coverage-notes.yaml`` with the reason
it is left out and whether a visitor could observe it at all. The validator enforces
that, so a clause can neither be forgotten nor be called "left out" while an item tests it.
"""

from __future__ import annotations

import argparse
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from auditapp.checklists.applicability import InstitutionProfile, applicable_items
from auditapp.checklists.indicators import applicable_indicators
from auditapp.checklists.loader import Library, load_library, node_line, parse_yaml_file
from auditapp.checklists.sources import SourceDocument
from auditapp.checklists.walk import walk_order

NOTES_FILE = "coverage-notes.yaml"
# A clause whose own text is a short heading line ("（二）优化诊区布局，科学配置设施。") states
# no requirement of its own: its items and sub-items do.
HEADING_LENGTH = 30
_HEADING_START = re.compile(r"^(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[）)]|\d{1,2}[.．]|附件|注：)")
# Labels that never hold requirements: text before the first heading, the list of attachments.
NOT_CLAUSES = ("", "附件目录")
# The regions of the five seed documents and one outside them, for the per-region figures.
SAMPLE_REGIONS = ("北京市", "重庆市渝北区", "江苏省淮安市", "江苏省苏州市吴中区", "吉林省长春市", "广东省广州市")


@dataclass(frozen=True)
class ClauseText:
    label: str
    text: str
    inferred: bool
    position: int
    has_children: bool = False

    @property
    def is_heading(self) -> bool:
        """A heading line over clauses of its own: it is they that state requirements."""
        return self.has_children and len(self.text) <= HEADING_LENGTH and bool(_HEADING_START.match(self.text))


@dataclass(frozen=True)
class Note:
    source: str
    clause: str
    topic: str
    reason: str
    observable: bool
    partial: bool
    where: str


@dataclass
class DocumentCoverage:
    """The figures of one document, as COVERAGE.md states them."""

    clauses: list[ClauseText] = field(default_factory=list)
    by_items: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    by_indicators: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    left_out: list[Note] = field(default_factory=list)
    partly: list[Note] = field(default_factory=list)

    @property
    def requirement_clauses(self) -> list[ClauseText]:
        return [c for c in self.clauses if not c.is_heading]

    @property
    def indicator_only(self) -> set[str]:
        return set(self.by_indicators) - set(self.by_items)

    def figures(self) -> dict[str, int]:
        """Clauses (headings not counted) covered by walk items, by indicators only, left out."""
        requirement = {c.label for c in self.requirement_clauses}
        left = [n for n in self.left_out if n.clause in requirement]
        return {
            "clauses": len(requirement),
            "covered": len(requirement & set(self.by_items)),
            "indicators_only": len(requirement & self.indicator_only),
            "left_out": len(left),
            "left_out_observable": sum(1 for n in left if n.observable),
            "partly": len(self.partly),
            "headings_noted": len(self.left_out) - len(left),
        }


def document_clauses(doc: SourceDocument) -> list[ClauseText]:
    """Each clause of a document once, with all its own text, in document order."""
    cmap = doc.clause_map()
    if cmap is None:
        return []
    flat = doc._normalised()[0]
    texts: dict[str, list[str]] = defaultdict(list)
    first: dict[str, tuple[int, bool]] = {}
    for index, (start, clause) in enumerate(zip(cmap.starts, cmap.clauses, strict=False)):
        end = cmap.starts[index + 1] if index + 1 < len(cmap.starts) else len(flat)
        if clause.label in NOT_CLAUSES:
            continue
        texts[clause.label].append(flat[start:end])
        first.setdefault(clause.label, (start, clause.inferred))
    ordered = sorted(first, key=lambda lb: first[lb][0])
    numbered = doc.clause_style is not None and doc.clause_style.style == "numbered"

    def is_child(other: str, label: str) -> bool:
        # 二 → 二(一); 二(一) → 二(一)1 or 二(一)一; 二(一)1 → 二(一)1 一; 附件1 → 附件1 指标1;
        # but 指标1 is no parent of 指标10, nor 三(一) of 三(一)或(二)
        if other == label or not other.startswith(label):
            return False
        nxt = other[len(label)]
        return nxt in "( " or (not label[-1].isdigit() and (nxt.isdigit() or nxt in "一二三四五六七八九十"))

    def has_children(index: int, label: str) -> bool:
        if any(is_child(other, label) for other in ordered):
            return True
        # numbered documents (1…N throughout) nest items under sections only by position
        following = ordered[index + 1] if index + 1 < len(ordered) else ""
        return numbered and following.isdigit()

    return [ClauseText(label, "".join(texts[label]), first[label][1], first[label][0], has_children(i, label))
            for i, label in enumerate(ordered)]


def load_notes(library: Library) -> tuple[list[Note], list[str]]:
    """The notes file as Note records, with its problems as ``file:line: message``."""
    path = library.directory / NOTES_FILE
    if not path.is_file():
        return [], []
    display = str(path)
    data, node, problems = parse_yaml_file(path, display)
    if not isinstance(data, dict):
        return [], problems
    notes: list[Note] = []
    for source, entries in data.items():
        if str(source) not in library.sources:
            known = ", ".join(sorted(library.sources))
            problems.append(f"{display}:{node_line(node, (source,))}: unknown source {source!r} (known: {known})")
            continue
        for index, entry in enumerate(entries or []):
            where = f"{display}:{node_line(node, (source, index))}"
            if not isinstance(entry, dict):
                problems.append(f"{where}: each note is a mapping with clause, topic, reason, observable")
                continue
            unknown = set(entry) - {"clause", "topic", "reason", "observable", "partial"}
            for key in sorted(unknown):
                problems.append(f"{where}: unknown key {key!r} in a note (allowed: clause, topic, reason, observable, partial)")
            missing = [k for k in ("clause", "topic", "reason") if not str(entry.get(k) or "").strip()]
            if missing:
                problems.append(f"{where}: the note needs {', '.join(missing)}")
                continue
            if not isinstance(entry.get("observable"), bool):
                problems.append(f"{where}: say whether a visitor could observe it: observable: true or false")
                continue
            notes.append(Note(str(source), str(entry["clause"]), str(entry["topic"]), str(entry["reason"]),
                              bool(entry["observable"]), bool(entry.get("partial", False)), where))
    return notes, problems


def document_coverage(library: Library) -> tuple[dict[str, DocumentCoverage], list[str]]:
    """Per document, what cites each clause and what the notes say; problems as lines."""
    notes, problems = load_notes(library)
    out = {name: DocumentCoverage(clauses=document_clauses(doc)) for name, doc in library.sources.items()}
    for checklist in library.checklists.values():
        for _section, item in checklist.items():
            for basis in item.basis:
                if basis.source in out:
                    out[basis.source].by_items[basis.clause].add(item.id)
    for indicator_set in library.indicator_sets.values():
        for _dimension, indicator in indicator_set.indicators():
            for basis in indicator.all_bases():
                if basis.source in out:
                    out[basis.source].by_indicators[basis.clause].add(indicator.id)
    seen: dict[tuple[str, str, bool], str] = {}
    for note in notes:
        cov = out[note.source]
        labels = {c.label for c in cov.clauses}
        cited = note.clause in cov.by_items or note.clause in cov.by_indicators
        if labels and note.clause not in labels:
            problems.append(f"{note.where}: {note.source} has no clause {note.clause!r}")
            continue
        key = (note.source, note.clause, note.partial)
        if key in seen and not note.partial:
            problems.append(f"{note.where}: clause {note.clause!r} of {note.source} is left out twice (first at {seen[key]})")
        seen.setdefault(key, note.where)
        if cited and not note.partial:
            users = sorted(cov.by_items.get(note.clause, set()) | cov.by_indicators.get(note.clause, set()))
            problems.append(
                f"{note.where}: clause {note.clause!r} of {note.source} is listed as left out, but {', '.join(users[:3])} "
                "cite it: remove the note, or mark it partial: true and name the part that is left out"
            )
        elif note.partial and not cited:
            problems.append(f"{note.where}: clause {note.clause!r} of {note.source} is marked partial but nothing cites it")
        (cov.partly if note.partial else cov.left_out).append(note)
    for name, cov in out.items():
        explained = {n.clause for n in cov.left_out}
        for clause in cov.requirement_clauses:
            if clause.label not in cov.by_items and clause.label not in cov.by_indicators and clause.label not in explained:
                problems.append(
                    f"{library.directory / NOTES_FILE}:1: clause {clause.label!r} of {name} is neither cited nor explained: "
                    f"cite it or add a note with the reason ({clause.text[:24]}…)"
                )
    return out, problems


def coverage_problems(library: Library) -> list[str]:
    return document_coverage(library)[1]


def region_figures(library: Library) -> list[dict[str, Any]]:
    """Items of a visit and indicators, for an institution of each sample region (general and TCM)."""
    rows = []
    for kind in ("general", "tcm"):
        for region in SAMPLE_REGIONS:
            profile = InstitutionProfile(kind=kind, level=3, has_obstetrics=kind == "general", region=region)
            template = library.default_template_for(profile)
            checklists = [library.get(c) for c in template.checklists] if template else library.applicable_checklists(profile)
            allowed = {c.id: [i.id for _s, i in applicable_items(c, profile)] for c in checklists}
            steps = walk_order(checklists, template, allowed=allowed)
            binding = sum(1 for s in steps if library.item_binding(s.item, profile).is_binding)
            indicators = sum(len(applicable_indicators(s, profile, library.sources)) for s in library.indicator_sets.values())
            rows.append({"kind": kind, "region": region, "items": len(steps), "binding": binding,
                         "reference": len(steps) - binding, "indicators": indicators})
    return rows


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render_coverage(library: Library) -> str:
    coverage, _problems = document_coverage(library)
    total_items = sum(1 for c in library.checklists.values() for _ in c.items())
    total_indicators = sum(1 for s in library.indicator_sets.values() for _ in s.indicators())
    out = [
        "# Coverage of the seed documents · 原始文件覆盖情况",
        "",
        "Generated by `auditapp checklists coverage -o checklists/COVERAGE.md`; do not edit by hand.",
        f"{len(library.checklists)} checklists with {total_items} walk items; "
        f"{len(library.indicator_sets)} indicator sets with {total_indicators} indicators.",
        "",
        "A clause is *covered* when a walk item cites it (an observable requirement the visit checks), "
        "*in the indicator report* when only an indicator cites it (a hospital statistic), and otherwise "
        "*left out* with its reason from `coverage-notes.yaml`; *observable* says whether a visitor could "
        "see it at all. Headings without a requirement of their own are not counted.",
        "",
        "## Items of a visit by region · 各地区体验检查项数",
        "",
        "A level-3 institution (the general one with obstetrics) of each region; *binding* items cite a document "
        "of the institution's own jurisdiction, the rest are reference (good practice written elsewhere).",
        "",
        "| institution 机构 | region 地区 | items 检查项 | binding 本地要求 | reference 参考 | indicators 统计指标 |",
        "|---|---|---|---|---|---|",
    ]
    for row in region_figures(library):
        kind = "综合医院 general" if row["kind"] == "general" else "中医医院 TCM"
        out.append(f"| {kind} | {row['region']} | {row['items']} | {row['binding']} | {row['reference']} | {row['indicators']} |")
    out.append("")
    for short_name, doc in library.sources.items():
        cov = coverage[short_name]
        juris = doc.jurisdiction
        scope = ""
        if juris is not None:
            institutions = "中医医疗机构 TCM institutions" if juris.tcm_only else "各级各类医疗机构 all institutions"
            scope = f" · {juris.region.name} · " + institutions
        out += [f"## {doc.title}", "", f"`{short_name}` · {doc.issuer}" + (f" · {doc.number}" if doc.number else "") + scope, ""]
        requirement = cov.requirement_clauses
        if requirement:
            figures = cov.figures()
            out += [
                f"{figures['clauses']} clauses: **{figures['covered']} covered by walk items**, "
                f"{figures['indicators_only']} in the indicator report only, {figures['left_out']} left out with reason "
                f"({figures['left_out_observable']} of them observable, {figures['left_out'] - figures['left_out_observable']} not "
                f"observable); {figures['partly']} notes on parts of cited clauses left out"
                + (f"; {figures['headings_noted']} notes on headings and fragments." if figures["headings_noted"] else "."),
                "",
            ]
        order = {c.label: c.position for c in cov.clauses}
        cited = sorted(set(cov.by_items), key=lambda lb: (order.get(lb, 10**9), lb))
        if cited:
            out += ["### Covered by walk items · 体验检查项引用", "", "| clause 条款 | items 检查项 |", "|---|---|"]
            for label in cited:
                out.append(f"| {label} | {', '.join(f'`{i}`' for i in sorted(cov.by_items[label]))} |")
            out += [""]
        indicator_labels = sorted(set(cov.by_indicators), key=lambda lb: (order.get(lb, 10**9), lb))
        if indicator_labels:
            out += ["### In the indicator report · 统计指标引用", "", "| clause 条款 | indicators 指标 |", "|---|---|"]
            for label in indicator_labels:
                out.append(f"| {label} | {', '.join(f'`{i}`' for i in sorted(cov.by_indicators[label]))} |")
            out += [""]
        if not cited and not indicator_labels:
            out += ["No item cites this document yet.", ""]
        for title, notes in (
            ("Left out · 有意未纳入", cov.left_out),
            ("Parts of cited clauses left out · 已引用条款中未纳入的部分", cov.partly),
        ):
            if not notes:
                continue
            out += [f"### {title}", "", "| clause 条款 | topic 内容 | observable 可观察 | reason 原因 |", "|---|---|---|---|"]
            for note in sorted(notes, key=lambda n: (order.get(n.clause, 10**9), n.clause)):
                out.append(f"| {note.clause} | {_cell(note.topic)} | {'是 yes' if note.observable else '否 no'} | {_cell(note.reason)} |")
            out.append("")
    return "\n".join(out).rstrip() + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Render the coverage table of the seed documents.")
    parser.add_argument("-o", "--output", type=Path)
    parser.add_argument("--library", type=Path)
    args = parser.parse_args(argv)
    text = render_coverage(load_library(args.library))
    if args.output:
        args.output.write_text(text, encoding="utf-8")
    else:
        print(text, end="")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
