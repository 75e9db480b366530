"""Authoring rules beyond the file format: citations, applicability, wording.

The schema says what a checklist file may contain; these rules say what makes its content
right, so ``auditapp checklists validate`` catches in the files what a careful reviewer
would: a clause label that is not where the quote sits, the same sentence cited under two
labels, an item offered to every hospital on the strength of a TCM-only document, a
target taken from a document that does not address the hospital, Chinese text broken by
YAML line folding, questions worded 是否不…, items without a problem statement.

Every problem is a ``file:line: message`` line for the author, like the loader's.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from auditapp.checklists.schema import Basis, Checklist, Item, Template
from auditapp.checklists.sources import SourceDocument, normalise

# A space between two Chinese characters (or Chinese punctuation) is YAML folding debris.
_CJK = "\u4e00-\u9fff\u3000-\u303f\uff00-\uffef“”‘’"
CJK_GAP = re.compile(f"[{_CJK}][ \t\u00a0]+[{_CJK}]")
AWKWARD_QUESTION = re.compile(r"是否(不|未|没有|无人|避免)")
# Words that make a sentence an encouragement or a condition rather than a requirement.
ENCOURAGING = re.compile(r"鼓励|有条件的|具备条件的|探索")

Where = Callable[..., str]


@dataclass(frozen=True)
class BasisRecord:
    """A basis as cited somewhere in the library, for rules across files."""

    basis: Basis
    owner: str
    where: str


def cjk_gaps(text: str) -> list[str]:
    """The stretches of ``text`` where whitespace splits Chinese text."""
    return [m.group(0) for m in CJK_GAP.finditer(text or "")]


def text_problems(where: str, owner: str, field: str, text: str) -> list[str]:
    gaps = cjk_gaps(text)
    if not gaps:
        return []
    shown = ", ".join(repr(g) for g in gaps[:3])
    return [f"{where}: {field} of {owner} has a space inside Chinese text ({shown}): "
            "write it on one line or as a plain scalar, not folded across lines"]


def sentence_before(doc: SourceDocument, quote: str) -> list[str]:
    """For each occurrence of ``quote``, its sentence from the start up to the quote's end.

    Sentences end at 。；！？ and, where the document's clause structure is known, at every
    clause start — so text lost between two fragments is not read as one sentence.
    """
    flat = doc._normalised()[0]
    cmap = doc.clause_map()
    out = []
    for start in doc.occurrences(quote):
        begin = max(flat.rfind(ch, 0, start) for ch in "。；！？") + 1
        if cmap is not None:
            index = bisect_right(cmap.sentence_starts, start) - 1
            if index >= 0:
                begin = max(begin, cmap.sentence_starts[index])
        out.append(flat[begin : start + len(normalise(quote))])
    return out


def basis_problems(basis: Basis, owner: str, where: Where, sources: dict[str, SourceDocument]) -> list[str]:
    """Label, inferred flag and strength of one citation (its quote is checked by the loader)."""
    doc = sources.get(basis.source)
    if doc is None or not doc.contains(basis.quote):
        return []
    problems: list[str] = []
    found = doc.clauses_of(basis.quote)
    if found:
        labels = [clause.label for clause, _ in found]
        if basis.clause not in labels:
            problems.append(
                f"{where('clause')}: clause {basis.clause!r} of {owner} does not match the document: "
                f"the quote sits in {basis.source} {' / '.join(dict.fromkeys(labels))}"
            )
        else:
            clause = next(c for c, _ in found if c.label == basis.clause)
            if clause.inferred and not basis.inferred:
                problems.append(
                    f"{where('clause')}: clause {basis.clause!r} of {owner} is inferred from the passage's position "
                    f"({clause.note or 'the heading is lost'}): add inferred: true"
                )
            elif basis.inferred and not clause.inferred:
                problems.append(f"{where('inferred')}: clause {basis.clause!r} of {owner} is printed in the document: "
                                "remove inferred: true")
    if basis.encouraged is None and any(ENCOURAGING.search(s) for s in sentence_before(doc, basis.quote)):
        problems.append(
            f"{where()}: the sentence quoted by {owner} ({basis.source} {basis.clause}) encourages or sets a condition "
            "(鼓励/有条件的/探索): say encouraged: true, or encouraged: false if it is still a requirement"
        )
    return problems


def _addresses_all(basis: Basis, sources: dict[str, SourceDocument]) -> bool:
    doc = sources.get(basis.source)
    return doc is not None and not doc.tcm_only and not basis.tcm_only


def item_problems(item: Item, checklist: Checklist, where: Where, sources: dict[str, SourceDocument] | None) -> list[str]:
    """The rules for one item. ``where(*loc)`` gives ``file:line`` of a key of the item."""
    owner = f"item {item.id!r}"
    problems: list[str] = []
    for field in ("question", "problem", "guidance"):
        problems += text_problems(where(field), owner, field, getattr(item, field))
    for index, basis in enumerate(item.basis):
        problems += text_problems(where("basis", index, "quote"), owner, "a quote", basis.quote)
    if AWKWARD_QUESTION.search(item.question):
        problems.append(f"{where('question')}: the question of {owner} asks 是否不/未/没有/无人/避免…: "
                        "ask for what should be there instead")
    if not item.problem.strip():
        problems.append(f"{where()}: {owner} has no problem statement: add problem: (what a rectification list prints when it is not met)")
    elif "是否" in item.problem or item.problem.rstrip().endswith(("？", "?")):
        problems.append(f"{where('problem')}: the problem of {owner} is a question: state the nonconformity")
    if not item.problem_en.strip():
        problems.append(f"{where()}: {owner} has no problem_en: add the problem statement in English")
    elif item.problem_en.rstrip().endswith("?"):
        problems.append(f"{where('problem_en')}: problem_en of {owner} is a question: state the nonconformity")
    if item.id in item.formerly:
        problems.append(f"{where('formerly')}: {owner} lists its own id under formerly")
    if sources is None:
        return problems
    for index, basis in enumerate(item.basis):
        problems += basis_problems(basis, owner, lambda *loc, i=index: where("basis", i, *loc), sources)
    tcm_only_item = "tcm" in item.applies or all(k in ("tcm", "integrated") for k in checklist.applies_to)
    known = [b for b in item.basis if b.source in sources]
    if known and not tcm_only_item and not any(_addresses_all(b, sources) for b in known):
        names = ", ".join(dict.fromkeys(b.source for b in known))
        problems.append(
            f"{where('basis')}: {owner} applies to every institution, but its only bases address TCM institutions ({names}): "
            "cite a document for all institutions, or add applies: [tcm]"
        )
    target = item.response.target
    if target is not None:
        if not target.source:
            problems.append(f"{where('response')}: the target of {owner} must name the document that sets it (source:)")
        elif target.source not in {b.source for b in item.basis}:
            problems.append(f"{where('response')}: the target of {owner} names {target.source!r}, which is not one of its bases")
        else:
            setting = [b for b in item.basis if b.source == target.source]
            if not any(_addresses_all(b, sources) for b in setting) and not tcm_only_item and "tcm" not in target.applies:
                problems.append(
                    f"{where('response')}: the target of {owner} comes from {target.source}, which addresses TCM institutions only: "
                    "add applies: [tcm] to the target so other institutions record the value without a verdict"
                )
    return problems


def same_sentence_problems(records: Iterable[BasisRecord], sources: dict[str, SourceDocument]) -> list[str]:
    """Two citations of one sentence must carry one label."""
    by_sentence: dict[tuple[str, int], list[BasisRecord]] = defaultdict(list)
    for record in records:
        doc = sources.get(record.basis.source)
        if doc is None:
            continue
        for start in doc.occurrences(record.basis.quote)[:1]:
            by_sentence[(record.basis.source, doc.sentence_number(start))].append(record)
    problems = []
    for (source, _n), group in by_sentence.items():
        labels = sorted({r.basis.clause for r in group})
        if len(labels) > 1:
            for record in group:
                others = ", ".join(sorted({f"{r.owner} ({r.basis.clause})" for r in group if r.basis.clause != record.basis.clause}))
                problems.append(
                    f"{record.where}: {record.owner} cites a sentence of {source} as {record.basis.clause!r}, "
                    f"but {others} cite the same sentence under another label"
                )
    return problems


def walk_problems(template: Template, checklists: dict[str, Checklist], where: Where) -> list[str]:
    """A template's walk places every section of its checklists exactly once."""
    if not template.walk:
        return []
    problems = []
    placed: dict[str, str] = {}
    for s_index, stage in enumerate(template.walk):
        for r_index, ref in enumerate(stage.sections):
            checklist_id, _, section_id = ref.partition(".")
            line = where("walk", s_index, "sections", r_index)
            if checklist_id not in template.checklists:
                problems.append(f"{line}: walk stage {stage.id!r} names {ref!r}, "
                                f"but {checklist_id!r} is not one of the template's checklists")
                continue
            checklist = checklists.get(checklist_id)
            if checklist is not None and section_id not in {s.id for s in checklist.sections}:
                known = ", ".join(s.id for s in checklist.sections)
                problems.append(f"{line}: walk stage {stage.id!r} names {ref!r}, "
                                f"but {checklist_id} has no section {section_id!r} (sections: {known})")
                continue
            if ref in placed:
                problems.append(f"{line}: walk places {ref!r} twice (first in stage {placed[ref]!r})")
            placed.setdefault(ref, stage.id)
    for checklist_id in template.checklists:
        checklist = checklists.get(checklist_id)
        for section in checklist.sections if checklist else []:
            ref = f"{checklist_id}.{section.id}"
            if ref not in placed:
                problems.append(f"{where('walk')}: the walk of template {template.id!r} does not place section {ref!r}")
    return problems
