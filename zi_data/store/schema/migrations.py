"""The database schema as numbered migrations; the number applied is kept in PRAGMA user_version.

Opening an up-to-date store only reads that number. Otherwise the store takes the write lock
(BEGIN IMMEDIATE) and calls `migrate`, which reads the number again (another process may have
migrated meanwhile) and applies the missing migrations in that transaction, so they land whole or
not at all.

A migration is history: once released it is never edited; a change is a new migration appended
to MIGRATIONS. Migration 1 is the schema as it was before versioning, written with IF NOT EXISTS,
so a data directory made then (all tables, version 0) is upgraded in place with nothing lost.
"""

import sqlite3

from . import append_only

FIRST_SCHEMA = """
CREATE TABLE IF NOT EXISTS plan_versions (
    version INTEGER PRIMARY KEY,
    created_at TEXT NOT NULL,
    source_name TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    created_by TEXT NOT NULL,
    attrs TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS plan_items (
    version INTEGER NOT NULL REFERENCES plan_versions(version),
    position INTEGER NOT NULL,
    id TEXT NOT NULL, area TEXT NOT NULL, area_name TEXT NOT NULL, no TEXT NOT NULL,
    komponen_pos INTEGER NOT NULL, komponen TEXT NOT NULL, indikator TEXT NOT NULL,
    langkah_aksi TEXT NOT NULL, bukti_fisik TEXT NOT NULL, penanggung_jawab TEXT NOT NULL,
    bulan TEXT NOT NULL, row INTEGER NOT NULL,
    PRIMARY KEY (version, position)
);
CREATE TABLE IF NOT EXISTS uploads (
    upload_id INTEGER PRIMARY KEY AUTOINCREMENT,
    created_at TEXT NOT NULL,
    file_name TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    archive_name TEXT NOT NULL,
    uploaded_by TEXT NOT NULL,
    kind TEXT NOT NULL,
    counts TEXT NOT NULL,
    base_revision INTEGER NOT NULL,
    undoes INTEGER REFERENCES uploads(upload_id)
);
CREATE TABLE IF NOT EXISTS entries (
    entry_id INTEGER PRIMARY KEY AUTOINCREMENT,
    item_id TEXT NOT NULL,
    month INTEGER NOT NULL CHECK (month BETWEEN 1 AND 12),
    status TEXT NOT NULL CHECK (status IN ('Selesai', 'Sebagian', 'Belum', '')),
    bukti_dukung TEXT NOT NULL,
    tanggal TEXT NOT NULL,
    catatan TEXT NOT NULL,
    reported_by TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    upload_id INTEGER REFERENCES uploads(upload_id)
);
CREATE INDEX IF NOT EXISTS entries_item_month ON entries (item_id, month, entry_id);
CREATE INDEX IF NOT EXISTS entries_upload ON entries (upload_id);
CREATE TABLE IF NOT EXISTS audit_log (
    event_id INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    details TEXT NOT NULL,
    sha256 TEXT NOT NULL DEFAULT ''
);
CREATE TABLE IF NOT EXISTS id_renames (
    rename_id INTEGER PRIMARY KEY AUTOINCREMENT,
    version INTEGER NOT NULL REFERENCES plan_versions(version),
    old_id TEXT NOT NULL,
    new_id TEXT NOT NULL,
    upload_id INTEGER REFERENCES uploads(upload_id),
    at TEXT NOT NULL,
    renamed_by TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS plan_version_sources (
    version INTEGER PRIMARY KEY REFERENCES plan_versions(version),
    upload_id INTEGER REFERENCES uploads(upload_id),
    restores INTEGER REFERENCES plan_versions(version)
);
CREATE TABLE IF NOT EXISTS accounts (
    name TEXT PRIMARY KEY COLLATE NOCASE,
    role TEXT NOT NULL CHECK (role IN ('editor', 'admin')),
    team TEXT NOT NULL DEFAULT '',
    password_hash TEXT NOT NULL,
    failures INTEGER NOT NULL DEFAULT 0,  -- unused since sign_in_failures; kept for old data directories
    last_failure_at TEXT,
    created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS sign_in_failures (
    name_key TEXT PRIMARY KEY,  -- SHA-256 of the typed name, stripped and casefolded, account or not
    failures INTEGER NOT NULL,
    last_failure_at TEXT NOT NULL
);
"""
# The history tables of migration 1; a later migration adding one creates its triggers itself.
FIRST_HISTORY_TABLES = ("plan_versions", "plan_items", "uploads", "entries", "audit_log", "id_renames",
                        "plan_version_sources")


def create_first_schema(conn) -> None:
    """Migration 1: every table, index and append-only trigger (older directories lack some triggers)."""
    for statement in _statements(FIRST_SCHEMA + append_only.schema_sql(FIRST_HISTORY_TABLES)):
        conn.execute(statement)


def rename_upload_kinds(conn) -> None:
    """Migration 2: stored upload kinds people read are Indonesian: plan -> rencana, undo -> pembatalan.

    `uploads` refuses UPDATE (append-only); this schema change lifts that trigger for its own
    transaction only and puts it back before committing.
    """
    conn.execute("DROP TRIGGER uploads_no_update")
    conn.execute("UPDATE uploads SET kind = CASE kind WHEN 'plan' THEN 'rencana' ELSE 'pembatalan' END "
                 "WHERE kind IN ('plan', 'undo')")
    conn.execute(append_only.update_trigger_sql("uploads"))


def rename_planned_months_column(conn) -> None:
    """Migration 3: the plan's planned months are `months` in the code (naming rule 5) and so in the table."""
    conn.execute("ALTER TABLE plan_items RENAME COLUMN bulan TO months")


MIGRATIONS = (create_first_schema, rename_upload_kinds, rename_planned_months_column)
LATEST_VERSION = len(MIGRATIONS)


def schema_version(conn) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def migrate(conn) -> None:
    """Apply the migrations `conn`'s database lacks.

    Called inside the caller's write transaction (BEGIN IMMEDIATE), after the version read
    outside it said a migration is due: read again here, it may have been done meanwhile.
    """
    version = schema_version(conn)
    for migration in MIGRATIONS[version:]:
        migration(conn)
    if version < LATEST_VERSION:
        conn.execute(f"PRAGMA user_version = {LATEST_VERSION}")


def _statements(script: str) -> list[str]:
    """`script` split into statements (executescript would commit the open transaction)."""
    statements, pending = [], ""
    for line in script.splitlines(keepends=True):
        pending += line
        if sqlite3.complete_statement(pending):
            statements.append(pending.strip())
            pending = ""
    return [s for s in statements if s]
