"""Command line: python -m zi_data COMMAND ..."""

import argparse
import json
import sys
from collections import Counter

from .months import format_number
from .plan import read_plan
from .problems import InputError


def _print_problems(error: InputError) -> int:
    print(f"Berkas tidak dapat diproses ({len(error.problems)} masalah):", file=sys.stderr)
    for problem in error.problems:
        print(f"- {problem}", file=sys.stderr)
    return 1


def plan_summary(plan) -> dict:
    return {
        "items": int(len(plan)),
        "planned_item_months": int(plan["bulan"].map(len).sum()),
        "by_area": {k: int(v) for k, v in Counter(plan["area"]).items()},
        "by_team": {k: int(v) for k, v in Counter(plan["penanggung_jawab"]).items()},
        "office": plan.attrs.get("office", ""),
        "year": plan.attrs.get("year"),
        "sheet": plan.attrs.get("sheet", ""),
    }


def cmd_validate(args) -> int:
    try:
        plan = read_plan(args.file)
    except InputError as error:
        if args.json:
            print(json.dumps({"ok": False, "problems": [p.as_dict() for p in error.problems]}, ensure_ascii=False))
        return _print_problems(error)
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


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m zi_data", description="ZI Monitor: rencana aksi Zona Integritas")
    commands = parser.add_subparsers(dest="command", required=True)
    validate = commands.add_parser("validate", help="periksa berkas rencana aksi (.xlsx)")
    validate.add_argument("file")
    validate.add_argument("--json", action="store_true", help="cetak ringkasan sebagai JSON")
    validate.set_defaults(handler=cmd_validate)
    return parser


def main(argv=None) -> int:
    args = build_parser().parse_args(argv)
    return args.handler(args)
