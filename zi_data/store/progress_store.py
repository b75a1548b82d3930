"""One office's progress log and plan versions for one plan year (a ledger), in the database.

The unit of progress is one langkah aksi in one month (an item-month). Entries
are only ever appended: the current state of an item-month is its latest entry
and the full history stays queryable. An entry with status NO_REPORT ("") means
'no report' (written when an upload is undone) and hides the item-month from
`latest()`.

Each report is checked and normalised by progress_rows before it is appended.

Plans are versioned the same way: a plan year starts with version 1, a revised plan
becomes a new version, and progress stays attached by item ID (a renamed ID keeps its
progress only through a confirmed rename; see plan_history, which works on the
connection and ledger id the store hands it). Another year is another ledger, with its
own versions, entries, uploads and audit events (see ledgers.py). A store opens an
existing ledger: a new database gets its first one, the bundled plan, from
plan_years.seed_bundled_plan, which the dashboard and the command line call when they
open a database (plan_years.open_seeded).

The database (database.py: SQLite in the data directory, or PostgreSQL) is owned by
one `Database` object shared by the stores of all its ledgers; every module reads
through `reading()` and writes through `transaction()`, which serialise writers.
The history tables are append-only in the database itself; the data directory is
0700 and its files 0600 (see paths.py).
"""

import contextlib
import json
import re
from pathlib import Path

import pandas as pd
import sqlalchemy as sa

from . import audit, ledgers, plan_history, rollup
from ..base import paths
from ..base.clock import utc_now
from .accounts import Accounts
from .database import Database
from ..base.history import UNDO_KIND
from .progress_rows import ENTRY_COLUMNS, NO_REPORT, append_reports, insert_rows
from ..base.problems import RefusedValue

UPLOAD_COLUMNS = ["upload_id", "created_at", "file_name", "sha256", "archive_name", "uploaded_by", "kind",
                  "counts", "undone_by", "base_revision", "undoes"]
ARCHIVE_DIR = "archive"
# <ledger_id>/<sha256>.xlsx (older: no folder); a browser form's record is <ledger_id>/<sha256>.json
ARCHIVE_NAME = re.compile(r"^(?:[1-9][0-9]{0,9}/)?[0-9a-f]{64}\.(?:xlsx|json)$")
ARCHIVE_SUFFIXES = (".xlsx", ".json")


class ProgressStore:
    """One ledger (office, plan year) of the database, and the archive of its uploaded files.

    `office` defaults to the database's home office, `year` to this calendar year's plan (else the
    latest); `database` is shared between the stores of one data directory (see with_ledger).
    ledgers.LedgerNotFound when there is no such ledger (a new database has none until it is seeded)."""

    def __init__(self, data_dir: Path | None = None, office: str | None = None, year: int | None = None, *,
                 database_url: str | None = None, database: Database | None = None):
        self.database = database or Database(Path(data_dir), database_url)
        self.data_dir = self.database.data_dir
        with self.reading() as conn:
            self.ledger_id, self.office, self.year = ledgers.find_ledger(conn, office, year)

    @classmethod
    def open(cls, data_dir=None, office: str | None = None, year: int | None = None) -> "ProgressStore":
        """The store of `data_dir`, else $ZI_DATA_DIR, else var/data (see paths.data_dir); never seeds."""
        return cls(paths.data_dir(data_dir), office, year)

    def with_ledger(self, office: str | None = None, year: int | None = None) -> "ProgressStore":
        """The store of another ledger of the same database."""
        return ProgressStore(office=office, year=year, database=self.database)

    def home_office(self) -> str:
        """The database's first office (see ledgers.home_office)."""
        with self.reading() as conn:
            return ledgers.home_office(conn)

    @property
    def scope(self) -> dict:
        """Where this store's audit events belong (audit.record_event's keywords)."""
        return {"ledger_id": self.ledger_id, "office": self.office}

    @contextlib.contextmanager
    def transaction(self):
        """The database's write transaction; what it changed in this ledger is counted for the roll-up
        (rollup.record_counts) before it commits."""
        with self.database.transaction() as conn:
            yield conn
            rollup.record_counts(conn, [self.ledger_id])

    def reading(self):
        return self.database.reading()

    @property
    def accounts(self) -> Accounts:
        """The accounts of this store's office, in the database."""
        return Accounts(self)

    # --- plan versions (plan_history) ----------------------------------------------------------

    def plan_version(self) -> int:
        with self.reading() as conn:
            return plan_history.newest_version(conn, self.ledger_id)

    def add_plan_version(self, plan: pd.DataFrame, source_name: str, sha256: str, by: str, conn=None) -> int:
        """Store `plan` (as returned by read_plan) as this ledger's next version and return its number."""
        if conn is None:
            with self.transaction() as own:
                return plan_history.add_plan_version(own, self.ledger_id, plan, source_name, sha256, by)
        return plan_history.add_plan_version(conn, self.ledger_id, plan, source_name, sha256, by)

    def plan(self, version: int | None = None) -> pd.DataFrame:
        """The plan of `version` (default: the latest), shaped like read_plan's result."""
        with self.reading() as conn:
            return plan_history.stored_plan(conn, self.ledger_id,
                                            version or plan_history.newest_version(conn, self.ledger_id))

    def plan_versions(self) -> pd.DataFrame:
        with self.reading() as conn:
            return plan_history.version_frame(conn, self.ledger_id)

    def recorded_renames(self) -> list[tuple[str, str]]:
        """The confirmed renames (old, new) in force in this plan year (plan_history.active_renames)."""
        with self.reading() as conn:
            return plan_history.active_renames(conn, self.ledger_id)

    # --- progress entries ----------------------------------------------------------------------

    def revision(self) -> int:
        """The newest entry_id of this ledger (0 when empty): identifies the state a download was made from."""
        with self.reading() as conn:
            return max_entry_id(conn, self.ledger_id)

    def entries(self, through_revision: int | None = None) -> pd.DataFrame:
        """The full history, ordered by entry_id."""
        with self.reading() as conn:
            rows = conn.execute(sa.text(
                f"SELECT {', '.join(ENTRY_COLUMNS)} FROM entries WHERE ledger_id = :ledger AND entry_id <= :through "
                "ORDER BY entry_id"), {"ledger": self.ledger_id, "through": _revision_bound(through_revision)})
            return _entries_frame(rows.fetchall())

    def latest(self, through_revision: int | None = None) -> pd.DataFrame:
        """The current state: the latest entry of each (item_id, month), 'no report' markers left out."""
        columns = ", ".join(f"e.{c}" for c in ENTRY_COLUMNS)
        with self.reading() as conn:
            rows = conn.execute(sa.text(
                f"SELECT {columns} FROM entries e JOIN ("
                "  SELECT MAX(entry_id) AS entry_id FROM entries WHERE ledger_id = :ledger AND entry_id <= :through "
                "  GROUP BY item_id, month"
                ") newest ON newest.entry_id = e.entry_id WHERE e.status <> :no_report ORDER BY e.entry_id"),
                {"ledger": self.ledger_id, "through": _revision_bound(through_revision), "no_report": NO_REPORT})
            return _entries_frame(rows.fetchall())

    def append_entries(self, conn, entries: pd.DataFrame, upload_id: int | None) -> int:
        """Append reports (columns REPORT_COLUMNS; missing text columns count as empty).

        `tanggal` may be a date, a Timestamp, an ISO string or empty. Raises ValueError
        for an unknown status or a month outside 1–12; nothing is written then.
        """
        return append_reports(conn, self.ledger_id, entries, upload_id)

    # --- uploads and their archive -------------------------------------------------------------

    def record_upload(self, conn, file_name: str, sha256: str, archive_name: str, uploaded_by: str, kind: str,
                      counts: dict, base_revision: int, undoes: int | None = None) -> int:
        return int(conn.execute(sa.text(
            "INSERT INTO uploads (ledger_id, created_at, file_name, sha256, archive_name, uploaded_by, kind, counts, "
            "base_revision, undoes) VALUES (:ledger, :at, :file_name, :sha256, :archive_name, :uploaded_by, :kind, "
            ":counts, :base_revision, :undoes) RETURNING upload_id"),
            {"ledger": self.ledger_id, "at": utc_now(), "file_name": file_name, "sha256": sha256,
             "archive_name": archive_name, "uploaded_by": uploaded_by, "kind": kind,
             "counts": json.dumps(counts, ensure_ascii=False, default=str), "base_revision": int(base_revision),
             "undoes": undoes}).scalar())

    def record_archived_upload(self, conn, file_name: str, data: bytes, sha256: str, uploaded_by: str, kind: str,
                               counts: dict, base_revision: int, suffix: str = ".xlsx") -> int:
        """Archive what was uploaded (a workbook, or a form's JSON record) and record the upload; its id."""
        archive_name = self.archive_file(data, sha256, suffix=suffix)
        return self.record_upload(conn, file_name, sha256, archive_name, uploaded_by, kind, counts, base_revision)

    def uploads(self) -> pd.DataFrame:
        """Every upload, oldest first; `undone_by` is the id of the upload that undid it, if any."""
        with self.reading() as conn:
            rows = conn.execute(sa.text(
                "SELECT u.upload_id, u.created_at, u.file_name, u.sha256, u.archive_name, u.uploaded_by, u.kind, "
                "u.counts, (SELECT MAX(x.upload_id) FROM uploads x WHERE x.undoes = u.upload_id), "
                "u.base_revision, u.undoes FROM uploads u WHERE u.ledger_id = :ledger ORDER BY u.upload_id"),
                {"ledger": self.ledger_id}).fetchall()
        frame = pd.DataFrame.from_records(rows, columns=UPLOAD_COLUMNS)
        frame["counts"] = frame["counts"].map(json.loads)
        return frame.astype({"upload_id": "int64", "base_revision": "int64", "undone_by": "Int64", "undoes": "Int64"})

    def archive_path(self, archive_name: str) -> Path:
        """<data_dir>/archive/<archive_name>; only names made by archive_file are accepted."""
        if not ARCHIVE_NAME.match(archive_name or ""):
            raise ValueError(f"Nama arsip tidak sah: {archive_name!r}")
        return self.data_dir / ARCHIVE_DIR / archive_name

    def archive_file(self, data: bytes, sha256: str, ledger_id: int | None = None, suffix: str = ".xlsx") -> str:
        """Keep an uploaded file (or a form's JSON record, `suffix` ".json") in its ledger's folder (default: this
        store's) by its content hash (written atomically); returns its archive name."""
        if paths.sha256_of(data) != sha256:
            raise ValueError("Isi berkas tidak cocok dengan sidik SHA-256 yang diberikan.")
        if suffix not in ARCHIVE_SUFFIXES:
            raise ValueError(f"Akhiran arsip tidak sah: {suffix!r}")
        ledger_id = ledger_id or self.ledger_id
        target = self.archive_path(f"{ledger_id}/{sha256}{suffix}")
        paths.private_dir(target.parent.parent)
        paths.private_dir(target.parent)
        if not target.exists():
            paths.write_atomically(target, data)
        return f"{ledger_id}/{target.name}"

    def undo_upload(self, upload_id: int, by: str) -> int:
        """Undo an upload by appending, for each item-month it touched, the entry current before it.

        Item-months that had no report before get a NO_REPORT entry. History is kept.
        Refused (ValueError) when the upload does not exist in this ledger, is itself an undo, was already undone,
        or when a later entry changed one of its item-months and still counts: undoing it then would
        silently overwrite newer work. Entries of uploads already undone, and of the undos
        themselves, do not count, so uploads can be undone newest first, one after another. Returns the id of the
        new UNDO_KIND upload. An upload that revised the plan also brings back the plan in force before it, as a
        new version (refused when the plan was revised again since; see plan_history.plan_to_restore).
        """
        with self.transaction() as conn:
            found = conn.execute(sa.text("SELECT file_name, sha256, kind FROM uploads WHERE upload_id = :upload "
                                         "AND ledger_id = :ledger"),
                                 {"upload": upload_id, "ledger": self.ledger_id}).fetchone()
            if found is None:
                raise RefusedValue(f"Unggahan nomor {upload_id} tidak ditemukan.")
            if found[2] == UNDO_KIND:
                raise RefusedValue(f"Nomor {upload_id} adalah pembatalan dan tidak dapat dibatalkan lagi; "
                                 "unggah ulang berkas aslinya bila perlu.")
            undone_by = conn.execute(sa.text("SELECT upload_id FROM uploads WHERE undoes = :upload"),
                                     {"upload": upload_id}).scalar()
            if undone_by:
                raise RefusedValue(f"Unggahan nomor {upload_id} sudah dibatalkan (oleh pembatalan nomor {undone_by}).")
            newer = _newer_changes(conn, self.ledger_id, upload_id)
            if newer:
                raise RefusedValue(
                    f"Unggahan nomor {upload_id} tidak dapat dibatalkan: {newer} bulan-kegiatan yang diubahnya "
                    "sudah diperbarui oleh laporan sesudahnya. Batalkan dahulu unggahan yang lebih baru.")
            before = _entries_before(conn, self.ledger_id, upload_id, by)
            restore_version = plan_history.plan_to_restore(conn, self.ledger_id, upload_id)  # refused: revised since
            cleared = sum(1 for row in before if row[2] == NO_REPORT)
            undo_id = self.record_upload(
                conn, found[0], found[1], "", by, UNDO_KIND, {"restored": len(before) - cleared, "cleared": cleared},
                max_entry_id(conn, self.ledger_id), undoes=upload_id)
            insert_rows(conn, self.ledger_id, before, undo_id)
            audit.record_event(conn, by, "batal_unggahan", {"unggahan": upload_id, "pembatalan": undo_id,
                                                            "berkas": found[0]}, found[1], **self.scope)
            if restore_version is not None:  # the upload revised the plan: the plan before it is in force again
                plan_history.restore_plan(conn, self.ledger_id, self.office, restore_version, upload_id, undo_id, by)
            return undo_id


def max_entry_id(conn, ledger_id: int) -> int:
    return int(conn.execute(sa.text("SELECT COALESCE(MAX(entry_id), 0) FROM entries WHERE ledger_id = :ledger"),
                            {"ledger": ledger_id}).scalar())


def _newer_changes(conn, ledger_id: int, upload_id: int) -> int:
    """How many item-months of the upload a later entry changed that still counts (not an undo, not undone)."""
    return int(conn.execute(sa.text(
        "SELECT COUNT(*) FROM (SELECT DISTINCT later.item_id, later.month FROM entries mine "
        "JOIN entries later ON later.ledger_id = mine.ledger_id AND later.item_id = mine.item_id "
        "AND later.month = mine.month AND later.entry_id > mine.entry_id "
        "AND later.upload_id IS DISTINCT FROM mine.upload_id "
        "WHERE mine.upload_id = :upload AND mine.ledger_id = :ledger AND COALESCE(later.upload_id, 0) NOT IN ("
        "  SELECT upload_id FROM uploads WHERE kind = :undo_kind AND ledger_id = :ledger "
        "  UNION SELECT undoes FROM uploads WHERE undoes IS NOT NULL AND ledger_id = :ledger)) changed"),
        {"upload": upload_id, "ledger": ledger_id, "undo_kind": UNDO_KIND}).scalar())


def _entries_before(conn, ledger_id: int, upload_id: int, by: str) -> list[tuple]:
    """For each item-month the upload touched, the report current before it (REPORT_COLUMNS; '' for none)."""
    return [tuple(row) for row in conn.execute(sa.text(
        "SELECT touched.item_id, touched.month, COALESCE(prev.status, ''), COALESCE(prev.bukti_dukung, ''), "
        "COALESCE(prev.tanggal, ''), COALESCE(prev.catatan, ''), COALESCE(prev.reported_by, :by) "
        "FROM (SELECT item_id, month, MIN(entry_id) AS first_id FROM entries WHERE upload_id = :upload "
        "      GROUP BY item_id, month) touched "
        "LEFT JOIN entries prev ON prev.entry_id = (SELECT MAX(p.entry_id) FROM entries p WHERE p.ledger_id = :ledger "
        "  AND p.item_id = touched.item_id AND p.month = touched.month AND p.entry_id < touched.first_id) "
        "ORDER BY touched.first_id"), {"by": by, "upload": upload_id, "ledger": ledger_id}).fetchall()]


def _revision_bound(through_revision: int | None) -> int:
    return 2**63 - 1 if through_revision is None else int(through_revision)


def _entries_frame(rows) -> pd.DataFrame:
    frame = pd.DataFrame.from_records(rows, columns=ENTRY_COLUMNS)
    return frame.astype({"entry_id": "int64", "month": "int64", "upload_id": "Int64",
                         **{c: "str" for c in ENTRY_COLUMNS if c not in ("entry_id", "month", "upload_id")}})

