"""`python -m zi_data plan add|list|draft`: the plan years of each office; starting a new one, and next year's
plan workbook drafted from a year's plan."""

import json
import sys
from pathlib import Path

from ..store.accounts import AccountError, Accounts
from .command_scope import EXIT_REFUSED, NoPlanYear, actor_name, chosen_office, open_database, write_output
from ..store.ledgers import LedgerNotFound, ledger_frame
from ..store.plan_years import draft_next_year, preview_new_year, start_year
from ..base.problems import InputError
from ..store.progress_store import ProgressStore
from .user_cli import sign_in
from ..files.xlsx_guard import read_source


def register(commands, data_dir_help: str) -> None:
    plan = commands.add_parser("plan", help="tahun rencana aksi per kantor: daftar, atau mulai tahun baru")
    actions = plan.add_subparsers(dest="plan_command", required=True)
    add = actions.add_parser("add", help="pratinjau lalu (dengan --yes) mulai tahun rencana dari berkas rencana aksi")
    add.add_argument("file")
    add.add_argument("--office", metavar="KODE", help="kode kantor (bawaan: kantor yang disebut berkas)")
    add.add_argument("--year", type=int, metavar="TTTT", help="tahun (bawaan: tahun yang disebut berkas)")
    add.add_argument("--yes", action="store_true", help="simpan; tanpa ini hanya pratinjau")
    add.add_argument("--by", help="nama yang memulai (bawaan: $ZI_USER, lalu 'baris perintah'); "
                                  "diabaikan bila masuk dengan --user")
    add.add_argument("--user", help="akun admin kantor itu (wajib bila sudah ada akun)")
    add.add_argument("--password-stdin", action="store_true", help="baca kata sandi dari baris pertama stdin")
    add.set_defaults(handler=cmd_plan_add)
    listing = actions.add_parser("list", help="daftar tahun rencana aksi per kantor")
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(handler=cmd_plan_list)
    draft = actions.add_parser("draft", help="rancangan rencana aksi tahun berikutnya dari rencana satu tahun, untuk "
                                             "disunting di Excel lalu dimulai dengan plan add")
    draft.add_argument("--office", metavar="KODE", help="kode kantor (bawaan: kantor pertama di direktori data)")
    draft.add_argument("--year", type=int, metavar="TTTT", help="tahun rancangan (bawaan: tahun sesudah --from-year)")
    draft.add_argument("--from-year", type=int, metavar="TTTT",
                       help="tahun rencana sumbernya (bawaan: tahun terakhir kantor itu, sebelum --year bila disebut)")
    draft.add_argument("-o", "--output", required=True, help="berkas .xlsx tujuan")
    draft.set_defaults(handler=cmd_plan_draft)
    for parser in (add, listing, draft):
        parser.add_argument("--data-dir", default=None, help=data_dir_help)


def cmd_plan_list(args) -> int:
    with open_database(args).reading() as conn:
        years = ledger_frame(conn)
    if args.json:
        print(json.dumps(years.drop(columns="ledger_id").to_dict("records"), ensure_ascii=False, indent=2))
        return 0
    for row in years.itertuples():
        print(f"{row.office}\t{row.year}\t{row.office_name}")
    return 0


def cmd_plan_draft(args) -> int:
    """Exit 0 when written; 1 when refused (a year not after the source's, or one the office has) or not written;
    2 when the office has no such source year."""
    database = open_database(args)
    office = chosen_office(args, database)
    from_year = args.from_year
    if from_year is None:
        with database.reading() as conn:
            years = [int(y) for y in ledger_frame(conn).query("office == @office")["year"]]
        from_year = max((y for y in years if args.year is None or y < args.year), default=None)
    try:
        store = ProgressStore(office=office, year=from_year, database=database)
    except LedgerNotFound as error:
        raise NoPlanYear(f"{error} Lihat: python -m zi_data plan list") from None
    year, data = draft_next_year(store, args.year)
    target = Path(args.output)
    if not write_output(target, data, "Rancangan"):
        return EXIT_REFUSED
    print(f"Rancangan rencana aksi tahun {year} (dari rencana tahun {store.year}, {len(store.plan())} langkah aksi) "
          f"ditulis ke {target}.")
    print("Isi Nomor keputusan dan Tanggal penetapan di lembar Info, sunting di Excel (lihat lembar Catatan), lalu "
          f"mulai tahunnya: python -m zi_data plan add {target} --yes")
    return 0


def cmd_plan_add(args) -> int:
    try:
        data, label = read_source(args.file)
    except InputError as error:
        return _refused(error.problems)
    store = ProgressStore(database=open_database(args))
    preview = preview_new_year(store, data, label, args.office, args.year)
    if not preview.ok:
        return _refused(preview.errors)
    for name, value in preview.summary().items():
        print(f"{name}: {value}")
    for warning in preview.warnings:
        print(f"Peringatan: {warning}", file=sys.stderr)
    if not args.yes:
        print("Ini hanya pratinjau; tidak ada yang disimpan. Jalankan ulang dengan --yes untuk menyimpan.")
        return 0
    try:
        user = sign_in(Accounts(store.database, preview.office), args.user, args.password_stdin, admin=True)
        started = start_year(store, preview, actor_name(args, user))
    except AccountError as error:
        print(f"Gagal masuk: {error}", file=sys.stderr)
        return 1
    except InputError as error:
        return _refused(error.problems)
    print(f"Rencana aksi tahun {started.year} untuk {preview.office_name} dimulai (versi 1).")
    return 0


def _refused(problems) -> int:
    print(f"Berkas tidak dapat diproses ({len(problems)} masalah); tidak ada yang disimpan:", file=sys.stderr)
    for problem in problems:
        print(f"- {problem}", file=sys.stderr)
    return 1
