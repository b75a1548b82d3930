import sqlite3
import subprocess
import sys
from datetime import datetime, timedelta, timezone

import pytest

from zi_data.accounts import MAX_FAILURES, AccountError, Accounts, hash_password, session_expired, verify_password
from zi_data.audit import audit_events
from zi_data.progress_store import ProgressStore

PASSWORD = "kata-sandi-rahasia"
T0 = datetime(2025, 10, 1, 8, 0, tzinfo=timezone.utc)


@pytest.fixture
def store(tmp_path):
    return ProgressStore(tmp_path / "data")


@pytest.fixture
def accounts(store):
    accounts = Accounts(store)
    accounts.add("rina", "editor", "Tim Pengawasan", PASSWORD, "uji")
    return accounts


def test_passwords_are_salted_scrypt_hashes():
    first, second = hash_password(PASSWORD), hash_password(PASSWORD)
    assert first != second and first.startswith("scrypt$")
    assert PASSWORD not in first
    assert verify_password(PASSWORD, first) and not verify_password(PASSWORD + "x", first)


def test_database_holds_no_plain_password(store, accounts):
    assert PASSWORD.encode() not in store.db_path.read_bytes()


def test_sign_in_gives_the_user_with_role_and_team(accounts):
    user = accounts.authenticate("rina", PASSWORD, now=T0)
    assert (user.name, user.role, user.team) == ("rina", "editor", "Tim Pengawasan")
    assert user.may_change_team("Tim Pengawasan") and not user.may_change_team("Tim Agen Perubahan")


def test_wrong_password_and_unknown_user_get_the_same_message(accounts):
    with pytest.raises(AccountError) as wrong:
        accounts.authenticate("rina", "salah-salah-salah", now=T0)
    with pytest.raises(AccountError) as unknown:
        accounts.authenticate("budi", "salah-salah-salah", now=T0)
    assert str(wrong.value) == str(unknown.value) == "Nama akun atau kata sandi salah."


def test_each_failure_slows_the_next_attempt(accounts):
    with pytest.raises(AccountError):
        accounts.authenticate("rina", "salah-salah-salah", now=T0)
    with pytest.raises(AccountError, match="Terlalu cepat"):
        accounts.authenticate("rina", PASSWORD, now=T0 + timedelta(milliseconds=500))
    assert accounts.authenticate("rina", PASSWORD, now=T0 + timedelta(seconds=2)).name == "rina"


def test_repeated_failures_lock_the_account_for_a_while(store, accounts):
    moment = T0
    for _ in range(MAX_FAILURES):
        with pytest.raises(AccountError, match="salah"):
            accounts.authenticate("rina", "salah-salah-salah", now=moment)
        moment += timedelta(minutes=1)
    with pytest.raises(AccountError, match="dikunci"):
        accounts.authenticate("rina", PASSWORD, now=moment)
    assert accounts.authenticate("rina", PASSWORD, now=moment + timedelta(minutes=16)).name == "rina"
    assert "akun_dikunci" in set(audit_events(store)["action"])


def test_sessions_end_after_inactivity():
    assert not session_expired(T0, now=T0 + timedelta(minutes=29))
    assert session_expired(T0, now=T0 + timedelta(minutes=31))


def test_account_rules(accounts):
    with pytest.raises(AccountError, match="minimal"):
        accounts.add("budi", "editor", "Tim Pengawasan", "pendek", "uji")
    with pytest.raises(AccountError, match="tim"):
        accounts.add("budi", "editor", "", PASSWORD, "uji")
    with pytest.raises(AccountError, match="sudah ada"):
        accounts.add("RINA", "admin", "", PASSWORD, "uji")


def test_every_account_change_is_audited_and_the_trail_is_append_only(store, accounts):
    accounts.set_password("rina", PASSWORD + "2", "admin")
    accounts.remove("rina", "admin")
    events = audit_events(store)
    assert list(events["action"]) == ["akun_ditambah", "kata_sandi_diganti", "akun_dihapus"]
    assert list(events["actor"]) == ["uji", "admin", "admin"]
    conn = sqlite3.connect(store.db_path)
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        conn.execute("UPDATE audit_log SET actor = 'x'")
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        conn.execute("DELETE FROM audit_log")


def run_cli(*args, stdin=""):
    return subprocess.run([sys.executable, "-m", "zi_data", *args], input=stdin, capture_output=True, text=True)


def test_user_command_line(tmp_path):
    data = str(tmp_path / "cli")
    added = run_cli("user", "add", "koordinator", "--role", "admin", "--data-dir", data, stdin=PASSWORD + "\n")
    assert added.returncode == 0, added.stderr
    refused = run_cli("user", "add", "x", "--role", "editor", "--team", "Tim Rahasia", "--data-dir", data,
                      stdin=PASSWORD + "\n")
    assert refused.returncode == 1 and "tidak ada di rencana aksi" in refused.stderr
    assert "Traceback" not in refused.stderr
    listed = run_cli("user", "list", "--data-dir", data)
    assert "koordinator\tadmin" in listed.stdout
    assert run_cli("user", "passwd", "koordinator", "--data-dir", data, stdin="baru-dan-panjang\n").returncode == 0
    assert Accounts(ProgressStore(tmp_path / "cli")).authenticate("koordinator", "baru-dan-panjang").is_admin
    assert run_cli("user", "remove", "koordinator", "--data-dir", data).returncode == 0
    assert "Belum ada akun" in run_cli("user", "list", "--data-dir", data).stdout
