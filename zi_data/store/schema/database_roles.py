"""PostgreSQL's two roles: the owner, which upgrades the schema, and the runtime role the app works as.

The owner (`ZI_DATABASE_OWNER_URL`) owns every table, sequence and the trigger function; it runs the Alembic
revisions (`python -m zi_data db upgrade`, or the first start of a replica that has the owner URL) and then
grants the runtime role (the user of `ZI_DATABASE_URL`) exactly what the app does: SELECT and INSERT on every
history table, and on the few tables the app keeps current (accounts, offices, sign-in state) the UPDATE of
named columns and the DELETE it needs. Owning nothing, the runtime role cannot ALTER, DROP or rename a
table, disable or drop a trigger, replace the refusing function, or TRUNCATE: append-only then holds against
the app's own credentials, not only against its code. With one URL (a single role) nothing is granted and
that role upgrades the schema itself, as before.
"""

import os

import sqlalchemy as sa

OWNER_URL_VARIABLE = "ZI_DATABASE_OWNER_URL"

# The tables the app keeps current, and what the runtime role may do there. Every other table is history.
KEPT_CURRENT = {
    "alembic_version": "SELECT",
    "accounts": "SELECT, INSERT, UPDATE (password_hash), DELETE",
    "offices": "SELECT, INSERT, UPDATE (name, parent, zona_waktu)",
    "sign_in_failures": "SELECT, INSERT, UPDATE, DELETE",
    "sign_in_tickets": "SELECT, INSERT, DELETE",
    "sign_in_sessions": "SELECT, INSERT, UPDATE (last_seen_at, revoked_at, revoked_by, revoke_reason)",
}
HISTORY_PRIVILEGES = "SELECT, INSERT"


def owner_url(explicit: str | None = None) -> str | None:
    """`explicit`, else $ZI_DATABASE_OWNER_URL, else None."""
    return explicit or os.environ.get(OWNER_URL_VARIABLE) or None


def current_role(conn) -> str:
    return conn.execute(sa.text("SELECT current_user")).scalar_one()


def privileges(conn) -> dict[str, str]:
    """What the runtime role gets on each table of the schema the connection works in."""
    tables = sa.inspect(conn).get_table_names()
    return {table: KEPT_CURRENT.get(table, HISTORY_PRIVILEGES) for table in sorted(tables)}


def grant_runtime(conn, role: str) -> None:
    """Give `role` the runtime privileges and nothing more (earlier grants to it are taken back first)."""
    quoted = conn.dialect.identifier_preparer.quote(role)
    schema = conn.dialect.identifier_preparer.quote(conn.execute(sa.text("SELECT current_schema()")).scalar_one())
    conn.execute(sa.text(f"REVOKE ALL ON ALL TABLES IN SCHEMA {schema} FROM {quoted}"))
    conn.execute(sa.text(f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA {schema} FROM {quoted}"))
    conn.execute(sa.text(f"GRANT USAGE ON SCHEMA {schema} TO {quoted}"))
    for table, granted in privileges(conn).items():
        conn.execute(sa.text(f"GRANT {granted} ON {schema}.{conn.dialect.identifier_preparer.quote(table)} "
                             f"TO {quoted}"))
    conn.execute(sa.text(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {schema} TO {quoted}"))
