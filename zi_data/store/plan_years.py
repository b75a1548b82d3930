"""Starting a plan year: an office's plan workbook for a year it has no plan for, previewed, then kept as
that year's first plan version, in a ledger of its own (ledgers.py). Another year is never touched.

A new database starts its first year from the bundled plan (seed_bundled_plan), once: the dashboard and the
command line open a database through open_seeded, which does that; a ProgressStore never seeds.

The workbook is read by the same reader, in the same isolated worker, with the same messages as any
plan (`validate`). The office is the one named (`office`), else the office whose name the workbook
gives; the year is the one named, else the workbook's, and the two must agree when both are known.
"""

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pandas as pd
import sqlalchemy as sa

from . import audit, ledgers, rollup
from ..base import paths
from ..base.clock import office_zone, table_moments
from ..plan.plan import read_plan
from ..plan.plan_draft import draft_workbook
from ..base.problems import InputError, Problem, RefusedValue
from .database import Database
from .plan_history import add_plan_version
from .progress_store import ProgressStore
from ..files.upload_isolation import run_isolated
from ..files.uploaded_file import UploadedFile

START_ACTION = "rencana_tahun_baru"
LAST_YEAR = 2100  # the latest year a plan may be for (as _choose_year)
SEED_AUTHOR = "sistem"


def open_seeded(data_dir: Path, database_url: str | None = None) -> Database:
    """The database of `data_dir` (or of `database_url`, else $ZI_DATABASE_URL) as the dashboard and the command
    line open it for people: made and migrated when new (Database), and seeded with the bundled plan."""
    database = Database(data_dir, database_url)
    seed_bundled_plan(database)
    return database


def seed_bundled_plan(database: Database) -> bool:
    """A database without plan years gets the bundled plan as its first (the ledger of the office the plan names,
    with its parents from the bundled office list, for the plan's year); whether this call seeded it. Several
    processes may open a new database at once: the check is repeated inside the write transaction, so one seeds."""
    with database.reading() as conn:
        if ledgers.has_ledgers(conn):
            return False
    plan_file = paths.BUNDLED_PLAN
    data = plan_file.read_bytes()
    plan = read_plan(data, plan_file.name)
    with database.transaction() as conn:
        if ledgers.has_ledgers(conn):  # another process seeded meanwhile
            return False
        office = ledgers.add_office_chain(conn, str(plan.attrs.get("office") or ""))
        ledger_id = ledgers.create_ledger(conn, office, int(plan.attrs.get("year") or date.today().year), SEED_AUTHOR)
        add_plan_version(conn, ledger_id, plan, plan_file.name, paths.sha256_of(data), SEED_AUTHOR)
        rollup.record_counts(conn, [ledger_id])
    return True


@dataclass
class NewYearPreview:
    """What saving the workbook would start; `errors` refuse it, `warnings` are for the person to weigh."""

    file: UploadedFile
    plan: pd.DataFrame | None
    office: str = ""
    office_name: str = ""
    year: int | None = None
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> dict:
        """Indonesian labels -> values, for showing what would be saved."""
        plan = self.plan
        return {"Kantor": f"{self.office_name} ({self.office})", "Tahun": self.year,
                "Langkah aksi": len(plan), "Bulan-kegiatan terjadwal": int(plan["months"].map(len).sum()),
                "Area": ", ".join(dict.fromkeys(plan["area"])),
                "Tim": ", ".join(f"{team} ({count})" for team, count in Counter(plan["penanggung_jawab"]).items())}


YEAR_COLUMNS = {"year": "Tahun", "versions": "Versi rencana", "items": "Langkah aksi", "started_at": "Dimulai",
                "started_by": "Dimulai oleh"}


def plan_years_table(database, office: str) -> pd.DataFrame:
    """The office's plan years, newest first, with Indonesian headers: versions, langkah aksi in force, started."""
    with database.reading() as conn:
        rows = conn.execute(sa.text(
            "SELECT l.year, MAX(v.version), (SELECT COUNT(*) FROM plan_items i WHERE i.ledger_id = l.ledger_id "
            "AND i.version = MAX(v.version)), l.created_at, l.created_by FROM ledgers l "
            "JOIN plan_versions v ON v.ledger_id = l.ledger_id WHERE l.office = :office "
            "GROUP BY l.ledger_id, l.year, l.created_at, l.created_by ORDER BY l.year DESC"), {"office": office})
        frame = pd.DataFrame.from_records(rows.fetchall(), columns=list(YEAR_COLUMNS))
        zone = office_zone(conn, office)
    frame["started_at"] = table_moments(frame["started_at"], zone)
    return frame.rename(columns=YEAR_COLUMNS)


def preview_new_year(store: ProgressStore, data: bytes, file_name: str, office: str | None = None,
                     year: int | None = None) -> NewYearPreview:
    uploaded = UploadedFile(data, file_name)
    try:
        plan = run_isolated(read_plan, data, file_name, label=file_name)  # a worker process: see upload_isolation
    except InputError as error:
        return NewYearPreview(uploaded, None, errors=error.problems)
    preview = NewYearPreview(uploaded, plan)
    with store.reading() as conn:
        _choose_office(conn, preview, office, str(plan.attrs.get("office") or ""))
        _choose_year(preview, year, plan.attrs.get("year"))
        if preview.ok and ledgers.ledger_exists(conn, preview.office, preview.year):
            preview.errors.append(Problem(
                f"Rencana aksi tahun {preview.year} untuk {preview.office_name} sudah ada; revisinya diunggah lewat "
                "buku kerja realisasi (lembar Rencana Aksi) di tahun itu."))
    return preview


def _choose_office(conn, preview: NewYearPreview, office: str | None, named: str) -> None:
    offices = {code: name for code, name in conn.execute(sa.text("SELECT code, name FROM offices")).fetchall()}
    if office:
        if office not in offices:
            preview.errors.append(Problem(f"Kantor dengan kode {office} belum terdaftar.",
                                          fix="Tambahkan dengan 'python -m zi_data office add' atau 'office import'."))
            return
        if named and named.casefold() != offices[office].casefold():
            preview.warnings.append(Problem(f"Berkas menyebut '{named}', sedangkan kantor {office} bernama "
                                            f"'{offices[office]}'. Pastikan berkasnya benar."))
    else:
        matches = [code for code, name in offices.items() if named and name.casefold() == named.casefold()]
        if len(matches) != 1:
            preview.errors.append(Problem(
                f"Kantor '{named or '(tidak disebut)'}' yang disebut berkas tidak ditemukan di daftar kantor.",
                fix="Sebutkan kodenya (--office KODE), atau daftarkan kantornya dahulu."))
            return
        office = matches[0]
    preview.office, preview.office_name = office, offices[office]


def _choose_year(preview: NewYearPreview, year: int | None, named) -> None:
    if year is not None and named and int(named) != int(year):
        preview.errors.append(Problem(f"Berkas adalah rencana aksi tahun {named}, bukan {year}."))
        return
    preview.year = int(year or named or 0) or None
    if preview.year is None:
        preview.errors.append(Problem("Tahun rencana aksi tidak tertulis di berkas.",
                                      fix="Sebutkan tahunnya (--year TTTT)."))
    elif not 2000 <= preview.year <= LAST_YEAR:
        preview.errors.append(Problem(f"Tahun {preview.year} tidak masuk akal untuk rencana aksi."))


def start_year(store: ProgressStore, preview: NewYearPreview, by: str) -> ProgressStore:
    """Save a previewed workbook as the first plan version of its (office, year); returns that year's store.
    InputError when the preview has errors or the year was started meanwhile; nothing is saved then."""
    if not preview.ok:
        raise InputError(preview.errors)
    uploaded = preview.file
    with store.database.transaction() as conn:
        try:
            ledger_id = ledgers.create_ledger(conn, preview.office, preview.year, by)
        except RefusedValue as error:
            raise InputError([Problem(str(error))]) from None
        add_plan_version(conn, ledger_id, preview.plan, uploaded.name, uploaded.sha256, by)
        store.archive_file(uploaded.data, uploaded.sha256, ledger_id=ledger_id)
        audit.record_event(conn, by, START_ACTION, {"tahun": preview.year, "kantor": preview.office,
                                                    "berkas": uploaded.name, "versi": 1},
                           uploaded.sha256, ledger_id=ledger_id, office=preview.office)
        rollup.record_counts(conn, [ledger_id])
    return store.with_ledger(preview.office, preview.year)


def draft_next_year(store: ProgressStore, year: int | None = None) -> tuple[int, bytes]:
    """(year, workbook): the store's plan in force as the plan workbook of `year` (default: the year after the
    store's), to edit and start that year with (plan_draft). RefusedValue when `year` is not after the store's year
    or the office already has a plan for it."""
    year = store.year + 1 if year is None else int(year)
    with store.reading() as conn:
        name = conn.execute(sa.text("SELECT name FROM offices WHERE code = :code"), {"code": store.office}).scalar()
        if not store.year < year <= LAST_YEAR:
            raise RefusedValue(f"Rancangan dari rencana aksi tahun {store.year} hanya dapat dibuat untuk tahun "
                               f"{store.year + 1}–{LAST_YEAR}, bukan {year}.")
        if ledgers.ledger_exists(conn, store.office, year):
            raise RefusedValue(f"Rencana aksi tahun {year} untuk {name} sudah ada; rancangan hanya dibuat untuk "
                               "tahun yang belum punya rencana aksi (revisinya diunggah lewat buku kerja realisasi "
                               "tahun itu).")
    return year, draft_workbook(store.plan(), name, year)


def draft_file_name(office: str, year: int) -> str:
    """e.g. 'rancangan_rencana_aksi_6203_2026.xlsx'."""
    return f"rancangan_rencana_aksi_{office}_{year}.xlsx"
