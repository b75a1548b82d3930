"""The progress log and the plan versions, kept in SQLite in the data directory.

The unit of progress is one langkah aksi in one month (an item-month). Entries
are only ever appended: the current state of an item-month is its latest entry
and the full history stays queryable. An entry with status NO_REPORT ("") means
'no report' (written when an upload is undone) and hides the item-month from
`latest()`.

Each report is checked and normalised by progress_rows before it is appended.

Plans are versioned the same way: the bundled workbook seeds version 1, a
revised plan becomes a new version, and progress stays attached by item ID (a
renamed ID keeps its progress only through a confirmed rename; see plan_history).

The store owns the database: the schema is migrated once (migrations.py; opening an
up-to-date store only reads its version), accounts are `store.accounts`, and every
module reads through `reading()` and writes through `transaction()`. The history
tables are append-only in the database itself (see append_only.py); the data
directory is 0700 and its files 0600 (see paths.py).

Writers serialise through `transaction()` (BEGIN IMMEDIATE, busy timeout), so several
processes may share one data directory; readers take no lock and see one snapshot.
"""

import contextlib
import hashlib
import json
import os
import re
import sqlite3
import tempfile
import threading
from datetime import datetime, timezone
from pathlib import Path

import pandas as pd

from . import audit, migrations, paths, plan_history
from .accounts import Accounts
from .history import UNDO_KIND
from .plan import PLAN_COLUMNS, read_plan
from .progress_rows import NO_REPORT, report_rows

ENTRY_COLUMNS = ["entry_id", "item_id", "month", "status", "bukti_dukung", "tanggal", "catatan",
                 "reported_by", "recorded_at", "upload_id"]
UPLOAD_COLUMNS = ["upload_id", "created_at", "file_name", "sha256", "archive_name", "uploaded_by", "kind",
                  "counts", "undone_by", "base_revision", "undoes"]
REPORT_COLUMNS = ["item_id", "month", "status", "bukti_dukung", "tanggal", "catatan", "reported_by"]
DB_NAME = "zi_monitor.sqlite3"
ARCHIVE_DIR = "archive"
ARCHIVE_NAME = re.compile(r"^[0-9a-f]{64}\.xlsx$")
BUSY_TIMEOUT_MS = 30_000
SEED_AUTHOR = "sistem"
TEXT_PLAN_COLUMNS = ["id", "area", "area_name", "no", "komponen", "indikator", "langkah_aksi", "bukti_fisik",
                     "penanggung_jawab"]

def utc_now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="microseconds")


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class ProgressStore:
    """The SQLite database <data_dir>/zi_monitor.sqlite3 and the archive of uploaded files."""

    def __init__(self, data_dir: Path):
        self.data_dir = paths.private_dir(Path(data_dir))
        self.db_path = self.data_dir / DB_NAME
        paths.private_file(self.db_path)
        for suffix in ("-wal", "-shm"):  # SQLite creates these with the database file's mode; older ones:
            paths.tighten(self.db_path.with_name(DB_NAME + suffix), paths.PRIVATE_FILE_MODE)
        self._readers = threading.local()
        self._migrate()

    @classmethod
    def open(cls, data_dir=None) -> "ProgressStore":
        return cls(paths.data_dir(data_dir))

    def _connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self.db_path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
        conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        return conn

    @contextlib.contextmanager
    def transaction(self):
        """A connection inside BEGIN IMMEDIATE: committed on success, rolled back on error."""
        conn = self._connect()
        try:
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")
        finally:
            conn.close()

    def _reader(self) -> sqlite3.Connection:
        """This thread's connection for reads, kept while the store lives (SQLite parses the schema once per
        connection); `query_only`, so nothing is ever written through it."""
        conn = getattr(self._readers, "conn", None)
        if conn is None:
            conn = self._readers.conn = self._connect()
            conn.execute("PRAGMA query_only = ON")
        return conn

    @contextlib.contextmanager
    def reading(self):
        """A connection inside a read transaction: one snapshot, no lock that would stop a writer."""
        conn = self._reader()
        if conn.in_transaction:  # already reading: the same snapshot
            yield conn
            return
        conn.execute("BEGIN")
        try:
            yield conn
        finally:
            conn.execute("COMMIT")

    def _query(self, sql: str, params=()) -> list[tuple]:
        return self._reader().execute(sql, params).fetchall()  # autocommit: its own snapshot

    def _migrate(self) -> None:
        """Migrate the schema and seed the bundled plan, once per data directory (see migrations.py)."""
        if migrations.schema_version(self._reader()) >= migrations.LATEST_VERSION:
            return
        with contextlib.closing(self._connect()) as conn:  # WAL is kept in the file; set outside a transaction
            conn.execute("PRAGMA journal_mode=WAL")
        plan_file = paths.BUNDLED_PLAN
        with self.transaction() as conn:
            migrations.migrate(conn)
            if not self._has_plan(conn):
                data = plan_file.read_bytes()
                self.add_plan_version(read_plan(data, plan_file.name), plan_file.name, sha256_of(data),
                                      SEED_AUTHOR, conn)

    @property
    def accounts(self) -> Accounts:
        """The editor and admin accounts, in this store's database."""
        return Accounts(self)

    # --- plan versions -------------------------------------------------------------------------

    def _has_plan(self, conn) -> bool:
        return bool(conn.execute("SELECT EXISTS (SELECT 1 FROM plan_versions)").fetchone()[0])

    def plan_version(self) -> int:
        return int(self._query("SELECT COALESCE(MAX(version), 0) FROM plan_versions")[0][0])

    def add_plan_version(self, plan: pd.DataFrame, source_name: str, sha256: str, by: str, conn=None) -> int:
        """Store `plan` (as returned by read_plan) as the next version and return its number."""
        if conn is None:
            with self.transaction() as own:
                return self.add_plan_version(plan, source_name, sha256, by, own)
        version = int(conn.execute("SELECT COALESCE(MAX(version), 0) + 1 FROM plan_versions").fetchone()[0])
        attrs = {k: v for k, v in plan.attrs.items() if k != "plan_version"}
        conn.execute("INSERT INTO plan_versions VALUES (?, ?, ?, ?, ?, ?)",
                     (version, utc_now(), source_name, sha256, by, json.dumps(attrs, ensure_ascii=False, default=str)))
        rows = plan[PLAN_COLUMNS].assign(
            months=plan["months"].map(lambda months: json.dumps([int(m) for m in months])))
        conn.executemany(
            f"INSERT INTO plan_items (version, position, {', '.join(PLAN_COLUMNS)}) "
            f"VALUES (?, ?, {', '.join('?' * len(PLAN_COLUMNS))})",
            [(version, position, *(_plain(v) for v in row))
             for position, row in enumerate(rows.itertuples(index=False, name=None))])
        return version

    def plan(self, version: int | None = None) -> pd.DataFrame:
        """The plan of `version` (default: the latest), shaped like read_plan's result."""
        version = version or self.plan_version()
        header = self._query("SELECT attrs FROM plan_versions WHERE version = ?", (version,))
        if not header:
            raise ValueError(f"Rencana aksi versi {version} tidak ada.")
        rows = self._query(f"SELECT {', '.join(PLAN_COLUMNS)} FROM plan_items WHERE version = ? ORDER BY position",
                           (version,))
        plan = pd.DataFrame.from_records(rows, columns=PLAN_COLUMNS)
        plan["months"] = plan["months"].map(lambda text: tuple(json.loads(text)))
        plan = plan.astype({c: "str" for c in TEXT_PLAN_COLUMNS} | {"komponen_pos": "int64", "row": "int64"})
        plan.attrs.update(json.loads(header[0][0]))
        plan.attrs["plan_version"] = version
        return plan

    def plan_versions(self) -> pd.DataFrame:
        rows = self._query("SELECT version, created_at, source_name, sha256, created_by FROM plan_versions "
                           "ORDER BY version")
        return pd.DataFrame.from_records(rows, columns=["version", "created_at", "source_name", "sha256", "created_by"])

    # --- progress entries ----------------------------------------------------------------------

    def revision(self) -> int:
        """The newest entry_id (0 when empty): identifies the state a download was made from."""
        return int(self._query("SELECT COALESCE(MAX(entry_id), 0) FROM entries")[0][0])

    def entries(self, through_revision: int | None = None) -> pd.DataFrame:
        """The full history, ordered by entry_id."""
        rows = self._query(f"SELECT {', '.join(ENTRY_COLUMNS)} FROM entries WHERE entry_id <= ? ORDER BY entry_id",
                           (_revision_bound(through_revision),))
        return _entries_frame(rows)

    def latest(self, through_revision: int | None = None) -> pd.DataFrame:
        """The current state: the latest entry of each (item_id, month), 'no report' markers left out."""
        columns = ", ".join(f"e.{c}" for c in ENTRY_COLUMNS)
        rows = self._query(
            f"SELECT {columns} FROM entries e JOIN ("
            "  SELECT MAX(entry_id) AS entry_id FROM entries WHERE entry_id <= ? GROUP BY item_id, month"
            f") newest USING (entry_id) WHERE e.status != ? ORDER BY e.entry_id",
            (_revision_bound(through_revision), NO_REPORT))
        return _entries_frame(rows)

    def append_entries(self, conn, entries: pd.DataFrame, upload_id: int | None) -> int:
        """Append reports (columns REPORT_COLUMNS; missing text columns count as empty).

        `tanggal` may be a date, a Timestamp, an ISO string or empty. Raises ValueError
        for an unknown status or a month outside 1–12; nothing is written then.
        """
        rows = report_rows(entries)
        recorded_at = utc_now()
        conn.executemany(
            f"INSERT INTO entries ({', '.join(ENTRY_COLUMNS[1:])}) VALUES ({', '.join('?' * (len(ENTRY_COLUMNS) - 1))})",
            [(*row, recorded_at, upload_id) for row in rows])
        return len(rows)

    # --- uploads and their archive -------------------------------------------------------------

    def record_upload(self, conn, file_name: str, sha256: str, archive_name: str, uploaded_by: str, kind: str,
                      counts: dict, base_revision: int, undoes: int | None = None) -> int:
        cursor = conn.execute(
            "INSERT INTO uploads (created_at, file_name, sha256, archive_name, uploaded_by, kind, counts, "
            "base_revision, undoes) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (utc_now(), file_name, sha256, archive_name, uploaded_by, kind,
             json.dumps(counts, ensure_ascii=False, default=str), int(base_revision), undoes))
        return int(cursor.lastrowid)

    def uploads(self) -> pd.DataFrame:
        """Every upload, oldest first; `undone_by` is the id of the upload that undid it, if any."""
        rows = self._query(
            "SELECT u.upload_id, u.created_at, u.file_name, u.sha256, u.archive_name, u.uploaded_by, u.kind, "
            "u.counts, (SELECT MAX(x.upload_id) FROM uploads x WHERE x.undoes = u.upload_id), "
            "u.base_revision, u.undoes FROM uploads u ORDER BY u.upload_id")
        frame = pd.DataFrame.from_records(rows, columns=UPLOAD_COLUMNS)
        frame["counts"] = frame["counts"].map(json.loads)
        return frame.astype({"undone_by": "Int64", "undoes": "Int64"})

    def archive_path(self, archive_name: str) -> Path:
        """<data_dir>/archive/<archive_name>; only names made by archive_file are accepted."""
        if not ARCHIVE_NAME.match(archive_name or ""):
            raise ValueError(f"Nama arsip tidak sah: {archive_name!r}")
        return self.data_dir / ARCHIVE_DIR / archive_name

    def archive_file(self, data: bytes, sha256: str) -> str:
        """Keep an uploaded file under its content hash (written atomically); returns its archive name."""
        if sha256_of(data) != sha256:
            raise ValueError("Isi berkas tidak cocok dengan sidik SHA-256 yang diberikan.")
        target = self.archive_path(f"{sha256}.xlsx")
        paths.private_dir(target.parent)
        if not target.exists():
            handle, temp = tempfile.mkstemp(dir=target.parent, prefix=".incoming-")  # mode 0600
            try:
                with os.fdopen(handle, "wb") as out:
                    out.write(data)
                    out.flush()
                    os.fsync(out.fileno())
                os.replace(temp, target)
            except BaseException:
                Path(temp).unlink(missing_ok=True)
                raise
        return target.name

    def undo_upload(self, upload_id: int, by: str) -> int:
        """Undo an upload by appending, for each item-month it touched, the entry current before it.

        Item-months that had no report before get a NO_REPORT entry. History is kept.
        Refused (ValueError) when the upload does not exist, is itself an undo, was already undone, or when a
        later entry changed one of its item-months and still counts: undoing it then would
        silently overwrite newer work. Entries of uploads already undone, and of the undos
        themselves, do not count, so uploads can be undone newest first, one after another. Returns the id of the new UNDO_KIND upload.
        An upload that revised the plan also brings back the plan in force before it, as a new version
        (refused when the plan was revised again since; see plan_history.plan_to_restore).
        """
        with self.transaction() as conn:
            found = conn.execute("SELECT file_name, sha256, kind FROM uploads WHERE upload_id = ?",
                                 (upload_id,)).fetchone()
            if found is None:
                raise ValueError(f"Unggahan nomor {upload_id} tidak ditemukan.")
            if found[2] == UNDO_KIND:
                raise ValueError(f"Nomor {upload_id} adalah pembatalan dan tidak dapat dibatalkan lagi; "
                                 "unggah ulang berkas aslinya bila perlu.")
            undone_by = conn.execute("SELECT upload_id FROM uploads WHERE undoes = ?", (upload_id,)).fetchone()
            if undone_by:
                raise ValueError(f"Unggahan nomor {upload_id} sudah dibatalkan (oleh pembatalan nomor {undone_by[0]}).")
            newer = conn.execute(
                "SELECT COUNT(DISTINCT later.item_id || '/' || later.month) FROM entries mine "
                "JOIN entries later ON later.item_id = mine.item_id AND later.month = mine.month "
                "AND later.entry_id > mine.entry_id AND later.upload_id IS NOT mine.upload_id "
                "WHERE mine.upload_id = ? AND COALESCE(later.upload_id, 0) NOT IN ("
                "  SELECT upload_id FROM uploads WHERE kind = ? "
                "  UNION SELECT undoes FROM uploads WHERE undoes IS NOT NULL)", (upload_id, UNDO_KIND)).fetchone()[0]
            if newer:
                raise ValueError(
                    f"Unggahan nomor {upload_id} tidak dapat dibatalkan: {newer} bulan-kegiatan yang diubahnya "
                    "sudah diperbarui oleh laporan sesudahnya. Batalkan dahulu unggahan yang lebih baru.")
            before = conn.execute(
                "SELECT touched.item_id, touched.month, COALESCE(prev.status, ''), COALESCE(prev.bukti_dukung, ''), "
                "COALESCE(prev.tanggal, ''), COALESCE(prev.catatan, ''), COALESCE(prev.reported_by, ?) "
                "FROM (SELECT item_id, month, MIN(entry_id) AS first_id FROM entries WHERE upload_id = ? "
                "      GROUP BY item_id, month) touched "
                "LEFT JOIN entries prev ON prev.entry_id = (SELECT MAX(p.entry_id) FROM entries p "
                "  WHERE p.item_id = touched.item_id AND p.month = touched.month AND p.entry_id < touched.first_id) "
                "ORDER BY touched.first_id", (by, upload_id)).fetchall()
            restore_version = plan_history.plan_to_restore(conn, upload_id)  # refused when revised again since
            cleared = sum(1 for row in before if row[2] == NO_REPORT)
            undo_id = self.record_upload(
                conn, found[0], found[1], "", by, UNDO_KIND, {"restored": len(before) - cleared, "cleared": cleared},
                _max_entry_id(conn), undoes=upload_id)
            recorded_at = utc_now()
            conn.executemany(
                f"INSERT INTO entries ({', '.join(ENTRY_COLUMNS[1:])}) VALUES ({', '.join('?' * (len(ENTRY_COLUMNS) - 1))})",
                [(*row, recorded_at, undo_id) for row in before])
            audit.record_event(conn, by, "batal_unggahan", {"unggahan": upload_id, "pembatalan": undo_id,
                                                            "berkas": found[0]}, found[1])
            if restore_version is not None:  # the upload revised the plan: the plan before it is in force again
                plan_history.restore_plan(self, conn, restore_version, upload_id, undo_id, by)
            return undo_id


def _max_entry_id(conn) -> int:
    return int(conn.execute("SELECT COALESCE(MAX(entry_id), 0) FROM entries").fetchone()[0])


def _revision_bound(through_revision: int | None) -> int:
    return 2**63 - 1 if through_revision is None else int(through_revision)


def _entries_frame(rows) -> pd.DataFrame:
    frame = pd.DataFrame.from_records(rows, columns=ENTRY_COLUMNS)
    return frame.astype({"entry_id": "int64", "month": "int64", "upload_id": "Int64",
                         **{c: "str" for c in ENTRY_COLUMNS if c not in ("entry_id", "month", "upload_id")}})


def _plain(value):
    """numpy scalars to Python values for sqlite3."""
    return value.item() if hasattr(value, "item") else value
