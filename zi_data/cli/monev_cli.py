"""`python -m zi_data monev report|list|kop` and `python -m zi_data remind`: the lembar monev as PDF or XLSX, the
recorded monev meetings, the lembar's letterhead and signers (shown, or changed by an admin), and the reminders
to the teams.

Exit codes: 0 done, 1 the file could not be written, 2 bad input (nothing written).
"""

import re
import sys
from pathlib import Path

from ..monev import letterhead, monev
from ..base import paths
from .command_scope import EXIT_BAD_INPUT, EXIT_REFUSED, add_ledger_arguments, open_ledger, write_output
from ..monev.lembar_xlsx import lembar_xlsx_bytes
from ..base.clock import date_text
from ..base.months import month_name
from ..base.problems import InputError, Refusal, RefusedValue, print_problems
from ..monev.reminders import dashboard_base_url, reminders, reminders_text
from ..base.dashboard_url import DASHBOARD_URL_ENV, DEFAULT_DASHBOARD_URL
from .user_cli import admin_sign_in

REPORT_SUFFIXES = (".pdf", ".xlsx")
KOP_OPTIONS = {"alamat": "alamat kantor di kop surat", "ketua_nama": "nama Ketua KPU (Mengetahui)",
               "ketua_nip": "NIP Ketua KPU (18 angka)", "tim_nama": "nama Ketua Tim Kerja ZI",
               "tim_nip": "NIP Ketua Tim Kerja ZI (18 angka)"}


def register(commands, data_dir_help: str) -> None:
    parser = commands.add_parser("monev", help="rapat monev: lembar monev (PDF/XLSX), daftar rapat")
    actions = parser.add_subparsers(dest="monev_command", required=True)
    report = actions.add_parser("report", help="tulis lembar monev sebuah rapat, atau per bulan acuan, ke PDF/XLSX")
    chosen = report.add_mutually_exclusive_group(required=True)
    chosen.add_argument("--meeting", type=int, metavar="N", help="nomor rapat (lihat: monev list)")
    chosen.add_argument("--as-of", metavar="TTTT-BB", help="bulan acuan, tanpa rapat tercatat: posisi terkini")
    report.add_argument("-o", "--output", required=True, help="berkas tujuan .pdf atau .xlsx")
    report.set_defaults(handler=cmd_report)
    listing = actions.add_parser("list", help="daftar rapat monev yang tercatat")
    listing.set_defaults(handler=cmd_list)
    kop = actions.add_parser("kop", help="kop surat dan penanda tangan lembar monev: tampilkan, atau ubah (admin)")
    for key, text in KOP_OPTIONS.items():
        kop.add_argument(f"--{key.replace('_', '-')}", dest=key, metavar="TEKS", help=f"{text}; kosong: hapus")
    kop.add_argument("--logo", metavar="BERKAS", help="logo kantor (PNG atau JPG, paling besar 1 MB)")
    kop.add_argument("--user", help="akun admin kantor itu (wajib untuk mengubah)")
    kop.add_argument("--password-stdin", action="store_true", help="baca kata sandi dari baris pertama stdin")
    kop.set_defaults(handler=cmd_kop)
    remind = commands.add_parser("remind", help="pengingat untuk tiap tim (teks polos, siap dikirim lewat WhatsApp)")
    remind.add_argument("--team", help="hanya tim ini (nama penanggung jawab seperti di rencana aksi)")
    remind.add_argument("--as-of", metavar="TTTT-BB", help="bulan acuan (bawaan: hari ini)")
    remind.add_argument("--base-url", metavar="ALAMAT",
                        help=f"alamat dasbor untuk tautan (bawaan: ${DASHBOARD_URL_ENV}, lalu {DEFAULT_DASHBOARD_URL})")
    remind.set_defaults(handler=cmd_remind)
    for command in (report, listing, kop, remind):
        command.add_argument("--data-dir", default=None, help=data_dir_help)
        add_ledger_arguments(command)


def cmd_report(args) -> int:
    target = Path(args.output)
    if target.suffix.lower() not in REPORT_SUFFIXES:
        print(f"Berkas tujuan harus berakhiran .pdf atau .xlsx: '{target.name}'.", file=sys.stderr)
        return EXIT_BAD_INPUT
    store = open_ledger(args)
    try:
        month = as_of_month(args.as_of, store.year) if args.as_of else None
        report = monev.report_data(store, meeting_id=args.meeting, as_of_month=month)
    except monev.MeetingNotFound:
        print(f"Rapat monev nomor {args.meeting} tidak ada untuk {store.office} tahun {store.year}. "
              f"Lihat: python -m zi_data monev list", file=sys.stderr)
        return EXIT_BAD_INPUT
    except Refusal as error:
        print(error, file=sys.stderr)
        return EXIT_BAD_INPUT
    data = _pdf_bytes(report) if target.suffix.lower() == ".pdf" else lembar_xlsx_bytes(report)
    if not write_output(target, data, "Lembar monev"):
        return EXIT_REFUSED  # not written
    subject = (f"rapat nomor {args.meeting}" if args.meeting is not None
               else f"bulan acuan {month_name(month)} {store.year}")
    print(f"Lembar monev {store.office} tahun {store.year} ({subject}) ditulis ke {target}.")
    return 0


def _pdf_bytes(report: dict) -> bytes:
    from ..monev.lembar_pdf import lembar_pdf_bytes  # the PDF library and its fonts load only when a PDF is asked for

    return lembar_pdf_bytes(report)


def cmd_list(args) -> int:
    store = open_ledger(args)
    meetings = monev.meetings(store)
    if meetings.empty:
        print(f"Belum ada rapat monev tercatat untuk {store.office} tahun {store.year}.")
        return 0
    print(f"Rapat monev {store.office} tahun {store.year} (terbaru dahulu):")
    for row in meetings.itertuples():
        print(f"  #{row.meeting_id}  {date_text(row.held_on)}  {monev.KINDS.get(row.kind, row.kind)}  "
              f"bulan acuan {month_name(int(row.as_of_month))}  pimpinan: {_one_line(row.chair)}")
    return 0


def cmd_kop(args) -> int:
    """Without options: the letterhead and signers in force. With any: changed (only the options given) by the
    office's admin, the logo checked like an evidence file."""
    store = open_ledger(args)
    if store is None:
        return EXIT_BAD_INPUT
    current = letterhead.letterhead(store)
    changes = {key: getattr(args, key) for key in KOP_OPTIONS if getattr(args, key) is not None}
    if changes or args.logo:
        try:
            fields = letterhead.checked_fields({**current, **changes})
            logo = _read_logo(Path(args.logo)) if args.logo else None
            if logo is not None:
                letterhead.checked_logo(logo, Path(args.logo).name)
        except InputError as error:
            print_problems(error)
            return EXIT_BAD_INPUT
        except (Refusal, OSError) as error:
            print(error if isinstance(error, Refusal) else f"Logo tidak dapat dibaca: {paths.os_error_text(error)}.",
                  file=sys.stderr)
            return EXIT_BAD_INPUT
        user = admin_sign_in(store, args, "Kop surat lembar monev")
        if user is None:
            return EXIT_REFUSED
        letterhead.set_fields(store, fields, user.name)
        if logo is not None:
            letterhead.set_logo(store, logo, Path(args.logo).name, user.name)
        current = letterhead.letterhead(store)
        print(f"Kop surat lembar monev {store.office} tahun {store.year} diperbarui.")
    for key, text in KOP_OPTIONS.items():
        print(f"{text[0].upper()}{text[1:]}: {current[key] or '–'}")
    logo = current["logo"]
    print(f"Logo: {_one_line(logo['file_name']) if logo else '–'}")
    return 0


def _read_logo(path: Path) -> bytes:
    with path.open("rb") as source:  # one byte over the limit is enough to refuse it
        return source.read(letterhead.MAX_LOGO_BYTES + 1)


def cmd_remind(args) -> int:
    store = open_ledger(args)
    try:
        month = as_of_month(args.as_of, store.year) if args.as_of else None
        found = reminders(store, as_of_month=month, teams=None if args.team is None else [args.team],
                          base_url=dashboard_base_url(args.base_url))
    except Refusal as error:  # ReminderError: an unknown team, a bad address
        print(error, file=sys.stderr)
        return EXIT_BAD_INPUT
    print(found[args.team] if args.team is not None else reminders_text(found).rstrip("\n"))
    return 0


def as_of_month(text: str, year: int) -> int:
    """The month of a 'TTTT-BB' text within the plan year; RefusedValue (Indonesian) otherwise."""
    match = re.fullmatch(r"(\d{4})-(\d{1,2})", text.strip())
    if not match or not 1 <= int(match[2]) <= 12:
        raise RefusedValue(f"--as-of '{text}' tidak sah: tulis bulan acuan sebagai TTTT-BB (misalnya {year}-06).")
    if int(match[1]) != year:
        raise RefusedValue(f"--as-of '{text}' berada di luar tahun rencana aksi ({year}).")
    return int(match[2])


def _one_line(text) -> str:
    return " ".join(str(text).split())
