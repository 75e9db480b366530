"""The ``auditapp`` command line: scripting and batch work over the same services as the GUI.

Exit codes: 0 success, 1 a user-facing error (message on stderr), 2 bad usage.
Every command that lists or creates something takes ``--json``.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from auditapp import __version__, paths
from auditapp.cli_output import data_dir, emit_json, open_db, parse_date, table
from auditapp.errors import AuditAppError, ChecklistError

Handler = Callable[[argparse.Namespace], int]


# ---------------------------------------------------------------------------
# output helpers


# The helpers live in cli_output so the command modules of photos, reports, sync and
# places share them; the short private names keep this module's call sites readable.
_emit_json = emit_json
_table = table
_date = parse_date
_data_dir = data_dir
_open = open_db


# ---------------------------------------------------------------------------
# checklists


def cmd_checklists_validate(args: argparse.Namespace) -> int:
    from auditapp.checklists import validate_paths

    targets = [Path(p) for p in args.paths] or [paths.checklists_dir()]
    problems = validate_paths(targets)
    if problems:
        for problem in problems:
            print(problem, file=sys.stderr)
        print(f"{len(problems)} problem(s) found", file=sys.stderr)
        return 1
    print(f"ok: {', '.join(str(t) for t in targets)}")
    return 0


def cmd_checklists_list(args: argparse.Namespace) -> int:
    from auditapp.checklists import load_library

    library = load_library()
    rows = []
    for checklist in library.checklists.values():
        rows.append(
            {
                "id": checklist.id,
                "version": checklist.version,
                "title": checklist.title,
                "applies_to": list(checklist.applies_to),
                "sections": len(checklist.sections),
                "items": sum(1 for _ in checklist.items()),
            }
        )
    templates = [
        {"id": t.id, "title": t.title, "applies_to": list(t.applies_to), "checklists": list(t.checklists)}
        for t in library.templates.values()
    ]
    indicator_sets = [
        {"id": s.id, "version": s.version, "title": s.title, "period": s.period, "indicators": sum(1 for _ in s.indicators())}
        for s in library.indicator_sets.values()
    ]
    if args.json:
        _emit_json({"checklists": rows, "templates": templates, "indicator_sets": indicator_sets,
                    "regions": library.known_regions()})
        return 0
    _table(
        [[r["id"], str(r["version"]), r["title"], str(r["items"]), ",".join(r["applies_to"])] for r in rows],
        ["id", "ver", "title", "items", "applies to"],
    )
    if templates:
        print()
        _table([[t["id"], t["title"], ",".join(t["checklists"])] for t in templates], ["template", "title", "checklists"])
    if indicator_sets:
        print()
        _table([[s["id"], str(s["version"]), s["title"], str(s["indicators"]), s["period"]] for s in indicator_sets],
               ["indicator set", "ver", "title", "indicators", "period"])
    return 0


def cmd_checklists_coverage(args: argparse.Namespace) -> int:
    from auditapp.checklists import load_library
    from auditapp.checklists.coverage import render_coverage

    text = render_coverage(load_library())
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
        print(f"wrote {args.output}")
    else:
        sys.stdout.write(text)
    return 0


# ---------------------------------------------------------------------------
# demo, institutions


def cmd_demo(args: argparse.Namespace) -> int:
    from auditapp.services.demo import create_demo_data

    with _open(args) as db:
        result = create_demo_data(db)
    if args.json:
        _emit_json(result)
    elif result.created:
        print(f"created demo data: {len(result.institutions)} institutions, {len(result.visits)} visits")
    else:
        print("demo data already present; nothing changed")
    return 0


def cmd_institution_add(args: argparse.Namespace) -> int:
    from auditapp.services.institutions import add_institution

    with _open(args) as db:
        inst = add_institution(
            db,
            name=args.name,
            kind=args.kind,
            level=args.level,
            has_obstetrics=args.obstetrics,
            alliance_lead=args.alliance_lead,
            region=args.region,
            departments=args.department or [],
        )
    if args.json:
        _emit_json(inst)
    else:
        print(inst.id)
    return 0


def cmd_institution_list(args: argparse.Namespace) -> int:
    from auditapp.services.institutions import list_institutions

    with _open(args) as db:
        rows = list_institutions(db)
    if args.json:
        _emit_json(rows)
        return 0
    _table(
        [[i.id[:8], i.name, i.kind, str(i.level), str(i.visit_count), str(i.open_rectifications)] for i in rows],
        ["id", "name", "kind", "level", "visits", "open rect."],
    )
    return 0


def cmd_department_add(args: argparse.Namespace) -> int:
    from auditapp.services.institutions import add_department

    with _open(args) as db:
        dept = add_department(db, args.institution, args.name, head=args.head)
    if args.json:
        _emit_json(dept)
    else:
        print(dept.id)
    return 0


def cmd_department_list(args: argparse.Namespace) -> int:
    from auditapp.services.institutions import list_departments

    with _open(args) as db:
        rows = list_departments(db, args.institution)
    if args.json:
        _emit_json(rows)
        return 0
    _table([[d.id[:8], d.name, d.head] for d in rows], ["id", "name", "head"])
    return 0


# ---------------------------------------------------------------------------
# visits


def cmd_visit_new(args: argparse.Namespace) -> int:
    from auditapp.services.visits import start_visit

    with _open(args) as db:
        visit = start_visit(
            db,
            institution=args.institution,
            inspector=args.inspector,
            mode=args.mode,
            checklist_ids=args.checklist,
            visit_date=args.date,
            title=args.title,
        )
    if args.json:
        _emit_json(visit)
    else:
        print(visit.id)
    return 0


def cmd_visit_list(args: argparse.Namespace) -> int:
    from auditapp.services.visits import list_visits

    with _open(args) as db:
        rows = list_visits(db, institution=args.institution)
    if args.json:
        _emit_json(rows)
        return 0
    _table(
        [
            [
                v.id[:8],
                v.visit_date.isoformat(),
                v.institution_name,
                v.mode,
                v.inspector,
                v.status,
                f"{v.answered_count}/{v.item_count}",
                v.score.percent_text,
                str(v.open_rectifications),
            ]
            for v in rows
        ],
        ["id", "date", "institution", "mode", "inspector", "status", "answered", "score", "open rect."],
    )
    return 0


def cmd_visit_answer(args: argparse.Namespace) -> int:
    from auditapp.services.visits import answer_item

    with _open(args) as db:
        answer = answer_item(
            db,
            args.visit,
            args.item,
            result=args.result,
            value=args.value,
            note=args.note,
            severity=args.severity,
            department=args.department,
            amend=args.amend,
            reason=args.reason or "",
        )
    if args.json:
        _emit_json(answer)
    else:
        extra = f" (finding {answer.finding_id[:8]})" if answer.finding_id else ""
        print(f"{answer.item_id}: {answer.result}{extra}")
    return 0


def cmd_visit_finding(args: argparse.Namespace) -> int:
    from auditapp.services.visits import add_finding

    with _open(args) as db:
        finding = add_finding(
            db, args.visit, text=args.text, area=args.area, severity=args.severity, department=args.department
        )
    if args.json:
        _emit_json(finding)
    else:
        print(finding.id)
    return 0


_RESULT_MARK = {"conform": "符合", "nonconform": "不符合", "na": "不适用", None: "未答"}


def cmd_visit_show(args: argparse.Namespace) -> int:
    from auditapp.services.visits import visit_detail

    with _open(args) as db:
        detail = visit_detail(db, args.visit)
    if args.json:
        _emit_json(detail)
        return 0
    v = detail.visit
    print(f"{v.institution_name}  {v.visit_date}  {v.mode}  {v.inspector}  [{v.status}]  No. {v.report_number}")
    print(f"id {v.id}")
    print(f"answered {v.answered_count}/{v.item_count}, conformity {v.score.percent_text}, open rectifications {v.open_rectifications}")
    print("\nSections:")
    for s in detail.sections:
        print(f"  {s.checklist_id}/{s.section_id}  {s.title}  {s.score.percent_text}  (不符合 {s.score.nonconform})")
    print("\nItems:")
    for view in detail.items:
        answer = view.answer
        result = answer.result if answer else None
        flag = "  [需照片]" if view.needs_photo else ""
        value = f" = {answer.value}" if answer and answer.value else ""
        print(f"  {view.item.id}  {_RESULT_MARK[result]}{value}{flag}")
    print("\nFindings:")
    for f in detail.findings:
        rect = f.rectification
        status = rect.status if rect else "-"
        text = " — ".join(line for line in f.text.splitlines() if line.strip())
        print(f"  {f.seq:>3}. [{f.severity}] {text}  ({f.department or '未指定科室'}; {status}) id {f.id[:8]}")
    return 0


def cmd_visit_finalize(args: argparse.Namespace) -> int:
    from auditapp.services.visits import finalize_visit

    with _open(args) as db:
        result = finalize_visit(db, args.visit)
    for warning in result.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    if args.json:
        _emit_json(result)
    else:
        print(f"finalized {result.visit.id}")
    return 0


# ---------------------------------------------------------------------------
# rectifications


def cmd_rectification_list(args: argparse.Namespace) -> int:
    from auditapp.services.rectifications import list_rectifications

    with _open(args) as db:
        rows = list_rectifications(
            db,
            institution=args.institution,
            visit=args.visit,
            status=args.status,
            department=args.department,
            overdue_only=args.overdue,
        )
    if args.json:
        _emit_json(rows)
        return 0
    _table(
        [
            [
                r.finding.id[:8],
                r.institution_name,
                r.visit_date.isoformat(),
                (r.finding.text.splitlines() or [""])[0][:30],
                r.rectification.department,
                r.rectification.owner,
                r.rectification.deadline.isoformat() if r.rectification.deadline else "",
                r.rectification.status + (" (逾期)" if r.rectification.overdue else ""),
            ]
            for r in rows
        ],
        ["finding", "institution", "visit", "problem", "department", "owner", "deadline", "status"],
    )
    return 0


def cmd_rectification_update(args: argparse.Namespace) -> int:
    from auditapp.services.rectifications import update_rectification

    with _open(args) as db:
        rect = update_rectification(
            db,
            args.finding,
            department=args.department,
            owner=args.owner,
            deadline=args.deadline,
            measures=args.measures,
            status=args.status,
            note=args.note,
        )
    if args.json:
        _emit_json(rect)
    else:
        print(f"{rect.id}: {rect.status}")
    return 0


# ---------------------------------------------------------------------------
# backups


def cmd_backup_create(args: argparse.Namespace) -> int:
    from auditapp.db.backup import create_backup

    with _open(args) as db:
        path = create_backup(db.engine, db.data_dir, reason="manual")
    if args.json:
        _emit_json({"path": str(path)})
    else:
        print(path)
    return 0


def cmd_backup_list(args: argparse.Namespace) -> int:
    from auditapp.db.backup import list_backups

    rows = list_backups(_data_dir(args))
    if args.json:
        _emit_json([{"path": str(b.path), "created_at": b.created_at, "reason": b.reason, "size": b.size} for b in rows])
        return 0
    _table([[b.created_at.isoformat(), b.reason, str(b.size), str(b.path)] for b in rows], ["created (UTC)", "reason", "bytes", "file"])
    return 0


def cmd_backup_restore(args: argparse.Namespace) -> int:
    from auditapp.db.backup import restore_backup

    safety = restore_backup(_data_dir(args), Path(args.file))
    print(f"restored {args.file}; the previous database was saved as {safety}")
    return 0


# ---------------------------------------------------------------------------
# GUI


def run_gui(data_dir: Path, *, demo: bool) -> int:
    try:
        from ui.app import run
    except ImportError as exc:  # pragma: no cover - only without the GUI installed
        print(f"auditapp: the GUI is not available: {exc}", file=sys.stderr)
        return 1
    return run(data_dir=data_dir, demo=demo)


# ---------------------------------------------------------------------------
# parser


def _json_flag(p: argparse.ArgumentParser) -> None:
    p.add_argument("--json", action="store_true", help="print machine-readable JSON")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="auditapp",
        description="Mystery-patient hospital audits (以普通患者身份体验就医流程). Without a command, opens the GUI.",
    )
    parser.add_argument("--version", action="version", version=f"auditapp {__version__}")
    parser.add_argument(
        "--data-dir", metavar="DIR", help=f"data folder (default: ${paths.DATA_DIR_ENV} or the user data folder)"
    )
    parser.add_argument("--demo", action="store_true", help="open the GUI on demo data (in a separate demo folder)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    # checklists
    p_cl = sub.add_parser("checklists", help="validate and list checklists")
    cl_sub = p_cl.add_subparsers(dest="subcommand", metavar="SUBCOMMAND", required=True)
    p = cl_sub.add_parser("validate", help="validate checklist files (default: the whole library)")
    p.add_argument("paths", nargs="*", metavar="PATH")
    p.set_defaults(func=cmd_checklists_validate)
    p = cl_sub.add_parser("list", help="list checklists and templates")
    _json_flag(p)
    p.set_defaults(func=cmd_checklists_list)
    p = cl_sub.add_parser("coverage", help="render the coverage table of the seed documents")
    p.add_argument("-o", "--output", metavar="FILE")
    p.set_defaults(func=cmd_checklists_coverage)

    # demo
    p = sub.add_parser("demo", help="create demo data (two hospitals with visits)")
    _json_flag(p)
    p.set_defaults(func=cmd_demo)

    # institutions
    p_inst = sub.add_parser("institution", help="institutions (医疗机构)")
    inst_sub = p_inst.add_subparsers(dest="subcommand", metavar="SUBCOMMAND", required=True)
    p = inst_sub.add_parser("add", help="add an institution")
    p.add_argument("--name", required=True)
    p.add_argument("--kind", required=True, choices=["general", "tcm", "integrated", "specialist", "primary"])
    p.add_argument("--level", required=True, type=int, choices=[1, 2, 3])
    p.add_argument("--obstetrics", action="store_true", help="has an obstetrics department (＃ items apply)")
    p.add_argument("--alliance-lead", action="store_true", help="leads a medical alliance (▲ items apply)")
    p.add_argument("--region", default="")
    p.add_argument("--department", action="append", metavar="NAME", help="a department (repeatable)")
    _json_flag(p)
    p.set_defaults(func=cmd_institution_add)
    p = inst_sub.add_parser("list", help="list institutions")
    _json_flag(p)
    p.set_defaults(func=cmd_institution_list)

    p_dept = sub.add_parser("department", help="departments (科室) of an institution")
    dept_sub = p_dept.add_subparsers(dest="subcommand", metavar="SUBCOMMAND", required=True)
    p = dept_sub.add_parser("add", help="add a department")
    p.add_argument("--institution", required=True, metavar="ID_OR_NAME")
    p.add_argument("--name", required=True)
    p.add_argument("--head", default="", help="the department head (科室负责人)")
    _json_flag(p)
    p.set_defaults(func=cmd_department_add)
    p = dept_sub.add_parser("list", help="list departments")
    p.add_argument("--institution", required=True, metavar="ID_OR_NAME")
    _json_flag(p)
    p.set_defaults(func=cmd_department_list)

    # visits
    p_visit = sub.add_parser("visit", help="visits (体验/检查)")
    v_sub = p_visit.add_subparsers(dest="subcommand", metavar="SUBCOMMAND", required=True)
    p = v_sub.add_parser("new", help="start a visit; prints its id")
    p.add_argument("--institution", required=True, metavar="ID_OR_NAME")
    p.add_argument("--checklist", action="append", metavar="ID", help="checklist to use (repeatable; default: the template for the institution)")
    p.add_argument("--inspector", required=True, metavar="NAME")
    p.add_argument("--mode", choices=["self", "bureau"], default="self", help="self = 院内自查, bureau = 上级督查")
    p.add_argument("--date", type=_date, metavar="YYYY-MM-DD", help="visit date (default today)")
    p.add_argument("--title", default="")
    _json_flag(p)
    p.set_defaults(func=cmd_visit_new)
    p = v_sub.add_parser("list", help="list visits")
    p.add_argument("--institution", metavar="ID_OR_NAME")
    _json_flag(p)
    p.set_defaults(func=cmd_visit_list)
    p = v_sub.add_parser("answer", help="answer one item")
    p.add_argument("visit", metavar="VISIT")
    p.add_argument("item", metavar="ITEM")
    p.add_argument("--result", choices=["conform", "nonconform", "na"])
    p.add_argument("--value", help="measured value for number/duration items (the result follows from the target)")
    p.add_argument("--note")
    p.add_argument("--severity", choices=["minor", "major", "critical"])
    p.add_argument("--department", metavar="NAME")
    p.add_argument("--amend", action="store_true", help="change a finalized visit (needs --reason)")
    p.add_argument("--reason", help="why a finalized visit is amended")
    _json_flag(p)
    p.set_defaults(func=cmd_visit_answer)
    p = v_sub.add_parser("finding", help="add a free finding (其他问题)")
    p.add_argument("visit", metavar="VISIT")
    p.add_argument("--text", required=True)
    p.add_argument("--area", default="")
    p.add_argument("--severity", choices=["minor", "major", "critical"], default="minor")
    p.add_argument("--department", metavar="NAME")
    _json_flag(p)
    p.set_defaults(func=cmd_visit_finding)
    p = v_sub.add_parser("show", help="show a visit with its answers and findings")
    p.add_argument("visit", metavar="VISIT")
    _json_flag(p)
    p.set_defaults(func=cmd_visit_show)
    p = v_sub.add_parser("finalize", help="finalize a visit (read-only afterwards)")
    p.add_argument("visit", metavar="VISIT")
    _json_flag(p)
    p.set_defaults(func=cmd_visit_finalize)

    # rectifications
    p_rect = sub.add_parser("rectification", help="rectifications (整改)")
    r_sub = p_rect.add_subparsers(dest="subcommand", metavar="SUBCOMMAND", required=True)
    p = r_sub.add_parser("list", help="list rectifications")
    p.add_argument("--institution", metavar="ID_OR_NAME")
    p.add_argument("--visit", metavar="VISIT")
    p.add_argument("--status", choices=["open", "in_progress", "reported_fixed", "verified", "reopened"])
    p.add_argument("--department", metavar="NAME")
    p.add_argument("--overdue", action="store_true")
    _json_flag(p)
    p.set_defaults(func=cmd_rectification_list)
    p = r_sub.add_parser("update", help="set department, owner, deadline, measures or status")
    p.add_argument("finding", metavar="FINDING")
    p.add_argument("--department", metavar="NAME")
    p.add_argument("--owner")
    p.add_argument("--deadline", type=_date, metavar="YYYY-MM-DD")
    p.add_argument("--measures")
    p.add_argument("--status", choices=["open", "in_progress", "reported_fixed", "verified", "reopened"])
    p.add_argument("--note", default="", help="note for the status history")
    _json_flag(p)
    p.set_defaults(func=cmd_rectification_update)

    # backups
    p_bk = sub.add_parser("backup", help="database backups")
    b_sub = p_bk.add_subparsers(dest="subcommand", metavar="SUBCOMMAND", required=True)
    p = b_sub.add_parser("create", help="make a backup now")
    _json_flag(p)
    p.set_defaults(func=cmd_backup_create)
    p = b_sub.add_parser("list", help="list backups, newest first")
    _json_flag(p)
    p.set_defaults(func=cmd_backup_list)
    p = b_sub.add_parser("restore", help="replace the database with a backup (the current one is backed up first)")
    p.add_argument("file", metavar="BACKUP_FILE")
    p.set_defaults(func=cmd_backup_restore)

    _register_extensions(sub)
    return parser


def _register_extensions(sub: Any) -> None:
    """Command groups contributed by other parts of the core (photos, reports, sync)."""
    from auditapp import cli_extensions

    for register in cli_extensions.REGISTRARS:
        register(sub)


def _error_word() -> str:
    from auditapp.language import is_chinese

    return "错误" if is_chinese() else "error"


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        if args.command is None:
            explicit = args.data_dir or os.environ.get(paths.DATA_DIR_ENV)
            if args.demo and not explicit:
                data_dir = paths.demo_data_dir()
            elif explicit:
                data_dir = _data_dir(args)
            else:
                from auditapp.settings import effective_data_dir, load_settings

                data_dir = effective_data_dir(load_settings())
            return run_gui(data_dir, demo=args.demo)
        handler: Handler = args.func
        return handler(args)
    except ChecklistError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        return 1
    except AuditAppError as exc:
        print(f"auditapp: {_error_word()}: {exc.message()}", file=sys.stderr)
        hint = exc.hint(audience="cli")
        if hint:
            print(hint, file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
