"""`python -m zi_data monev report|list` and `python -m zi_data remind`: the lembar monev as PDF or XLSX, the
recorded monev meetings, and the reminders to the teams.

Exit codes: 0 done, 1 the file could not be written, 2 bad input (nothing written).
"""

import re
import sys
from pathlib import Path

from ..monev import monev
from ..base import paths
from .command_scope import EXIT_BAD_INPUT, EXIT_REFUSED, add_ledger_arguments, open_ledger
from ..monev.lembar_xlsx import lembar_xlsx_bytes
from ..base.clock import date_text
from ..base.months import month_name
from ..base.problems import Refusal, RefusedValue
from ..monev.reminders import dashboard_base_url, reminders, reminders_text
from ..base.dashboard_url import DASHBOARD_URL_ENV, DEFAULT_DASHBOARD_URL

REPORT_SUFFIXES = (".pdf", ".xlsx")


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
    remind = commands.add_parser("remind", help="pengingat untuk tiap tim (teks polos, siap dikirim lewat WhatsApp)")
    remind.add_argument("--team", help="hanya tim ini (nama penanggung jawab seperti di rencana aksi)")
    remind.add_argument("--as-of", metavar="TTTT-BB", help="bulan acuan (bawaan: hari ini)")
    remind.add_argument("--base-url", metavar="ALAMAT",
                        help=f"alamat dasbor untuk tautan (bawaan: ${DASHBOARD_URL_ENV}, lalu {DEFAULT_DASHBOARD_URL})")
    remind.set_defaults(handler=cmd_remind)
    for command in (report, listing, remind):
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
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        paths.write_atomically(target, data)
    except OSError as error:
        print(f"Lembar monev tidak dapat ditulis ke {target}: {paths.os_error_text(error)}.", file=sys.stderr)
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
