"""The bundled example of a province: the KPU offices of Kalimantan Tengah, each kabupaten/kota with the
bundled plan's year, and FICTITIOUS progress for every office but the home office (whose data stays real).

Fictitious progress is written through the normal write path, as an audited upload whose file name starts
with EXAMPLE_FILE_PREFIX: that prefix is the one rule telling example data from real data
(`offices_with_example_data`). Every text of it says "CONTOH FIKTIF". Loading twice adds nothing.
"""

import dataclasses
import random
from datetime import date

import pandas as pd
import sqlalchemy as sa

from ..base import paths
from .audit import record_event
from .database import Database
from ..base.history import REALISASI_KIND
from .ledgers import home_office
from ..base.months import month_name
from .offices import add_offices, office_frame, office_subtree, read_offices_csv
from ..plan.plan import read_plan
from .plan_years import preview_new_year, seed_bundled_plan, start_year
from .progress_store import ProgressStore, max_entry_id
from ..base.clock import utc_now

EXAMPLE_OFFICES_CSV = paths.BUNDLED_PLAN.parent / "kantor_kpu_kalimantan_tengah.csv"
EXAMPLE_PROVINCE = "62"
EXAMPLE_FILE_PREFIX = "contoh_fiktif_"
EXAMPLE_REPORTER = "contoh fiktif"
EXAMPLE_MARK = "CONTOH FIKTIF"


@dataclasses.dataclass
class ExampleLoaded:
    """What one load added: offices, plan years started, offices given fictitious progress, entries."""

    offices_added: int = 0
    years_started: list[str] = dataclasses.field(default_factory=list)
    offices_filled: list[str] = dataclasses.field(default_factory=list)
    entries: int = 0
    warnings: list[str] = dataclasses.field(default_factory=list)


def load_example(database: Database) -> ExampleLoaded:
    """Offices from the bundled CSV, the bundled plan's year for every office under the province that lacks
    it, and fictitious progress for each of them except the home office, once."""
    seed_bundled_plan(database)  # a new database gets the home office's plan year first
    store = ProgressStore(database=database)
    loaded = ExampleLoaded()
    with database.transaction() as conn:
        frame = read_offices_csv(EXAMPLE_OFFICES_CSV.read_bytes(), EXAMPLE_OFFICES_CSV.name, office_frame(conn))
        loaded.offices_added = add_offices(conn, frame, utc_now())["added"]
        home = home_office(conn)
        offices = [code for code in office_subtree(conn, EXAMPLE_PROVINCE) if code != EXAMPLE_PROVINCE]
    year = int(read_plan(paths.BUNDLED_PLAN.read_bytes(), paths.BUNDLED_PLAN.name).attrs["year"])  # bundled: trusted
    _start_missing_years(store, offices, year, loaded)
    for office in offices:
        if office != home:
            _fill_fictitious(store.with_ledger(office, year), loaded)
    return loaded


def _start_missing_years(store: ProgressStore, offices: list[str], year: int, loaded: ExampleLoaded) -> None:
    with store.reading() as conn:
        started = set(conn.execute(sa.text("SELECT office FROM ledgers WHERE year = :year"), {"year": year}).scalars())
        names = dict(conn.execute(sa.text("SELECT code, name FROM offices")).all())
    missing = [office for office in offices if office not in started]
    if not missing:
        return
    data = paths.BUNDLED_PLAN.read_bytes()
    preview = preview_new_year(store, data, paths.BUNDLED_PLAN.name, office=missing[0], year=year)
    if preview.warnings:  # the plan names its own office: it is the example's plan for every office
        loaded.warnings.append(f"Rencana aksi bawaan ({preview.plan.attrs.get('office')}) dipakai sebagai rencana "
                               "contoh untuk setiap kantor yang belum memiliki rencana tahun itu.")
    for office in missing:  # the same workbook, read once, for each office
        start_year(store, dataclasses.replace(preview, office=office, office_name=names[office]), EXAMPLE_REPORTER)
        loaded.years_started.append(office)


def fictitious_entries(plan: pd.DataFrame, office: str, year: int) -> pd.DataFrame:
    """Deterministic pseudo-random reports (seeded by the office code) for the planned item-months up to a
    month of the office's own, every text marked EXAMPLE_MARK."""
    chance = random.Random(f"{EXAMPLE_FILE_PREFIX}{office}")
    through, diligence = chance.randint(6, 11), chance.uniform(0.35, 0.95)
    rows = []
    for item_id, months in zip(plan["id"], plan["months"]):
        for month in sorted(m for m in months if m <= through):
            draw = chance.random()
            status = "Selesai" if draw < diligence else "Sebagian" if draw < diligence + 0.1 else "Belum"
            evidence = f"{EXAMPLE_MARK}: bukti {item_id} {month_name(month)} {year}" if status != "Belum" else ""
            rows.append((item_id, month, status, evidence, date(year, month, chance.randint(1, 28)),
                         f"{EXAMPLE_MARK} – data contoh, bukan laporan kantor ini.", EXAMPLE_REPORTER))
    return pd.DataFrame(rows, columns=["item_id", "month", "status", "bukti_dukung", "tanggal", "catatan",
                                       "reported_by"])


def _fill_fictitious(store: ProgressStore, loaded: ExampleLoaded) -> None:
    file_name = f"{EXAMPLE_FILE_PREFIX}{store.office}.xlsx"
    entries = fictitious_entries(store.plan(), store.office, store.year)
    digest = paths.sha256_of(entries.to_csv(index=False).encode())
    with store.transaction() as conn:
        if conn.execute(sa.text("SELECT 1 FROM uploads WHERE ledger_id = :ledger AND file_name = :name"),
                        {"ledger": store.ledger_id, "name": file_name}).first():
            return
        counts = {"new": len(entries), "changed": 0, "unchanged": 0, "conflicts": 0, "plan_changes": 0,
                  "rejected": 0}
        upload_id = store.record_upload(conn, file_name, digest, "", EXAMPLE_REPORTER, REALISASI_KIND, counts,
                                        max_entry_id(conn, store.ledger_id))
        store.append_entries(conn, entries, upload_id)
        record_event(conn, EXAMPLE_REPORTER, "unggah_realisasi", {"unggahan": upload_id, "berkas": file_name,
                                                                  **counts}, digest, **store.scope)
    loaded.offices_filled.append(store.office)
    loaded.entries += len(entries)


def offices_with_example_data(conn, ledger_ids: list[int]) -> list[str]:
    """The offices, among the given ledgers', that hold fictitious example progress."""
    rows = conn.execute(sa.text(
        "SELECT DISTINCT l.office FROM uploads u JOIN ledgers l ON l.ledger_id = u.ledger_id "
        "WHERE u.ledger_id IN :ledger_ids AND SUBSTR(u.file_name, 1, :length) = :prefix ORDER BY l.office"
    ).bindparams(sa.bindparam("ledger_ids", expanding=True)),
        {"ledger_ids": [int(i) for i in ledger_ids] or [-1], "length": len(EXAMPLE_FILE_PREFIX), "prefix": EXAMPLE_FILE_PREFIX})
    return list(rows.scalars())
