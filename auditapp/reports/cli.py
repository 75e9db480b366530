"""``auditapp report …``: the four PDF reports from the command line."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from auditapp.cli_output import open_db as _open
from auditapp.cli_output import parse_date as _date




def _done(result: Any) -> int:
    print(f"wrote {result.path} ({result.pages} pages, {result.seconds:.1f} s)", flush=True)
    return 0


def _progress(args: argparse.Namespace) -> Any:
    """``--progress``: machine-readable "progress DONE TOTAL" lines on stderr.

    The GUI runs reports as a separate process (ReportLab is pure-Python CPU work that
    would otherwise compete with the window for the interpreter lock) and reads these.
    """
    if not getattr(args, "progress", False):
        return None

    def report(done: int, total: int) -> None:
        print(f"progress {done} {total}", file=sys.stderr, flush=True)

    return report


def cmd_report_rectification(args: argparse.Namespace) -> int:
    from auditapp.reports import render_rectification_list

    with _open(args) as db:
        result = render_rectification_list(
            db,
            args.visit,
            args.output,
            open_only=args.open_only,
            by_department=args.by_department,
            landscape=args.landscape,
            progress=_progress(args),
        )
    return _done(result)


def cmd_report_visit(args: argparse.Namespace) -> int:
    from auditapp.reports import render_visit_report

    with _open(args) as db:
        result = render_visit_report(db, args.visit, args.output, progress=_progress(args))
    return _done(result)


def cmd_report_followup(args: argparse.Namespace) -> int:
    from auditapp.reports import render_followup_report

    with _open(args) as db:
        result = render_followup_report(db, args.institution, args.output, progress=_progress(args))
    return _done(result)


def cmd_report_summary(args: argparse.Namespace) -> int:
    from auditapp.reports import render_summary_report

    if args.date_from and args.date_to and args.date_from > args.date_to:
        print("auditapp: error: --from is after --to", file=sys.stderr)
        return 2
    with _open(args) as db:
        result = render_summary_report(
            db,
            args.output,
            institutions=args.institution or None,
            date_from=args.date_from,
            date_to=args.date_to,
            progress=_progress(args),
        )
    return _done(result)


def register(sub: Any) -> None:
    """Add the ``report`` command group to the top-level subparsers."""
    p = sub.add_parser("report", help="write PDF reports (rectification list, visit, follow-up, summary)")
    r_sub = p.add_subparsers(dest="subcommand", metavar="SUBCOMMAND", required=True)

    q = r_sub.add_parser("rectification", help="rectification list (整改清单) of a visit")
    q.add_argument("visit", help="visit id or id prefix")
    q.add_argument("-o", "--output", required=True, metavar="FILE.pdf")
    q.add_argument("--open-only", action="store_true", help="only items not yet verified")
    q.add_argument("--by-department", action="store_true", help="one section per responsible department, each on new pages")
    q.add_argument("--landscape", action="store_true", help="a landscape table instead of one block per finding")
    q.add_argument("--progress", action="store_true", help="print \"progress DONE TOTAL\" lines on stderr")
    q.set_defaults(func=cmd_report_rectification)

    q = r_sub.add_parser("visit", help="visit report: scores, answers, timings, floor plans")
    q.add_argument("visit", help="visit id or id prefix")
    q.add_argument("-o", "--output", required=True, metavar="FILE.pdf")
    q.add_argument("--progress", action="store_true", help="print \"progress DONE TOTAL\" lines on stderr")
    q.set_defaults(func=cmd_report_visit)

    q = r_sub.add_parser("followup", help="follow-up report of an institution's rectifications")
    q.add_argument("institution", help="institution id, id prefix or name")
    q.add_argument("-o", "--output", required=True, metavar="FILE.pdf")
    q.add_argument("--progress", action="store_true", help="print \"progress DONE TOTAL\" lines on stderr")
    q.set_defaults(func=cmd_report_followup)

    q = r_sub.add_parser("summary", help="bureau summary across institutions")
    q.add_argument("--institution", action="append", metavar="INSTITUTION", help="limit to these (repeatable)")
    q.add_argument("--from", dest="date_from", type=_date, metavar="DATE")
    q.add_argument("--to", dest="date_to", type=_date, metavar="DATE")
    q.add_argument("-o", "--output", required=True, metavar="FILE.pdf")
    q.add_argument("--progress", action="store_true", help="print \"progress DONE TOTAL\" lines on stderr")
    q.set_defaults(func=cmd_report_summary)
