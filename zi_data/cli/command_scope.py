"""Which database and which plan year a command works on: --data-dir, --office, --year."""

import sys
from datetime import date

from ..base import paths
from ..store.database import Database
from ..store.ledgers import LedgerNotFound, home_office
from ..store.plan_years import open_seeded
from ..store.progress_store import ProgressStore
from ..plan.status import as_of_date


def add_ledger_arguments(parser, default=None) -> None:
    """--office and --year; `default` argparse.SUPPRESS on a subcommand whose parent parser has them too (the
    subcommand's own default would overwrite what was given before its name)."""
    parser.add_argument("--office", metavar="KODE", default=default,
                        help="kode kantor (bawaan: kantor pertama di direktori data)")
    parser.add_argument("--year", type=int, metavar="TTTT", default=default,
                        help="tahun rencana aksi (bawaan: tahun ini bila ada rencananya, selain itu yang terakhir)")


def open_database(args) -> Database:
    """The database of --data-dir (or $ZI_DATABASE_URL), made and seeded with the bundled plan when new."""
    return open_seeded(paths.data_dir(args.data_dir))


def open_ledger(args) -> ProgressStore | None:
    """The store of the plan year the arguments name, or None after printing why there is none."""
    try:
        return ProgressStore(office=args.office, year=args.year, database=open_database(args))
    except LedgerNotFound as error:
        print(f"{error} Lihat: python -m zi_data plan list", file=sys.stderr)
        return None


def chosen_office(args, database: Database) -> str:
    """--office, else the database's home office (the office of its first plan year)."""
    if args.office:
        return args.office
    with database.reading() as conn:
        return home_office(conn)


def parse_as_of(text: str, year: int, option: str = "--as-of") -> date:
    """'YYYY-MM' (the last day of that month) or 'YYYY-MM-DD' within the plan year; ValueError in Indonesian
    naming the command's `option`."""
    try:
        parts = [int(p) for p in text.split("-")]
        if len(parts) == 2 and 1 <= parts[1] <= 12:
            chosen = as_of_date(parts[0], month=parts[1])
        elif len(parts) == 3:
            chosen = date(*parts)
        else:
            raise ValueError
    except (ValueError, OverflowError):  # OverflowError: a year of 30 digits
        raise ValueError(f"{option} '{text}' tidak sah: tulis bulan sebagai TTTT-BB (misalnya {year}-06) "
                         f"atau tanggal sebagai TTTT-BB-HH.") from None
    if chosen.year != year:
        raise ValueError(f"{option} '{text}' berada di luar tahun rencana aksi ({year}).")
    return chosen
