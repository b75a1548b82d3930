"""History is append-only in the database itself, and the data directory is private to its owner."""

import contextlib
import hashlib
import sqlite3
import stat

import pandas as pd
import pytest

from zi_data import append_only
from zi_data.accounts import Accounts
from zi_data.audit import record_event
from zi_data.progress_store import ProgressStore

PASSWORD = "kata-sandi-rahasia"

# A statement per way of rewriting a table's first row; {cols} is the table's column list.
STATEMENTS = {
    "update": "UPDATE {table} SET {first} = {first}",
    "delete": "DELETE FROM {table}",
    "delete_one": "DELETE FROM {table} WHERE rowid = (SELECT MIN(rowid) FROM {table})",
    "insert_or_replace": "INSERT OR REPLACE INTO {table} ({cols}) SELECT {cols} FROM {table} LIMIT 1",
    "replace_into": "REPLACE INTO {table} ({cols}) SELECT {cols} FROM {table} LIMIT 1",
    "upsert": "INSERT INTO {table} ({cols}) SELECT {cols} FROM {table} WHERE true LIMIT 1 "
              "ON CONFLICT DO UPDATE SET {first} = excluded.{first}",
    "update_or_replace": "UPDATE OR REPLACE {table} SET {first} = {first}",
}


def columns(conn, table: str) -> list[str]:
    return [row[1] for row in conn.execute(f"PRAGMA table_info({table})")]


def with_history(store: ProgressStore) -> ProgressStore:
    """A row in every history table: the seeded plan, an upload with an entry, its audit row, a recorded rename
    and plan source, an undo."""
    with store.transaction() as conn:
        upload_id = store.record_upload(conn, "a.xlsx", "0" * 64, "", "Budi", "realisasi", {"new": 1}, 0)
        store.append_entries(conn, pd.DataFrame([{"item_id": "I-1-1", "month": 1, "status": "Selesai"}]), upload_id)
        record_event(conn, "Budi", "unggah_realisasi", {"unggahan": upload_id})
        conn.execute("INSERT INTO id_renames (version, old_id, new_id, upload_id, at, renamed_by) "
                     "VALUES (1, 'I-1-1', 'I-1-9', ?, '2025-01-01T00:00:00+00:00', 'Admin')", (upload_id,))
        conn.execute("INSERT INTO plan_version_sources (version, upload_id) SELECT 1, NULL "
                     "WHERE NOT EXISTS (SELECT 1 FROM plan_version_sources WHERE version = 1)")
    store.undo_upload(upload_id, "Admin")
    return store


def snapshot(store) -> dict:
    with contextlib.closing(sqlite3.connect(store.db_path)) as conn:
        return {table: conn.execute(f"SELECT * FROM {table} ORDER BY rowid").fetchall()
                for table in append_only.HISTORY_TABLES}


def old_data_dir(path):
    """A data directory as the code before the append-only triggers left it: only the audit triggers,
    the English upload kind, the column bulan, no schema version, world-readable files (as made under umask 022)."""
    store = with_history(ProgressStore(path))
    with contextlib.closing(sqlite3.connect(store.db_path)) as conn:
        for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'").fetchall():
            if name not in ("audit_log_no_update", "audit_log_no_delete"):
                conn.execute(f"DROP TRIGGER {name}")
        conn.execute("UPDATE uploads SET kind = 'undo' WHERE kind = 'pembatalan'")
        conn.execute("ALTER TABLE plan_items RENAME COLUMN months TO bulan")
        conn.execute("PRAGMA user_version = 0")
        conn.commit()
    path.chmod(0o755)
    for file in (store.db_path, *path.glob("archive/*")):
        file.chmod(0o644)
    return path


@pytest.fixture(params=["fresh", "upgraded"])
def store(request, tmp_path):
    if request.param == "fresh":
        return with_history(ProgressStore(tmp_path / "data"))
    return ProgressStore(old_data_dir(tmp_path / "data"))


@pytest.mark.parametrize("statement", STATEMENTS)
@pytest.mark.parametrize("table", append_only.HISTORY_TABLES)
def test_the_database_refuses_to_rewrite_history(store, table, statement):
    before = snapshot(store)
    with contextlib.closing(sqlite3.connect(store.db_path, isolation_level=None)) as conn:
        names = columns(conn, table)
        sql = STATEMENTS[statement].format(table=table, cols=", ".join(names), first=names[-1])
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            conn.execute(sql)
        conn.execute("PRAGMA recursive_triggers = ON")  # REPLACE's delete then fires DELETE triggers too
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            conn.execute(sql)
    assert snapshot(store) == before


@pytest.mark.parametrize("table", [t for t, (_key, integer) in append_only.HISTORY_TABLES.items() if integer])
def test_keys_below_one_are_refused_so_automatic_numbering_cannot_be_blocked(store, table):
    with contextlib.closing(sqlite3.connect(store.db_path, isolation_level=None)) as conn:
        names = columns(conn, table)
        with pytest.raises(sqlite3.IntegrityError, match="start at 1"):
            conn.execute(f"INSERT INTO {table} ({', '.join(names)}) SELECT -1, {', '.join(names[1:])} "
                         f"FROM {table} LIMIT 1")


def test_normal_work_still_writes(store):
    """Appending, undoing, revising the plan and changing accounts all go on as before."""
    uploads_before = len(store.uploads())
    with_history(store)
    assert len(store.uploads()) == uploads_before + 2
    assert store.uploads()["undone_by"].notna().sum() >= 1  # derived from the appended undo row
    assert store.add_plan_version(store.plan(), "revisi.xlsx", "1" * 64, "Admin") == store.plan_version()
    accounts = Accounts(store)
    accounts.add("rina", "editor", "Tim Pengawasan", PASSWORD, "uji")
    accounts.set_password("rina", PASSWORD + "2", "admin")
    assert accounts.authenticate("rina", PASSWORD + "2").name == "rina"
    accounts.remove("rina", "admin")


def mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_new_data_directory_is_private(tmp_path, monkeypatch):
    monkeypatch.setenv("ZI_DATA_DIR", str(tmp_path / "new" / "data"))
    store = with_history(ProgressStore.open())
    store.archive_file(b"isi", hashlib.sha256(b"isi").hexdigest())
    assert mode(store.data_dir) == 0o700
    assert mode(store.data_dir / "archive") == 0o700
    with contextlib.closing(store._connect()) as conn:  # -wal and -shm exist while a connection is open
        conn.execute("SELECT COUNT(*) FROM entries").fetchone()
        files = [store.db_path, *store.data_dir.glob("*.sqlite3-*"), *(store.data_dir / "archive").iterdir()]
        assert len(files) == 4  # the database, its -wal and -shm, one archived file
        assert {path.name: mode(path) for path in files} == {path.name: 0o600 for path in files}


def test_an_existing_data_directory_of_ours_is_tightened(tmp_path):
    path = old_data_dir(tmp_path / "data")
    assert mode(path) == 0o755 and mode(path / "zi_monitor.sqlite3") == 0o644
    store = ProgressStore(path)
    assert mode(path) == 0o700
    assert {p.name: mode(p) for p in path.glob("zi_monitor.sqlite3*")} == {
        p.name: 0o600 for p in path.glob("zi_monitor.sqlite3*")}
    assert store.plan_version() == 1
