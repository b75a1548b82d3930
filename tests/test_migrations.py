"""Versioned schema migrations: an unversioned data directory upgrades in place, an up-to-date one
opens without DDL, a fresh one is migrated once even by two processes at once, and reads take no lock."""

import contextlib
import json
import multiprocessing
import sqlite3
from pathlib import Path

import pytest

from zi_data import append_only, migrations, paths, plan_history, progress_store, undo_rules
from zi_data.accounts import AccountError, hash_password
from zi_data.audit import audit_events
from zi_data.progress_store import ProgressStore

UNVERSIONED_SCHEMA = Path(__file__).parent / "data" / "unversioned_schema.sql"
PASSWORD = "kata-sandi-rahasia"
T = "2025-10-0{}T01:00:00+00:00"
PLAN_ROW = "'Area I', '1', 1, 'K1', 'Ind', 'Langkah', 'SK', 'Tim Pengawasan', '[1, 2]', 5"


def rows(database: Path, table: str) -> list[tuple]:
    with contextlib.closing(sqlite3.connect(database)) as conn:
        return conn.execute(f"SELECT * FROM {table} ORDER BY rowid").fetchall()


def unversioned_data_dir(path: Path) -> Path:
    """A data directory as the code before versioned migrations made it (its schema, kept in
    tests/data): a seeded plan, progress, a plan revision with a renamed ID and carried-over progress,
    an undo, an upload of the older kind 'plan', two accounts, a failed sign-in and the audit trail."""
    paths.private_dir(path)
    with contextlib.closing(sqlite3.connect(path / progress_store.DB_NAME)) as conn:
        conn.executescript(UNVERSIONED_SCHEMA.read_text())
        conn.executescript(f"""
            INSERT INTO plan_versions VALUES (1, '{T.format(1)}', 'rencana.xlsx', '{'a' * 64}', 'sistem', '{{}}');
            INSERT INTO plan_items VALUES (1, 0, 'I-1-1', 'I', {PLAN_ROW});
            INSERT INTO plan_items VALUES (1, 1, 'I-4-1', 'I', {PLAN_ROW});
            INSERT INTO uploads VALUES (1, '{T.format(2)}', 'a.xlsx', '{'b' * 64}', '{'b' * 64}.xlsx', 'rina',
                                        'realisasi', '{{"new": 2}}', 0, NULL);
            INSERT INTO entries VALUES (1, 'I-1-1', 1, 'Selesai', 'sk.pdf', '2025-01-20', '', 'rina', '{T.format(2)}',
                                        1);
            INSERT INTO entries VALUES (2, 'I-4-1', 1, 'Selesai', 'foto', '', '', 'rina', '{T.format(2)}', 1);
            INSERT INTO uploads VALUES (2, '{T.format(3)}', 'revisi.xlsx', '{'c' * 64}', '{'c' * 64}.xlsx', 'admin',
                                        'realisasi', '{{"new": 0, "plan_changes": 1, "carried": 1}}', 2, NULL);
            INSERT INTO plan_versions VALUES (2, '{T.format(3)}', 'revisi.xlsx', '{'c' * 64}', 'admin', '{{}}');
            INSERT INTO plan_items VALUES (2, 0, 'I-1-1', 'I', {PLAN_ROW});
            INSERT INTO plan_items VALUES (2, 1, 'I-4-9', 'I', {PLAN_ROW});
            INSERT INTO plan_version_sources VALUES (2, 2, NULL);
            INSERT INTO id_renames VALUES (1, 2, 'I-4-1', 'I-4-9', 2, '{T.format(3)}', 'admin');
            INSERT INTO entries VALUES (3, 'I-4-9', 1, 'Selesai', 'foto', '', '', 'rina', '{T.format(3)}', 2);
            INSERT INTO uploads VALUES (3, '{T.format(4)}', 'b.xlsx', '{'d' * 64}', '{'d' * 64}.xlsx', 'rina',
                                        'realisasi', '{{"new": 1}}', 3, NULL);
            INSERT INTO entries VALUES (4, 'I-1-1', 2, 'Sebagian', '', '', '', 'rina', '{T.format(4)}', 3);
            INSERT INTO uploads VALUES (4, '{T.format(5)}', 'b.xlsx', '{'d' * 64}', '', 'rina', 'undo',
                                        '{{"restored": 0, "cleared": 1}}', 4, 3);
            INSERT INTO entries VALUES (5, 'I-1-1', 2, '', '', '', '', 'rina', '{T.format(5)}', 4);
            INSERT INTO uploads VALUES (5, '{T.format(6)}', 'lama.xlsx', '{'e' * 64}', '', 'admin', 'plan', '{{}}', 5,
                                        NULL);
            INSERT INTO accounts VALUES ('admin', 'admin', '', '{hash_password(PASSWORD)}', 0, NULL, '{T.format(1)}');
            INSERT INTO accounts VALUES ('rina', 'editor', 'Tim Pengawasan', '{hash_password(PASSWORD)}', 0, NULL,
                                         '{T.format(1)}');
            INSERT INTO sign_in_failures VALUES ('{'f' * 64}', 2, '{T.format(6)}');
            INSERT INTO audit_log (at, actor, action, details) VALUES
                ('{T.format(1)}', 'baris perintah', 'akun_ditambah', '{{"akun": "rina", "peran": "editor"}}'),
                ('{T.format(2)}', 'rina', 'unggah_realisasi', '{{"unggahan": 1, "new": 2}}'),
                ('{T.format(3)}', 'admin', 'revisi_rencana', '{{"versi": 2, "unggahan": 2}}'),
                ('{T.format(3)}', 'admin', 'progres_dipindah', '{{"dari": "I-4-1", "ke": "I-4-9", "entri": 1}}'),
                ('{T.format(5)}', 'rina', 'batal_unggahan', '{{"unggahan": 3, "pembatalan": 4}}'),
                ('{T.format(6)}', '(nama tidak dikenal)', 'masuk_gagal', '{{"gagal": 2, "tunggu_detik": 2}}');
            """)
        assert conn.execute("PRAGMA user_version").fetchone()[0] == 0
    return path


def all_rows(database: Path) -> dict[str, list[tuple]]:
    tables = (*append_only.HISTORY_TABLES, "accounts", "sign_in_failures")
    return {table: rows(database, table) for table in tables}


def statements_run(monkeypatch) -> list[str]:
    """Every SQL statement the store's connections run from now on."""
    statements = []
    connect = ProgressStore._connect

    def traced(store):
        conn = connect(store)
        conn.set_trace_callback(statements.append)
        return conn
    monkeypatch.setattr(ProgressStore, "_connect", traced)
    return statements


def is_ddl(statement: str) -> bool:
    return statement.lstrip().upper().startswith(("CREATE", "DROP", "ALTER", "PRAGMA JOURNAL_MODE", "BEGIN IMMEDIATE"))


def test_an_unversioned_data_directory_upgrades_in_place_with_nothing_lost(tmp_path):
    path = unversioned_data_dir(tmp_path / "data")
    database = path / progress_store.DB_NAME
    before = all_rows(database)
    store = ProgressStore(path)
    after = all_rows(database)
    renamed = {"undo": "pembatalan", "plan": "rencana"}
    kind = 6  # uploads.kind
    assert after == before | {"uploads": [(*row[:kind], renamed.get(row[kind], row[kind]), *row[kind + 1:])
                                          for row in before["uploads"]]}
    assert store.uploads()["kind"].tolist() == ["realisasi", "realisasi", "realisasi", "pembatalan", "rencana"]
    planned = 12  # plan_items.bulan, named months since migration 3
    latest = [row for row in before["plan_items"] if row[0] == store.plan_version()]
    assert store.plan()["months"].tolist() == [tuple(json.loads(row[planned])) for row in latest]
    with contextlib.closing(sqlite3.connect(database)) as conn:
        assert migrations.schema_version(conn) == migrations.LATEST_VERSION
        assert "months" in {column for _, column, *_rest in conn.execute("PRAGMA table_info(plan_items)")}
        triggers = {name for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")}
    assert triggers == {name for table in append_only.HISTORY_TABLES
                        for name in (f"{table}_no_update", f"{table}_no_delete", f"{table}_no_replace",
                                     f"{table}_positive_key") if append_only.HISTORY_TABLES[table][1]
                        or not name.endswith("_positive_key")}


def test_the_upgraded_store_keeps_working_with_the_renamed_kinds(tmp_path):
    store = ProgressStore(unversioned_data_dir(tmp_path / "data"))
    assert store.plan_version() == 2 and store.plan()["id"].tolist() == ["I-1-1", "I-4-9"]
    assert plan_history.recorded_renames(store) == [("I-4-1", "I-4-9")]
    assert store.uploads().set_index("upload_id").at[3, "undone_by"] == 4
    with pytest.raises(ValueError, match="adalah pembatalan"):
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


@pytest.mark.parametrize("statement", ["UPDATE {table} SET {first} = {first}", "DELETE FROM {table}"])
@pytest.mark.parametrize("table", append_only.HISTORY_TABLES)
def test_after_the_upgrade_history_still_refuses_update_and_delete(tmp_path, table, statement):
    store = ProgressStore(unversioned_data_dir(tmp_path / "data"))
    before = all_rows(store.db_path)
    with contextlib.closing(sqlite3.connect(store.db_path, isolation_level=None)) as conn:
        first = [row[1] for row in conn.execute(f"PRAGMA table_info({table})")][-1]
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            conn.execute(statement.format(table=table, first=first))
    assert all_rows(store.db_path) == before


def test_opening_an_up_to_date_store_runs_no_ddl_and_a_fresh_one_is_migrated_once(tmp_path, monkeypatch):
    statements = statements_run(monkeypatch)
    ProgressStore(tmp_path / "data")
    assert any(s.startswith("CREATE TABLE") for s in statements) and "PRAGMA journal_mode=WAL" in statements
    statements.clear()
    store = ProgressStore(tmp_path / "data")
    store.revision(), store.plan_version(), store.accounts.any()
    assert [s for s in statements if is_ddl(s)] == []
    assert "PRAGMA user_version" in statements


def test_reads_take_no_write_lock(tmp_path, monkeypatch):
    store = ProgressStore(unversioned_data_dir(tmp_path / "data"))
    monkeypatch.setattr(progress_store, "BUSY_TIMEOUT_MS", 50)
    with contextlib.closing(sqlite3.connect(store.db_path, isolation_level=None)) as writer:
        writer.execute("BEGIN IMMEDIATE")  # another process is writing
        opened = ProgressStore(store.data_dir)
        assert len(audit_events(opened)) == 6 and len(opened.accounts.list()) == 2 and opened.accounts.any()
        assert len(opened.latest()) == 3 and plan_history.recorded_renames(opened)
        assert undo_rules.upload_teams(opened, 1) == {"Tim Pengawasan"}
        assert plan_history.orphaned_progress(opened).empty
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            with opened.transaction():
                pass  # a writer still waits for the lock
        writer.execute("ROLLBACK")


def _open(data_dir, barrier):
    barrier.wait()  # both processes open the fresh directory together
    ProgressStore(data_dir)


def test_two_processes_opening_a_fresh_directory_at_once_both_succeed(tmp_path):
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(2)
    workers = [context.Process(target=_open, args=(tmp_path / "data", barrier)) for _ in range(2)]
    for process in workers:
        process.start()
    for process in workers:
        process.join(timeout=120)
    assert [p.exitcode for p in workers] == [0, 0]
    store = ProgressStore(tmp_path / "data")
    assert store.plan_versions()["version"].tolist() == [1]
    with contextlib.closing(sqlite3.connect(store.db_path)) as conn:
        assert migrations.schema_version(conn) == migrations.LATEST_VERSION


def test_a_data_directory_from_a_newer_version_is_not_migrated_down(tmp_path, monkeypatch):
    store = ProgressStore(tmp_path / "data")
    with contextlib.closing(sqlite3.connect(store.db_path)) as conn:
        conn.execute(f"PRAGMA user_version = {migrations.LATEST_VERSION + 1}")
    statements = statements_run(monkeypatch)
    assert ProgressStore(tmp_path / "data").plan_version() == 1
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
