"""History is append-only in the database itself (SQLite and PostgreSQL), and the data directory is private
to its owner."""

import hashlib
import stat
from datetime import date

import pandas as pd
import pytest
import sqlalchemy

import postgres_server
from helpers import new_store, stored_rows
from store_helpers import unversioned_data_dir
from zi_data.store import counting_rule
from zi_data.evidence import evidence
from lembar_helpers import logo_png
from zi_data.monev import letterhead, monev
from zi_data.store.accounts import Accounts, User
from zi_data.store.audit import record_event
from zi_data.store.progress_store import ProgressStore

PASSWORD = "kata-sandi-rahasia"
HISTORY_TABLES = {  # table -> its key columns, and whether the database numbers the key
    "ledgers": (("ledger_id",), True), "plan_versions": (("ledger_id", "version"), False),
    "plan_items": (("ledger_id", "version", "position"), False),
    "plan_schedule": (("ledger_id", "version", "position", "month"), False), "uploads": (("upload_id",), True),
    "entries": (("entry_id",), True), "audit_log": (("event_id",), True), "id_renames": (("rename_id",), True),
    "plan_version_sources": (("ledger_id", "version"), False),
    "rollup_counts": (("ledger_id", "version", "through_entry_id", "area", "month"), False),
    "evidence": (("evidence_id",), True), "evidence_reviews": (("review_id",), True),
    "ledger_settings": (("setting_id",), True), "monev_meetings": (("meeting_id",), True),
    "follow_ups": (("follow_up_id",), True), "follow_up_closures": (("closure_id",), True),
    "lembar_logos": (("logo_id",), True),
}
# A statement per way of rewriting a table's rows; {cols} is the table's column list, {key} its key columns.
STATEMENTS = {
    "update": "UPDATE {table} SET {last} = {last}",
    "delete": "DELETE FROM {table}",
    "upsert": "INSERT INTO {table} ({cols}) SELECT {cols} FROM {table} WHERE true LIMIT 1 "
              "ON CONFLICT ({key}) DO UPDATE SET {last} = excluded.{last}",
}
SQLITE_STATEMENTS = {
    "delete_one": "DELETE FROM {table} WHERE rowid = (SELECT MIN(rowid) FROM {table})",
    "insert_or_replace": "INSERT OR REPLACE INTO {table} ({cols}) SELECT {cols} FROM {table} LIMIT 1",
    "replace_into": "REPLACE INTO {table} ({cols}) SELECT {cols} FROM {table} LIMIT 1",
    "update_or_replace": "UPDATE OR REPLACE {table} SET {last} = {last}",
}
POSTGRESQL_STATEMENTS = {
    "delete_one": "DELETE FROM {table} WHERE ctid IN (SELECT ctid FROM {table} LIMIT 1)",
    "truncate": "TRUNCATE {table} CASCADE",
}


def with_history(store: ProgressStore) -> ProgressStore:
    """A row in every history table: the seeded plan, an upload with an entry, its audit row, a recorded rename
    and plan source, an undo, an evidence link, its review, a setting, a meeting with two follow-ups, and a logo."""
    with store.transaction() as conn:
        upload_id = store.record_upload(conn, "a.xlsx", "0" * 64, "", "Budi", "realisasi", {"new": 1}, 0)
        store.append_entries(conn, pd.DataFrame([{"item_id": "I-1-1", "month": 1, "status": "Selesai"}]), upload_id)
        record_event(conn, "Budi", "unggah_realisasi", {"unggahan": upload_id}, **store.scope)
        params = {"ledger": store.ledger_id, "upload": upload_id}
        conn.execute(sqlalchemy.text(
            "INSERT INTO id_renames (ledger_id, version, old_id, new_id, upload_id, at, renamed_by) "
            "VALUES (:ledger, 1, 'I-1-1', 'I-1-9', :upload, '2025-01-01T00:00:00+00:00', 'Admin')"), params)
        conn.execute(sqlalchemy.text(
            "INSERT INTO plan_version_sources (ledger_id, version, upload_id) SELECT :ledger, 1, NULL WHERE NOT EXISTS "
            "(SELECT 1 FROM plan_version_sources WHERE ledger_id = :ledger AND version = 1)"), params)
    store.undo_upload(upload_id, "Admin")
    evidence.attach_link(store, "I-1-1", 2, "https://bukti.example.id/sk", "Budi")
    evidence.review(store, "I-1-1", 2, "diterima", "", "Penilai")
    counting_rule.set_counting_rule(store, "terverifikasi", "Admin")
    meeting_id = monev.record_meeting(store, held_on=date(2025, 7, 3), kind="triwulan", chair="Ketua",
                                      participants="A", participant_count=None, as_of_month=6, notes="", by="Admin")
    follow_up = monev.add_follow_up(store, action="A", team=store.plan()["penanggung_jawab"].iloc[0],
                                    due_on=date(2025, 7, 31),
                                    item_id=None, by="Admin", meeting_id=meeting_id)
    monev.close_follow_up(store, follow_up, "selesai", User("Admin", "admin", "", store.office))
    monev.add_follow_up(store, action="B", team=store.plan()["penanggung_jawab"].iloc[0], due_on=date(2025, 8, 1),
                        item_id=None, by="Admin", meeting_id=meeting_id)
    letterhead.set_logo(store, logo_png(), "logo.png", "Admin")
    return store


def history(store) -> dict:
    return {table: sorted(rows, key=repr) for table, rows in stored_rows(store).items() if table in HISTORY_TABLES}


STORES = ("sqlite", "postgresql", "converted")  # "converted": a SQLite directory from before years and offices


def history_store(kind: str, directory, database_url=None) -> ProgressStore:
    if kind == "postgresql":
        return with_history(new_store(directory / "data", database_url=database_url))
    if kind == "converted":
        return with_history(ProgressStore(unversioned_data_dir(directory / "data")))
    return with_history(new_store(directory / "data"))


@pytest.fixture(scope="module")
def refusing_stores(tmp_path_factory, postgres_server_url):
    """One store with history per kind, shared by the refusal tests of this module: a refused statement
    changes nothing (each test checks that), so the next test starts from the same rows."""
    built, databases = {}, []

    def of_kind(kind: str) -> ProgressStore:
        if kind not in built:
            url = None
            if kind == "postgresql":
                url = postgres_server.create_database(postgres_server_url)
                databases.append(url)
            built[kind] = history_store(kind, tmp_path_factory.mktemp(kind), url)
        return built[kind]

    with pytest.MonkeyPatch.context() as patch:
        patch.delenv("ZI_DATABASE_URL", raising=False)
        yield of_kind
    for store in built.values():
        store.database.dispose()
    for url in databases:
        postgres_server.drop_database(postgres_server_url, url)


@pytest.fixture(params=STORES)
def store(request, tmp_path, monkeypatch):
    """A row in every history table, on each backend and in a converted older data directory."""
    monkeypatch.delenv("ZI_DATABASE_URL", raising=False)
    url = request.getfixturevalue("postgres_url") if request.param == "postgresql" else None
    return history_store(request.param, tmp_path, url)


@pytest.fixture
def shared_store(request, refusing_stores):
    return refusing_stores(request.param)


def ways(kind: str) -> dict[str, str]:
    return STATEMENTS | (POSTGRESQL_STATEMENTS if kind == "postgresql" else SQLITE_STATEMENTS)


@pytest.mark.parametrize(("shared_store", "way"), [(kind, way) for kind in STORES for way in ways(kind)],
                         indirect=["shared_store"])
@pytest.mark.parametrize("table", HISTORY_TABLES)
def test_the_database_refuses_to_rewrite_history(shared_store, table, way):
    store = shared_store
    before = history(store)
    with store.database.engine.connect() as conn:
        names = [column["name"] for column in sqlalchemy.inspect(conn).get_columns(table)]
    kind = "sqlite" if store.database.is_sqlite else "postgresql"
    sql = ways(kind)[way].format(table=table, cols=", ".join(names), last=names[-1],
                                 key=", ".join(HISTORY_TABLES[table][0]))
    with pytest.raises(sqlalchemy.exc.DatabaseError, match="append-only"), store.transaction() as conn:
        conn.execute(sqlalchemy.text(sql))
    if store.database.is_sqlite:  # REPLACE's delete then fires DELETE triggers too
        with pytest.raises(sqlalchemy.exc.DatabaseError, match="append-only"), store.transaction() as conn:
            conn.exec_driver_sql("PRAGMA recursive_triggers = ON")
            conn.execute(sqlalchemy.text(sql))
    assert history(store) == before


@pytest.mark.parametrize("shared_store", ["sqlite", "converted"], indirect=True)
@pytest.mark.parametrize("table", [t for t, (_key, numbered) in HISTORY_TABLES.items() if numbered])
def test_sqlite_keys_below_one_are_refused_so_automatic_numbering_cannot_be_blocked(shared_store, table):
    store = shared_store
    with store.database.engine.connect() as conn:
        names = [column["name"] for column in sqlalchemy.inspect(conn).get_columns(table)]
    unique = {"year": "year + 1000",  # a ledger's (office, year) is unique; a follow-up is closed once
              "follow_up_id": "(SELECT MAX(follow_up_id) FROM follow_ups)"}
    copied = [unique.get(name, name) for name in names[1:]]
    with pytest.raises(sqlalchemy.exc.DatabaseError, match="start at 1"), store.transaction() as conn:
        conn.execute(sqlalchemy.text(f"INSERT INTO {table} ({', '.join(names)}) SELECT -1, {', '.join(copied)} "
                                     f"FROM {table} LIMIT 1"))


def test_normal_work_still_writes(store):
    """Appending, undoing, revising the plan and changing accounts all go on as before."""
    uploads_before = len(store.uploads())
    with_history(store)
    assert len(store.uploads()) == uploads_before + 2
    assert store.uploads()["undone_by"].notna().sum() >= 1  # derived from the appended undo row
    assert store.add_plan_version(store.plan(), "revisi.xlsx", "1" * 64, "Admin") == store.plan_version()
    accounts = Accounts(store)
    accounts.add("sari", "editor", "Tim Pengawasan", PASSWORD, "uji")
    accounts.set_password("sari", PASSWORD + "2", "admin")
    assert accounts.authenticate("sari", PASSWORD + "2").name == "sari"
    accounts.remove("sari", "admin")


def mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_new_data_directory_is_private(tmp_path, monkeypatch):
    monkeypatch.setenv("ZI_DATA_DIR", str(tmp_path / "new" / "data"))
    store = with_history(new_store())
    store.archive_file(b"isi", hashlib.sha256(b"isi").hexdigest())
    assert mode(store.data_dir) == 0o700
    assert mode(store.data_dir / "archive") == 0o700
    with store.reading() as conn:  # -wal and -shm exist while a connection is open
        conn.execute(sqlalchemy.text("SELECT COUNT(*) FROM entries")).scalar()
        archived = [*(store.data_dir / "archive").rglob("*")]
        files = [store.database.db_path, *store.data_dir.glob("*.sqlite3-*"), *archived]
        assert len(files) == 5  # the database, its -wal and -shm, the ledger's archive folder and one file in it
        assert {path.name: mode(path) for path in archived if path.is_dir()} == {str(store.ledger_id): 0o700}
        files = [path for path in files if path.is_file()]
        assert {path.name: mode(path) for path in files} == {path.name: 0o600 for path in files}


def test_an_existing_data_directory_of_ours_is_tightened(tmp_path):
    path = unversioned_data_dir(tmp_path / "data")  # as made under umask 022
    path.chmod(0o755)
    (path / "zi_monitor.sqlite3").chmod(0o644)
    assert mode(path) == 0o755 and mode(path / "zi_monitor.sqlite3") == 0o644
    store = ProgressStore(path)
    assert mode(path) == 0o700
    assert {p.name: mode(p) for p in path.glob("zi_monitor.sqlite3*")} == {
        p.name: 0o600 for p in path.glob("zi_monitor.sqlite3*")}
    assert store.plan_version() == 2
