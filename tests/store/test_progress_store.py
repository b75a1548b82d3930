"""The progress log: append-only entries, plan versions, uploads, undo and concurrent writers."""

import hashlib
import multiprocessing
from datetime import date

import pandas as pd
import pytest

from helpers import new_store, stored_rows
from zi_data.base import paths
from zi_data.plan.plan import read_plan
from zi_data.store.database import Database
from zi_data.store.ledgers import LedgerNotFound
from zi_data.store.plan_years import open_seeded, seed_bundled_plan
from zi_data.store.progress_store import ENTRY_COLUMNS, ProgressStore
from zi_data.plan.status import classify
from zi_data.base.problems import Refusal

WRITES_PER_PROCESS = 40
ROWS_PER_WRITE = 5


@pytest.fixture
def store(store_on_each_backend):
    """These tests run on both backends."""
    return store_on_each_backend


def reports(*rows) -> pd.DataFrame:
    return pd.DataFrame(
        [{"item_id": i, "month": m, "status": s, "bukti_dukung": b, "reported_by": "Budi"} for i, m, s, b in rows])


def upload(store, name, *rows) -> int:
    with store.transaction() as conn:
        upload_id = store.record_upload(conn, name, "0" * 64, "", "Budi", "progress", {"rows": len(rows)},
                                        store.revision())
        store.append_entries(conn, reports(*rows), upload_id)
    return upload_id


def current(store) -> dict:
    return {(r.item_id, r.month): (r.status, r.bukti_dukung) for r in store.latest().itertuples()}


def test_zi_data_dir_is_respected(tmp_path, monkeypatch):
    monkeypatch.setenv("ZI_DATA_DIR", str(tmp_path / "state"))
    open_seeded(paths.data_dir())
    store = ProgressStore.open()
    assert store.database.db_path == tmp_path / "state" / "zi_monitor.sqlite3"
    assert store.database.db_path.exists()
    open_seeded(paths.data_dir(tmp_path / "explicit"))
    assert ProgressStore.open(tmp_path / "explicit").database.db_path.parent == tmp_path / "explicit"


def test_bundled_plan_seeds_version_1_once(tmp_path, backend_for_every_process):
    store = new_store(tmp_path)
    new_store(tmp_path)
    assert store.plan_version() == 1
    plan, bundled = store.plan(), read_plan(paths.BUNDLED_PLAN)
    pd.testing.assert_frame_equal(plan, bundled)
    assert plan.attrs["year"] == 2025 and plan.attrs["office"] == bundled.attrs["office"]
    assert plan.attrs["info"] == bundled.attrs["info"] and plan.attrs["plan_version"] == 1
    assert store.plan_versions()["sha256"].tolist() == [hashlib.sha256(paths.BUNDLED_PLAN.read_bytes()).hexdigest()]


def test_entries_are_appended_and_the_latest_wins(store):
    assert store.revision() == 0 and store.latest().empty
    upload(store, "a.xlsx", ("I-1-1", 1, "Sebagian", ""), ("I-2-1", 1, "Belum", ""))
    first_revision = store.revision()
    upload(store, "b.xlsx", ("I-1-1", 1, "Selesai", "sk.pdf"))
    history = store.entries()
    assert list(history.columns) == ENTRY_COLUMNS
    assert history["status"].tolist() == ["Sebagian", "Belum", "Selesai"]
    assert history["entry_id"].is_monotonic_increasing and store.revision() == history["entry_id"].max()
    assert current(store) == {("I-1-1", 1): ("Selesai", "sk.pdf"), ("I-2-1", 1): ("Belum", "")}
    assert current_at(store, first_revision) == {("I-1-1", 1): ("Sebagian", ""), ("I-2-1", 1): ("Belum", "")}
    assert len(store.entries(first_revision)) == 2
    assert history["recorded_at"].str.endswith("+00:00").all() and history["reported_by"].eq("Budi").all()


def current_at(store, revision) -> dict:
    return {(r.item_id, r.month): (r.status, r.bukti_dukung) for r in store.latest(revision).itertuples()}


def test_tanggal_is_stored_as_iso_date(store):
    with store.transaction() as conn:
        store.append_entries(conn, pd.DataFrame({
            "item_id": ["I-1-1", "I-1-1"], "month": [1, 12], "status": ["Selesai", "Belum"],
            "tanggal": [pd.Timestamp("2025-01-05 10:30"), None]}), None)
    assert store.entries()["tanggal"].tolist() == ["2025-01-05", ""]
    assert store.entries()["upload_id"].isna().all()


@pytest.mark.parametrize("bad", [("I-1-1", 13, "Selesai", ""), ("I-1-1", 1, "Done", ""), ("", 1, "Belum", "")])
def test_invalid_entries_write_nothing(store, bad):
    with pytest.raises(Refusal):
        upload(store, "bad.xlsx", ("I-2-1", 1, "Selesai", "x"), bad)
    assert store.revision() == 0 and store.uploads().empty


def test_new_plan_version_keeps_progress_attached_by_id(store):
    upload(store, "a.xlsx", ("I-1-1", 1, "Selesai", "sk.pdf"))
    revised = store.plan()
    revised = revised[revised["id"] != "I-2-1"].copy()
    revised.loc[revised["id"] == "I-1-1", "langkah_aksi"] = "Langkah yang direvisi"
    version = store.add_plan_version(revised, "revisi.xlsx", "1" * 64, "Admin")
    assert version == 2 and store.plan_version() == 2
    assert len(store.plan()) == len(store.plan(1)) - 1
    assert store.plan().attrs["year"] == 2025 and store.plan().attrs["plan_version"] == 2
    assert store.plan(1).loc[0, "langkah_aksi"] != "Langkah yang direvisi"
    classified = classify(store.plan(), store.latest(), date(2025, 1, 31))
    done = classified[classified["id"] == "I-1-1"].iloc[0]
    assert (done["langkah_aksi"], done["state"]) == ("Langkah yang direvisi", "selesai")
    with pytest.raises(Refusal):
        store.plan(7)


def test_undo_restores_the_previous_state_and_keeps_history(store):
    first = upload(store, "a.xlsx", ("I-1-1", 1, "Sebagian", "draf"), ("I-2-1", 1, "Belum", ""))
    second = upload(store, "b.xlsx", ("I-1-1", 1, "Selesai", "sk.pdf"), ("I-3-1", 2, "Selesai", "foto"))
    before_second = current_at(store, store.entries().query("upload_id == @first")["entry_id"].max())
    with pytest.raises(Refusal, match="diperbarui"):
        store.undo_upload(first, "Admin")  # its I-1-1/1 was changed later
    undo = store.undo_upload(second, "Admin")
    assert current(store) == before_second
    assert len(store.entries()) == 6  # 4 reports + 2 undo entries, nothing deleted
    uploads = store.uploads().set_index("upload_id")
    assert uploads.loc[second, "undone_by"] == undo and uploads.loc[undo, "kind"] == "pembatalan"
    assert uploads.loc[undo, "undoes"] == second and uploads.loc[undo, "counts"] == {"restored": 1, "cleared": 1}
    with pytest.raises(Refusal, match="sudah dibatalkan"):
        store.undo_upload(second, "Admin")
    with pytest.raises(Refusal, match="pembatalan"):
        store.undo_upload(undo, "Admin")
    store.undo_upload(first, "Admin")  # allowed now: the later change was undone
    assert current(store) == {}
    assert len(store.entries()) == 8
    with pytest.raises(Refusal, match="tidak ditemukan"):
        store.undo_upload(99, "Admin")


def test_undo_is_refused_after_a_later_manual_entry(store):
    first = upload(store, "a.xlsx", ("I-1-1", 1, "Sebagian", ""))
    with store.transaction() as conn:
        store.append_entries(conn, reports(("I-1-1", 1, "Selesai", "sk.pdf")), None)
    with pytest.raises(Refusal):
        store.undo_upload(first, "Admin")


def test_archive_is_content_addressed_and_safe(store):
    data = b"PK\x03\x04 workbook bytes"
    digest = hashlib.sha256(data).hexdigest()
    name = store.archive_file(data, digest)
    assert name == f"{store.ledger_id}/{digest}.xlsx" and store.archive_path(name).read_bytes() == data
    assert store.archive_file(data, digest) == name
    assert [p.name for p in store.archive_path(name).parent.iterdir()] == [f"{digest}.xlsx"]  # no temp files left
    assert store.archive_path(f"{digest}.xlsx").parent == store.archive_path(name).parent.parent  # older names
    with pytest.raises(ValueError):
        store.archive_file(b"other", digest)
    for unsafe in ("../zi_monitor.sqlite3", "x.xlsx", "", f"../{digest}.xlsx", f"0/{digest}.xlsx", f"1/../{digest}.xlsx"):
        with pytest.raises(ValueError):
            store.archive_path(unsafe)


def test_a_store_never_seeds_seeding_is_its_own_step_and_happens_once(tmp_path, backend_for_every_process):
    """Opening a store on a new database finds no plan year and writes nothing (the schema holds only its revision and
    the bundled offices); seed_bundled_plan, which the dashboard and the command line call (open_seeded), adds the
    bundled plan's year once."""
    database = Database(tmp_path)
    with pytest.raises(LedgerNotFound):
        ProgressStore(database=database)
    assert {table: rows for table, rows in stored_rows(database).items()
            if rows and table not in ("alembic_version", "offices")} == {}
    assert seed_bundled_plan(database) is True
    assert seed_bundled_plan(database) is False
    open_seeded(tmp_path).dispose()  # opened again as the dashboard opens it: nothing more is added
    store = ProgressStore(database=database)
    assert store.plan_versions()["version"].tolist() == [1] and len(stored_rows(database)["ledgers"]) == 1
    assert store.plan_versions()["created_by"].tolist() == ["sistem"]


def _write_progress(data_dir, worker, barrier):
    store = ProgressStore(data_dir)
    for write in range(WRITES_PER_PROCESS):
        barrier.wait()  # both processes start every write together, so each one contends for the lock
        rows = [(f"W{worker}-{write}-{n}", 1 + n, "Selesai", "bukti") for n in range(ROWS_PER_WRITE)]
        with store.transaction() as conn:
            upload_id = store.record_upload(conn, f"w{worker}.xlsx", "0" * 64, "", f"w{worker}", "progress", {},
                                            store.revision())
            store.append_entries(conn, reports(*rows), upload_id)


@pytest.mark.slow  # two processes racing
def test_two_processes_appending_at_once_lose_nothing(tmp_path, backend_for_every_process):
    new_store(tmp_path)  # seed the plan first so both workers only append
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(2)
    workers = [context.Process(target=_write_progress, args=(tmp_path, n, barrier)) for n in (1, 2)]
    for process in workers:
        process.start()
    for process in workers:
        process.join(timeout=120)
    assert [p.exitcode for p in workers] == [0, 0]
    store = ProgressStore(tmp_path)
    entries = store.entries()
    assert len(entries) == 2 * WRITES_PER_PROCESS * ROWS_PER_WRITE
    assert entries["item_id"].is_unique and entries["entry_id"].is_unique
    writers = store.uploads()["uploaded_by"].tolist()
    assert len(writers) == 2 * WRITES_PER_PROCESS
    assert all(set(writers[i:i + 2]) == {"w1", "w2"} for i in range(0, len(writers), 2))  # one of each per round
    per_upload = entries.groupby("upload_id")["item_id"].agg(lambda ids: {i.rsplit("-", 1)[0] for i in ids})
    assert per_upload.map(len).eq(1).all()  # each transaction's rows stayed together
