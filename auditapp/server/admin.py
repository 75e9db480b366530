"""Administering a bureau's shared PostgreSQL: schema, roles, row-level security, logins.

``init`` is run by the bureau's administrator with the role that owns the database
(the owner bypasses row-level security: it migrates, backs up and grants). Logins made
by ``grant`` are members of one of two group roles, ``auditapp_hospital`` or
``auditapp_bureau``; what a member may read and write is the policies' business (see
:mod:`auditapp.server.tenancy`), with the institutions of each hospital login in
``auditapp_server.grants``. Everything ``init`` creates is re-created idempotently, so
running it again after an upgrade covers new tables and columns.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import make_url

from auditapp.db.models import Institution
from auditapp.errors import InvalidInputError, NotFoundError
from auditapp.server import tenancy
from auditapp.server.tenancy import BUREAU_ROLE, FIXED_COLUMNS, HOSPITAL_ROLE, RULES, SCHEMA
from auditapp.sync.errors import SyncError

LOGIN_PATTERN = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")
_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
POLICY_PREFIX = "auditapp_"
_BUREAU = f"(SELECT {SCHEMA}.is_bureau())"  # evaluated once per statement

# Tables besides the synced ones that a login uses during a sync, and what it may do there.
_SUPPORT_PRIVILEGES = {
    "change_log": "SELECT, INSERT",
    "sync_conflicts": "SELECT, INSERT, UPDATE",
    "sync_peers": "SELECT, INSERT, UPDATE",
    "photo_blobs": "SELECT, INSERT",
    "meta": "SELECT",
    "alembic_version": "SELECT",
}


@dataclass(frozen=True)
class InitResult:
    target: str
    schema_revision: str
    tables: list[str]
    policies: int
    roles: list[str]


@dataclass(frozen=True)
class LoginInfo:
    login: str
    kind: str  # hospital | bureau
    institutions: list[dict[str, str]] = field(default_factory=list)
    can_login: bool = True
    password: str | None = None  # only right after grant, when generated or given


# ---------------------------------------------------------------------------
# connecting


def _engine(url: str) -> tuple[sa.Engine, str]:
    from auditapp.sync.replica import describe_url

    label = describe_url(url)
    try:
        parsed = make_url(url)
    except Exception:
        raise InvalidInputError("server.url_invalid", url=label) from None
    if parsed.get_backend_name() != "postgresql":
        raise InvalidInputError("server.url_not_postgresql", url=label)
    if parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
    from auditapp.server.credentials import with_saved_password

    return sa.create_engine(with_saved_password(parsed)), label


@contextmanager
def _admin(url: str) -> Iterator[tuple[sa.Connection, str]]:
    """One transaction as the administrator; a failure changes nothing."""
    engine, label = _engine(url)
    try:
        try:
            conn = engine.connect()
        except sa.exc.DBAPIError as exc:
            raise SyncError("server.cannot_connect", url=label, reason=_first_line(exc)) from exc
        try:
            with conn.begin():
                yield conn, label
        except sa.exc.DBAPIError as exc:
            raise SyncError("server.refused", url=label, reason=_first_line(exc)) from exc
        finally:
            conn.close()
    finally:
        engine.dispose()


def _ddl(conn: sa.Connection, statement: str) -> None:
    """A statement without parameters (psycopg would read a literal % as a placeholder)."""
    conn.exec_driver_sql(statement.replace("%", "%%"))


def _first_line(exc: sa.exc.DBAPIError) -> str:
    text = str(exc.orig if exc.orig is not None else exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _role_exists(conn: sa.Connection, name: str) -> bool:
    return conn.execute(sa.text("SELECT 1 FROM pg_roles WHERE rolname = :n"), {"n": name}).first() is not None


def _check_owner(conn: sa.Connection, label: str) -> None:
    ok = conn.execute(
        sa.text(
            "SELECT rolsuper OR rolcreaterole FROM pg_roles WHERE rolname = current_user"
        )
    ).scalar()
    if not ok:
        raise SyncError("server.not_admin", url=label)


# ---------------------------------------------------------------------------
# init


def _functions_sql() -> list[str]:
    s = SCHEMA
    return [
        f"CREATE SCHEMA IF NOT EXISTS {s}",
        f"""CREATE TABLE IF NOT EXISTS {s}.grants (
                login text NOT NULL,
                institution_id text NOT NULL,
                granted_at timestamptz NOT NULL DEFAULT now(),
                PRIMARY KEY (login, institution_id))""",
        # Logins of this database (roles are per cluster; a bureau login reads this
        # database only when it is listed here).
        f"""CREATE TABLE IF NOT EXISTS {s}.logins (
                login text PRIMARY KEY,
                kind text NOT NULL CHECK (kind IN ('hospital', 'bureau')),
                created_at timestamptz NOT NULL DEFAULT now())""",
        # A visit finalized in an earlier transaction freezes its record for hospitals;
        # the xid tells "finalized by this very push" (a visit and its answers arriving
        # together) from "finalized before".
        f"""CREATE TABLE IF NOT EXISTS {s}.frozen_visits (
                visit_id text PRIMARY KEY,
                xid xid8 NOT NULL)""",
        f"""CREATE OR REPLACE FUNCTION {s}.my_institutions() RETURNS text[]
            LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
              SELECT coalesce(array_agg(institution_id), '{{}}') FROM {s}.grants WHERE login = session_user
            $$""",
        f"""CREATE OR REPLACE FUNCTION {s}.is_bureau() RETURNS boolean
            LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
              SELECT EXISTS (SELECT 1 FROM {s}.logins WHERE login = session_user AND kind = 'bureau')
            $$""",
        f"""CREATE OR REPLACE FUNCTION {s}.bureau_visit(v text) RETURNS boolean
            LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
              SELECT coalesce((SELECT mode = 'bureau' FROM public.visits WHERE id = v), false)
            $$""",
        f"""CREATE OR REPLACE FUNCTION {s}.hospital_may_write(v text, locked boolean) RETURNS boolean
            LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
              SELECT v IS NULL OR coalesce((
                SELECT mode <> 'bureau' AND (NOT locked OR amended_at IS NOT NULL OR NOT EXISTS (
                  SELECT 1 FROM {s}.frozen_visits f WHERE f.visit_id = v AND f.xid <> pg_current_xact_id()))
                FROM public.visits WHERE id = v), true)
            $$""",
        f"""CREATE OR REPLACE FUNCTION {s}.note_finalized() RETURNS trigger
            LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
            BEGIN
              IF NEW.status = 'finalized' THEN
                INSERT INTO {s}.frozen_visits (visit_id, xid) VALUES (NEW.id, pg_current_xact_id())
                ON CONFLICT (visit_id) DO NOTHING;
              END IF;
              RETURN NULL;
            END $$""",
        f"""CREATE OR REPLACE FUNCTION {s}.keep_fixed() RETURNS trigger
            LANGUAGE plpgsql AS $$
            DECLARE col text;
            BEGIN
              IF NOT (pg_has_role(session_user, '{HOSPITAL_ROLE}', 'MEMBER')
                      OR pg_has_role(session_user, '{BUREAU_ROLE}', 'MEMBER')) THEN
                RETURN NEW;
              END IF;
              FOREACH col IN ARRAY TG_ARGV LOOP
                IF (to_jsonb(OLD) -> col) IS DISTINCT FROM (to_jsonb(NEW) -> col) THEN
                  RAISE EXCEPTION 'auditapp: %.% cannot be changed once written (row %)', TG_TABLE_NAME, col, OLD.id
                    USING ERRCODE = 'insufficient_privilege';
                END IF;
              END LOOP;
              RETURN NEW;
            END $$""",
        f"REVOKE ALL ON ALL TABLES IN SCHEMA {s} FROM PUBLIC",
    ]


def _policy_sql(table: str) -> list[str]:
    q = _ident(table)
    p = POLICY_PREFIX
    out = [f"ALTER TABLE {q} ENABLE ROW LEVEL SECURITY"]
    vis = tenancy.visible_sql(table)
    out += [
        f"CREATE POLICY {p}hospital_read ON {q} FOR SELECT TO {HOSPITAL_ROLE} USING ({vis})",
        f"CREATE POLICY {p}hospital_insert ON {q} FOR INSERT TO {HOSPITAL_ROLE} WITH CHECK ({tenancy.hospital_write_sql(table)})",
        f"CREATE POLICY {p}hospital_update ON {q} FOR UPDATE TO {HOSPITAL_ROLE} USING ({vis}) "
        f"WITH CHECK ({tenancy.hospital_write_sql(table)})",
        f"CREATE POLICY {p}bureau_read ON {q} FOR SELECT TO {BUREAU_ROLE} USING ({_BUREAU})",
        f"CREATE POLICY {p}bureau_insert ON {q} FOR INSERT TO {BUREAU_ROLE} "
        f"WITH CHECK ({_BUREAU} AND ({tenancy.bureau_write_sql(table)}))",
        f"CREATE POLICY {p}bureau_update ON {q} FOR UPDATE TO {BUREAU_ROLE} USING ({_BUREAU}) "
        f"WITH CHECK ({_BUREAU} AND ({tenancy.bureau_write_sql(table)}))",
        f"GRANT SELECT, INSERT, UPDATE ON {q} TO {HOSPITAL_ROLE}, {BUREAU_ROLE}",
    ]
    fixed = FIXED_COLUMNS.get(table)
    if fixed:
        args = ", ".join(_literal(c) for c in fixed)
        out += [
            f"DROP TRIGGER IF EXISTS auditapp_keep_fixed ON {q}",
            f"CREATE TRIGGER auditapp_keep_fixed BEFORE UPDATE ON {q} FOR EACH ROW EXECUTE FUNCTION {SCHEMA}.keep_fixed({args})",
        ]
    return out


def _support_policy_sql() -> list[str]:
    p = POLICY_PREFIX
    log_vis = tenancy.entity_visible_sql("entity", "entity_id")
    conflict_vis = tenancy.entity_visible_sql("table_name", "record_id")
    blob_vis = (
        "sha256 IN (SELECT sha256 FROM photos UNION ALL SELECT thumb_sha256 FROM photos "
        "UNION ALL SELECT image_sha256 FROM floor_plans WHERE image_sha256 IS NOT NULL)"
    )
    blob_check = "sha256 = encode(sha256(data), 'hex')"
    both = f"{HOSPITAL_ROLE}, {BUREAU_ROLE}"
    out = []
    for table in ("change_log", "sync_conflicts", "photo_blobs"):
        out.append(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
    out += [
        f"CREATE POLICY {p}hospital_read ON change_log FOR SELECT TO {HOSPITAL_ROLE} USING ({log_vis})",
        f"CREATE POLICY {p}hospital_insert ON change_log FOR INSERT TO {HOSPITAL_ROLE} WITH CHECK ({log_vis})",
        f"CREATE POLICY {p}bureau_read ON change_log FOR SELECT TO {BUREAU_ROLE} USING ({_BUREAU})",
        f"CREATE POLICY {p}bureau_insert ON change_log FOR INSERT TO {BUREAU_ROLE} WITH CHECK ({_BUREAU})",
        f"CREATE POLICY {p}hospital_all ON sync_conflicts FOR ALL TO {HOSPITAL_ROLE} USING ({conflict_vis}) WITH CHECK ({conflict_vis})",
        f"CREATE POLICY {p}bureau_all ON sync_conflicts FOR ALL TO {BUREAU_ROLE} USING ({_BUREAU}) WITH CHECK ({_BUREAU})",
        f"CREATE POLICY {p}hospital_read ON photo_blobs FOR SELECT TO {HOSPITAL_ROLE} USING ({blob_vis})",
        f"CREATE POLICY {p}bureau_read ON photo_blobs FOR SELECT TO {BUREAU_ROLE} USING ({_BUREAU})",
        f"CREATE POLICY {p}insert ON photo_blobs FOR INSERT TO {both} WITH CHECK ({blob_check})",
    ]
    for table, privileges in _SUPPORT_PRIVILEGES.items():
        out.append(f"GRANT {privileges} ON {table} TO {both}")
    return out


def _drop_policies(conn: sa.Connection) -> None:
    rows = conn.execute(
        sa.text("SELECT tablename, policyname FROM pg_policies WHERE schemaname = 'public' AND policyname LIKE :p"),
        {"p": POLICY_PREFIX + "%"},
    ).all()
    for table, policy in rows:
        _ddl(conn, f"DROP POLICY {_ident(policy)} ON {_ident(table)}")


def init_server(url: str) -> InitResult:
    """Create or migrate the schema, the group roles, the policies and the grants (idempotent)."""
    from auditapp.db import migrate
    from auditapp.sync.replica import migrate_peer, peer_device_id

    engine, label = _engine(url)
    try:
        try:
            with engine.connect() as conn:
                _check_owner(conn, label)
        except sa.exc.DBAPIError as exc:
            raise SyncError("server.cannot_connect", url=label, reason=_first_line(exc)) from exc
        migrate_peer(engine, label, None)
        peer_device_id(engine, "")
        revision = migrate.current_revision(engine) or ""
    finally:
        engine.dispose()
    statements = 0
    with _admin(url) as (conn, label):
        for role in (HOSPITAL_ROLE, BUREAU_ROLE):
            if not _role_exists(conn, role):
                _ddl(conn, f"CREATE ROLE {role} NOLOGIN")
        database = conn.execute(sa.text("SELECT current_database()")).scalar()
        _ddl(conn, f"GRANT CONNECT ON DATABASE {_ident(str(database))} TO {HOSPITAL_ROLE}, {BUREAU_ROLE}")
        _ddl(conn, f"GRANT USAGE ON SCHEMA public TO {HOSPITAL_ROLE}, {BUREAU_ROLE}")
        for sql in _functions_sql():
            _ddl(conn, sql)
        _ddl(conn, f"GRANT USAGE ON SCHEMA {SCHEMA} TO {HOSPITAL_ROLE}, {BUREAU_ROLE}")
        _ddl(
            conn,
            f"INSERT INTO {SCHEMA}.frozen_visits (visit_id, xid) SELECT id, '0'::xid8 FROM visits "
            "WHERE status = 'finalized' ON CONFLICT (visit_id) DO NOTHING"
        )
        _ddl(conn, "DROP TRIGGER IF EXISTS auditapp_note_finalized ON visits")
        _ddl(
            conn,
            "CREATE TRIGGER auditapp_note_finalized AFTER INSERT OR UPDATE OF status ON visits "
            f"FOR EACH ROW EXECUTE FUNCTION {SCHEMA}.note_finalized()"
        )
        _drop_policies(conn)
        for table in RULES:
            for sql in _policy_sql(table):
                _ddl(conn, sql)
                statements += sql.startswith("CREATE POLICY")
        for sql in _support_policy_sql():
            _ddl(conn, sql)
            statements += sql.startswith("CREATE POLICY")
    return InitResult(
        target=label, schema_revision=revision, tables=list(RULES), policies=statements, roles=[HOSPITAL_ROLE, BUREAU_ROLE]
    )


# ---------------------------------------------------------------------------
# logins


def _check_initialised(conn: sa.Connection, label: str) -> None:
    if conn.execute(sa.text("SELECT to_regclass(:t)"), {"t": f"{SCHEMA}.logins"}).scalar() is None:
        raise SyncError("server.not_initialised", url=label)


def _check_login(login: str) -> None:
    if not LOGIN_PATTERN.match(login) or login in (HOSPITAL_ROLE, BUREAU_ROLE) or login.startswith("pg_"):
        raise InvalidInputError("server.login_invalid", login=login)


def _kind_of(conn: sa.Connection, login: str) -> str | None:
    row = conn.execute(
        sa.text("SELECT pg_has_role(:l, :h, 'MEMBER'), pg_has_role(:l, :b, 'MEMBER') WHERE EXISTS "
                "(SELECT 1 FROM pg_roles WHERE rolname = :l)"),
        {"l": login, "h": HOSPITAL_ROLE, "b": BUREAU_ROLE},
    ).first()
    if row is None:
        return None
    if row[1]:
        return "bureau"
    if row[0]:
        return "hospital"
    return "other"


def _resolve_institutions(conn: sa.Connection, refs: list[str]) -> list[str]:
    table = Institution.__table__
    ids: list[str] = []
    for ref in refs:
        ref = ref.strip()
        found: str | None = conn.execute(sa.select(table.c.id).where(table.c.id == ref)).scalar()
        if found is None:
            matches = conn.execute(
                sa.select(table.c.id).where(table.c.name == ref, table.c.deleted_at.is_(None))
            ).scalars().all()
            if len(matches) > 1:
                raise InvalidInputError("server.institution_ambiguous", ref=ref, count=len(matches))
            if matches:
                found = matches[0]
        if found is not None:
            ids.append(found)
        elif _UUID.match(ref.lower()):
            ids.append(ref.lower())  # not on the server yet: the hospital's first push brings it
        else:
            raise NotFoundError("server.institution_not_found", ref=ref)
    return sorted(set(ids))


def grant(
    url: str,
    login: str,
    *,
    institutions: list[str] | None = None,
    bureau: bool = False,
    password: str | None = None,
) -> LoginInfo:
    """Create (or extend) a hospital login for ``institutions``, or a bureau login.

    A new login gets ``password`` or a generated one, returned once; an existing login
    keeps its password unless one is given.
    """
    _check_login(login)
    if bureau == bool(institutions):
        raise InvalidInputError("server.grant_needs_one")
    kind = "bureau" if bureau else "hospital"
    generated = False
    with _admin(url) as (conn, label):
        _check_initialised(conn, label)
        existing = _kind_of(conn, login)
        if existing is not None and existing != kind:
            raise InvalidInputError("server.login_other_kind", login=login, kind=existing)
        ids = _resolve_institutions(conn, institutions or [])
        group = BUREAU_ROLE if bureau else HOSPITAL_ROLE
        if existing is None:
            if password is None:
                password, generated = secrets.token_urlsafe(18), True
            _ddl(conn, f"CREATE ROLE {_ident(login)} LOGIN PASSWORD {_literal(password)} IN ROLE {group}")
            _ddl(conn, f"COMMENT ON ROLE {_ident(login)} IS 'auditapp {kind} login'")
        elif password is not None:
            _ddl(conn, f"ALTER ROLE {_ident(login)} LOGIN PASSWORD {_literal(password)}")
        conn.execute(
            sa.text(f"INSERT INTO {SCHEMA}.logins (login, kind) VALUES (:l, :k) ON CONFLICT DO NOTHING"),
            {"l": login, "k": kind},
        )
        for iid in ids:
            conn.execute(
                sa.text(f"INSERT INTO {SCHEMA}.grants (login, institution_id) VALUES (:l, :i) ON CONFLICT DO NOTHING"),
                {"l": login, "i": iid},
            )
        info = _login_info(conn, login, kind)
    shown = password if generated else None
    return LoginInfo(login=info.login, kind=info.kind, institutions=info.institutions, can_login=info.can_login, password=shown)


def revoke(url: str, login: str) -> LoginInfo:
    """Take every grant from a login, end its sessions and drop it."""
    _check_login(login)
    with _admin(url) as (conn, label):
        _check_initialised(conn, label)
        kind = _kind_of(conn, login)
        if kind not in ("hospital", "bureau"):
            raise NotFoundError("server.login_not_found", login=login)
        info = _login_info(conn, login, kind)
        conn.execute(sa.text(f"DELETE FROM {SCHEMA}.grants WHERE login = :l"), {"l": login})
        conn.execute(sa.text(f"DELETE FROM {SCHEMA}.logins WHERE login = :l"), {"l": login})
        conn.execute(
            sa.text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = :l AND pid <> pg_backend_pid()"),
            {"l": login},
        )
        _ddl(conn, f"DROP ROLE {_ident(login)}")
    return info


def _login_info(conn: sa.Connection, login: str, kind: str) -> LoginInfo:
    rows = conn.execute(
        sa.text(f"SELECT g.institution_id, i.name FROM {SCHEMA}.grants g LEFT JOIN institutions i ON i.id = g.institution_id "
                "WHERE g.login = :l ORDER BY i.name NULLS LAST, g.institution_id"),
        {"l": login},
    ).all()
    can_login = bool(conn.execute(sa.text("SELECT rolcanlogin FROM pg_roles WHERE rolname = :l"), {"l": login}).scalar())
    return LoginInfo(
        login=login,
        kind=kind,
        institutions=[{"id": iid, "name": name or ""} for iid, name in rows],
        can_login=can_login,
    )


def list_logins(url: str) -> list[LoginInfo]:
    """Every hospital and bureau login of this server, with its institutions."""
    with _admin(url) as (conn, label):
        _check_initialised(conn, label)
        rows = conn.execute(
            sa.text(f"SELECT l.login, l.kind = 'bureau' FROM {SCHEMA}.logins l JOIN pg_roles r ON r.rolname = l.login "
                    "ORDER BY l.login")
        ).all()
        return [_login_info(conn, name, "bureau" if is_bureau else "hospital") for name, is_bureau in rows]


def login_scope(conn: sa.Connection) -> str | None:
    """What the connected login may see: None for everything (owner, bureau), else its institutions.

    Used by sync to keep its "what changed since" bookkeeping per login: a login that
    sees a part of the server is a peer of its own.
    """
    if conn.execute(sa.text("SELECT to_regclass(:t)"), {"t": f"{SCHEMA}.logins"}).scalar() is None:
        return None  # not a bureau server
    row = conn.execute(
        sa.text(f"SELECT (pg_has_role(session_user, :h, 'MEMBER') OR pg_has_role(session_user, :b, 'MEMBER')) "
                f"AND NOT {SCHEMA}.is_bureau()"),
        {"h": HOSPITAL_ROLE, "b": BUREAU_ROLE},
    ).first()
    if row is None or not row[0]:
        return None
    ids = conn.execute(sa.text(f"SELECT {SCHEMA}.my_institutions()")).scalar() or []
    return "hospital:" + ",".join(sorted(ids))


def login_restricted(conn: sa.Connection) -> bool:
    """Whether the policies keep the connected login from writing some rows (a hospital or bureau login).

    Such a login may not rewrite the server's ids: a record created twice (the same
    department on the server and on a laptop) keeps the server's id, and the laptop
    renames its own copy (see ``auditapp.sync.merge.IdRule``).
    """
    if conn.execute(sa.text("SELECT to_regclass(:t)"), {"t": f"{SCHEMA}.logins"}).scalar() is None:
        return False  # not a bureau server
    if login_scope(conn) is not None:
        return True
    return bool(conn.execute(sa.text(f"SELECT {SCHEMA}.is_bureau()")).scalar())


def as_dict(info: LoginInfo) -> dict[str, Any]:
    out: dict[str, Any] = {"login": info.login, "kind": info.kind, "institutions": info.institutions, "can_login": info.can_login}
    if info.password is not None:
        out["password"] = info.password
    return out
