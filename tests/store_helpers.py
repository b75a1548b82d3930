"""Databases as earlier code left them, for the schema tests: a data directory from before versioned migrations,
and a database at an earlier Alembic revision."""

import contextlib
import json
import sqlite3
from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.config import Config

from realisasi_helpers import PASSWORD
from zi_data.base import paths
from zi_data.store import database
from zi_data.store.accounts import hash_password

UNVERSIONED_SCHEMA = Path(__file__).parent / "data" / "unversioned_schema.sql"
T = "2025-10-0{}T01:00:00+00:00"
PLAN_ROW = "'Area I', '1', 1, 'K1', 'Ind', 'Langkah', 'SK', 'Tim Pengawasan', '[1, 2]', 5"


def unversioned_data_dir(path: Path, attrs: dict | None = None) -> Path:
    """A data directory as the code before versioned migrations made it (its schema, kept in
    tests/data): a seeded plan, progress, a plan revision with a renamed ID and carried-over progress,
    an undo, an upload of the older kind 'plan', two accounts, a failed sign-in and the audit trail."""
    paths.private_dir(path)
    with contextlib.closing(sqlite3.connect(path / database.DB_NAME)) as conn:
        conn.executescript(UNVERSIONED_SCHEMA.read_text())
        attrs_json = json.dumps(attrs or {})
        conn.executescript(f"""
            INSERT INTO plan_versions VALUES (1, '{T.format(1)}', 'rencana.xlsx', '{'a' * 64}', 'sistem', '{attrs_json}');
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


ACCOUNT = {"name_key": "koordinator", "name": "Koordinator", "role": "admin", "team": "", "office": "6203",
           "password_hash": "scrypt$16384$8$1$00$00", "created_at": "2025-01-02T03:04:05+00:00"}


def database_at(revision: str, tmp_path: Path, database_url: str | None) -> tuple[Path, str]:
    """A data directory under `tmp_path` and its database (`database_url`, else its SQLite file) migrated to
    `revision` only, holding office 6203 and ACCOUNT: (the data directory, the database's URL)."""
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    url = database_url or f"sqlite:///{data_dir / 'zi_monitor.sqlite3'}"
    engine = sa.create_engine(url)
    config = Config()
    config.set_main_option("script_location", str(database.SCHEMA_DIR))
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, revision)
        conn.execute(sa.text("INSERT INTO offices (code, name, parent, created_at) VALUES "
                             "('6203', 'KPU Kabupaten Kapuas', NULL, '2025-01-01')"))
        conn.execute(sa.text(f"INSERT INTO accounts ({', '.join(ACCOUNT)}) VALUES "
                             f"({', '.join(':' + key for key in ACCOUNT)})"), ACCOUNT)
    engine.dispose()
    return data_dir, url
