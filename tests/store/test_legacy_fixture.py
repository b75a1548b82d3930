"""A data directory made by release e29362e opens with nothing lost: the upgrade-in-place test.

tests/data/legacy_e29362e/ was written by that release's own code (scripts/make_legacy_data_dir.py:
three accounts, sign-ins, a password change, realisasi uploads by three teams, one undone, a plan
revision with a confirmed rename) and expected.json holds what that release reported about it. A copy
opened by the current store must report the same; the current store may add columns, never lose one.
"""

import hashlib
import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

from helpers import run_cli, stored_rows
from zi_data.store import database
from zi_data.evidence import evidence
from zi_data.store.accounts import AccountError
from zi_data.store.audit import audit_events
from zi_data.store.progress_store import ProgressStore

FIXTURE = Path(__file__).resolve().parents[1] / "data" / "legacy_e29362e"
EXPECTED = json.loads((FIXTURE / "expected.json").read_text(encoding="utf-8"))
ABSENT = "<column missing>"


@pytest.fixture
def data_dir(tmp_path) -> Path:
    """A copy of the fixture's data directory (never expected.json), so the fixture itself stays as made."""
    copy = tmp_path / "data"
    shutil.copytree(FIXTURE, copy, ignore=shutil.ignore_patterns("expected.json"))
    return copy


def plain(value):
    """A value as expected.json holds it: missing values are None, numpy scalars Python ones."""
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return None
    return value.item() if hasattr(value, "item") else value


def assert_same_records(frame: pd.DataFrame, name: str) -> None:
    """`frame` holds the expected rows in order, with every expected column's value (more columns are fine)."""
    expected = EXPECTED[name]
    assert expected, f"expected.json has no {name}"
    columns = list(expected[0])
    found = [{column: plain(row.get(column, ABSENT)) for column in columns} for row in frame.to_dict("records")]
    assert found == expected, name


def test_the_fixture_holds_every_kind_of_history():
    """What the upgrade must carry over is really in the fixture (a guard against a regenerated thin one)."""
    assert EXPECTED["made_with"].startswith("e29362e")
    assert {entry["status"] for entry in EXPECTED["entries"]} == {"Selesai", "Sebagian", "Belum", ""}
    assert "=1+1" in {entry["catatan"] for entry in EXPECTED["entries"]}
    assert {upload["kind"] for upload in EXPECTED["uploads"]} == {"realisasi", "pembatalan"}
    assert len({upload["uploaded_by"] for upload in EXPECTED["uploads"]}) == 3
    assert len(EXPECTED["plan_versions"]) == 2 and EXPECTED["table_rows"]["id_renames"] == 1
    assert {event["action"] for event in EXPECTED["audit_events"]} >= {
        "akun_ditambah", "masuk", "masuk_gagal", "kata_sandi_diganti", "unggah_realisasi", "batal_unggahan",
        "revisi_rencana", "progres_dipindah"}
    assert sorted(path.name for path in (FIXTURE / "archive").iterdir()) == sorted(
        upload["archive_name"] for upload in EXPECTED["uploads"] if upload["archive_name"])
    assert not list(FIXTURE.glob("*-wal")) and not list(FIXTURE.glob("*-shm"))


def test_progress_uploads_and_plan_versions_are_reported_as_before(data_dir):
    store = ProgressStore(data_dir)
    assert_same_records(store.entries(), "entries")
    assert_same_records(store.latest(), "latest")
    assert_same_records(store.uploads(), "uploads")
    assert_same_records(store.plan_versions(), "plan_versions")
    for version, item_ids in EXPECTED["plan_item_ids"].items():
        assert list(store.plan(int(version))["id"]) == item_ids, f"plan version {version}"


def test_accounts_and_the_audit_trail_are_reported_as_before(data_dir):
    store = ProgressStore(data_dir)
    assert_same_records(store.accounts.list(), "accounts")
    trail = audit_events(store)  # the old trail, then the one event of the links appended (revision 0005)
    assert_same_records(trail.iloc[:-1], "audit_events")
    assert list(trail.iloc[-1:]["action"]) == ["tautan_bukti_dimigrasi"]


def test_the_links_written_in_bukti_dukung_became_link_attachments_of_their_reporters(data_dir):
    store = ProgressStore(data_dir)
    written = {(entry["item_id"], entry["month"]): entry for entry in EXPECTED["latest"]
               if entry["bukti_dukung"].startswith("https://")}
    assert len(written) >= 5  # the fixture's cells hold links (a guard against a regenerated thin one)
    links = evidence.attachments(store)
    assert {(row.item_id, row.month): row.file_name for row in links.itertuples()} == {
        key: entry["bukti_dukung"] for key, entry in written.items()}
    assert {row.added_by for row in links.itertuples()} == {
        f"{entry['reported_by']} (migrasi tautan)" for entry in written.values()}
    assert audit_events(store).iloc[-1]["details"]["tautan"] == len(written)


def test_status_on_the_command_line_is_reported_as_before(data_dir):
    result = run_cli("status", "--as-of", EXPECTED["status_as_of"], "--json", "--data-dir", data_dir,
                     check_returncode=0)
    status = json.loads(result.stdout)
    assert {key: status.get(key, ABSENT) for key in EXPECTED["status"]} == EXPECTED["status"]


def test_the_archived_files_are_still_there_under_their_hash(data_dir):
    store = ProgressStore(data_dir)
    archived = store.uploads().query("archive_name != ''")
    assert len(archived) == 6
    for archive_name, sha256 in zip(archived["archive_name"], archived["sha256"]):
        assert hashlib.sha256(store.archive_path(archive_name).read_bytes()).hexdigest() == sha256


def test_accounts_still_sign_in_with_their_passwords_and_a_replaced_one_is_refused(data_dir):
    accounts = ProgressStore(data_dir).accounts
    for name, password in EXPECTED["passwords"].items():
        user = accounts.authenticate(name, password)
        expected = next(account for account in EXPECTED["accounts"] if account["name"] == name)
        assert (user.name, user.role, user.team) == (name, expected["role"], expected["team"])
    for name, password in EXPECTED["replaced_passwords"].items():
        with pytest.raises(AccountError):
            accounts.authenticate(name, password)


def test_opening_the_directory_again_changes_nothing_it_reports(data_dir):
    first = ProgressStore(data_dir)
    before = (first.entries(), first.uploads(), audit_events(first), first.plan_version())
    again = ProgressStore(data_dir)
    pd.testing.assert_frame_equal(again.entries(), before[0])
    pd.testing.assert_frame_equal(again.uploads(), before[1])
    pd.testing.assert_frame_equal(audit_events(again), before[2])
    assert again.plan_version() == before[3] == len(EXPECTED["plan_versions"])


def test_the_directory_becomes_the_2025_plan_year_of_kpu_kabupaten_kapuas_in_its_province(data_dir):
    store = ProgressStore(data_dir)
    assert (store.ledger_id, store.office, store.year) == (1, "6203", 2025)
    assert store.database.revision() == database.HEAD
    offices = stored_rows(store)["offices"]
    parents = {code: parent for code, _name, parent, _at, _zone in offices}  # every KPU office (revision 0009)
    assert len(parents) == 553 and (parents["6203"], parents["62"], parents["00"]) == ("62", "00", None)
    new_year = store.with_ledger(year=2025)
    assert new_year.ledger_id == store.ledger_id  # the same plan year, however it is asked for
