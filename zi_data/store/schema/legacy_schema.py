"""Data directories made before offices and years (SQLite, PRAGMA user_version 0–3): converted in place.

Such a directory holds one office's one plan year. Its office is found by the plan's office name in
the bundled office list (data/kantor_*.csv; the office and its parents are added), else it becomes an
office of its own with code ledgers.LOCAL_OFFICE; its year is the plan's. Conversion runs inside the
database's migration transaction (database.py): first the old migrations bring the old tables to
their last shape (migrations.py), `set_aside` renames them to legacy_<name> without their triggers,
Alembic creates the new schema, and `convert` copies every row across, keeping every number (entry,
upload, event, version) and then drops the old tables. It all commits at once or not at all.
"""

import json
from datetime import datetime

import sqlalchemy as sa

from . import migrations
from ..ledgers import add_office_chain
from ...base.clock import utc_now

LEGACY_TABLES = ("plan_versions", "uploads", "plan_items", "entries", "audit_log", "id_renames",
                 "plan_version_sources", "accounts", "sign_in_failures")  # each before the tables that refer to it
LEDGER_ID = 1
ACCOUNT_ACTIONS = ("akun_ditambah", "akun_dihapus", "kata_sandi_diganti", "akun_dikunci", "masuk", "keluar",
                   "masuk_gagal", "masuk_ditahan")  # events of no plan year


def is_legacy(conn) -> bool:
    tables = set(sa.inspect(conn).get_table_names())
    return "entries" in tables and "alembic_version" not in tables


def set_aside(conn) -> None:
    raw = conn.connection.driver_connection
    migrations.migrate(raw)
    for (trigger,) in raw.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'").fetchall():
        raw.execute(f'DROP TRIGGER "{trigger}"')
    for (index,) in raw.execute("SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL").fetchall():
        raw.execute(f'DROP INDEX "{index}"')
    for table in LEGACY_TABLES:
        raw.execute(f"ALTER TABLE {table} RENAME TO legacy_{table}")


def convert(conn) -> None:
    raw = conn.connection.driver_connection
    attrs = json.loads((raw.execute("SELECT attrs FROM legacy_plan_versions ORDER BY version LIMIT 1").fetchone()
                        or ("{}",))[0])
    office = add_office_chain(conn, str(attrs.get("office") or ""))
    first_at = (raw.execute("SELECT MIN(created_at) FROM legacy_plan_versions").fetchone()[0]
                or utc_now("auto"))
    raw.execute("INSERT INTO ledgers (ledger_id, office, year, created_at, created_by) VALUES (?, ?, ?, ?, ?)",
                (LEDGER_ID, office, int(attrs.get("year") or datetime.now().year), first_at, "sistem"))
    for statement in _copy_statements():
        raw.execute(statement, {"ledger": LEDGER_ID, "office": office})
    raw.executemany("INSERT INTO plan_schedule (ledger_id, version, position, item_id, month) VALUES (?, ?, ?, ?, ?)",
                    [(LEDGER_ID, version, position, item_id, int(month))
                     for version, position, item_id, months in raw.execute(
                         "SELECT version, position, id, months FROM legacy_plan_items").fetchall()
                     for month in json.loads(months)])
    raw.executemany("INSERT INTO accounts (name_key, name, role, team, office, password_hash, created_at) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?)",
                    [(name.strip().casefold(), name, role, team, office, password_hash, created_at)
                     for name, role, team, password_hash, created_at in raw.execute(
                         "SELECT name, role, team, password_hash, created_at FROM legacy_accounts").fetchall()])
    for table in reversed(LEGACY_TABLES):  # tables that refer to others first
        raw.execute(f"DROP TABLE legacy_{table}")
    raw.execute(f"PRAGMA user_version = {migrations.LATEST_VERSION + 1}")


def _copy_statements() -> list[str]:
    account_actions = ", ".join(f"'{action}'" for action in ACCOUNT_ACTIONS)
    return [
        "INSERT INTO plan_versions SELECT :ledger, version, created_at, source_name, sha256, created_by, attrs "
        "FROM legacy_plan_versions ORDER BY version",
        "INSERT INTO plan_items SELECT :ledger, version, position, id, area, area_name, no, komponen_pos, komponen, "
        "indikator, langkah_aksi, bukti_fisik, penanggung_jawab, months, row FROM legacy_plan_items "
        "ORDER BY version, position",
        "INSERT INTO uploads SELECT upload_id, :ledger, created_at, file_name, sha256, archive_name, uploaded_by, "
        "kind, counts, base_revision, undoes FROM legacy_uploads ORDER BY upload_id",
        "INSERT INTO entries SELECT entry_id, :ledger, item_id, month, status, bukti_dukung, tanggal, catatan, "
        "reported_by, recorded_at, upload_id FROM legacy_entries ORDER BY entry_id",
        f"INSERT INTO audit_log SELECT event_id, CASE WHEN action IN ({account_actions}) THEN NULL ELSE :ledger END, "
        ":office, at, actor, action, details, sha256 FROM legacy_audit_log ORDER BY event_id",
        "INSERT INTO id_renames SELECT rename_id, :ledger, version, old_id, new_id, upload_id, at, renamed_by "
        "FROM legacy_id_renames ORDER BY rename_id",
        "INSERT INTO plan_version_sources SELECT :ledger, version, upload_id, restores "
        "FROM legacy_plan_version_sources ORDER BY version",
        "INSERT INTO sign_in_failures SELECT name_key, failures, last_failure_at FROM legacy_sign_in_failures",
    ]
