"""``auditapp server …``: a bureau's shared PostgreSQL — set up, hospital and bureau logins.

Run by the bureau's administrator with the role that owns the database; the URL is a
libpq address (``postgresql://admin@host/audit?sslmode=require``), its password best
kept in ``~/.pgpass`` or ``PGPASSFILE`` rather than on the command line.
"""

from __future__ import annotations

from typing import Any

from auditapp.cli.context import Context
from auditapp.cli.output import table
from auditapp.cli.registry import OneOf, arg, command

URL = arg("url", metavar="URL", help="postgresql://admin@host/database (sslmode=... honoured)")
LOGIN = arg("--login", required=True, metavar="NAME", help="the PostgreSQL login name (lower case, digits, _)")


@command(
    "server init",
    help="create or migrate the schema, roles and row-level security policies on a bureau server",
    json=True,
    args=[URL],
)
def init(ctx: Context) -> Any:
    from auditapp.server.admin import init_server

    return init_server(ctx.args.url)


@init.text
def _init_text(result: Any, _ctx: Context) -> None:
    print(
        f"{result.target}: schema {result.schema_revision}, row-level security on {len(result.tables)} tables "
        f"({result.policies} policies), roles {', '.join(result.roles)}"
    )


@command(
    "server grant",
    help="create a hospital login for its institutions, or a bureau login (password printed once)",
    json=True,
    args=[
        URL,
        LOGIN,
        OneOf(
            arg("--institution", action="append", metavar="ID_OR_NAME", help="an institution of the login (repeatable)"),
            arg("--bureau", action="store_true", help="an inspector login: reads all, writes bureau visits"),
            required=True,
        ),
        arg("--password", metavar="P", help="the login's password (default: generated and printed once)"),
    ],
)
def grant(ctx: Context) -> Any:
    from auditapp.server.admin import as_dict
    from auditapp.server.admin import grant as do_grant

    a = ctx.args
    return as_dict(do_grant(a.url, a.login, institutions=a.institution, bureau=a.bureau, password=a.password))


def _institutions(info: dict[str, Any]) -> str:
    return ", ".join(i["name"] or i["id"] for i in info["institutions"]) or "-"


@grant.text
def _grant_text(info: dict[str, Any], _ctx: Context) -> None:
    what = "all institutions (bureau)" if info["kind"] == "bureau" else _institutions(info)
    print(f"{info['login']}: {info['kind']} login, {what}")
    if "password" in info:
        print(f"password (shown once): {info['password']}")


@command("server revoke", help="take every grant from a login, end its sessions and drop it", json=True, args=[URL, LOGIN])
def revoke(ctx: Context) -> Any:
    from auditapp.server.admin import as_dict
    from auditapp.server.admin import revoke as do_revoke

    return as_dict(do_revoke(ctx.args.url, ctx.args.login))


@revoke.text
def _revoke_text(info: dict[str, Any], _ctx: Context) -> None:
    print(f"revoked {info['login']} ({info['kind']} login)")


@command("server list", help="the hospital and bureau logins of a server with their institutions", json=True, args=[URL])
def list_logins(ctx: Context) -> Any:
    from auditapp.server.admin import as_dict
    from auditapp.server.admin import list_logins as do_list

    return [as_dict(i) for i in do_list(ctx.args.url)]


@list_logins.text
def _list_text(rows: list[dict[str, Any]], _ctx: Context) -> None:
    if not rows:
        print("no logins")
        return
    table(
        [[r["login"], r["kind"], "all" if r["kind"] == "bureau" else _institutions(r), "yes" if r["can_login"] else "no"]
         for r in rows],
        ["login", "kind", "institutions", "can log in"],
    )
