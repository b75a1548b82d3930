"""A database at an earlier Alembic revision is upgraded in place, on each backend, with nothing lost."""

import pandas as pd
import pytest
import sqlalchemy as sa

from store_helpers import ACCOUNT, database_at
from zi_data.store import database as database_module
from zi_data.evidence import evidence
from zi_data.store import ledgers
from zi_data.base import paths
from zi_data.store.accounts import Accounts
from zi_data.store.audit import audit_events
from zi_data.store.database import Database
from zi_data.store.schema.link_backfill import backfill_links
from zi_data.plan.plan import read_plan
from zi_data.store.plan_history import add_plan_version
from zi_data.store.progress_store import ProgressStore

def test_a_revision_0002_database_gains_evidence_and_the_penilai_role_keeping_its_accounts(tmp_path, database_url):
    data_dir, _url = database_at("0002", tmp_path, database_url)
    database = Database(data_dir, database_url)
    assert database.revision() == database_module.HEAD
    with database.reading() as conn:
        kept = conn.execute(sa.text(f"SELECT {', '.join(ACCOUNT)} FROM accounts")).mappings().all()
    assert [dict(row) for row in kept] == [ACCOUNT]
    penilai = ACCOUNT | {"name_key": "tpi.sari", "name": "tpi.sari", "role": "penilai"}
    with database.transaction() as conn:  # the role the revision allows (accounts.py's own checks aside)
        conn.execute(sa.text(f"INSERT INTO accounts ({', '.join(penilai)}) VALUES "
                             f"({', '.join(':' + key for key in penilai)})"), penilai)
    assert Accounts(database, "6203").user_named("tpi.sari").role == "penilai"
    unknown = penilai | {"name_key": "raja", "role": "raja"}
    with pytest.raises(sa.exc.IntegrityError), database.transaction() as conn:
        conn.execute(sa.text(f"INSERT INTO accounts ({', '.join(unknown)}) VALUES "
                             f"({', '.join(':' + key for key in unknown)})"), unknown)
    with database.reading() as conn:
        assert sa.inspect(conn).has_table("evidence") and sa.inspect(conn).has_table("evidence_reviews")


def upgraded_from(revision: str, tmp_path, database_url) -> tuple[Database, set[str]]:
    """A database made at `revision` with one office and ACCOUNT, opened (so upgraded to HEAD) with its accounts
    checked unchanged; it and its tables."""
    data_dir, _url = database_at(revision, tmp_path, database_url)
    database = Database(data_dir, database_url)
    assert database.revision() == database_module.HEAD
    with database.reading() as conn:
        kept = conn.execute(sa.text(f"SELECT {', '.join(ACCOUNT)} FROM accounts")).mappings().all()
        tables = set(sa.inspect(conn).get_table_names())
    assert [dict(row) for row in kept] == [ACCOUNT]
    return database, tables


def test_a_revision_0003_database_gains_the_monev_tables_keeping_its_accounts(tmp_path, database_url):
    _database, tables = upgraded_from("0003", tmp_path, database_url)
    assert {"monev_meetings", "follow_ups", "follow_up_closures"} <= tables


def test_a_revision_0005_database_gains_the_sign_in_session_tables_keeping_its_accounts(tmp_path, database_url):
    from zi_data.store.sign_in_sessions import SignInSessions

    database, tables = upgraded_from("0005", tmp_path, database_url)
    assert {"sign_in_sessions", "sign_in_tickets"} <= tables
    user = Accounts(database, "6203").user_named("koordinator")
    token = SignInSessions(database).create(user, "uji").token
    assert SignInSessions(database).resolve(token).user == user


# --- revision 0007: links written in Bukti Dukung become link attachments ----------------------------------

SK, X, Y = "https://a.example/sk.pdf", "https://a.example/x", "https://a.example/y"
ENTRY = "INSERT INTO entries (ledger_id, item_id, month, status, bukti_dukung, tanggal, catatan, reported_by, " \
        "recorded_at, upload_id) VALUES (:ledger, :item, :month, :status, :text, '', '', :by, '2025-02-01', :upload)"


def upload_row(conn, ledger_id: int, kind: str = "realisasi", undoes: int | None = None) -> int:
    return int(conn.execute(sa.text(
        "INSERT INTO uploads (ledger_id, created_at, file_name, sha256, archive_name, uploaded_by, kind, counts, "
        "base_revision, undoes) VALUES (:ledger, '2025-02-01', 'r.xlsx', '', '', 'rina', :kind, '{}', 0, :undoes) "
        "RETURNING upload_id"), {"ledger": ledger_id, "kind": kind, "undoes": undoes}).scalar())


def ledger_with_entries(conn) -> tuple[int, int, int]:
    """A 2025 ledger at revision 0004 holding cells with links (one already attached by hand, one reviewed, one
    undone, one of an ID not in the plan) and a 2026 ledger with one link; (2025 ledger, its upload, 2026's)."""
    office = ledgers.add_office_chain(conn, "KPU Kabupaten Kapuas")
    plan = read_plan(paths.BUNDLED_PLAN.read_bytes(), paths.BUNDLED_PLAN.name)
    ledger, later = (ledgers.create_ledger(conn, office, year, "sistem") for year in (2025, 2026))
    for ledger_id in (ledger, later):
        add_plan_version(conn, ledger_id, plan, "rencana.xlsx", "", "sistem")
    first, undone = upload_row(conn, ledger), upload_row(conn, ledger)
    rows = [("I-3-1", 1, "Selesai", f"SK Tim: {SK}.", "Rina", first),
            ("I-3-1", 2, "Selesai", f"{X} dan {Y}", "", first),
            ("I-3-1", 3, "Sebagian", "ftp://arsip.example/x.pdf", "Budi", first),
            ("X-9-9", 1, "Selesai", SK, "Budi", first),
            ("I-3-1", 4, "Selesai", "https://a.example/batal", "Budi", undone),
            ("I-3-1", 4, "", "", "rina", upload_row(conn, ledger, "pembatalan", undone))]
    for item, month, state, text, by, upload_id in rows:
        conn.execute(sa.text(ENTRY), {"ledger": ledger, "item": item, "month": month, "status": state, "text": text,
                                      "by": by, "upload": upload_id})
    conn.execute(sa.text(ENTRY), {"ledger": later, "item": "I-3-1", "month": 1, "status": "Selesai", "text": SK,
                                  "by": "Sari", "upload": upload_row(conn, later)})
    conn.execute(sa.text("INSERT INTO evidence (ledger_id, item_id, month, kind, file_name, sha256, size, added_by, "
                         "added_at) VALUES (:ledger, 'I-3-1', 2, 'tautan', :url, '', 0, 'budi', '2025-02-02')"),
                 {"ledger": ledger, "url": X})
    conn.execute(sa.text("INSERT INTO evidence_reviews (ledger_id, item_id, month, decision, note, evidence_key, "
                         "reviewed_by, reviewed_at) VALUES (:ledger, 'I-3-1', 1, 'diterima', '', :key, 'tpi.sari', "
                         "'2025-02-03')"), {"ledger": ledger, "key": evidence.evidence_key([], f"SK Tim: {SK}.")})
    return ledger, first, later


def test_a_revision_0004_database_gets_its_cell_links_attached_once(tmp_path, database_url):
    data_dir, url = database_at("0004", tmp_path, database_url)
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        ledger, first, later = ledger_with_entries(conn)
    engine.dispose()
    database = Database(data_dir, database_url)
    assert database.revision() == database_module.HEAD
    store = ProgressStore(database=database, office="6203", year=2025)
    links = evidence.attachments(store)
    assert [(r.item_id, r.month, r.file_name, r.added_by, None if pd.isna(r.upload_id) else r.upload_id)
            for r in links.itertuples()] == [
        ("I-3-1", 1, SK, "Rina (migrasi tautan)", first), ("I-3-1", 2, X, "budi", None),
        ("I-3-1", 2, Y, "(migrasi tautan)", first)]
    states = evidence.evidence_states(store, store.latest()).set_index(["item_id", "month"])
    assert states.loc[("I-3-1", 1), "review_state"] == "diterima"  # the decision holds for the same evidence
    assert states.loc[("I-3-1", 1), "reviewed_by"] == "tpi.sari (migrasi tautan)"
    [event] = [e for e in audit_events(store).itertuples() if e.action == "tautan_bukti_dimigrasi"]
    assert (event.actor, event.details) == ("sistem", {"tahun": 2025, "tautan": 2, "keputusan_dibawa": 1})
    other = store.with_ledger(year=2026)
    assert list(evidence.attachments(other)["file_name"]) == [SK]
    assert [e.details["tautan"] for e in audit_events(other).itertuples() if e.action == "tautan_bukti_dimigrasi"] \
        == [1]
    with database.transaction() as conn:
        assert backfill_links(conn) == 0  # running again adds nothing
    assert len(evidence.attachments(store, current_only=False)) == 3
    store.undo_upload(first, by="rina")  # undoing the entries' upload hides their links too
    assert list(evidence.attachments(store)["file_name"]) == [X]


# --- revision 0008: the meeting's nomor and the letterhead's logos -----------------------------------------

def test_a_revision_0007_database_keeps_its_meetings_and_gains_the_nomor_and_the_logos(tmp_path, database_url):
    from datetime import date

    from lembar_helpers import logo_png
    from zi_data.monev import letterhead, monev

    data_dir, url = database_at("0007", tmp_path, database_url)
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        office = ledgers.add_office_chain(conn, "KPU Kabupaten Kapuas")
        ledger = ledgers.create_ledger(conn, office, 2025, "sistem")
        add_plan_version(conn, ledger, read_plan(paths.BUNDLED_PLAN.read_bytes(), paths.BUNDLED_PLAN.name), "r.xlsx",
                         "", "sistem")
        conn.execute(sa.text(
            "INSERT INTO monev_meetings (ledger_id, held_on, kind, chair, participants, participant_count, "
            "as_of_month, notes, snapshot, recorded_by, recorded_at) VALUES (:ledger, '2025-04-15', 'pleno', "
            "'Ketua', 'A', NULL, 3, '', '{}', 'admin', '2025-04-15T06:00:00+00:00')"), {"ledger": ledger})
    engine.dispose()
    store = ProgressStore(data_dir, database=Database(data_dir, database_url), office=office, year=2025)
    assert store.database.revision() == database_module.HEAD
    [old] = monev.meetings(store).itertuples()
    assert (old.held_on, old.chair, old.nomor) == (date(2025, 4, 15), "Ketua", "")  # recorded before: no nomor
    new = monev.record_meeting(store, held_on=date(2025, 7, 3), kind="triwulan", chair="Ketua", participants="A",
                               participant_count=None, as_of_month=6, notes="", by="admin", nomor="005/PL/2025")
    assert monev.meeting(store, new)["nomor"] == "005/PL/2025"
    letterhead.set_logo(store, logo_png(), "logo.png", "admin")
    assert letterhead.logo_bytes(letterhead.letterhead(store)) == logo_png()
    with pytest.raises(sa.exc.DBAPIError), store.transaction() as conn:
        conn.execute(sa.text("DELETE FROM lembar_logos"))
    store.database.dispose()


# --- revision 0009: every KPU office ------------------------------------------------------------------------

def test_a_revision_0008_database_gains_every_kpu_office_keeping_its_own_rows(tmp_path, database_url):
    data_dir, url = database_at("0008", tmp_path, database_url)  # 6203 stored as a top office
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.execute(sa.text("INSERT INTO offices (code, name, parent, created_at, zona_waktu) VALUES "
                             "('62', 'KPU Kalteng (nama lama)', NULL, '2025-01-01', 'WITA'), "
                             "('lokal', 'Kantor Sendiri', NULL, '2025-01-01', NULL)"))
        own = conn.execute(sa.text("SELECT * FROM offices ORDER BY code")).all()
    engine.dispose()
    database = Database(data_dir, database_url)
    with database.reading() as conn:
        rows = {row.code: row for row in conn.execute(sa.text("SELECT * FROM offices"))}
    assert database.revision() == database_module.HEAD
    assert len(rows) == 553 + 1 and all(rows[row.code] == row for row in own)  # its own rows as they were
    assert (rows["6201"].name, rows["6201"].parent, rows["6201"].zona_waktu) == (
        "KPU Kabupaten Kotawaringin Barat", "62", None)
    assert (rows["9171"].name, rows["9171"].parent) == ("KPU Kota Jayapura", "91")
    database.dispose()
