"""Ledgers: one office's record of one plan year. Every plan version, upload, entry and audit event of a
plan year belongs to its ledger, and nothing is read or written across ledgers.

A new database is seeded with the bundled plan (plan_years.seed_bundled_plan), as the ledger of the office that
plan names (found in the bundled office list, with its parents, by add_office_chain) and the plan's year.
"""

from datetime import date

import pandas as pd
import sqlalchemy as sa

from ..base import clock
from .bundled_offices import office_chain
from ..base.clock import utc_now
from ..base.problems import Refusal, RefusedValue

LEDGER_COLUMNS = ["ledger_id", "office", "office_name", "year"]
LOCAL_OFFICE = "lokal"  # the code of an office that is in no office list (a plan seeded or converted alone)


class LedgerNotFound(Refusal, LookupError):
    """No plan year for the office and year asked for; the message is Indonesian."""


def ledger_frame(conn) -> pd.DataFrame:
    """Every ledger with its office's name, by office code and year."""
    rows = conn.execute(sa.text(
        "SELECT l.ledger_id, l.office, o.name, l.year FROM ledgers l JOIN offices o ON o.code = l.office "
        "ORDER BY l.office, l.year")).fetchall()
    return pd.DataFrame.from_records(rows, columns=LEDGER_COLUMNS).astype({"ledger_id": "int64", "year": "int64"})


def ledgers_with_progress(conn) -> set[int]:
    """The ledgers with at least one progress entry."""
    return {int(ledger_id) for (ledger_id,) in conn.execute(sa.text(
        "SELECT l.ledger_id FROM ledgers l WHERE EXISTS (SELECT 1 FROM entries e WHERE e.ledger_id = l.ledger_id)"))}


def default_year(years, this_year: int, with_progress=()) -> int:
    """The plan year a visitor lands on: this calendar year's plan when there is one, else the latest; but while
    that year has no progress, the latest year that has some (a new year, just started and still empty, waits until
    its first upload). `with_progress`: the years with progress."""
    years, with_progress = sorted({int(year) for year in years}), {int(year) for year in with_progress}
    chosen = this_year if this_year in years else years[-1]
    if chosen in with_progress or not with_progress & set(years):
        return chosen
    return max(with_progress & set(years))


def home_office(conn) -> str | None:
    """The office of the first ledger: the office a data directory was made for."""
    return conn.execute(sa.text("SELECT office FROM ledgers ORDER BY ledger_id LIMIT 1")).scalar()


def find_ledger(conn, office: str | None, year: int | None, today: date | None = None) -> tuple[int, str, int]:
    """(ledger_id, office, year): `office` defaults to the home office; `year` to this calendar year's plan
    when there is one, else the latest; the year is the office's (its zone's `today`), not the server's.
    LedgerNotFound when there is none."""
    office = office or home_office(conn)
    years = [int(y) for (y,) in conn.execute(
        sa.text("SELECT year FROM ledgers WHERE office = :office ORDER BY year"), {"office": office}).fetchall()]
    if not years:
        raise LedgerNotFound(f"Belum ada rencana aksi untuk kantor {office}.")
    if year is None:
        this_year = (today or clock.today(clock.office_zone(conn, office))).year
        year = this_year if this_year in years else years[-1]
    if int(year) not in years:
        raise LedgerNotFound(f"Belum ada rencana aksi tahun {year} untuk kantor {office} "
                             f"(ada: {', '.join(str(y) for y in years)}).")
    ledger_id = conn.execute(sa.text("SELECT ledger_id FROM ledgers WHERE office = :office AND year = :year"),
                             {"office": office, "year": int(year)}).scalar()
    return int(ledger_id), office, int(year)


def ledger_exists(conn, office: str, year: int) -> bool:
    """Whether the office already has a plan for that year."""
    return conn.execute(sa.text("SELECT 1 FROM ledgers WHERE office = :office AND year = :year"),
                        {"office": office, "year": int(year)}).first() is not None


def create_ledger(conn, office: str, year: int, by: str) -> int:
    """A new, empty ledger; ValueError when the office is unknown or already has that year."""
    if conn.execute(sa.text("SELECT 1 FROM offices WHERE code = :office"), {"office": office}).first() is None:
        raise RefusedValue(f"Kantor dengan kode {office} belum terdaftar; tambahkan dengan "
                         "'python -m zi_data office add' atau 'office import'.")
    if ledger_exists(conn, office, year):
        raise RefusedValue(f"Rencana aksi tahun {year} untuk kantor {office} sudah ada; revisinya diunggah "
                         "lewat buku kerja realisasi (lembar Rencana Aksi).")
    return int(conn.execute(sa.text(
        "INSERT INTO ledgers (office, year, created_at, created_by) VALUES (:office, :year, :at, :by) "
        "RETURNING ledger_id"), {"office": office, "year": int(year), "by": by,
                                 "at": utc_now("auto")}).scalar())


def add_office_chain(conn, office_name: str) -> str:
    """The code of the office named `office_name`: from the bundled list with its parents (each added when
    missing), else an office LOCAL_OFFICE of that name."""
    chain = office_chain(office_name) or [(LOCAL_OFFICE, office_name or "Kantor", None)]
    now = utc_now("auto")
    for code, name, parent in chain:
        if conn.execute(sa.text("SELECT 1 FROM offices WHERE code = :code"), {"code": code}).first() is None:
            conn.execute(sa.text("INSERT INTO offices (code, name, parent, created_at) VALUES (:code, :name, :parent, :at)"),
                         {"code": code, "name": name, "parent": parent, "at": now})
    return chain[-1][0]


def has_ledgers(conn) -> bool:
    return conn.execute(sa.text("SELECT 1 FROM ledgers LIMIT 1")).first() is not None
