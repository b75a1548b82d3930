"""`python -m zi_data office add|import|list|example`: the offices and their hierarchy, managed on the server."""

import sys
from pathlib import Path

import pandas as pd

from ..store.audit import record_event
from ..base.clock import checked_zone, office_zones, utc_now
from .command_scope import CLI_ACTOR, open_database
from ..store.example_offices import load_example
from ..store.offices import (MAX_CSV_BYTES, OFFICE_COLUMNS, add_offices, checked_office, office_frame,
                             office_levels, read_offices_csv)
from ..base.problems import shown

FIELD_LABELS = {"code": "KODE", "name": "NAMA", "parent": "--induk", "zone": "--zona-waktu"}
LIST_HEADERS = ("kode", "nama", "induk", "tingkat", "zona waktu")


def register(commands, data_dir_help: str) -> None:
    office = commands.add_parser("office", help="kelola daftar kantor dan hierarkinya")
    actions = office.add_subparsers(dest="office_command", required=True)
    add = actions.add_parser("add", help="tambah kantor, atau ubah nama dan induk kantor yang sudah ada")
    add.add_argument("code", metavar="KODE", help="kode wilayah Kemendagri, misalnya 6203 atau 62.03 (KPU RI: 00)")
    add.add_argument("name", metavar="NAMA")
    add.add_argument("--induk", dest="parent", default="", metavar="KODE", help="kode kantor induk (kosong: teratas)")
    add.add_argument("--zona-waktu", dest="zone", default=None, metavar="ZONA",
                     help="WIB, WITA atau WIT, bila berbeda dari provinsinya (kosong: menurut provinsi)")
    add.set_defaults(handler=cmd_add)
    importing = actions.add_parser("import", help="muat daftar kantor dari CSV kode,nama,induk[,zona_waktu]")
    importing.add_argument("file", metavar="BERKAS.csv")
    importing.set_defaults(handler=cmd_import)
    listing = actions.add_parser("list", help="daftar kantor: kode, nama, induk, tingkat, zona waktu")
    listing.set_defaults(handler=cmd_list)
    example = actions.add_parser("example", help="contoh provinsi: kantor KPU Kalimantan Tengah, rencana aksi "
                                 "bawaan tiap kabupaten/kota, dan progres FIKTIF (selain kantor utama)")
    example.set_defaults(handler=cmd_example)
    for parser in (add, importing, listing, example):
        parser.add_argument("--data-dir", default=None, help=data_dir_help)


def _audit(conn, counts: dict, source: str) -> None:
    """A change to the office list lands in the audit trail (of no plan year: every office's trail shows it)."""
    if counts["added"] or counts["changed"]:
        record_event(conn, CLI_ACTOR, "kantor_diperbarui", {"berkas": source, "ditambah": counts["added"],
                                                             "diubah": counts["changed"]})


def _failed(message: str) -> int:
    print(f"Gagal: {message}", file=sys.stderr)
    return 1


def cmd_add(args) -> int:
    office, problems = checked_office(args.code, args.name, args.parent)
    zone, problem = checked_zone(args.zone)
    problems += [("zone", problem)] if problem else []
    if problems:
        return _failed("\n".join(f"{FIELD_LABELS[field]}: {message}" for field, message in problems))
    store = open_database(args)
    with store.transaction() as conn:  # an OfficeError: "Gagal: …" in main
        frame = pd.DataFrame([office], columns=OFFICE_COLUMNS)
        counts = add_offices(conn, frame if args.zone is None else frame.assign(zone=[zone]), utc_now())
        _audit(conn, counts, f"kantor {office[0]}")
    outcome = ("ditambahkan" if counts["added"] else "diperbarui" if counts["changed"]
               else "sudah terdaftar, tidak berubah")
    print(f"Kantor {office[0]} ({office[1]}) {outcome}.")
    return 0


def cmd_import(args) -> int:
    path = Path(args.file)
    try:
        with path.open("rb") as source:
            data = source.read(MAX_CSV_BYTES + 1)  # one byte more than allowed is enough to refuse it
    except FileNotFoundError:
        return _failed(f"berkas '{shown(args.file)}' tidak ada.")
    except OSError:
        return _failed(f"berkas '{shown(args.file)}' tidak dapat dibaca (periksa izin baca, atau itu direktori).")
    store = open_database(args)
    with store.transaction() as conn:  # an OfficeError: "Gagal: …" in main
        frame = read_offices_csv(data, path.name, office_frame(conn))
        counts = add_offices(conn, frame, utc_now())
        _audit(conn, counts, path.name)
    print(f"Kantor dari '{shown(path.name)}': {counts['added']} ditambahkan, {counts['changed']} diubah, "
          f"{counts['unchanged']} tidak berubah.")
    return 0


def cmd_list(args) -> int:
    store = open_database(args)
    with store.reading() as conn:
        offices = office_frame(conn)
        zones = office_zones(conn)
    rows = [LIST_HEADERS, *zip(offices["code"], offices["name"], offices["parent"], office_levels(offices),
                               offices["code"].map(zones))]
    widths = [max(len(row[column]) for row in rows) for column in range(len(LIST_HEADERS) - 1)]
    for row in rows:
        print("  ".join([*(cell.ljust(width) for cell, width in zip(row, widths)), row[-1]]))
    return 0


def cmd_example(args) -> int:
    loaded = load_example(open_database(args))
    for warning in loaded.warnings:
        print(f"Peringatan: {warning}")
    print(f"Contoh provinsi: {loaded.offices_added} kantor ditambahkan, rencana aksi dimulai untuk "
          f"{len(loaded.years_started)} kantor, progres CONTOH FIKTIF ditulis untuk {len(loaded.offices_filled)} "
          f"kantor ({loaded.entries} entri).")
    return 0
