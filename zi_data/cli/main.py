"""Command line: python -m zi_data COMMAND ..."""

import argparse
import json
import sys
from collections import Counter

from . import db_cli, evidence_cli, lke_cli, monev_cli, office_cli, plan_cli, realisasi_cli, user_cli
from ..evidence import evidence
from ..plan import status as status_rules
from .command_parser import CommandParser
from .command_scope import (DATA_DIR_HELP, EXIT_BAD_INPUT, EXIT_REFUSED, NoPlanYear, add_ledger_arguments, open_ledger,
                            parse_as_of)
from ..store.counting_rule import RULES, counting_rule
from ..base.clock import date_text, store_today
from ..base.months import format_number, format_percent, left_out_text, month_name
from ..plan.plan import read_plan
from ..base.problems import InputError, Refusal, print_problems, spelled
from ..files.upload_isolation import run_isolated
from ..files.xlsx_guard import read_source


def plan_summary(plan) -> dict:
    return {
        "items": int(len(plan)),
        "planned_item_months": int(plan["months"].map(len).sum()),
        "by_area": {k: int(v) for k, v in Counter(plan["area"]).items()},
        "by_team": {k: int(v) for k, v in Counter(plan["penanggung_jawab"]).items()},
        "office": plan.attrs.get("office", ""),
        "year": plan.attrs.get("year"),
        "sheet": plan.attrs.get("sheet", ""),
    }


def cmd_validate(args) -> int:
    try:
        data, label = read_source(args.file)
        plan = run_isolated(read_plan, data, label, label=label)  # a worker process: see upload_isolation
    except InputError as error:
        if args.json:
            print(json.dumps({"ok": False, "problems": [p.as_dict() for p in error.problems]}, ensure_ascii=False))
        return print_problems(error)
    summary = plan_summary(plan)
    if args.json:
        print(json.dumps(summary, ensure_ascii=False, indent=2))
        return 0
    print(f"Rencana aksi valid: {summary['office'] or args.file}, tahun {summary['year'] or '?'} "
          f"(lembar '{summary['sheet']}')")
    print(f"{summary['items']} langkah aksi, {format_number(summary['planned_item_months'])} bulan-kegiatan terjadwal")
    for area, count in summary["by_area"].items():
        print(f"  Area {area}: {count} langkah aksi")
    for team, count in summary["by_team"].items():
        print(f"  {team}: {count} langkah aksi")
    return 0




def _rate_line(label: str, shape: dict) -> str:
    return f"{label}: {format_percent(shape['rate'])} ({shape['done']} dari {shape['planned']} bulan-kegiatan)"


def cmd_status(args) -> int:
    store = open_ledger(args)
    plan = store.plan()
    year = store.year
    try:
        as_of = parse_as_of(args.as_of, year) if args.as_of else status_rules.as_of_date(year, store_today(store))
    except Refusal as error:
        print(error, file=sys.stderr)
        return EXIT_BAD_INPUT
    latest, rule = store.latest(), counting_rule(store)
    summary = status_rules.status_summary(plan, latest, as_of, args.grace_days,
                                          evidence=evidence.evidence_states(store, latest), rule=rule)
    summary["aturan_hitung"] = rule
    if args.json:
        print(json.dumps(summary, ensure_ascii=False, indent=2))
        return 0
    print(f"Status rencana aksi {summary['office'] or ''} tahun {year} per {date_text(as_of)} "
          f"(rencana versi {summary['plan_version']})".replace("  ", " "))
    print(f"Aturan hitung: {RULES[rule]}")
    print(_rate_line(f"Capaian s.d. {month_name(as_of.month)}", summary["overall"]["as_of"]))
    print(_rate_line("Capaian tahunan", summary["overall"]["annual"]))
    for title, groups in (("Per area", summary["by_area"]), ("Per tim", summary["by_team"])):
        print(f"{title} (s.d. {month_name(as_of.month)}):")
        for name, shape in groups.items():
            print(f"  {_rate_line(name, shape['as_of'])}")
    overdue = summary["overdue"]
    print(f"Terlambat: {len(overdue)} bulan-kegiatan")
    for row in overdue[:10]:
        print(f"  {row['id']} {row['month_name']} ({row['days_overdue']} hari) – {row['penanggung_jawab']}: "
              f"{row['bukti_fisik']}")
    if len(overdue) > 10:
        print(f"  {left_out_text(len(overdue) - 10)} (lihat --json)")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = CommandParser(prog="python -m zi_data", description="ZI Monitor: rencana aksi Zona Integritas")
    commands = parser.add_subparsers(dest="command", required=True)
    validate = commands.add_parser("validate", help="periksa berkas rencana aksi (.xlsx)")
    validate.add_argument("file")
    validate.add_argument("--json", action="store_true", help="cetak ringkasan sebagai JSON")
    validate.set_defaults(handler=cmd_validate)
    status = commands.add_parser("status", help="status capaian per bulan acuan")
    status.add_argument("--data-dir", help=DATA_DIR_HELP)
    status.add_argument("--as-of", help="bulan acuan TTTT-BB (akhir bulan) atau tanggal TTTT-BB-HH; bawaan: hari ini")
    status.add_argument("--grace-days", type=int, default=0, help="masa tenggang (hari) setelah akhir bulan")
    status.add_argument("--json", action="store_true", help="cetak sebagai JSON")
    add_ledger_arguments(status)
    status.set_defaults(handler=cmd_status)
    for group in (realisasi_cli, user_cli, office_cli, plan_cli, evidence_cli, lke_cli, monev_cli, db_cli):
        group.register(commands, DATA_DIR_HELP)
    return parser


def main(argv=None) -> int:
    """Run the command; a refusal it did not answer with its own exit code is said here, never a traceback:
    a refused file's problems one per line, any other refusal as "Gagal: …" (exit code 1)."""
    args = build_parser().parse_args(argv)
    try:
        return args.handler(args)
    except InputError as error:
        return print_problems(error)
    except NoPlanYear as error:
        print(error, file=sys.stderr)
        return EXIT_BAD_INPUT
    except Refusal as error:  # SchemaError, AccountError, OfficeError, LedgerNotFound, …
        print(spelled(f"Gagal: {error}"), file=sys.stderr)
        return EXIT_REFUSED
