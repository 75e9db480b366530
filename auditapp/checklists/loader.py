"""Loading and validating checklist files, with every problem reported as ``file:line: message``.

PyYAML's node tree keeps line numbers; pydantic's error locations are mapped back onto
it so that an author sees all problems of all files at once, each where it is.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError
from yaml.composer import Composer
from yaml.constructor import SafeConstructor
from yaml.reader import Reader
from yaml.resolver import Resolver

if yaml.__with_libyaml__:
    from yaml.cyaml import CParser  # type: ignore[attr-defined]
else:  # PyYAML built without libyaml: the pure-Python loader reads everything
    CParser = object  # type: ignore[misc,assignment]

from auditapp import paths
from auditapp.checklists import rules
from auditapp.checklists.applicability import InstitutionProfile, checklist_applies
from auditapp.checklists.binding import ItemBinding, item_binding, jurisdiction_regions
from auditapp.checklists.indicators import IndicatorSet
from auditapp.checklists.schema import (
    APPLICABILITY_TAGS,
    INSTITUTION_KINDS,
    RESPONSE_TYPES,
    SEVERITIES,
    TARGET_OPS,
    Checklist,
    Item,
    Section,
    Template,
)
from auditapp.checklists.sources import SourceDocument, load_sources, normalise
from auditapp.checklists.textfile import MAX_CHECKLIST_BYTES, MAX_SOURCE_BYTES, read_text
from auditapp.errors import ChecklistError, NotFoundError

# Files in the checklist folder that are not checklists (the coverage notes are YAML too).
NOT_CHECKLISTS = {"README.md", "COVERAGE.md", "coverage-notes.yaml"}
# Indicator sets (hospital statistics reported per period) live in their own folder.
INDICATORS_DIR = "indicators"


@dataclass
class Library:
    """All checklists, templates, indicator sets and source documents of one checklist folder."""

    directory: Path
    checklists: dict[str, Checklist] = field(default_factory=dict)
    templates: dict[str, Template] = field(default_factory=dict)
    sources: dict[str, SourceDocument] = field(default_factory=dict)
    indicator_sets: dict[str, IndicatorSet] = field(default_factory=dict)

    def get(self, checklist_id: str) -> Checklist:
        try:
            return self.checklists[checklist_id]
        except KeyError:
            known = ", ".join(sorted(self.checklists)) or "—"
            raise NotFoundError("checklist.not_found", ref=checklist_id, known=known) from None

    def item(self, item_id: str) -> tuple[Checklist, Section, Item]:
        """The item with this id, or the item that replaced it when items were merged."""
        for checklist in self.checklists.values():
            for section, item in checklist.items():
                if item.id == item_id:
                    return checklist, section, item
        current = self.current_item_id(item_id)
        if current != item_id:
            return self.item(current)
        raise NotFoundError("checklist.item_not_found", ref=item_id)

    def current_item_id(self, item_id: str) -> str:
        """The id an item has today: merged items answer to the id that absorbed them."""
        for checklist in self.checklists.values():
            for _section, item in checklist.items():
                if item_id == item.id or item_id in item.formerly:
                    return item.id
        return item_id

    def item_binding(self, item: Item, profile: InstitutionProfile) -> ItemBinding:
        """Binding or reference for this institution (see :mod:`auditapp.checklists.binding`)."""
        return item_binding(item, profile, self.sources)

    def known_regions(self) -> list[str]:
        """Regions for a chooser: those the documents bind and every region above them."""
        return jurisdiction_regions(self.sources)

    def walk_template(self, checklist_ids: list[str], profile: InstitutionProfile | None = None) -> Template | None:
        """The template whose walk orders a visit of these checklists.

        A visit does not record its template: prefer the institution's default template when
        it holds all the visit's checklists, else the template holding most of them (fewest
        extra on a tie). Sections it does not place still come, at the end.
        """
        wanted = set(checklist_ids)
        if profile is not None:
            default = self.default_template_for(profile)
            if default is not None and wanted <= set(default.checklists):
                return default
        ranked = sorted(
            self.templates.values(),
            key=lambda t: (-len(wanted & set(t.checklists)), len(set(t.checklists) - wanted), t.id),
        )
        return ranked[0] if ranked and wanted & set(ranked[0].checklists) else None

    def default_template_for(self, profile: InstitutionProfile) -> Template | None:
        for template_id in sorted(self.templates):
            template = self.templates[template_id]
            if profile.kind in template.applies_to:
                return template
        return None

    def applicable_checklists(self, profile: InstitutionProfile) -> list[Checklist]:
        return [c for c in self.checklists.values() if checklist_applies(c, profile)]


# ---------------------------------------------------------------------------
# YAML with line numbers


class _DuplicateKeys(SafeConstructor):
    """Safe construction that reports duplicate keys instead of silently keeping the last."""

    _problems: list[tuple[int, str]]

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: dict[Any, int] = {}
        for key_node, _value_node in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                self._problems.append(
                    (key_node.start_mark.line + 1, f"duplicate key {key!r} (first at line {seen[key]})")
                )
            else:
                seen[key] = key_node.start_mark.line + 1
        return super().construct_mapping(node, deep=deep)


class _Loader(_DuplicateKeys, yaml.SafeLoader):
    """PyYAML's own safe loader, all in Python: the one whose error messages authors read."""

    def __init__(self, stream: str, problems: list[tuple[int, str]]) -> None:
        yaml.SafeLoader.__init__(self, stream)
        self._problems = problems


class _FastLoader(_DuplicateKeys, Composer, Resolver, CParser):
    """libyaml's scanner and parser under PyYAML's composer and constructor: the same nodes, 5× faster.

    Reading the shipped library took ~0.7 s of PyYAML scanning on every ``load_library``
    (every command that starts a visit or reads indicators). The composer stays PyYAML's
    (in Python) so that a document nested too deeply still ends in RecursionError rather
    than deep C recursion. Only used on text PyYAML's reader accepts; a document either
    parser refuses is read again by :class:`_Loader` for PyYAML's own message.
    """

    def __init__(self, stream: str, problems: list[tuple[int, str]]) -> None:
        CParser.__init__(self, stream)
        Composer.__init__(self)
        SafeConstructor.__init__(self)
        Resolver.__init__(self)
        self._problems = problems


# More nodes than this once aliases are expanded is an alias bomb ("billion laughs"):
# validating it would never end. The largest real checklist has ~5 000.
MAX_EXPANDED_NODES = 200_000


# Flow collections ([…], {…}) nested deeper than this are a nesting bomb. PyYAML's
# scanner is quadratic in that depth (40 000 brackets: 50 s) and its composer recursive,
# so the depth is measured on the text before PyYAML sees it.
MAX_FLOW_DEPTH = 64
_FLOW_TOKENS = re.compile(r"""[\[\]{}"'#\\\n]""")


def _flow_depth(text: str, limit: int = MAX_FLOW_DEPTH) -> int:
    """The deepest nesting of flow brackets outside quotes and comments (stops past ``limit``)."""
    if text.count("[") + text.count("{") <= limit:
        return 0
    depth = deepest = 0
    quote = ""
    comment = False
    previous = "\n"
    for match in _FLOW_TOKENS.finditer(text):
        ch = match.group()
        start = match.start()
        before = text[start - 1] if start else "\n"
        if comment:
            if ch == "\n":
                comment = False
            continue
        if quote:
            if ch == "\\" and quote == '"':
                previous = ch
                continue
            if ch == quote and not (quote == '"' and before == "\\" and previous == "\\"):
                quote = ""
            previous = ch
            continue
        if ch in "\"'" and before in " \t\n[{,:":
            quote = ch
        elif ch == "#" and before in " \t\n":
            comment = True
        elif ch in "[{":
            depth += 1
            if depth > deepest:
                deepest = depth
                if deepest > limit:
                    return deepest
        elif ch in "]}":
            depth = max(0, depth - 1)
        previous = ch
    return deepest


def _expanded_size(root: yaml.Node, limit: int) -> int:
    """Nodes of the document with every alias expanded, counted without expanding (stops past ``limit``)."""
    sizes: dict[int, int] = {}
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        if id(node) in sizes:
            continue
        if isinstance(node, yaml.ScalarNode):
            sizes[id(node)] = 1
            continue
        children = [c for pair in node.value for c in pair] if isinstance(node, yaml.MappingNode) else list(node.value)
        if done:
            sizes[id(node)] = min(limit + 1, 1 + sum(sizes.get(id(c), 1) for c in children))
            continue
        stack.append((node, True))
        stack.extend((c, False) for c in children if id(c) not in sizes)
    return sizes.get(id(root), 1)


def _fast_node(text: str, raw: list[tuple[int, str]]) -> yaml.Node | None:
    """The document's node tree read by libyaml, or None where PyYAML's reader should have its say."""
    if not yaml.__with_libyaml__ or Reader.NON_PRINTABLE.search(text):
        return None
    loader = _FastLoader(text, raw)
    try:
        return loader.get_single_node()
    except (yaml.YAMLError, RecursionError):
        return None
    finally:
        loader.dispose()


def parse_yaml_file(path: Path, display: str) -> tuple[Any, yaml.Node | None, list[str]]:
    """A checklist-library YAML file: its data, its node tree (for line numbers) and its problems."""
    text, problems = read_text(path, display, max_bytes=MAX_CHECKLIST_BYTES)
    if text is None:
        return None, None, problems
    if _flow_depth(text) > MAX_FLOW_DEPTH:
        return None, None, [
            f"{display}:1: lists or mappings are nested more than {MAX_FLOW_DEPTH} levels deep, "
            "too deeply to be a checklist"
        ]
    raw: list[tuple[int, str]] = []
    node = _fast_node(text, raw)
    loader: _Loader | None = None
    try:
        loader = _Loader(text, raw)  # inside the try: its reader refuses control characters at once
        if node is None:  # the fast reader refused it (or could not be used): PyYAML's own words
            node = loader.get_single_node()
        if node is not None and _expanded_size(node, MAX_EXPANDED_NODES) > MAX_EXPANDED_NODES:
            return None, None, [
                f"{display}:1: the document expands to more than {MAX_EXPANDED_NODES} values "
                "(anchors and aliases repeated over and over); write the checklist out plainly"
            ]
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        message = f"{display}:{line}: YAML syntax error: {exc.problem or exc}"
        if exc.context and exc.context_mark is not None and exc.context_mark.line + 1 != line:
            message += f" ({exc.context} at line {exc.context_mark.line + 1})"
        return None, None, [message]
    except yaml.YAMLError as exc:  # reader errors (control characters) carry no mark
        return None, None, [f"{display}:1: not a YAML document: {exc}"]
    except RecursionError:
        return None, None, [f"{display}:1: lists or mappings are nested too deeply to be a checklist"]
    finally:
        if loader is not None:
            loader.dispose()
    problems = [f"{display}:{line}: {msg}" for line, msg in raw]
    if data is None:
        problems.append(f"{display}:1: the file is empty")
    elif not isinstance(data, dict):
        problems.append(f"{display}:1: expected a mapping with id, title, … at the top, found {type(data).__name__}")
    return data, node, problems


def _node_at(root: yaml.Node | None, loc: Iterable[Any]) -> tuple[yaml.Node | None, bool]:
    """The deepest node on the path ``loc`` and whether the whole path was found."""
    node = root
    for part in loc:
        if isinstance(node, yaml.MappingNode):
            match = next((v for k, v in node.value if k.value == part), None)
            if match is None:
                # unknown keys: point at the key itself
                key = next((k for k, _v in node.value if k.value == part), None)
                return (key or node), False
            node = match
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            node = node.value[part]
        else:
            return node, False
    return node, True


def node_line(root: yaml.Node | None, loc: Iterable[Any]) -> int:
    """The 1-based line of the value at ``loc`` (keys and indexes) in a parsed file, 1 if absent."""
    node, _ = _node_at(root, loc)
    return node.start_mark.line + 1 if node is not None else 1


def _key_line(root: yaml.Node | None, loc: tuple[Any, ...]) -> int:
    """Line of the key ``loc[-1]`` in its mapping (for unknown keys)."""
    parent, _ = _node_at(root, loc[:-1])
    if isinstance(parent, yaml.MappingNode):
        for key, _value in parent.value:
            if key.value == loc[-1]:
                return key.start_mark.line + 1
    return node_line(root, loc[:-1])


def _owner(data: Any, loc: tuple[Any, ...]) -> str:
    """Words naming what a location belongs to: "item 'x'", "section 'y'" …"""
    node = data
    owner = "the checklist"
    for index, part in enumerate(loc):
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            break
        if index > 0 and loc[index - 1] == "items" and isinstance(node, dict):
            owner = f"item {node.get('id', '#' + str(part + 1))!r}"
        elif index > 0 and loc[index - 1] == "sections" and isinstance(node, dict):
            owner = f"section {node.get('id', '#' + str(part + 1))!r}"
        elif index > 0 and loc[index - 1] == "indicators" and isinstance(node, dict):
            owner = f"indicator {node.get('id', '#' + str(part + 1))!r}"
        elif index > 0 and loc[index - 1] == "dimensions" and isinstance(node, dict):
            owner = f"dimension {node.get('id', '#' + str(part + 1))!r}"
        elif index > 0 and loc[index - 1] == "walk" and isinstance(node, dict):
            owner = f"walk stage {node.get('id', '#' + str(part + 1))!r}"
        elif index > 0 and loc[index - 1] == "basis":
            owner = f"{owner}, basis #{part + 1}"
    return owner


_ALLOWED = {
    "checklist": "schema, id, version, title, title_en, description, applies_to, sections",
    "template": "schema, id, title, title_en, description, applies_to, checklists, walk",
    "walk stage": "id, title, title_en, sections",
    "indicator set": "schema, kind, id, version, title, title_en, description, period, dimensions",
    "dimension": "id, title, title_en, indicators",
    "indicator": "id, name, name_en, definition, definition_en, required_by, basis, response, targets, applies, "
    "department, data_source, data_source_en, formerly",
    "indicator target": "source, clause, quote, op, value, levels, due, aim",
    "section": "id, title, title_en, items",
    "item": "id, question, question_en, problem, problem_en, guidance, guidance_en, basis, response, applies, severity, "
    "department, photo_required, formerly",
    "basis": "source, clause, quote, inferred, tcm_only, encouraged",
    "response": "type, unit, target, options",
    "target": "op, value, source, applies",
    "option": "value, label, conform",
}


def _context_kind(loc: tuple[Any, ...], kind: str) -> str:
    names = [p for p in loc if isinstance(p, str)]
    if not names:
        return kind
    last = names[-1]
    return {
        "sections": "section",
        "items": "item",
        "basis": "basis",
        "response": "response",
        "target": "target",
        "options": "option",
        "walk": "walk stage",
        "dimensions": "dimension",
        "indicators": "indicator",
        "required_by": "basis",
        "targets": "indicator target",
    }.get(last, kind)


def _message(err: Mapping[str, Any], data: Any, kind: str) -> tuple[tuple[Any, ...], str]:
    loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and p in ("function-after[_shorthand(), Response]",)))
    etype = err["type"]
    field_name = loc[-1] if loc else ""
    owner = _owner(data, loc)
    if etype == "extra_forbidden":
        context = _context_kind(loc[:-1], kind)
        return loc, f"unknown key {field_name!r} in {owner} (allowed: {_ALLOWED.get(context, '')})"
    if etype == "missing":
        if field_name == "basis":
            return loc, f"{owner} has no basis: every item must cite at least one source (source, clause, quote)"
        return loc, f"{owner} lacks the required key {field_name!r}"
    if field_name == "basis" and etype == "too_short":
        return loc, f"{owner} has no basis: every item must cite at least one source (source, clause, quote)"
    value = err.get("input")
    if field_name == "type" and "response" in loc:
        return loc, f"unknown response type {value!r} in {owner} (use {', '.join(RESPONSE_TYPES)})"
    if len(loc) >= 2 and loc[-2] == "applies":
        return loc, f"unknown applicability tag {value!r} in {owner} (use {', '.join(APPLICABILITY_TAGS)})"
    if len(loc) >= 2 and loc[-2] == "applies_to":
        return loc, f"unknown institution kind {value!r} (use {', '.join(INSTITUTION_KINDS)})"
    if field_name == "severity":
        return loc, f"unknown severity {value!r} in {owner} (use {', '.join(SEVERITIES)})"
    if field_name == "op":
        return loc, f"unknown target operator {value!r} in {owner} (use {', '.join(TARGET_OPS)})"
    if field_name == "response" and etype in ("model_type", "model_attributes_type"):
        return loc, f"response of {owner} must be a type name ({', '.join(RESPONSE_TYPES)}) or a mapping"
    if etype == "string_pattern_mismatch" and field_name == "id":
        return loc, (
            f"bad id {value!r} in {owner}: use lowercase letters, digits, '-', '_'"
            + (" and '.'" if "items" in loc else "")
        )
    if etype == "too_short":
        return loc, f"{field_name!r} of {owner} must not be empty"
    if etype == "string_unicode":
        return loc, f"{field_name or 'value'} of {owner} holds characters that are not valid text (an escape such as \\ud800)"
    if etype == "literal_error" and field_name == "schema":
        return loc, f"unsupported schema version {value!r} (this app reads schema 1)"
    return loc, f"{field_name or 'value'} of {owner}: {err['msg']}"


def _validate_model(model: type[Checklist] | type[Template] | type[IndicatorSet], data: Any, node: yaml.Node | None,
                    display: str) -> tuple[Any, list[str]]:
    kind = {Checklist: "checklist", Template: "template", IndicatorSet: "indicator set"}[model]
    try:
        return model.model_validate(data), []
    except ValidationError as exc:
        problems: list[tuple[int, str]] = []
        for err in exc.errors():
            loc, message = _message(err, data, kind)
            line = _key_line(node, loc) if err["type"] == "extra_forbidden" else node_line(node, loc)
            problems.append((line, message))
        # Literal errors on a union may repeat; keep each message once, in line order.
        unique = sorted(set(problems))
        return None, [f"{display}:{line}: {msg}" for line, msg in unique]


def _item_lines(node: yaml.Node | None) -> dict[tuple[int, int], int]:
    lines: dict[tuple[int, int], int] = {}
    sections, found = _node_at(node, ("sections",))
    if not found or not isinstance(sections, yaml.SequenceNode):
        return lines
    for s_index, section in enumerate(sections.value):
        items, ok = _node_at(section, ("items",))
        if ok and isinstance(items, yaml.SequenceNode):
            for i_index, item in enumerate(items.value):
                lines[(s_index, i_index)] = item.start_mark.line + 1
    return lines


@dataclass
class _Parsed:
    checklist: Checklist | None
    display: str
    node: yaml.Node | None
    problems: list[str]
    bases: list[rules.BasisRecord] = field(default_factory=list)


def _check_checklist(
    path: Path, display: str, sources: dict[str, SourceDocument] | None
) -> _Parsed:
    data, node, problems = parse_yaml_file(path, display)
    if problems and not isinstance(data, dict):
        return _Parsed(None, display, node, problems)
    checklist, model_problems = _validate_model(Checklist, data, node, display)
    problems += model_problems
    if checklist is None:
        return _Parsed(None, display, node, problems)
    if checklist.id != path.stem:
        problems.append(f"{display}:{node_line(node, ('id',))}: id {checklist.id!r} must equal the file name {path.stem!r}")
    lines = _item_lines(node)
    records: list[rules.BasisRecord] = []
    seen_sections: dict[str, int] = {}
    seen_items: dict[str, int] = {}
    for s_index, section in enumerate(checklist.sections):
        s_line = node_line(node, ("sections", s_index))
        if section.id in seen_sections:
            problems.append(f"{display}:{s_line}: duplicate section id {section.id!r} (first at line {seen_sections[section.id]})")
        seen_sections.setdefault(section.id, s_line)
        for i_index, item in enumerate(section.items):
            i_line = lines.get((s_index, i_index), s_line)
            if item.id in seen_items:
                problems.append(f"{display}:{i_line}: duplicate item id {item.id!r} (first defined at {display}:{seen_items[item.id]})")
            seen_items.setdefault(item.id, i_line)
            if item.response.type == "choice" and not item.response.options:
                problems.append(f"{display}:{i_line}: choice item {item.id!r} needs options")
            item_loc = ("sections", s_index, "items", i_index)

            def where(*loc: Any, _item_loc: tuple[Any, ...] = item_loc) -> str:
                return f"{display}:{node_line(node, _item_loc + loc)}"

            problems += rules.item_problems(item, checklist, where, sources)
            if sources is None:
                continue
            for b_index, basis in enumerate(item.basis):
                b_line = node_line(node, ("sections", s_index, "items", i_index, "basis", b_index))
                records.append(rules.BasisRecord(basis, f"item {item.id!r}", f"{display}:{b_line}"))
                doc = sources.get(basis.source)
                if doc is None:
                    known = ", ".join(sorted(sources)) or "none"
                    problems.append(f"{display}:{b_line}: unknown source {basis.source!r} in item {item.id!r} (known: {known})")
                elif not doc.contains(basis.quote):
                    q_line = node_line(node, ("sections", s_index, "items", i_index, "basis", b_index, "quote"))
                    problems.append(f"{display}:{q_line}: quote not found in source {basis.source}: {basis.quote!r}")
    checklist._source_path = path
    return _Parsed(checklist, display, node, problems, records)


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def _checklist_files(directory: Path) -> list[Path]:
    return sorted(p for p in directory.glob("*.yaml") if p.name not in NOT_CHECKLISTS) + sorted(
        directory.glob("*.yml")
    )


def _library(directory: Path) -> tuple[Library, list[str]]:
    problems: list[str] = []
    sources, source_problems = load_sources(directory / "sources")
    problems += source_problems
    library = Library(directory=directory, sources=sources)
    first_item: dict[str, str] = {}
    records: list[rules.BasisRecord] = []
    for path in _checklist_files(directory):
        parsed = _check_checklist(path, _display(path), sources)
        problems += parsed.problems
        records += parsed.bases
        checklist = parsed.checklist
        if checklist is None:
            continue
        if checklist.id in library.checklists:
            problems.append(f"{parsed.display}:1: duplicate checklist id {checklist.id!r}")
            continue
        lines = _item_lines(parsed.node)
        for s_index, section in enumerate(checklist.sections):
            for i_index, item in enumerate(section.items):
                where = f"{parsed.display}:{lines.get((s_index, i_index), 1)}"
                if item.id in first_item and not first_item[item.id].startswith(parsed.display + ":"):
                    problems.append(f"{where}: duplicate item id {item.id!r} (first defined at {first_item[item.id]})")
                first_item.setdefault(item.id, where)
        library.checklists[checklist.id] = checklist
    problems += _former_id_problems(library, first_item)
    problems += _load_indicator_sets(directory, library, first_item, records)
    problems += rules.same_sentence_problems(records, sources)
    templates_dir = directory / "templates"
    for path in sorted(templates_dir.glob("*.yaml")) if templates_dir.is_dir() else []:
        display = _display(path)
        data, node, parse_problems = parse_yaml_file(path, display)
        problems += parse_problems
        if not isinstance(data, dict):
            continue
        template, model_problems = _validate_model(Template, data, node, display)
        problems += model_problems
        if template is None:
            continue
        if template.id != path.stem:
            problems.append(f"{display}:{node_line(node, ('id',))}: id {template.id!r} must equal the file name {path.stem!r}")
        for index, checklist_id in enumerate(template.checklists):
            if checklist_id not in library.checklists:
                known = ", ".join(sorted(library.checklists)) or "none"
                problems.append(
                    f"{display}:{node_line(node, ('checklists', index))}: template {template.id!r} names a missing checklist "
                    f"{checklist_id!r} (known: {known})"
                )

        def where_in_file(*loc: Any, _node: yaml.Node | None = node, _display_name: str = display) -> str:
            return f"{_display_name}:{node_line(_node, loc)}"

        problems += rules.walk_problems(template, library.checklists, where_in_file)
        library.templates[template.id] = template
    from auditapp.checklists.coverage import coverage_problems  # coverage builds on this module

    problems += coverage_problems(library)
    return library, problems


def _former_id_problems(library: Library, first_item: dict[str, str]) -> list[str]:
    """A merged item's old id answers to one item only and is never reused for a live item."""
    problems = []
    claimed: dict[str, str] = {}
    for checklist in library.checklists.values():
        for _section, item in checklist.items():
            for old in item.formerly:
                where = first_item.get(item.id, f"{checklist.id}:1")
                if old in first_item:
                    problems.append(f"{where}: item {item.id!r} lists {old!r} under formerly, "
                                    f"but that id is still an item ({first_item[old]})")
                elif old in claimed:
                    problems.append(f"{where}: item {item.id!r} lists {old!r} under formerly, as does item {claimed[old]!r}")
                claimed.setdefault(old, item.id)
    return problems


def _load_indicator_sets(directory: Path, library: Library, first_item: dict[str, str],
                         records: list[rules.BasisRecord]) -> list[str]:
    """Indicator sets in ``indicators/``: schema, quotes, labels, ids unique across the library."""
    folder = directory / INDICATORS_DIR
    problems: list[str] = []
    for path in sorted(folder.glob("*.yaml")) if folder.is_dir() else []:
        display = _display(path)
        data, node, parse_problems = parse_yaml_file(path, display)
        problems += parse_problems
        if not isinstance(data, dict):
            continue
        indicator_set, model_problems = _validate_model(IndicatorSet, data, node, display)
        problems += model_problems
        if indicator_set is None:
            continue
        if indicator_set.id != path.stem:
            problems.append(f"{display}:{node_line(node, ('id',))}: id {indicator_set.id!r} must equal the file name {path.stem!r}")
        for d_index, dimension in enumerate(indicator_set.dimensions):
            for i_index, indicator in enumerate(dimension.indicators):
                loc = ("dimensions", d_index, "indicators", i_index)
                here = f"{display}:{node_line(node, loc)}"
                owner = f"indicator {indicator.id!r}"
                if indicator.id in first_item:
                    problems.append(f"{here}: duplicate id {indicator.id!r} (first defined at {first_item[indicator.id]})")
                first_item.setdefault(indicator.id, here)
                for field_name in ("name", "definition"):
                    problems += rules.text_problems(f"{display}:{node_line(node, (*loc, field_name))}", owner, field_name,
                                                     getattr(indicator, field_name))
                for key, bases in (("required_by", indicator.required_by), ("basis", indicator.basis), ("targets", indicator.targets)):
                    for b_index, basis in enumerate(bases):
                        b_loc = (*loc, key, b_index)
                        cited = basis.as_basis() if key == "targets" else basis
                        doc = library.sources.get(cited.source)
                        b_line = f"{display}:{node_line(node, b_loc)}"
                        if doc is None:
                            known = ", ".join(sorted(library.sources)) or "none"
                            problems.append(f"{b_line}: unknown source {cited.source!r} in {owner} (known: {known})")
                            continue
                        if not doc.contains(cited.quote):
                            problems.append(f"{display}:{node_line(node, (*b_loc, 'quote'))}: "
                                            f"quote not found in source {cited.source}: {cited.quote!r}")
                            continue

                        def where(*sub: Any, _b_loc: tuple[Any, ...] = b_loc, _display: str = display,
                                  _node: Any = node) -> str:
                            return f"{_display}:{node_line(_node, _b_loc + sub)}"

                        problems += rules.basis_problems(cited, owner, where, library.sources)
                        records.append(rules.BasisRecord(cited, owner, b_line))
                    if key == "targets":
                        cited_sources = {b.source for b in indicator.required_by + indicator.basis}
                        for t_index, target in enumerate(indicator.targets):
                            if target.source not in cited_sources:
                                problems.append(f"{display}:{node_line(node, (*loc, 'targets', t_index))}: the target of {owner} "
                                                f"comes from {target.source}, which is not among its required_by or basis documents")
        library.indicator_sets[indicator_set.id] = indicator_set
    return problems


# The last library loaded from each folder, with the state of the files it was read from.
_LOADED: dict[Path, tuple[tuple[tuple[str, str], ...], Library]] = {}


def _folder_state(directory: Path, also: Iterable[Path] = ()) -> tuple[tuple[str, str], ...]:
    """Every file the loader may read (the folder, its three subfolders and ``also``), by content.

    By content, not by modification time: a file rewritten within one tick of the
    file system's clock keeps its mtime. Only regular files of a checklist's size are
    read (a named pipe would block, a device never end); anything else counts by kind,
    size and time.
    """
    import hashlib
    import stat

    files = {str(p) for p in also}
    for folder in (directory, directory / "sources", directory / "templates", directory / INDICATORS_DIR):
        try:
            files.update(entry.path for entry in os.scandir(folder))
        except OSError:
            continue
    state = []
    for name in sorted(files):
        try:
            st = os.stat(name)  # follows a symbolic link, as reading the file does
            if stat.S_ISREG(st.st_mode) and st.st_size <= max(MAX_CHECKLIST_BYTES, MAX_SOURCE_BYTES):
                with open(name, "rb") as f:
                    state.append((name, hashlib.blake2b(f.read(), digest_size=16).hexdigest()))
            else:
                state.append((name, f"{st.st_mode}:{st.st_size}:{st.st_mtime_ns}"))
        except OSError:
            state.append((name, "unreadable"))
    return tuple(state)


def load_library(directory: Path | None = None) -> Library:
    """Load and fully validate a checklist folder; raise ChecklistError with every problem.

    A folder whose files have not changed since it was last loaded in this process gives
    the same Library again (treat it as read-only): a command, a report and the window each
    asked for the library, and reading and validating it costs ~0.4 s each time, checking
    the files' content ~2 ms. Any change to a file in the folder or its sources, templates
    or indicators reads it again. ``validate_paths`` always reads afresh.
    """
    directory = Path(directory) if directory is not None else paths.checklists_dir()
    if not directory.is_dir():
        raise NotFoundError("checklist.folder_missing", folder=str(directory))
    cached = _LOADED.get(directory)
    if cached is not None and cached[0] == _folder_state(directory, _source_files(cached[1])):
        return cached[1]
    library, problems = _library(directory)
    if problems:
        raise ChecklistError(problems)
    _LOADED[directory] = (_folder_state(directory, _source_files(library)), library)
    return library


def _source_files(library: Library) -> list[Path]:
    """The source documents' files (``index.yaml`` may name them anywhere)."""
    return [source.path for source in library.sources.values()]


def load_checklist_file(path: Path) -> Checklist:
    """One checklist file, validated against the sources of the folder it lives in."""
    path = Path(path)
    sources_dir = path.parent / "sources"
    sources, problems = load_sources(sources_dir) if sources_dir.is_dir() else ({}, [])
    parsed = _check_checklist(path, _display(path), sources if sources_dir.is_dir() else None)
    problems += parsed.problems
    if problems or parsed.checklist is None:
        raise ChecklistError(problems)
    return parsed.checklist


def validate_paths(targets: list[Path]) -> list[str]:
    """Every problem in the given files or folders (a folder means a whole library)."""
    problems: list[str] = []
    for target in targets:
        target = Path(target)
        if target.is_dir():
            problems += _library(target)[1]
        elif target.is_file():
            if target.parent.name in ("templates", INDICATORS_DIR):
                problems += _library(target.parent.parent)[1]
                continue
            sources_dir = target.parent / "sources"
            sources = None
            if sources_dir.is_dir():
                sources, source_problems = load_sources(sources_dir)
                problems += source_problems
            problems += _check_checklist(target, _display(target), sources).problems
        elif target.exists():  # a pipe or a device: refused by read_text, never read
            problems += _check_checklist(target, _display(target), None).problems
        else:
            problems.append(f"{target}: no such file or folder")
    return problems


__all__ = ["Library", "load_checklist_file", "load_library", "normalise", "validate_paths"]
