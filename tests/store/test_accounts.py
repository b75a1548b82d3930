import hashlib
import re
from datetime import datetime, timedelta, timezone

import pytest
import sqlalchemy

from helpers import run_cli, stored_rows, traced_sql
from zi_data.store import accounts as accounts_module
from zi_data.store.accounts import BACKOFF_CAP, AccountError, Accounts, hash_password, verify_password
from zi_data.store.audit import audit_events
from zi_data.reporting.public_labels import public_audit_events, public_label, public_labels
from zi_data.store.progress_store import ProgressStore

PASSWORD = "kata-sandi-rahasia"
T0 = datetime(2025, 10, 1, 8, 0, tzinfo=timezone.utc)


@pytest.fixture
def store(store_on_each_backend):
    """These tests run on both backends."""
    return store_on_each_backend


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
    assert PASSWORD not in repr(stored_rows(store))
    if store.database.db_path:
        assert PASSWORD.encode() not in store.database.db_path.read_bytes()


def test_sign_in_gives_the_user_with_role_and_team(accounts):
    user = accounts.authenticate("rina", PASSWORD, now=T0)
    assert (user.name, user.role, user.team) == ("rina", "editor", "Tim Pengawasan")


def refusal(seconds: int) -> str:
    return f"Nama akun atau kata sandi salah, atau terlalu banyak percobaan; coba lagi dalam {seconds} detik."


def attempt(accounts, name, password, at) -> str:
    """The outcome of one sign-in as the person sees it."""
    try:
        return "masuk sebagai " + accounts.authenticate(name, password, now=at).name
    except AccountError as error:
        return str(error)


def test_wrong_password_and_unknown_user_get_the_same_message(accounts):
    assert attempt(accounts, "rina", "salah-salah-salah", T0) == refusal(1)
    assert attempt(accounts, "budi", "salah-salah-salah", T0) == refusal(1)


# Seconds after T0 of each attempt, all with a wrong password: some inside the wait, some after it.
ATTEMPTS = [0, 0.5, 1, 1.2, 3, 3.1, 7, 15, 31, 63, 63.5, 125, 185, 186, 245, 400]


def test_unknown_and_real_names_behave_alike(store, accounts):
    """The same attempts on an account and on a name that is none give the same messages, write the same
    audit details and run the same SQL: nothing tells them apart."""
    outcomes, sql, details = {}, {}, {}
    for name in ("rina", "tidak-ada"):
        first_event = len(audit_events(store))
        with traced_sql(store) as statements:
            outcomes[name] = [attempt(accounts, name, "salah-salah-salah", T0 + timedelta(seconds=s))
                              for s in ATTEMPTS]
        sql[name] = [re.sub(r"'\d{4}-\d\d-\d\dT[^']*'", "'WAKTU'", text.replace(name, "NAMA")
                            .replace(accounts_module.UNKNOWN_NAME, "NAMA")
                            .replace(accounts_module._name_key(name), "KUNCI")) for text in statements]
        events = audit_events(store).iloc[first_event:]
        details[name] = list(zip(events["action"], events["details"]))
        assert set(events["actor"]) == {name if name == "rina" else accounts_module.UNKNOWN_NAME}
    assert outcomes["rina"] == outcomes["tidak-ada"]
    assert sql["rina"] == sql["tidak-ada"]
    assert details["rina"] == details["tidak-ada"]
    assert {action for action, _ in details["rina"]} == {"masuk_gagal", "masuk_ditahan"}


def test_a_password_typed_into_the_name_field_is_kept_nowhere(store, accounts):
    secret = "Rahasia-Sekali-2025"
    for seconds in (0, 1, 2):  # a failure, a throttled attempt, another failure
        attempt(accounts, secret, "", T0 + timedelta(seconds=seconds))
    stored = [str(row) for rows in stored_rows(store).values() for row in rows]
    assert not [row for row in stored if secret.casefold() in row.casefold()]
    assert set(audit_events(store)["actor"]) >= {accounts_module.UNKNOWN_NAME}


def test_every_attempt_verifies_one_hash_and_a_throttled_one_none(accounts, monkeypatch):
    calls = []
    real_scrypt = hashlib.scrypt
    monkeypatch.setattr(accounts_module.hashlib, "scrypt", lambda *a, **k: calls.append(1) or real_scrypt(*a, **k))
    tries = [("rina", PASSWORD), ("budi", PASSWORD), ("rina", "salah-salah-salah"), ("budi", "salah-salah-salah")]
    for minutes, (name, password) in enumerate(tries):
        calls.clear()
        attempt(accounts, name, password, T0 + timedelta(minutes=minutes))
        assert len(calls) == 1, (name, password)
    for minutes, name in ((2, "rina"), (3, "budi")):  # at the moment of their failure: throttled, no hash
        calls.clear()
        assert attempt(accounts, name, PASSWORD, T0 + timedelta(minutes=minutes)) in (refusal(1), refusal(2))
        assert calls == []


def test_each_failure_doubles_the_wait_up_to_a_minute(accounts):
    at = T0
    for expected in (1, 2, 4, 8, 16, 32, 60, 60, 60):
        assert attempt(accounts, "rina", "salah-salah-salah", at) == refusal(expected)
        at += timedelta(seconds=expected)
    assert attempt(accounts, "rina", PASSWORD, at - timedelta(seconds=1)) == refusal(1)  # still inside the wait
    assert attempt(accounts, "rina", PASSWORD, at) == "masuk sebagai rina"
    assert attempt(accounts, "rina", "salah-salah-salah", at) == refusal(1)  # success starts the count again


def test_nobody_can_keep_the_owner_out_for_longer_than_the_cap(store, accounts):
    """An attacker who fails as often as allowed and hammers in between: the owner, trying once the
    cap has passed since the attacker's last real attempt, gets in. Throttled tries change nothing."""
    at = T0
    for _ in range(30):  # every allowed attempt wrong
        attempt(accounts, "rina", "salah-salah-salah", at)
        at += BACKOFF_CAP
    last_failure = at - BACKOFF_CAP
    for second in range(1, 60):  # hammering inside the wait
        assert "coba lagi" in attempt(accounts, "rina", "salah-salah-salah", last_failure + timedelta(seconds=second))
    assert attempt(accounts, "rina", PASSWORD, last_failure + BACKOFF_CAP) == "masuk sebagai rina"
    actions = list(audit_events(store)["action"])
    assert actions.count("masuk_gagal") == 30 and actions.count("masuk_ditahan") == 59
    assert actions[-1] == "masuk" and "akun_dikunci" not in actions


def test_failures_are_forgotten_after_a_day_and_a_new_password_clears_them(accounts):
    attempt(accounts, "rina", "salah-salah-salah", T0)
    attempt(accounts, "rina", "salah-salah-salah", T0 + timedelta(seconds=1))
    assert attempt(accounts, "rina", "salah-salah-salah", T0 + timedelta(days=1, seconds=2)) == refusal(1)
    accounts.set_password("rina", PASSWORD + "2", "admin")
    assert attempt(accounts, "RINA", PASSWORD + "2", T0 + timedelta(days=1, seconds=2)) == "masuk sebagai rina"


def test_viewers_see_roles_and_teams_not_account_names(store, accounts):
    accounts.add("koordinator", "admin", "", PASSWORD, "baris perintah")
    listed = public_labels(accounts.list())
    assert public_label("rina", listed) == "Editor · Tim Pengawasan"
    assert public_label("Koordinator", listed) == "Admin"
    assert public_label("sistem", listed) == "Sistem"
    assert public_label("Pak Budi", listed) == "Pelapor tanpa akun"
    attempt(accounts, "rina", "salah-salah-salah", T0)
    attempt(accounts, "tidak-ada", "salah-salah-salah", T0)
    attempt(accounts, "koordinator", PASSWORD, T0)
    public = public_audit_events(audit_events(store), listed)
    shown = " ".join(map(str, public["actor"])) + " ".join(map(str, public["details"]))
    assert "rina" not in shown and "koordinator" not in shown and "tidak-ada" not in shown
    assert list(public["actor"])[-3:] == ["(disembunyikan)", "(disembunyikan)", "Admin"]
    assert public["details"].iloc[1] == {"akun": "Admin", "peran": "admin", "tim": ""}


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
    for statement in ("UPDATE audit_log SET actor = 'x'", "DELETE FROM audit_log"):
        with pytest.raises(sqlalchemy.exc.DatabaseError, match="append-only"), store.transaction() as conn:
            conn.execute(sqlalchemy.text(statement))


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
