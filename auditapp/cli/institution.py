"""``auditapp institution …``: the hospitals audited (医疗机构)."""

from __future__ import annotations

from typing import Any

from auditapp.cli.context import Context
from auditapp.cli.output import print_id, table
from auditapp.cli.registry import OneOf, arg, command
from auditapp.cli.types import whole_number
from auditapp.db.models import INSTITUTION_KINDS
from auditapp.terms import VOCABULARY, label

LEVELS = [int(level) for level in VOCABULARY["level"]]
REGION_HELP = (
    "where it is, from the province down, e.g. 北京市, 重庆市渝北区, 江苏省淮安市, 江苏省苏州市吴中区, 吉林省长春市 "
    "(a district alone such as 渝北区 is completed); decides which documents bind it"
)


@command(
    "institution add",
    help="add an institution",
    json=True,
    text=print_id,
    args=[
        arg("--name", required=True),
        arg("--kind", required=True, choices=INSTITUTION_KINDS),
        arg("--level", required=True, type=whole_number, choices=LEVELS),
        arg("--obstetrics", action="store_true", help="has an obstetrics department (＃ items apply)"),
        arg("--alliance-lead", action="store_true", help="leads a medical alliance (▲ items apply)"),
        arg("--region", default="", metavar="REGION", help=REGION_HELP),
        arg("--department", action="append", metavar="NAME", help="a department (repeatable)"),
    ],
)
def add(ctx: Context) -> Any:
    from auditapp.services.institutions import add_institution

    a = ctx.args
    with ctx.db() as db:
        return add_institution(
            db,
            name=a.name,
            kind=a.kind,
            level=a.level,
            has_obstetrics=a.obstetrics,
            alliance_lead=a.alliance_lead,
            region=a.region,
            departments=a.department or [],
        )


@command(
    "institution edit",
    help="change an institution (only the options given)",
    json=True,
    text=print_id,
    args=[
        arg("institution", metavar="INSTITUTION", help="id, id prefix or name"),
        arg("--name"),
        arg("--kind", choices=INSTITUTION_KINDS),
        arg("--level", type=whole_number, choices=LEVELS),
        OneOf(arg("--obstetrics", action="store_true", default=None, help="has an obstetrics department"),
              arg("--no-obstetrics", dest="obstetrics", action="store_false", default=None, help="has no obstetrics department")),
        OneOf(arg("--alliance-lead", action="store_true", default=None, help="leads a medical alliance"),
              arg("--no-alliance-lead", dest="alliance_lead", action="store_false", default=None, help="does not lead one")),
        arg("--region", metavar="REGION", help=REGION_HELP + " ('' clears it)"),
    ],
)
def edit(ctx: Context) -> Any:
    from auditapp.services.institutions import update_institution

    a = ctx.args
    with ctx.db() as db:
        return update_institution(
            db,
            a.institution,
            name=a.name,
            kind=a.kind,
            level=a.level,
            has_obstetrics=a.obstetrics,
            alliance_lead=a.alliance_lead,
            region=a.region,
        )


@command("institution list", help="list institutions", json=True)
def list_institutions(ctx: Context) -> Any:
    from auditapp.services.institutions import list_institutions as list_all

    with ctx.db() as db:
        return list_all(db)


@list_institutions.text
def _list_text(rows: Any, _ctx: Context) -> None:
    table(
        [[i.id[:8], i.name, label("institution_kind", i.kind), label("level", i.level), i.region or "—",
          str(i.visit_count), str(i.open_rectifications)] for i in rows],
        ["id", "name", "kind", "level", "region", "visits", "open rect."],
    )


@command("institution delete", help="move an institution with its visits to the trash (restore with 'trash restore')",
         json=True, args=[arg("institution", metavar="ID_OR_NAME")])
def delete(ctx: Context) -> Any:
    from auditapp.services.trash import delete_institution

    with ctx.db() as db:
        return delete_institution(db, ctx.args.institution)


@delete.text
def _delete_text(entry: Any, _ctx: Context) -> None:
    print(entry.id)
