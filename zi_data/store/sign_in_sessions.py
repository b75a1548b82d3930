"""Sign-in sessions that survive a reload: random tokens kept by the browser, only their hashes in the database.

A local sign-in (Accounts.authenticate, with its throttling and audit) gives a one-use ticket, good for
TICKET_LIFETIME; the browser swaps it for a session token (sign_in_routes.py sets it as an HttpOnly cookie).
The token is `secrets.token_urlsafe(32)`; the database keeps its SHA-256 with the account, the office, when
it was made and last seen, its limits and the browser's user agent. A session ends when it has not been seen
for the idle limit (ZI_SESSION_IDLE_HOURS, default 12), at the latest after ZI_SESSION_MAX_DAYS (default 7)
from its start, or when it is revoked: on *Keluar*, on the command line (`user sessions revoke`), when the
account's password is changed or the account is removed. Starting and revoking a session are audited.
"""

import os
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

import pandas as pd
import sqlalchemy as sa

from .accounts import User, account_key, revoke_session, revoke_sessions_of
from .audit import record_event
from ..base.clock import utc_moment
from ..base.paths import sha256_of

COOKIE_NAME = "zi_sesi"
IDLE_HOURS_VARIABLE, MAX_DAYS_VARIABLE = "ZI_SESSION_IDLE_HOURS", "ZI_SESSION_MAX_DAYS"
DEFAULT_IDLE, DEFAULT_MAX = timedelta(hours=12), timedelta(days=7)
TICKET_LIFETIME = timedelta(seconds=60)
LAST_SEEN_STEP = timedelta(minutes=1)  # last_seen_at is written at most this often per session
MAX_USER_AGENT_CHARS = 300
# Why a cookie does not sign anyone in (resolve): the states `list` shows as well.
UNKNOWN, IDLE, ENDED, REVOKED, ACTIVE = "tidak_dikenal", "berakhir_tidak_aktif", "berakhir_batas", "dicabut", "aktif"
STATE_LABELS = {ACTIVE: "aktif", IDLE: "berakhir (tidak aktif)", ENDED: "berakhir (batas waktu)", REVOKED: "dicabut"}
SESSION_COLUMNS = ["session_id", "account", "office", "created_at", "last_seen_at", "expires_at", "user_agent",
                   "state", "revoked_at", "revoked_by", "revoke_reason"]


def _limit(variable: str, unit: str, default: timedelta) -> timedelta:
    """A positive number of `unit` from the environment, else `default`."""
    try:
        value = float(os.environ.get(variable, ""))
    except ValueError:
        return default
    return timedelta(**{unit: value}) if value > 0 else default


def idle_limit() -> timedelta:
    return _limit(IDLE_HOURS_VARIABLE, "hours", DEFAULT_IDLE)


def absolute_limit() -> timedelta:
    return _limit(MAX_DAYS_VARIABLE, "days", DEFAULT_MAX)


def token_hash(token: str) -> str:
    return sha256_of(token.encode("utf-8", "surrogatepass"))


@dataclass(frozen=True)
class Resolution:
    """What a cookie's token stands for: the user, or None and why (UNKNOWN, IDLE, ENDED, REVOKED)."""

    user: User | None
    reason: str = ACTIVE


@dataclass(frozen=True)
class NewSession:
    token: str  # goes to the browser only; the database keeps its hash
    session_id: int
    max_age: timedelta


def state_of(row, now: datetime) -> str:
    """ACTIVE, REVOKED, ENDED or IDLE for a row with revoked_at, expires_at, last_seen_at and idle_seconds."""
    if row.revoked_at:
        return REVOKED
    if now >= datetime.fromisoformat(row.expires_at):
        return ENDED
    if now - datetime.fromisoformat(row.last_seen_at) >= timedelta(seconds=row.idle_seconds):
        return IDLE
    return ACTIVE


class SignInSessions:
    """The sessions of every office in one database (`owner`: a store or the database)."""

    def __init__(self, owner):
        self.store = owner

    def create_ticket(self, user: User, now: datetime | None = None) -> str:
        """A one-use ticket for `user`, just signed in, to be swapped for a session within TICKET_LIFETIME."""
        ticket, now = secrets.token_urlsafe(32), utc_moment(now)
        with self.store.transaction() as conn:
            conn.execute(sa.text("DELETE FROM sign_in_tickets WHERE expires_at < :now"), {"now": now.isoformat()})
            conn.execute(sa.text("INSERT INTO sign_in_tickets (ticket_hash, name_key, expires_at) "
                                 "VALUES (:hash, :key, :expires)"),
                         {"hash": token_hash(ticket), "key": account_key(user.name),
                          "expires": (now + TICKET_LIFETIME).isoformat()})
        return ticket

    def redeem_ticket(self, ticket: str, user_agent: str = "", now: datetime | None = None) -> NewSession | None:
        """The new session for a valid ticket (used up, whatever the outcome); None for an unknown or stale one."""
        now = utc_moment(now)
        with self.store.transaction() as conn:
            row = conn.execute(sa.text("SELECT name_key, expires_at FROM sign_in_tickets WHERE ticket_hash = :hash"),
                               {"hash": token_hash(ticket)}).fetchone()
            if row is None:
                return None
            conn.execute(sa.text("DELETE FROM sign_in_tickets WHERE ticket_hash = :hash"), {"hash": token_hash(ticket)})
            account = conn.execute(sa.text("SELECT name, office FROM accounts WHERE name_key = :key"),
                                   {"key": row[0]}).fetchone()
            if account is None or now >= datetime.fromisoformat(row[1]):
                return None
            return self._start(conn, account[0], account[1], user_agent, now)

    def _start(self, conn, name: str, office: str, user_agent: str, now: datetime) -> NewSession:
        token, lifetime = secrets.token_urlsafe(32), absolute_limit()
        session_id = int(conn.execute(sa.text(
            "INSERT INTO sign_in_sessions (token_hash, name_key, account, office, created_at, last_seen_at, "
            "expires_at, idle_seconds, user_agent) VALUES (:hash, :key, :name, :office, :now, :now, :expires, "
            ":idle, :agent) RETURNING session_id"),
            {"hash": token_hash(token), "key": account_key(name), "name": name, "office": office,
             "now": now.isoformat(), "expires": (now + lifetime).isoformat(),
             "idle": int(idle_limit().total_seconds()), "agent": user_agent[:MAX_USER_AGENT_CHARS]}).scalar())
        record_event(conn, name, "sesi_dimulai", {"sesi": session_id, "perangkat": user_agent[:MAX_USER_AGENT_CHARS]},
                     office=office)
        return NewSession(token, session_id, lifetime)

    def create(self, user: User, user_agent: str = "", now: datetime | None = None) -> NewSession:
        """A session for `user`, already authenticated (the ticket route and tests)."""
        with self.store.transaction() as conn:
            return self._start(conn, user.name, user.office, user_agent, utc_moment(now))

    def resolve(self, token: str, now: datetime | None = None) -> Resolution:
        """The user a cookie's token signs in, its last-seen time refreshed; or None with the reason."""
        now = utc_moment(now)
        if not token:
            return Resolution(None, UNKNOWN)
        with self.store.reading() as conn:
            row = conn.execute(sa.text(
                "SELECT s.session_id, s.revoked_at, s.expires_at, s.last_seen_at, s.idle_seconds, "
                "a.name, a.role, a.team, a.office FROM sign_in_sessions s JOIN accounts a ON a.name_key = s.name_key "
                "WHERE s.token_hash = :hash"), {"hash": token_hash(token)}).fetchone()
        if row is None:
            return Resolution(None, UNKNOWN)
        if (state := state_of(row, now)) != ACTIVE:
            return Resolution(None, state)
        if now - datetime.fromisoformat(row.last_seen_at) >= LAST_SEEN_STEP:
            with self.store.transaction() as conn:
                conn.execute(sa.text("UPDATE sign_in_sessions SET last_seen_at = :now WHERE session_id = :id"),
                             {"now": now.isoformat(), "id": row.session_id})
        return Resolution(User(row.name, row.role, row.team, row.office))

    def revoke(self, token: str, by: str | None = None, reason: str = "keluar", now: datetime | None = None) -> bool:
        """End the session of `token` (by its own account unless `by` says who); False if it was not live."""
        with self.store.transaction() as conn:
            row = conn.execute(sa.text("SELECT session_id, account, office FROM sign_in_sessions "
                                       "WHERE token_hash = :hash AND revoked_at IS NULL"),
                               {"hash": token_hash(token)}).fetchone()
            if row is None:
                return False
            revoke_session(conn, row[0], row[1], by or row[1], reason, row[2], utc_moment(now).isoformat())
        return True

    def revoke_id(self, session_id: int, by: str, office: str | None = None, now: datetime | None = None) -> bool:
        """End session number `session_id` (of `office` when given); False if there is no such live session."""
        with self.store.transaction() as conn:
            row = conn.execute(sa.text("SELECT account, office FROM sign_in_sessions WHERE session_id = :id "
                                       "AND revoked_at IS NULL"), {"id": session_id}).fetchone()
            if row is None or (office is not None and row[1] != office):
                return False
            revoke_session(conn, session_id, row[0], by, "baris_perintah", row[1], utc_moment(now).isoformat())
        return True

    def revoke_all_for(self, name: str, by: str, reason: str = "baris_perintah", now: datetime | None = None) -> int:
        """End every live session of account `name`; how many."""
        with self.store.transaction() as conn:
            return revoke_sessions_of(conn, account_key(name), by, reason, utc_moment(now).isoformat())

    def list(self, name: str | None = None, office: str | None = None, now: datetime | None = None) -> pd.DataFrame:
        """Sessions, newest first (of one account, of one office); never a token or its hash."""
        now = utc_moment(now)
        conditions = {"name_key": account_key(name) if name else None, "office": office}
        where = " AND ".join(f"{column} = :{column}" for column, value in conditions.items() if value is not None)
        with self.store.reading() as conn:
            rows = conn.execute(sa.text(
                "SELECT session_id, account, office, created_at, last_seen_at, expires_at, idle_seconds, user_agent, "
                f"revoked_at, revoked_by, revoke_reason FROM sign_in_sessions {'WHERE ' + where if where else ''} "
                "ORDER BY session_id DESC"), {k: v for k, v in conditions.items() if v is not None}).fetchall()
        return pd.DataFrame([{**row._asdict(), "state": state_of(row, now)} for row in rows],
                            columns=SESSION_COLUMNS)
