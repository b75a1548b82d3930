"""Revoking sign-in sessions inside a caller's transaction: used by accounts.py (a password changed, an account
removed) and sign_in_sessions.py, each revocation audited (*Sesi dicabut*)."""

import sqlalchemy as sa

from .audit import record_event


def revoke_session(conn, session_id: int, account: str, by: str, reason: str, office: str, at: str) -> None:
    conn.execute(sa.text("UPDATE sign_in_sessions SET revoked_at = :at, revoked_by = :by, revoke_reason = :reason "
                         "WHERE session_id = :id AND revoked_at IS NULL"),
                 {"at": at, "by": by, "reason": reason, "id": session_id})
    record_event(conn, by, "sesi_dicabut", {"sesi": session_id, "akun": account, "alasan": reason}, office=office)


def revoke_sessions_of(conn, name_key: str, by: str, reason: str, at: str) -> int:
    """Revoke every live session of the account known by `name_key`; how many."""
    rows = conn.execute(sa.text("SELECT session_id, account, office FROM sign_in_sessions "
                                "WHERE name_key = :key AND revoked_at IS NULL ORDER BY session_id"),
                        {"key": name_key}).fetchall()
    for session_id, account, office in rows:
        revoke_session(conn, session_id, account, by, reason, office, at)
    return len(rows)
