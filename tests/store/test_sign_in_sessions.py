"""Sign-in sessions (zi_data/store/sign_in_sessions.py) on both backends: only token hashes stored, idle and absolute
expiry, revocation (also by a password change and an account's removal), tickets used once, and the CLI."""

import hashlib
import json
import re
from datetime import datetime, timedelta, timezone

import pytest

from helpers import run_cli as run_in_process, stored_rows
from zi_data.store.accounts import Accounts
from zi_data.store.audit import audit_events
from zi_data.store.sign_in_sessions import (ENDED, IDLE, REVOKED, TICKET_LIFETIME, UNKNOWN, SignInSessions,
                                            absolute_limit, idle_limit)

PASSWORD = "kata-sandi-rahasia"
T0 = datetime(2026, 12, 7, 8, 0, tzinfo=timezone.utc)
AGENT = "Mozilla/5.0 (uji)"


@pytest.fixture
def store(store_on_each_backend):
    Accounts(store_on_each_backend).add("rina", "editor", "Tim Pengawasan", PASSWORD, "uji")
    Accounts(store_on_each_backend).add("koordinator", "admin", "", PASSWORD, "uji")
    return store_on_each_backend


@pytest.fixture
def sessions(store) -> SignInSessions:
    return SignInSessions(store)


def signed_in(store, name: str = "rina", now: datetime = T0):
    user = Accounts(store).authenticate(name, PASSWORD, now=now)
    return SignInSessions(store).redeem_ticket(SignInSessions(store).create_ticket(user, now=now), AGENT, now=now)


def test_only_the_hash_of_a_token_is_stored_and_it_resolves_to_the_account(store, sessions):
    new = signed_in(store)
    rows = repr(stored_rows(store))
    assert new.token not in rows and hashlib.sha256(new.token.encode()).hexdigest() in rows
    resolved = sessions.resolve(new.token, now=T0 + timedelta(minutes=5))
    assert resolved.user.label == "rina (Tim Pengawasan)" and resolved.user.office == store.office
    assert new.max_age == timedelta(days=7)
    listed = sessions.list("rina", now=T0)
    assert listed[["account", "office", "user_agent", "state"]].values.tolist() == [["rina", store.office, AGENT,
                                                                                     "aktif"]]
    assert not {"token", "token_hash"} & set(listed.columns)
    assert list(audit_events(store)["action"])[-2:] == ["masuk", "sesi_dimulai"]


def test_a_tampered_or_unknown_token_signs_nobody_in(store, sessions):
    new = signed_in(store)
    for forged in (new.token[:-1] + ("A" if new.token[-1] != "A" else "B"), "", "x" * 43, new.token + " "):
        assert sessions.resolve(forged, now=T0) .user is None
        assert sessions.resolve(forged, now=T0).reason == UNKNOWN


def test_a_session_ends_after_the_idle_limit_and_activity_extends_it(store, sessions):
    new = signed_in(store)
    assert idle_limit() == timedelta(hours=12)
    assert sessions.resolve(new.token, now=T0 + timedelta(hours=11)).user is not None  # seen: the clock restarts
    assert sessions.resolve(new.token, now=T0 + timedelta(hours=22)).user is not None
    assert sessions.resolve(new.token, now=T0 + timedelta(hours=34, minutes=1)).reason == IDLE
    assert sessions.list(now=T0 + timedelta(hours=35))["state"].tolist() == ["berakhir_tidak_aktif"]


def test_a_session_ends_at_the_absolute_limit_however_active(store, sessions):
    new = signed_in(store)
    at = T0
    while at < T0 + timedelta(days=7) - timedelta(hours=6):
        at += timedelta(hours=6)
        assert sessions.resolve(new.token, now=at).user is not None
    assert sessions.resolve(new.token, now=T0 + timedelta(days=7)).reason == ENDED


def test_limits_come_from_the_environment(store, monkeypatch):
    monkeypatch.setenv("ZI_SESSION_IDLE_HOURS", "1")
    monkeypatch.setenv("ZI_SESSION_MAX_DAYS", "0.5")
    assert (idle_limit(), absolute_limit()) == (timedelta(hours=1), timedelta(hours=12))
    new = signed_in(store)
    assert new.max_age == timedelta(hours=12)
    assert SignInSessions(store).resolve(new.token, now=T0 + timedelta(minutes=61)).reason == IDLE
    monkeypatch.setenv("ZI_SESSION_IDLE_HOURS", "bukan angka")
    monkeypatch.setenv("ZI_SESSION_MAX_DAYS", "-3")
    assert (idle_limit(), absolute_limit()) == (timedelta(hours=12), timedelta(days=7))


def test_a_ticket_is_used_once_and_only_within_its_minute(store, sessions):
    user = Accounts(store).authenticate("rina", PASSWORD, now=T0)
    ticket = sessions.create_ticket(user, now=T0)
    assert ticket not in repr(stored_rows(store))
    assert sessions.redeem_ticket(ticket, AGENT, now=T0 + timedelta(seconds=5)) is not None
    assert sessions.redeem_ticket(ticket, AGENT, now=T0 + timedelta(seconds=6)) is None
    late = sessions.create_ticket(user, now=T0)
    assert sessions.redeem_ticket(late, AGENT, now=T0 + TICKET_LIFETIME) is None
    assert sessions.redeem_ticket("bukan-tiket", AGENT, now=T0) is None
    assert len(sessions.list()) == 1


def test_revoking_ends_the_session_and_is_audited(store, sessions):
    first, second = signed_in(store), signed_in(store)
    assert sessions.revoke(first.token, now=T0)
    assert not sessions.revoke(first.token, now=T0)
    assert sessions.resolve(first.token, now=T0).reason == REVOKED
    assert sessions.resolve(second.token, now=T0).user is not None
    events = audit_events(store)
    assert events["action"].iloc[-1] == "sesi_dicabut" and events["actor"].iloc[-1] == "rina"
    assert events["details"].iloc[-1] == {"sesi": first.session_id, "akun": "rina", "alasan": "keluar"}
    assert sessions.revoke_all_for("rina", by="baris perintah") == 1
    assert sessions.resolve(second.token, now=T0).reason == REVOKED
    assert sessions.list("rina")["state"].tolist() == ["dicabut", "dicabut"]


@pytest.mark.parametrize("change", ["set_password", "remove"])
def test_a_password_change_or_removal_revokes_the_accounts_sessions(store, sessions, change):
    own, other = signed_in(store), signed_in(store, "koordinator")
    if change == "set_password":
        Accounts(store).set_password("RINA", "kata-sandi-baru-sekali", by="koordinator")
    else:
        Accounts(store).remove("rina", by="koordinator")
    assert sessions.resolve(own.token, now=T0).user is None
    assert sessions.resolve(other.token, now=T0).user is not None
    reason = {"set_password": "kata_sandi_diganti", "remove": "akun_dihapus"}[change]
    revoked = sessions.list("rina")
    assert revoked[["state", "revoke_reason", "revoked_by"]].values.tolist() == [["dicabut", reason, "koordinator"]]
    events = audit_events(store)
    assert "sesi_dicabut" in set(events["action"].iloc[-2:])


def test_command_line_lists_and_revokes_sessions(store, sessions):
    now = datetime.now(timezone.utc)  # the command reads the real clock: sessions made at a fixed hour would expire
    first, second = signed_in(store, now=now), signed_in(store, "koordinator", now=now)

    def run_cli(*args, **kw):
        return run_in_process(*args, data_dir=store.data_dir, **kw)

    listed = run_cli("user", "sessions", check_returncode=0).stdout
    assert "rina" in listed and "koordinator" in listed and AGENT in listed
    assert listed.count("\taktif\t") == 2
    assert " WIB" in listed and not re.search(r"\d{4}-\d{2}-\d{2}", listed)  # people's times, the office's zone
    as_json = json.loads(run_cli("user", "sessions", "--json", check_returncode=0).stdout)
    assert datetime.fromisoformat(as_json[0]["dibuat"]).utcoffset() == timedelta(0)  # JSON stays ISO 8601 UTC
    assert first.token not in listed and hashlib.sha256(first.token.encode()).hexdigest() not in listed
    assert "koordinator" not in run_cli("user", "sessions", "--user", "rina", check_returncode=0).stdout
    assert "1 sesi dicabut" in run_cli("user", "sessions", "revoke", "--user", "rina", check_returncode=0).stdout
    assert sessions.resolve(first.token).user is None and sessions.resolve(second.token).user is not None
    assert "tidak ada sesi aktif" in run_cli("user", "sessions", "revoke", str(first.session_id),
                                             check_returncode=1).stderr
    assert "1 sesi dicabut" in run_cli("user", "sessions", "revoke", str(second.session_id),
                                       check_returncode=0).stdout
    signed_in(store, now=datetime.now(timezone.utc))
    assert "1 sesi dicabut" in run_cli("user", "sessions", "revoke", "--all", check_returncode=0).stdout
    assert run_cli("user", "sessions", "revoke", check_returncode=2).returncode == 2
    assert audit_events(store)["actor"].iloc[-1] == "baris perintah"
