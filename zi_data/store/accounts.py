"""Editor and admin accounts: salted scrypt hashes and throttled sign-in.

Accounts live in the data directory's database (tables made by migrations.py), never
in the repository, and are reached as `store.accounts`. A viewer needs no account.
An editor (ketua tim) may change only the rows of the team they lead; an admin
(koordinator ZI) may change everything; a penilai (member of the Tim Penilai Internal)
reviews the evidence and changes no progress or plan.

Sign-in does not reveal whether a name is an account: every refusal has one
message, every attempt that is not throttled verifies exactly one scrypt hash
(DUMMY_HASH for an unknown name), and failures are counted per typed name
(casefolded) whether or not it is an account. Each failure doubles the wait
before that name's next attempt, from 1 s up to BACKOFF_CAP, never a lockout
(NIST SP 800-63B §5.2.2); an attempt inside the wait is refused without
checking the password and does not lengthen it. Failed, throttled and
successful sign-ins are audited.
"""

import hashlib
import hmac
import math
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

import pandas as pd
import sqlalchemy as sa

from .audit import record_event
from ..base.cell_safety import clean_text
from ..base.clock import utc_moment
from ..base.paths import sha256_of
from ..base.problems import Refusal

ROLES = ("editor", "admin", "penilai", "viewer")  # a viewer account sees its office and the offices under it
WRITING_ROLES = ("editor", "admin")  # may change progress and plans
REVIEWING_ROLES = ("penilai", "admin")  # may accept or send back evidence
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1
MIN_PASSWORD_CHARS = 10
MAX_NAME_CHARS = 80
BACKOFF_CAP = timedelta(seconds=60)
FAILURE_MEMORY = timedelta(days=1)  # a name's failures are forgotten this long after its last one
# Verified for a name that is not an account, so that costs the same as a real check: the
# parameters of hash_password, and a digest no password can produce in practice (fixed, so it
# costs nothing to make and is the same in every process).
DUMMY_HASH = f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${'00' * 16}${'00' * 32}"
REFUSED = "Nama akun atau kata sandi salah, atau terlalu banyak percobaan; coba lagi dalam {seconds} detik."
SIGN_IN_REFUSALS = ("masuk_gagal", "masuk_ditahan")  # audit actions of refused sign-ins
UNKNOWN_NAME = "(nama tidak dikenal)"  # the actor of a refused sign-in with a name that is no account

class AccountError(Refusal, ValueError):
    """A refused account operation or sign-in; the message is Indonesian and safe to show."""


@dataclass(frozen=True)
class User:
    name: str
    role: str
    team: str = ""
    office: str = ""

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    def may_write_in(self, office: str) -> bool:
        """Editors and admins change their own office's plan years only; a viewer or penilai changes nothing."""
        return self.role in WRITING_ROLES and self.office == office

    def may_write_for(self, office: str, team: str) -> bool:
        """An admin writes for every team of their office; an editor only for their own team."""
        return self.may_write_in(office) and (self.is_admin or self.team == team)

    def may_review_in(self, office: str) -> bool:
        """Penilai and admins review the evidence of their own office's plan years only."""
        return self.role in REVIEWING_ROLES and self.office == office

    @property
    def label(self) -> str:
        return f"{self.name} ({self.team})" if self.role == "editor" else f"{self.name} ({self.role})"


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


class Accounts:
    """The accounts of one office (`store.accounts`, or Accounts(database, office) for an office with no plan
    year yet); reads and writes go through `owner` (a store or the database)."""

    def __init__(self, owner, office: str | None = None):
        self.store = owner
        self.office = owner.office if office is None else office

    def list(self) -> pd.DataFrame:
        """The accounts of the store's office."""
        with self.store.reading() as conn:
            rows = conn.execute(sa.text("SELECT name, role, team, created_at FROM accounts WHERE office = :office "
                                        "ORDER BY name_key"), {"office": self.office}).fetchall()
        return pd.DataFrame(rows, columns=["name", "role", "team", "created_at"])

    def user_named(self, name: str) -> User | None:
        """The account called `name` (case and surrounding spaces ignored), in any office; no password checked
        (for a sign-in someone else verified, such as OIDC)."""
        with self.store.reading() as conn:
            found = conn.execute(sa.text("SELECT name, role, team, office FROM accounts WHERE name_key = :key"),
                                 {"key": _account_key(name)}).fetchone()
        return User(*found) if found else None

    def any(self) -> bool:
        """Whether the database has any account at all (none: open mode, see app_pages/frame/auth.py)."""
        with self.store.reading() as conn:
            return conn.execute(sa.text("SELECT 1 FROM accounts LIMIT 1")).first() is not None

    def add(self, name: str, role: str, team: str, password: str, by: str, known_teams=()) -> User:
        name, team = clean_text(name), clean_text(team)  # the store's text rule, before the checks
        if not name or len(name) > MAX_NAME_CHARS:
            raise AccountError(f"Nama akun wajib diisi (maksimal {MAX_NAME_CHARS} karakter).")
        if role not in ROLES:
            raise AccountError(f"Peran '{role}' tidak dikenal; pilih editor, admin, penilai atau viewer.")
        if role == "editor" and not team:
            raise AccountError("Editor harus memiliki tim (penanggung jawab), mis. --team 'Tim Pengawasan'.")
        if role == "editor" and known_teams and team not in known_teams:
            raise AccountError(f"Tim '{team}' tidak ada di rencana aksi. Pilih salah satu: {', '.join(known_teams)}.")
        _check_password(password)
        office, team = self.office, team if role == "editor" else ""
        with self.store.transaction() as conn:
            if conn.execute(sa.text("SELECT 1 FROM accounts WHERE name_key = :key"), {"key": _account_key(name)}).first():
                raise AccountError(f"Akun '{name}' sudah ada.")
            conn.execute(sa.text("INSERT INTO accounts (name_key, name, role, team, office, password_hash, created_at) "
                                 "VALUES (:key, :name, :role, :team, :office, :hash, :at)"),
                         {"key": _account_key(name), "name": name, "role": role, "team": team, "office": office,
                          "hash": hash_password(password), "at": utc_moment(None).isoformat()})
            record_event(conn, by, "akun_ditambah", {"akun": name, "peran": role, "tim": team}, office=office)
        return User(name, role, team, office)

    def remove(self, name: str, by: str) -> None:
        with self.store.transaction() as conn:
            if conn.execute(sa.text("DELETE FROM accounts WHERE name_key = :key AND office = :office"),
                            {"key": _account_key(name), "office": self.office}).rowcount == 0:
                raise AccountError(f"Akun '{name}' tidak ditemukan.")
            revoke_sessions_of(conn, _account_key(name), by, "akun_dihapus", utc_moment(None).isoformat())
            record_event(conn, by, "akun_dihapus", {"akun": name}, office=self.office)

    def set_password(self, name: str, password: str, by: str) -> None:
        _check_password(password)
        with self.store.transaction() as conn:
            changed = conn.execute(sa.text("UPDATE accounts SET password_hash = :hash WHERE name_key = :key "
                                           "AND office = :office"),
                                   {"hash": hash_password(password), "key": _account_key(name),
                                    "office": self.office}).rowcount
            if not changed:
                raise AccountError(f"Akun '{name}' tidak ditemukan.")
            conn.execute(sa.text("DELETE FROM sign_in_failures WHERE name_key = :key"), {"key": _name_key(name)})
            revoke_sessions_of(conn, _account_key(name), by, "kata_sandi_diganti", utc_moment(None).isoformat())
            record_event(conn, by, "kata_sandi_diganti", {"akun": name}, office=self.office)

    def authenticate(self, name: str, password: str, now: datetime | None = None) -> User:
        """The user, or AccountError with the one REFUSED message, whatever went wrong (see the module)."""
        now = utc_moment(now)
        typed, key = name.strip(), _name_key(name)
        user, refused_for = None, None
        with self.store.transaction() as conn:
            found = conn.execute(sa.text("SELECT name, role, team, office, password_hash FROM accounts "
                                         "WHERE name_key = :key"), {"key": _account_key(typed)}).fetchone()
            office = self.office  # where the attempt was made: an account's own office would tell names apart
            failures, wait = _backoff(conn, key, now)
            if wait > timedelta(0):  # the password is not checked, and the wait is not lengthened
                refused_for = _seconds(wait)
                record_event(conn, found[0] if found else UNKNOWN_NAME, "masuk_ditahan",
                             {"gagal": failures, "tunggu_detik": refused_for}, office=office)
            elif verify_password(password, found[4] if found else DUMMY_HASH) and found is not None:
                conn.execute(sa.text("DELETE FROM sign_in_failures WHERE name_key = :key"), {"key": key})
                user = User(*found[:4])
                record_event(conn, user.name, "masuk", {}, office=user.office)
            else:
                failures += 1
                refused_for = _seconds(_delay(failures))
                conn.execute(sa.text("DELETE FROM sign_in_failures WHERE last_failure_at < :forgotten"),
                             {"forgotten": (now - FAILURE_MEMORY).isoformat()})
                conn.execute(sa.text(
                    "INSERT INTO sign_in_failures (name_key, failures, last_failure_at) VALUES (:key, :failures, :at) "
                    "ON CONFLICT (name_key) DO UPDATE SET failures = excluded.failures, "
                    "last_failure_at = excluded.last_failure_at"), {"key": key, "failures": failures, "at": now.isoformat()})
                record_event(conn, found[0] if found else UNKNOWN_NAME, "masuk_gagal",
                             {"gagal": failures, "tunggu_detik": refused_for}, office=office)
        if user is None:  # raised after the commit, so the failure and its audit row are kept
            raise AccountError(REFUSED.format(seconds=refused_for))
        return user


def account_key(name: str) -> str:
    """The name an account is known by: stripped and casefolded, so 'Budi' and 'budi ' are one account."""
    return name.strip().casefold()


_account_key = account_key


def _name_key(name: str) -> str:
    """The typed name, stripped, casefolded and hashed: a password typed into the name field is not kept."""
    return sha256_of(name.strip().casefold().encode("utf-8", "surrogatepass"))


def _delay(failures: int) -> timedelta:
    """The wait after `failures` consecutive failures: 1 s, 2 s, 4 s, … up to BACKOFF_CAP."""
    return min(timedelta(seconds=2 ** min(failures - 1, 30)), BACKOFF_CAP)


def _backoff(conn, key: str, now: datetime) -> tuple[int, timedelta]:
    """(consecutive failures of the typed name, wait left before its next attempt)."""
    row = conn.execute(sa.text("SELECT failures, last_failure_at FROM sign_in_failures WHERE name_key = :key"),
                       {"key": key}).fetchone()
    if row is None:
        return 0, timedelta(0)
    last = datetime.fromisoformat(row[1])
    if now - last > FAILURE_MEMORY:
        return 0, timedelta(0)
    return row[0], last + _delay(row[0]) - now


def _seconds(wait: timedelta) -> int:
    return max(1, math.ceil(wait.total_seconds()))


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_CHARS:
        raise AccountError(f"Kata sandi minimal {MIN_PASSWORD_CHARS} karakter.")


# Revoking sign-in sessions inside a caller's transaction (a password changed, an account removed, Keluar,
# `user sessions revoke`), each revocation audited (*Sesi dicabut*); sign_in_sessions.py uses these too.

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
