"""What every command shares: which database and which plan year it works on (--data-dir, --office, --year,
--as-of) and the exit codes."""

import os
import sys
from datetime import date
from pathlib import Path

from ..base import paths
from ..store.database import Database
from ..store.ledgers import LedgerNotFound, home_office
from ..store.plan_years import open_seeded
from ..store.progress_store import ProgressStore
from ..plan.status import as_of_date
from ..base.problems import Refusal, RefusedValue

# The exit codes of every command (each command's docstring says which it uses): 0 done; 1 refused, not allowed,
# or not written (a refusal no command answers itself ends so, in main); 2 bad input, nothing written; 3 applied,
# but conflicts were left unapplied.
EXIT_REFUSED, EXIT_BAD_INPUT, EXIT_CONFLICTS = 1, 2, 3
CLI_ACTOR = "baris perintah"  # who acted, when nobody signed in and no name was given
DATA_DIR_HELP = "direktori data (bawaan: $ZI_DATA_DIR, lalu var/data)"  # every command's --data-dir


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


class NoPlanYear(Refusal):
    """The arguments name a plan year the database does not have: bad input (exit code 2), said by main()."""


def open_ledger(args) -> ProgressStore:
    """The store of the plan year the arguments name; NoPlanYear when there is none."""
    try:
        return ProgressStore(office=args.office, year=args.year, database=open_database(args))
    except LedgerNotFound as error:
        raise NoPlanYear(f"{error} Lihat: python -m zi_data plan list") from None


def actor_name(args, user=None) -> str:
    """Who the command acts as: the signed-in user, else --by, else $ZI_USER, else CLI_ACTOR."""
    if user is not None:
        return user.name
    return getattr(args, "by", None) or os.environ.get("ZI_USER") or CLI_ACTOR


def chosen_office(args, database: Database) -> str:
    """--office, else the database's home office (the office of its first plan year)."""
    if args.office:
        return args.office
    with database.reading() as conn:
        return home_office(conn)


def parse_as_of(text: str, year: int, option: str = "--as-of") -> date:
    """'YYYY-MM' (the last day of that month) or 'YYYY-MM-DD' within the plan year; RefusedValue in Indonesian
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
        raise RefusedValue(f"{option} '{text}' tidak sah: tulis bulan sebagai TTTT-BB (misalnya {year}-06) "
                         f"atau tanggal sebagai TTTT-BB-HH.") from None
    if chosen.year != year:
        raise RefusedValue(f"{option} '{text}' berada di luar tahun rencana aksi ({year}).")
    return chosen


def write_output(target: Path, data: bytes, what: str) -> bool:
    """Write a command's output file (its folder made, atomically); False, with the reason said on stderr, when it
    cannot be written ("Lembar monev tidak dapat ditulis ke …: …")."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        paths.write_atomically(target, data)
    except OSError as error:
        print(f"{what} tidak dapat ditulis ke {target}: {paths.os_error_text(error)}.", file=sys.stderr)
        return False
    return True
