"""Per plan year settings (the counting rule, the LKE mapping): rows of ledger_settings, append-only; the
newest row of a name is in force."""

import sqlalchemy as sa

from ..base.clock import utc_now


def setting(conn, ledger_id: int, name: str) -> str | None:
    """The value in force of setting `name` for the plan year, None when it was never set."""
    return conn.execute(sa.text("SELECT value FROM ledger_settings WHERE ledger_id = :ledger AND name = :name "
                                "ORDER BY setting_id DESC LIMIT 1"), {"ledger": ledger_id, "name": name}).scalar()


def put_setting(conn, ledger_id: int, name: str, value: str, by: str) -> None:
    """Put `value` in force for setting `name` of the plan year, inside the caller's transaction."""
    conn.execute(sa.text("INSERT INTO ledger_settings (ledger_id, name, value, set_by, set_at) VALUES "
                         "(:ledger, :name, :value, :by, :at)"),
                 {"ledger": ledger_id, "name": name, "value": value, "by": by, "at": utc_now()})
