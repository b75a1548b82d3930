-- The schema of a data directory made before versioned migrations (PRAGMA user_version 0),
-- as sqlite_master held it: tests/test_migrations.py builds such a directory from it.
CREATE TABLE plan_versions (
    version INTEGER PRIMARY KEY,
    created_at TEXT NOT NULL,
    source_name TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    created_by TEXT NOT NULL,
    attrs TEXT NOT NULL
);
CREATE TABLE plan_items (
    version INTEGER NOT NULL REFERENCES plan_versions(version),
    position INTEGER NOT NULL,
    id TEXT NOT NULL, area TEXT NOT NULL, area_name TEXT NOT NULL, no TEXT NOT NULL,
    komponen_pos INTEGER NOT NULL, komponen TEXT NOT NULL, indikator TEXT NOT NULL,
    langkah_aksi TEXT NOT NULL, bukti_fisik TEXT NOT NULL, penanggung_jawab TEXT NOT NULL,
    bulan TEXT NOT NULL, row INTEGER NOT NULL,
    PRIMARY KEY (version, position)
);
CREATE TABLE uploads (
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
CREATE TABLE entries (
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
CREATE INDEX entries_item_month ON entries (item_id, month, entry_id);
CREATE INDEX entries_upload ON entries (upload_id);
CREATE TABLE audit_log (
    event_id INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    details TEXT NOT NULL,
    sha256 TEXT NOT NULL DEFAULT ''
);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TABLE id_renames (
    rename_id INTEGER PRIMARY KEY AUTOINCREMENT,
    version INTEGER NOT NULL REFERENCES plan_versions(version),
    old_id TEXT NOT NULL,
    new_id TEXT NOT NULL,
    upload_id INTEGER REFERENCES uploads(upload_id),
    at TEXT NOT NULL,
    renamed_by TEXT NOT NULL
);
CREATE TABLE plan_version_sources (
    version INTEGER PRIMARY KEY REFERENCES plan_versions(version),
    upload_id INTEGER REFERENCES uploads(upload_id),
    restores INTEGER REFERENCES plan_versions(version)
);
CREATE TRIGGER plan_versions_no_update BEFORE UPDATE ON plan_versions BEGIN SELECT RAISE(ABORT, 'plan_versions is append-only'); END;
CREATE TRIGGER plan_versions_no_delete BEFORE DELETE ON plan_versions BEGIN SELECT RAISE(ABORT, 'plan_versions is append-only'); END;
CREATE TRIGGER plan_versions_no_replace BEFORE INSERT ON plan_versions WHEN EXISTS (SELECT 1 FROM plan_versions WHERE version = NEW.version) BEGIN SELECT RAISE(ABORT, 'plan_versions is append-only'); END;
CREATE TRIGGER plan_versions_positive_key AFTER INSERT ON plan_versions WHEN NEW.version < 1 BEGIN SELECT RAISE(ABORT, 'plan_versions keys start at 1'); END;
CREATE TRIGGER plan_items_no_update BEFORE UPDATE ON plan_items BEGIN SELECT RAISE(ABORT, 'plan_items is append-only'); END;
CREATE TRIGGER plan_items_no_delete BEFORE DELETE ON plan_items BEGIN SELECT RAISE(ABORT, 'plan_items is append-only'); END;
CREATE TRIGGER plan_items_no_replace BEFORE INSERT ON plan_items WHEN EXISTS (SELECT 1 FROM plan_items WHERE version = NEW.version AND position = NEW.position) BEGIN SELECT RAISE(ABORT, 'plan_items is append-only'); END;
CREATE TRIGGER uploads_no_update BEFORE UPDATE ON uploads BEGIN SELECT RAISE(ABORT, 'uploads is append-only'); END;
CREATE TRIGGER uploads_no_delete BEFORE DELETE ON uploads BEGIN SELECT RAISE(ABORT, 'uploads is append-only'); END;
CREATE TRIGGER uploads_no_replace BEFORE INSERT ON uploads WHEN EXISTS (SELECT 1 FROM uploads WHERE upload_id = NEW.upload_id) BEGIN SELECT RAISE(ABORT, 'uploads is append-only'); END;
CREATE TRIGGER uploads_positive_key AFTER INSERT ON uploads WHEN NEW.upload_id < 1 BEGIN SELECT RAISE(ABORT, 'uploads keys start at 1'); END;
CREATE TRIGGER entries_no_update BEFORE UPDATE ON entries BEGIN SELECT RAISE(ABORT, 'entries is append-only'); END;
CREATE TRIGGER entries_no_delete BEFORE DELETE ON entries BEGIN SELECT RAISE(ABORT, 'entries is append-only'); END;
CREATE TRIGGER entries_no_replace BEFORE INSERT ON entries WHEN EXISTS (SELECT 1 FROM entries WHERE entry_id = NEW.entry_id) BEGIN SELECT RAISE(ABORT, 'entries is append-only'); END;
CREATE TRIGGER entries_positive_key AFTER INSERT ON entries WHEN NEW.entry_id < 1 BEGIN SELECT RAISE(ABORT, 'entries keys start at 1'); END;
CREATE TRIGGER audit_log_no_replace BEFORE INSERT ON audit_log WHEN EXISTS (SELECT 1 FROM audit_log WHERE event_id = NEW.event_id) BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_positive_key AFTER INSERT ON audit_log WHEN NEW.event_id < 1 BEGIN SELECT RAISE(ABORT, 'audit_log keys start at 1'); END;
CREATE TRIGGER id_renames_no_update BEFORE UPDATE ON id_renames BEGIN SELECT RAISE(ABORT, 'id_renames is append-only'); END;
CREATE TRIGGER id_renames_no_delete BEFORE DELETE ON id_renames BEGIN SELECT RAISE(ABORT, 'id_renames is append-only'); END;
CREATE TRIGGER id_renames_no_replace BEFORE INSERT ON id_renames WHEN EXISTS (SELECT 1 FROM id_renames WHERE rename_id = NEW.rename_id) BEGIN SELECT RAISE(ABORT, 'id_renames is append-only'); END;
CREATE TRIGGER id_renames_positive_key AFTER INSERT ON id_renames WHEN NEW.rename_id < 1 BEGIN SELECT RAISE(ABORT, 'id_renames keys start at 1'); END;
CREATE TRIGGER plan_version_sources_no_update BEFORE UPDATE ON plan_version_sources BEGIN SELECT RAISE(ABORT, 'plan_version_sources is append-only'); END;
CREATE TRIGGER plan_version_sources_no_delete BEFORE DELETE ON plan_version_sources BEGIN SELECT RAISE(ABORT, 'plan_version_sources is append-only'); END;
CREATE TRIGGER plan_version_sources_no_replace BEFORE INSERT ON plan_version_sources WHEN EXISTS (SELECT 1 FROM plan_version_sources WHERE version = NEW.version) BEGIN SELECT RAISE(ABORT, 'plan_version_sources is append-only'); END;
CREATE TABLE accounts (
    name TEXT PRIMARY KEY COLLATE NOCASE,
    role TEXT NOT NULL CHECK (role IN ('editor', 'admin')),
    team TEXT NOT NULL DEFAULT '',
    password_hash TEXT NOT NULL,
    failures INTEGER NOT NULL DEFAULT 0,  -- unused since sign_in_failures; kept for old data directories
    last_failure_at TEXT,
    created_at TEXT NOT NULL
);
CREATE TABLE sign_in_failures (
    name_key TEXT PRIMARY KEY,  -- SHA-256 of the typed name, stripped and casefolded, account or not
    failures INTEGER NOT NULL,
    last_failure_at TEXT NOT NULL
);
