"""The schema: a data directory from before offices and years is converted in place with nothing lost (or
not at all), an up-to-date database opens without DDL, a fresh one is migrated once even by two processes at
once, a newer one is refused, and reads take no lock."""

import contextlib
import json
import sqlite3
from pathlib import Path

import pytest
import sqlalchemy

from helpers import new_store, open_fresh_at_once, stored_rows
from realisasi_helpers import PASSWORD
from store_helpers import unversioned_data_dir
from zi_data.store.schema import append_only, legacy_schema, migrations
from zi_data.store import database, ledgers
from zi_data.realisasi import undo_rules
from zi_data.reporting.orphans import orphaned_progress
from zi_data.store.accounts import AccountError
from zi_data.store.audit import audit_events, record_event
from zi_data.store.progress_store import ProgressStore
from zi_data.base.problems import Refusal


def rows(database: Path, table: str) -> list[tuple]:
    with contextlib.closing(sqlite3.connect(database)) as conn:
        return conn.execute(f"SELECT * FROM {table} ORDER BY rowid").fetchall()


def legacy_rows(database: Path) -> dict[str, list[tuple]]:
    tables = (*append_only.HISTORY_TABLES, "accounts", "sign_in_failures")
    return {table: rows(database, table) for table in tables}


@contextlib.contextmanager
def statements_run():
    """Every SQL statement any engine runs meanwhile (the store makes its engines when it opens)."""
    statements = []

    def trace(_conn, _cursor, statement, _parameters, _context, _executemany):
        statements.append(statement)

    sqlalchemy.event.listen(sqlalchemy.Engine, "before_cursor_execute", trace)
    try:
        yield statements
    finally:
        sqlalchemy.event.remove(sqlalchemy.Engine, "before_cursor_execute", trace)


def is_ddl(statement: str) -> bool:
    return statement.lstrip().upper().startswith(("CREATE", "DROP", "ALTER", "PRAGMA JOURNAL_MODE", "BEGIN IMMEDIATE"))


def test_an_unversioned_data_directory_is_converted_in_place_with_nothing_lost(tmp_path):
    path = unversioned_data_dir(tmp_path / "data")
    before = legacy_rows(path / database.DB_NAME)
    store = ProgressStore(path)
    after = stored_rows(store)
    assert (store.ledger_id, store.office) == (1, ledgers.LOCAL_OFFICE)
    renamed = {"undo": "pembatalan", "plan": "rencana"}
    assert after["uploads"] == [(row[0], 1, *row[1:6], renamed.get(row[6], row[6]), *row[7:])
                                for row in before["uploads"]]
    assert after["entries"] == [(row[0], 1, *row[1:]) for row in before["entries"]]
    assert after["plan_versions"] == [(1, *row) for row in before["plan_versions"]]
    assert after["plan_items"] == [(1, *row) for row in before["plan_items"]]
    assert after["id_renames"] == [(row[0], 1, *row[1:]) for row in before["id_renames"]]
    assert after["plan_version_sources"] == [(1, *row) for row in before["plan_version_sources"]]
    assert [row[:1] + row[3:] for row in after["audit_log"]] == before["audit_log"]
    assert [row[1] for row in after["audit_log"]] == [None, 1, 1, 1, 1, None]  # account events belong to no year
    assert after["accounts"] == [(name, name, role, team, ledgers.LOCAL_OFFICE, password_hash, created_at)
                                 for name, role, team, password_hash, _failures, _last, created_at in before["accounts"]]
    assert after["sign_in_failures"] == before["sign_in_failures"]
    assert sorted(after["plan_schedule"]) == sorted(
        (1, version, position, item_id, month) for version, position, item_id, *_rest, months, _row
        in before["plan_items"] for month in json.loads(months))
    assert store.uploads()["kind"].tolist() == ["realisasi", "realisasi", "realisasi", "pembatalan", "rencana"]
    assert not {table for table in after if table.startswith("legacy_")}
    assert store.database.revision() == database.HEAD


def test_a_directory_whose_plan_names_a_bundled_office_gets_that_office_and_its_parents(tmp_path):
    path = unversioned_data_dir(tmp_path / "data", attrs={"office": "KPU Kabupaten Kapuas", "year": 2025})
    store = ProgressStore(path)
    assert (store.office, store.year) == ("6203", 2025)
    offices = stored_rows(store)["offices"]
    chain = {code: (name, parent) for code, name, parent, _at, _zone in offices if code in ("00", "62", "6203")}
    assert chain == {"00": ("KPU Republik Indonesia", None), "62": ("KPU Provinsi Kalimantan Tengah", "00"),
                     "6203": ("KPU Kabupaten Kapuas", "62")}


def test_the_converted_store_keeps_working_with_the_renamed_kinds(tmp_path):
    store = ProgressStore(unversioned_data_dir(tmp_path / "data"))
    assert store.plan_version() == 2 and store.plan()["id"].tolist() == ["I-1-1", "I-4-9"]
    assert store.recorded_renames() == [("I-4-1", "I-4-9")]
    assert store.uploads().set_index("upload_id").at[3, "undone_by"] == 4
    with pytest.raises(Refusal, match="adalah pembatalan"):
        store.undo_upload(4, "admin")
    refusal = undo_rules.undo_refusal(store, 5, "admin", "Tim Pengawasan")
    assert refusal is not None and "merevisi rencana aksi" in refusal.message
    assert store.accounts.authenticate("rina", PASSWORD).team == "Tim Pengawasan"
    with pytest.raises(AccountError, match="coba lagi"):
        store.accounts.authenticate("rina", "salah-dan-panjang")
    assert audit_events(store)["action"].tolist()[-2:] == ["masuk", "masuk_gagal"]
    undo_id = store.undo_upload(2, "admin")  # the plan revision: its carried progress and plan go back
    assert store.uploads().set_index("upload_id").at[undo_id, "kind"] == "pembatalan"
    assert store.plan()["id"].tolist() == ["I-1-1", "I-4-1"]


def test_a_conversion_that_fails_changes_nothing(tmp_path, monkeypatch):
    path = unversioned_data_dir(tmp_path / "data")
    before = legacy_rows(path / database.DB_NAME)

    def broken(conn):
        raise RuntimeError("listrik padam")
    monkeypatch.setattr(legacy_schema, "convert", broken)
    with pytest.raises(RuntimeError, match="listrik padam"):
        ProgressStore(path)
    assert legacy_rows(path / database.DB_NAME) == before
    with contextlib.closing(sqlite3.connect(path / database.DB_NAME)) as conn:
        tables = {name for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        assert migrations.schema_version(conn) == 0
    assert "alembic_version" not in tables and "ledgers" not in tables


def test_opening_an_up_to_date_store_runs_no_ddl_and_a_fresh_one_is_migrated_once(tmp_path):
    with statements_run() as statements:
        new_store(tmp_path / "data")
    assert any(s.lstrip().startswith("CREATE TABLE") for s in statements)
    assert "PRAGMA journal_mode=WAL" not in statements  # set on the driver's connection, outside SQLAlchemy
    with statements_run() as statements:
        store = new_store(tmp_path / "data")
        store.revision(), store.plan_version(), store.accounts.any()
    assert [s for s in statements if is_ddl(s)] == []
    assert "SELECT version_num FROM alembic_version" in statements


def test_reads_take_no_write_lock(tmp_path, monkeypatch):
    store = ProgressStore(unversioned_data_dir(tmp_path / "data"))
    monkeypatch.setattr(database, "BUSY_TIMEOUT_S", 0.05)
    with contextlib.closing(sqlite3.connect(store.database.db_path, isolation_level=None)) as writer:
        writer.execute("BEGIN IMMEDIATE")  # another process is writing
        opened = ProgressStore(store.data_dir)
        assert len(audit_events(opened)) == 6 and len(opened.accounts.list()) == 2 and opened.accounts.any()
        assert len(opened.latest()) == 3 and opened.recorded_renames()
        assert undo_rules.upload_teams(opened, 1) == {"Tim Pengawasan"}
        assert orphaned_progress(opened).empty
        with pytest.raises(sqlalchemy.exc.OperationalError, match="locked"):
            with opened.transaction():
                pass  # a writer still waits for the lock
        writer.execute("ROLLBACK")


def test_postgresql_reads_never_wait_for_a_writer(seeded_postgres_url, tmp_path, monkeypatch):
    """A writer holds the write lock with an uncommitted row; every read answers at once from its snapshot (a
    statement_timeout turns a wait into a failure), and only another writer waits (lock_timeout)."""
    monkeypatch.setenv("ZI_DATABASE_URL", seeded_postgres_url)
    monkeypatch.setenv("PGOPTIONS", "-c statement_timeout=5000")
    writing = ProgressStore(tmp_path / "data")
    with writing.transaction() as conn:
        record_event(conn, "penulis", "uji", {}, office=writing.office)
        reader = ProgressStore(tmp_path / "data")
        assert "penulis" not in set(audit_events(reader)["actor"])  # the uncommitted row is not seen
        assert len(reader.latest()) == 0 and len(reader.plan()) > 0 and not reader.accounts.any()
        assert orphaned_progress(reader).empty
        with reader.database.engine.connect() as other, pytest.raises(sqlalchemy.exc.OperationalError,
                                                                      match="lock timeout"):
            other.execute(sqlalchemy.text("SET lock_timeout = '200ms'"))
            other.execute(sqlalchemy.text("SELECT pg_advisory_xact_lock(:key)"), {"key": database.WRITE_LOCK_KEY})
    assert "penulis" in set(audit_events(reader)["actor"])


@pytest.mark.slow  # two processes racing
def test_two_processes_opening_a_fresh_directory_at_once_both_succeed(tmp_path):
    assert open_fresh_at_once(tmp_path / "data", 2) == [0, 0]  # as the dashboard and a command do
    store = ProgressStore(tmp_path / "data")
    assert store.plan_versions()["version"].tolist() == [1]
    assert len(stored_rows(store)["ledgers"]) == 1 and store.database.revision() == database.HEAD


def test_wal_mode_is_tried_again_when_sqlite_answers_locked_at_once(tmp_path, monkeypatch):
    """SQLite may refuse the journal mode change with 'database is locked' without waiting (another process
    opening the same fresh file holds it); opening goes on once the file is free."""
    real_connect = sqlite3.dbapi2.connect
    refusals = []

    class RefusingFirst(sqlite3.Connection):
        def execute(self, sql, *args):
            if sql == "PRAGMA journal_mode=WAL" and not refusals:
                refusals.append(sql)
                raise sqlite3.OperationalError("database is locked")
            return super().execute(sql, *args)

    monkeypatch.setattr(sqlite3.dbapi2, "connect", lambda *args, **kw: real_connect(*args, **kw, factory=RefusingFirst))
    store = new_store(tmp_path / "data")
    assert refusals == ["PRAGMA journal_mode=WAL"]
    with store.database.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"


def test_a_database_from_a_newer_version_is_refused_not_migrated_down(tmp_path):
    store = new_store(tmp_path / "data")
    with store.database.engine.begin() as conn:
        conn.execute(sqlalchemy.text("UPDATE alembic_version SET version_num = '9999'"))
    with statements_run() as statements, pytest.raises(RuntimeError, match="versi ZI Monitor yang lebih baru"):
        ProgressStore(tmp_path / "data")
    assert [s for s in statements if is_ddl(s)] == []


def test_migration_2_renames_only_the_english_kinds():
    with contextlib.closing(sqlite3.connect(":memory:", isolation_level=None)) as conn:
        migrations.create_first_schema(conn)
        conn.executemany("INSERT INTO uploads (created_at, file_name, sha256, archive_name, uploaded_by, kind, counts, "
                         "base_revision) VALUES ('', '', '', '', '', ?, '{}', 0)",
                         [("realisasi",), ("plan",), ("undo",), ("pembatalan",)])
        conn.execute("BEGIN")
        migrations.rename_upload_kinds(conn)
        conn.execute("COMMIT")
        kinds = [kind for (kind,) in conn.execute("SELECT kind FROM uploads ORDER BY upload_id")]
        assert kinds == ["realisasi", "rencana", "pembatalan", "pembatalan"]
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            conn.execute("UPDATE uploads SET kind = 'undo'")
