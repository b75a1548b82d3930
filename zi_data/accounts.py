"""Editor and admin accounts: salted scrypt hashes, slowed and locked sign-in.

Accounts live in the data directory's database, never in the repository. A
viewer needs no account. An editor (ketua tim) may change only the rows of the
team they lead; an admin (koordinator ZI) may change everything.
"""

import contextlib
import hashlib
import hmac
import secrets
import sqlite3
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

import pandas as pd

from .audit import record_event
from .progress_store import ProgressStore

ROLES = ("editor", "admin")
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1
MIN_PASSWORD_CHARS = 10
MAX_FAILURES = 5
LOCKOUT = timedelta(minutes=15)
SESSION_IDLE_LIMIT = timedelta(minutes=30)

SCHEMA = """
CREATE TABLE IF NOT EXISTS accounts (
    name TEXT PRIMARY KEY COLLATE NOCASE,
    role TEXT NOT NULL CHECK (role IN ('editor', 'admin')),
    team TEXT NOT NULL DEFAULT '',
    password_hash TEXT NOT NULL,
    failures INTEGER NOT NULL DEFAULT 0,
    last_failure_at TEXT,
    created_at TEXT NOT NULL
);
"""


class AccountError(ValueError):
    """A refused account operation or sign-in; the message is Indonesian and safe to show."""


@dataclass(frozen=True)
class User:
    name: str
    role: str
    team: str = ""

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    def may_change_team(self, team: str) -> bool:
        return self.is_admin or team == self.team

    @property
    def label(self) -> str:
        return f"{self.name} (admin)" if self.is_admin else f"{self.name} ({self.team})"


def hash_password(password: str) -> str:
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P, dklen=32)
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${salt.hex()}${digest.hex()}"


def verify_password(password: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt, expected = stored.split("$")
    except ValueError:
        return False
    if scheme != "scrypt":
        return False
    digest = hashlib.scrypt(password.encode(), salt=bytes.fromhex(salt), n=int(n), r=int(r), p=int(p),
                            dklen=len(expected) // 2)
    return hmac.compare_digest(digest.hex(), expected)


def _now(now: datetime | None) -> datetime:
    return now or datetime.now(timezone.utc)


class Accounts:
    """The accounts table in the store's database."""

    def __init__(self, store: ProgressStore):
        self.store = store
        with contextlib.closing(sqlite3.connect(store.db_path, timeout=30)) as conn:
            conn.executescript(SCHEMA)

    def list(self) -> pd.DataFrame:
        with contextlib.closing(sqlite3.connect(self.store.db_path, timeout=30)) as conn:
            rows = conn.execute("SELECT name, role, team, created_at FROM accounts ORDER BY name").fetchall()
        return pd.DataFrame(rows, columns=["name", "role", "team", "created_at"])

    def any(self) -> bool:
        return not self.list().empty

    def add(self, name: str, role: str, team: str, password: str, by: str, known_teams=()) -> User:
        name, team = name.strip(), team.strip()
        if not name or len(name) > 80:
            raise AccountError("Nama akun wajib diisi (maksimal 80 karakter).")
        if role not in ROLES:
            raise AccountError(f"Peran '{role}' tidak dikenal; pilih editor atau admin.")
        if role == "editor" and not team:
            raise AccountError("Editor harus memiliki tim (penanggung jawab), mis. --team 'Tim Pengawasan'.")
        if role == "editor" and known_teams and team not in known_teams:
            raise AccountError(f"Tim '{team}' tidak ada di rencana aksi. Pilih salah satu: {', '.join(known_teams)}.")
        _check_password(password)
        with self.store.transaction() as conn:
            if conn.execute("SELECT 1 FROM accounts WHERE name = ?", (name,)).fetchone():
                raise AccountError(f"Akun '{name}' sudah ada.")
            conn.execute("INSERT INTO accounts (name, role, team, password_hash, created_at) VALUES (?, ?, ?, ?, ?)",
                         (name, role, team if role == "editor" else "", hash_password(password),
                          _now(None).isoformat()))
            record_event(conn, by, "akun_ditambah", {"akun": name, "peran": role, "tim": team})
        return User(name, role, team if role == "editor" else "")

    def remove(self, name: str, by: str) -> None:
        with self.store.transaction() as conn:
            if conn.execute("DELETE FROM accounts WHERE name = ?", (name,)).rowcount == 0:
                raise AccountError(f"Akun '{name}' tidak ditemukan.")
            record_event(conn, by, "akun_dihapus", {"akun": name})

    def set_password(self, name: str, password: str, by: str) -> None:
        _check_password(password)
        with self.store.transaction() as conn:
            changed = conn.execute("UPDATE accounts SET password_hash = ?, failures = 0, last_failure_at = NULL "
                                   "WHERE name = ?", (hash_password(password), name)).rowcount
            if not changed:
                raise AccountError(f"Akun '{name}' tidak ditemukan.")
            record_event(conn, by, "kata_sandi_diganti", {"akun": name})

    def authenticate(self, name: str, password: str, now: datetime | None = None) -> User:
        """The user, or AccountError. Each failure makes the next attempt wait longer; after
        MAX_FAILURES the account is locked for LOCKOUT. The message never says which part was wrong."""
        now = _now(now)
        refused = AccountError("Nama akun atau kata sandi salah.")
        with self.store.transaction() as conn:
            row = conn.execute("SELECT name, role, team, password_hash, failures, last_failure_at FROM accounts "
                               "WHERE name = ?", (name.strip(),)).fetchone()
            if row is None:
                verify_password(password, hash_password("x" * MIN_PASSWORD_CHARS))  # same cost as a real check
                raise refused
            account, role, team, stored, failures, last_failure = row
            wait = _required_wait(failures, last_failure, now)
            if wait > timedelta(0):
                minutes = max(1, round(wait.total_seconds() / 60)) if failures >= MAX_FAILURES else None
                raise AccountError(
                    f"Akun dikunci sementara karena {failures} kali gagal masuk; coba lagi dalam {minutes} menit."
                    if minutes else f"Terlalu cepat setelah percobaan gagal; tunggu {int(wait.total_seconds()) + 1} detik.")
            password_ok = verify_password(password, stored)
            if password_ok:
                conn.execute("UPDATE accounts SET failures = 0, last_failure_at = NULL WHERE name = ?", (account,))
            else:  # recorded before refusing, so the failure counts even though we raise
                conn.execute("UPDATE accounts SET failures = failures + 1, last_failure_at = ? WHERE name = ?",
                             (now.isoformat(), account))
                if failures + 1 >= MAX_FAILURES:
                    record_event(conn, account, "akun_dikunci", {"gagal": failures + 1})
        if not password_ok:
            raise refused
        return User(account, role, team)


def _required_wait(failures: int, last_failure: str | None, now: datetime) -> timedelta:
    if not failures or not last_failure:
        return timedelta(0)
    delay = LOCKOUT if failures >= MAX_FAILURES else timedelta(seconds=2 ** (failures - 1))
    return datetime.fromisoformat(last_failure) + delay - now


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_CHARS:
        raise AccountError(f"Kata sandi minimal {MIN_PASSWORD_CHARS} karakter.")


def session_expired(last_activity: datetime, now: datetime | None = None) -> bool:
    return _now(now) - last_activity > SESSION_IDLE_LIMIT
