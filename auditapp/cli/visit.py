"""``auditapp visit …``: start, answer, show and finalize visits (体验/检查)."""

from __future__ import annotations

from typing import Any

from auditapp.cli.context import Context
from auditapp.cli.output import print_id, table
from auditapp.cli.registry import arg, command
from auditapp.cli.types import iso_date
from auditapp.db.models import ANSWER_RESULTS, SEVERITIES, VISIT_MODES
from auditapp.terms import label

VISIT = arg("visit", metavar="VISIT")
DEPARTMENT = arg("--department", metavar="NAME")


def _modes_help() -> str:
    return ", ".join(f"{m} = {label('visit_mode', m, 'zh_CN')}" for m in VISIT_MODES)


@command(
    "visit new",
    help="start a visit; prints its id",
    json=True,
    text=print_id,
    args=[
        arg("--institution", required=True, metavar="ID_OR_NAME"),
        arg("--checklist", action="append", metavar="ID",
            help="checklist to use (repeatable; default: the template for the institution)"),
        arg("--inspector", default="", metavar="NAME", help="who walks (required unless --leader)"),
        arg("--leader", metavar="NAME_OR_ID", help="the roster leader who walks (their monthly duty)"),
        arg("--mode", choices=VISIT_MODES, default=VISIT_MODES[0], help=_modes_help()),
        arg("--date", type=iso_date, metavar="YYYY-MM-DD", help="visit date (default today)"),
        arg("--title", default=""),
        arg("--binding-only", action="store_true",
            help="only the items that bind the institution (本地要求: a document of its region requires them)"),
    ],
)
def new(ctx: Context) -> Any:
    from auditapp.services.visits import start_visit

    a = ctx.args
    with ctx.db() as db:
        return start_visit(
            db,
            institution=a.institution,
            inspector=a.inspector,
            mode=a.mode,
            checklist_ids=a.checklist,
            visit_date=a.date,
            title=a.title,
            leader=a.leader,
            binding_only=a.binding_only,
        )


@command("visit list", help="list visits", json=True, args=[arg("--institution", metavar="ID_OR_NAME")])
def list_visits(ctx: Context) -> Any:
    from auditapp.services.visits import list_visits as list_all

    with ctx.db() as db:
        return list_all(db, institution=ctx.args.institution)


@list_visits.text
def _list_text(rows: Any, _ctx: Context) -> None:
    table(
        [
            [
                v.id[:8],
                v.visit_date.isoformat(),
                v.institution_name,
                label("visit_mode", v.mode),
                v.inspector,
                label("visit_status", v.status) + ("（已修改）" if v.amended else ""),
                f"{v.answered_count}/{v.item_count}",
                v.score.percent_text,
                str(v.open_rectifications),
            ]
            for v in rows
        ],
        ["id", "date", "institution", "mode", "inspector", "status", "answered", "score", "open rect."],
    )


@command(
    "visit answer",
    help="answer one item",
    json=True,
    args=[
        VISIT,
        arg("item", metavar="ITEM"),
        arg("--result", choices=ANSWER_RESULTS),
        arg("--value", help="measured value for number/duration items (the result follows from the target)"),
        arg("--note"),
        arg("--severity", choices=SEVERITIES),
        DEPARTMENT,
        arg("--amend", action="store_true", help="change a finalized visit (needs --reason)"),
        arg("--reason", help="why a finalized visit is amended"),
    ],
)
def answer(ctx: Context) -> Any:
    from auditapp.services.visits import answer_item

    a = ctx.args
    with ctx.db() as db:
        return answer_item(
            db,
            a.visit,
            a.item,
            result=a.result,
            value=a.value,
            note=a.note,
            severity=a.severity,
            department=a.department,
            amend=a.amend,
            reason=a.reason or "",
        )


@answer.text
def _answer_text(result: Any, _ctx: Context) -> None:
    extra = f" (finding {result.finding_id[:8]})" if result.finding_id else ""
    print(f"{result.item_id}: {result.result}{extra}")


@command(
    "visit finding",
    help="add a free finding (其他问题)",
    json=True,
    text=print_id,
    args=[
        VISIT,
        arg("--text", required=True),
        arg("--area", default=""),
        arg("--severity", choices=SEVERITIES, default=SEVERITIES[0]),
        DEPARTMENT,
    ],
)
def finding(ctx: Context) -> Any:
    from auditapp.services.visits import add_finding

    a = ctx.args
    with ctx.db() as db:
        return add_finding(db, a.visit, text=a.text, area=a.area, severity=a.severity, department=a.department)


@command("visit show", help="show a visit with its answers and findings", json=True, args=[VISIT])
def show(ctx: Context) -> Any:
    from auditapp.services.visits import visit_detail

    with ctx.db() as db:
        return visit_detail(db, ctx.args.visit)


def _binding_mark(view: Any, language: str) -> str:
    """[本地要求 yubei-2023] / [参考] after an item; nothing when the binding is unknown."""
    binding = view.binding
    if binding is None:
        return ""
    word = label("binding", binding.status, language)
    sources = ",".join(dict.fromkeys(b.source for b in binding.bases))
    return f"  [{word} {sources}]" if sources else f"  [{word}]"


def _jurisdiction_lines(detail: Any, language: str) -> list[str]:
    from auditapp.services.jurisdiction import current_sources, documents_words

    info = detail.jurisdiction
    if info is None:
        return []
    sources = current_sources()
    zh = language == "zh_CN"
    region = info.region or ("未填写" if zh else "not recorded")
    if info.outside:
        return [f"所在地区 {region} 不在任何依据文件的适用地区内：全部检查项均为参考（外地良好做法），不是本地强制要求。"
                if zh else f"Region {region} lies outside every source document's region: every item is reference "
                "(good practice written elsewhere), none is a local requirement."]
    documents = documents_words(info.documents, sources, language) or ("无" if zh else "none")
    counts = (f"本地要求 {info.binding_count} 项，参考 {info.reference_count} 项" if zh
              else f"{info.binding_count} local requirements, {info.reference_count} reference")
    only = ("（只检查本地要求）" if zh else " (local requirements only)") if info.binding_only else ""
    head = f"所在地区 {region}；约束本机构的文件：{documents}" if zh else f"Region {region}; binding documents: {documents}"
    return [f"{head}；{counts}{only}" if zh else f"{head}; {counts}{only}"]


@show.text
def _show_text(detail: Any, _ctx: Context) -> None:
    from auditapp.language import current_language

    language = current_language()
    v = detail.visit
    print(f"{v.institution_name}  {v.visit_date}  {v.mode}  {v.inspector}  [{v.status}]  No. {v.report_number}")
    print(f"id {v.id}")
    print(
        f"answered {v.answered_count}/{v.item_count}, conformity {v.score.percent_text}, "
        f"open rectifications {v.open_rectifications}"
    )
    for line in _jurisdiction_lines(detail, language):
        print(line)
    print("\nSections:")
    for s in detail.sections:
        print(f"  {s.checklist_id}/{s.section_id}  {s.title}  {s.score.percent_text}  (不符合 {s.score.nonconform})")
    print("\nItems:")
    stage = None
    for view in detail.items:
        if view.stage_id != stage:
            stage = view.stage_id
            title = view.stage_title_en if language == "en" and view.stage_title_en else view.stage_title
            print(f" {title}")
        given = view.answer
        result = given.result if given else None
        flag = "  [需照片]" if view.needs_photo else ""
        value = f" = {given.value}" if given and given.value else ""
        print(f"  {view.item.id}  {label('result', result, 'zh_CN')}{value}{flag}{_binding_mark(view, language)}")
    print("\nFindings:")
    for f in detail.findings:
        rect = f.rectification
        status = rect.status if rect else "-"
        text = " — ".join(line for line in f.text.splitlines() if line.strip())
        print(f"  {f.seq:>3}. [{f.severity}] {text}  ({f.department or '未指定科室'}; {status}) id {f.id[:8]}")


@command("visit finalize", help="finalize a visit (read-only afterwards)", json=True, args=[VISIT])
def finalize(ctx: Context) -> Any:
    from auditapp.services.visits import finalize_visit

    with ctx.db() as db:
        result = finalize_visit(db, ctx.args.visit)
    for warning in result.warnings:
        ctx.warn(warning)
    return result


@finalize.text
def _finalize_text(result: Any, _ctx: Context) -> None:
    print(f"finalized {result.visit.id}")


@command(
    "visit amend",
    help="open a finalized visit for changes, giving the reason once (修改（需说明原因）)",
    json=True,
    args=[VISIT, arg("--reason", required=True, help="why the finalized visit is changed")],
)
def amend(ctx: Context) -> Any:
    from auditapp.services.visits import begin_amendment

    a = ctx.args
    with ctx.db() as db:
        return begin_amendment(db, a.visit, a.reason)


@amend.text
def _amend_text(amendment: Any, _ctx: Context) -> None:
    print(f"{amendment.visit_id}: {amendment.reason}")


@command("visit delete", help="move a visit to the trash (restore it with 'trash restore')", json=True, args=[VISIT])
def delete(ctx: Context) -> Any:
    from auditapp.services.trash import delete_visit

    with ctx.db() as db:
        return delete_visit(db, ctx.args.visit)


@delete.text
def _delete_text(entry: Any, _ctx: Context) -> None:
    print(entry.id)
