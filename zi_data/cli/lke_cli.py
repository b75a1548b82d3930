"""`python -m zi_data lke`: the LKE readiness of a plan year (text or --json, with a what-if), and
`python -m zi_data lke mapping`: show the LKE table in force as CSV, or put another in force (admin).

Exit codes: 0 done, 1 sign-in refused or not allowed, 2 bad input (nothing written).
"""

import argparse
import json
import sys
from pathlib import Path

from ..evidence import evidence
from ..lke import lke
from ..plan import status as status_rules
from ..base.clock import store_today
from .command_scope import EXIT_BAD_INPUT, EXIT_REFUSED, add_ledger_arguments, open_ledger, parse_as_of
from ..store.counting_rule import counting_rule, rule_label
from ..lke.lke_mapping import mapping_in_force, read_table_csv, set_mapping, table_csv
from ..base.months import format_number, format_percent, month_name
from ..base.problems import InputError, Refusal, print_problems
from .user_cli import admin_sign_in

AGENDA_LINES = 10


def register(commands, data_dir_help: str) -> None:
    parser = commands.add_parser("lke", help="perkiraan kesiapan bukti per area LKE (bukan nilai LKE)")
    parser.add_argument("--as-of", help="bulan acuan TTTT-BB (akhir bulan) atau tanggal TTTT-BB-HH; bawaan: hari ini")
    parser.add_argument("--jika-selesai-sampai", dest="through", metavar="TTTT-BB",
                        help="tampilkan juga kesiapan bila semua yang jatuh tempo sampai bulan ini selesai")
    parser.add_argument("--json", action="store_true", help="cetak sebagai JSON")
    parser.set_defaults(handler=cmd_lke)
    actions = parser.add_subparsers(dest="lke_command")
    mapping = actions.add_parser("mapping", help="tabel pemetaan area ke area LKE: tampilkan (CSV) atau ganti (admin)")
    choice = mapping.add_mutually_exclusive_group()
    choice.add_argument("--file", metavar="CSV", help="tabel baru (kolom area, komponen, lke_area, lke_sub_item, weight)")
    choice.add_argument("--bawaan", dest="bundled", action="store_true", help="kembalikan ke tabel bawaan")
    mapping.add_argument("--user", help="akun admin kantor itu (wajib untuk mengganti)")
    mapping.add_argument("--password-stdin", action="store_true", help="baca kata sandi dari baris pertama stdin")
    mapping.set_defaults(handler=cmd_mapping)
    for command, default in ((parser, None), (mapping, argparse.SUPPRESS)):  # before or after "mapping"
        command.add_argument("--data-dir", default=default, help=data_dir_help)
        add_ledger_arguments(command, default)


def office_readiness(store, as_of):
    """The store's plan, its status as of `as_of` under the counting rule in force, the LKE table and rule."""
    plan, latest, rule = store.plan(), store.latest(), counting_rule(store)
    classified = status_rules.classify(plan, latest, as_of, evidence=evidence.evidence_states(store, latest),
                                       rule=rule)
    return plan, classified, mapping_in_force(store), rule


def cmd_lke(args) -> int:
    store = open_ledger(args)
    try:
        as_of = (parse_as_of(args.as_of, store.year) if args.as_of
                 else status_rules.as_of_date(store.year, store_today(store)))
        through = parse_as_of(args.through, store.year, "--jika-selesai-sampai").month if args.through else None
    except Refusal as error:
        print(error, file=sys.stderr)
        return EXIT_BAD_INPUT
    plan, classified, mapping, rule = office_readiness(store, as_of)
    result = lke.readiness(plan, classified, mapping, as_of)
    scenario = lke.what_if(plan, classified, mapping, through) if through else None
    if args.json:
        output = lke.as_json(result, rule) | {"office": store.office, "year": store.year,
                                                "pemetaan": "bawaan" if mapping.bundled else "disesuaikan"}
        if scenario:
            output["jika_selesai_sampai"] = what_if_json(scenario)
        print(json.dumps(output, ensure_ascii=False, indent=2))
        return 0
    print(f"Kesiapan LKE {plan.attrs.get('office') or store.office} tahun {store.year}, "
          f"posisi {as_of.day} {month_name(as_of.month)} {as_of.year}")
    print(lke.NOTE)
    print(f"{rule_label(rule)} · pemetaan {'bawaan' if mapping.bundled else 'disesuaikan admin'}")
    print_areas(result)
    if scenario:
        print_what_if(scenario, store.year)
    return 0


def points(value: float) -> str:
    return format_number(value, 2)


def floor_mark(points_value: float, floor: float) -> str:
    return "✓" if points_value + lke.EPSILON >= floor else "✗ di bawah"


def print_areas(result: lke.Readiness) -> None:
    for area in result.areas.itertuples():
        print(f"Area {area.area} {area.lke_area}: {points(area.points)} dari {points(area.weight)} poin "
              f"({area.done} dari {area.planned} bulan-kegiatan selesai, {format_percent(area.share)}) · "
              f"batas WBK {points(area.floor_wbk)} {floor_mark(area.points, area.floor_wbk)} · "
              f"batas WBBM {points(area.floor_wbbm)} {floor_mark(area.points, area.floor_wbbm)}")
    total = result.pengungkit
    print(f"Pengungkit (perkiraan): {points(total['points'])} dari {points(total['max'])} · "
          f"WBK perlu {points(total['wbk'])} dan setiap area ≥ batasnya: {'ya' if total['meets_wbk'] else 'belum'} · "
          f"WBBM perlu {points(total['wbbm'])}: {'ya' if total['meets_wbbm'] else 'belum'}")
    for row in result.unmapped.itertuples():
        print(f"Catatan: komponen '{row.komponen}' area {row.area} ({row.planned} bulan-kegiatan) tidak ada di "
              "tabel pemetaan; tidak dihitung.")


def print_what_if(scenario: lke.WhatIf, year: int) -> None:
    print(f"\nJika semua yang jatuh tempo sampai {month_name(scenario.through_month)} {year} selesai:")
    print_areas(scenario.readiness)
    for column, label in (("clears_wbk", "WBK"), ("clears_wbbm", "WBBM")):
        cleared = scenario.areas.loc[scenario.areas[column], "area"]
        print(f"Area yang lolos batas {label}: {', '.join(cleared) if len(cleared) else 'tidak ada'}")
    agenda = scenario.agenda
    print(f"Agenda monev berikutnya ({len(agenda)} bulan-kegiatan belum selesai, paling berpengaruh di atas):")
    for row in agenda.head(AGENDA_LINES).itertuples():
        below = f", area di bawah batas {row.below}" if row.below else ""
        print(f"  {row.id} {row.month_name} (+{points(row.gain)} poin area {row.area}{below}) – "
              f"{row.penanggung_jawab}: {row.bukti_fisik}")
    if len(agenda) > AGENDA_LINES:
        print(f"  … dan {len(agenda) - AGENDA_LINES} lainnya (lihat --json)")


def what_if_json(scenario: lke.WhatIf) -> dict:
    then = lke.as_json(scenario.readiness, "")
    cleared = {label: list(scenario.areas.loc[scenario.areas[column], "area"])
               for column, label in (("clears_wbk", "lolos_wbk"), ("clears_wbbm", "lolos_wbbm"))}
    agenda = [{**row, "month": int(row["month"]), "gain": round(float(row["gain"]), 4)}
              for row in scenario.agenda.astype(object).to_dict("records")]
    return {"through_month": scenario.through_month, "areas": then["areas"], "pengungkit": then["pengungkit"],
            **cleared, "agenda": agenda}


def cmd_mapping(args) -> int:
    """Print the table in force as CSV, or put another (or the bundled one) in force: an admin of the office."""
    store = open_ledger(args)
    if not args.file and not args.bundled:
        print(table_csv(mapping_in_force(store).table), end="")
        return 0
    try:
        frame = read_table_csv(Path(args.file).read_bytes()) if args.file else None
    except OSError as error:
        print(f"Berkas '{args.file}' tidak dapat dibaca: {error.strerror or error}.", file=sys.stderr)
        return EXIT_BAD_INPUT
    except InputError as error:
        print_problems(error)
        return EXIT_BAD_INPUT
    user = admin_sign_in(store, args, "Pemetaan LKE")
    if user is None:
        return EXIT_REFUSED
    try:
        set_mapping(store, frame, user.name)
    except InputError as error:
        print_problems(error)
        return EXIT_BAD_INPUT
    what = "Tabel bawaan" if frame is None else f"Tabel dari {args.file}"
    print(f"{what} kini menjadi pemetaan LKE {store.office} tahun {store.year}.")
    return 0

