"""`python -m zi_data evidence add|package|rule`: attach an evidence file, write the evidence package (ZIP), show
or change the plan year's counting rule.

Exit codes: 0 done, 1 sign-in refused or not allowed, 2 bad input (nothing written).
"""

import sys
from pathlib import Path

from ..evidence import evidence
from ..base import paths
from ..store.accounts import AccountError
from .command_scope import EXIT_BAD_INPUT, EXIT_REFUSED, actor_name, add_ledger_arguments, open_ledger
from ..store.counting_rule import RULES, counting_rule, rule_label, set_counting_rule
from ..files.evidence_files import max_file_bytes
from ..evidence.evidence_package import write_package
from ..base.months import format_number, month_name
from ..files.file_types import oversize_problem, size_text
from ..base.problems import InputError, Problem, Refusal, print_problems, spelled
from ..realisasi.realisasi_export import resolve_month
from .user_cli import admin_sign_in, sign_in



def register(commands, data_dir_help: str) -> None:
    parser = commands.add_parser("evidence", help="bukti dukung: lampirkan berkas, tulis paket bukti (ZIP)")
    actions = parser.add_subparsers(dest="evidence_command", required=True)
    package = actions.add_parser("package", help="tulis paket bukti (ZIP) berbentuk folder penilai, dengan indeks")
    package.add_argument("--diterima-saja", dest="accepted_only", action="store_true",
                         help="hanya bukti yang diterima penilai")
    package.add_argument("-o", "--output", required=True, help="berkas .zip tujuan")
    package.set_defaults(handler=cmd_package)
    add = actions.add_parser("add", help="lampirkan satu berkas bukti pada satu bulan-kegiatan")
    add.add_argument("item_id", metavar="ID", help="ID langkah aksi, misalnya I-1-1")
    add.add_argument("month", metavar="BULAN", help="1–12 atau nama bulan, misalnya Oktober")
    add.add_argument("file", metavar="BERKAS", help="PDF, JPG/JPEG, PNG, DOCX, XLSX atau PPTX")
    add.add_argument("--user", help="akun editor/admin (wajib bila sudah ada akun)")
    add.add_argument("--password-stdin", action="store_true", help="baca kata sandi dari baris pertama stdin")
    add.add_argument("--by", help="nama yang melampirkan tanpa akun (bawaan: $ZI_USER, lalu 'baris perintah')")
    add.set_defaults(handler=cmd_add)
    rule = actions.add_parser("rule", help="aturan hitung tahun rencana: tampilkan, atau ganti (admin)")
    rule.add_argument("rule", nargs="?", choices=list(RULES), help="aturan baru; tanpa ini: tampilkan yang berlaku")
    rule.add_argument("--user", help="akun admin kantor itu (wajib untuk mengganti)")
    rule.add_argument("--password-stdin", action="store_true", help="baca kata sandi dari baris pertama stdin")
    rule.set_defaults(handler=cmd_rule)
    unused = actions.add_parser("gc", help="daftar berkas bukti yang tidak dirujuk (sisa lampiran yang gagal "
                                            "disimpan); hapus dengan --yes")
    unused.add_argument("--yes", action="store_true", help="hapus berkas itu (tanpa ini: hanya daftar)")
    unused.add_argument("--by", help="nama yang menghapus (bawaan: $ZI_USER, lalu 'baris perintah')")
    unused.set_defaults(handler=cmd_gc)
    for command in (package, add, rule, unused):
        command.add_argument("--data-dir", default=None, help=data_dir_help)
        add_ledger_arguments(command)


def cmd_package(args) -> int:
    store = open_ledger(args)
    target = Path(args.output)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with paths.output_file(target) as out:
            summary = write_package(store, out, accepted_only=args.accepted_only)
    except OSError as error:
        print(f"Paket bukti tidak dapat ditulis ke {target}: {paths.os_error_text(error)}.", file=sys.stderr)
        return EXIT_REFUSED
    except Refusal as error:  # a stored file is missing
        print(f"Paket bukti tidak dapat dibuat: {error}", file=sys.stderr)
        return EXIT_REFUSED
    scope = "hanya bukti yang diterima" if args.accepted_only else "semua bukti terkini"
    print(f"Paket bukti {store.office} tahun {store.year} ({scope}) ditulis ke {target}: {summary.files} berkas, "
          f"{summary.links} tautan; {summary.stored} berkas di paket, {format_number(summary.bytes)} byte.")
    return 0


def cmd_add(args) -> int:
    store = open_ledger(args)
    try:
        month = resolve_month(args.month)
        data = _read_file(Path(args.file))
    except InputError as error:
        print_problems(error)
        return EXIT_BAD_INPUT
    teams = store.plan().set_index("id")["penanggung_jawab"]
    if args.item_id not in teams.index:
        print(spelled(f"Langkah aksi '{args.item_id}' tidak ada dalam rencana aksi {store.office} tahun {store.year}."),
              file=sys.stderr)
        return EXIT_BAD_INPUT
    try:
        user = sign_in(store.accounts, args.user, args.password_stdin)
    except AccountError as error:
        print(f"Gagal masuk: {error}", file=sys.stderr)
        return EXIT_REFUSED
    if refusal := _refusal(user, store.office, args.item_id, teams[args.item_id]):
        print(refusal, file=sys.stderr)
        return EXIT_REFUSED
    actor = actor_name(args, user)
    before = set(evidence.attachments(store)["evidence_id"])
    try:
        evidence_id = evidence.attach_file(store, args.item_id, month, Path(args.file).name, data, actor)
    except InputError as error:
        print_problems(error)
        return EXIT_BAD_INPUT
    except Refusal as error:
        print(spelled(f"Gagal: {error}"), file=sys.stderr)
        return EXIT_BAD_INPUT
    where = f"{args.item_id} {month_name(month)} {store.year}"
    if evidence_id in before:
        print(spelled(f"Berkas yang sama sudah terlampir pada {where} (bukti nomor {evidence_id}); tidak ada yang "
                      "ditambahkan."))
    else:
        print(spelled(f"Bukti '{Path(args.file).name}' dilampirkan pada {where} (bukti nomor {evidence_id})."))
    return 0


def cmd_gc(args) -> int:
    """List, or with --yes delete, the evidence files that no attachment names (left by failed attaches)."""
    store = open_ledger(args)
    by = actor_name(args)
    found = evidence.unreferenced_files(store, by, remove=args.yes)
    total = size_text(sum(size for _, size in found))
    if not found:
        print("Tidak ada berkas bukti yang tak terpakai.")
    elif args.yes:
        print(f"{len(found)} berkas bukti tak terpakai ({total}) dihapus.")
    else:
        for path, size in found:
            print(f"{path}\t{size_text(size)}")
        print(f"{len(found)} berkas bukti tak terpakai ({total}); jalankan lagi dengan --yes untuk menghapusnya.")
    return 0


def cmd_rule(args) -> int:
    """Show the plan year's counting rule, or put another in force (an admin of the office only)."""
    store = open_ledger(args)
    if args.rule is None:
        print(f"{rule_label(counting_rule(store))} ({store.office}, tahun {store.year}).")
        return 0
    user = admin_sign_in(store, args, "Aturan hitung")
    if user is None:
        return EXIT_REFUSED
    set_counting_rule(store, args.rule, user.name)
    print(f"{rule_label(args.rule)} kini berlaku untuk {store.office} tahun {store.year}.")
    return 0


def _read_file(path: Path) -> bytes:
    """The file's bytes; InputError (Indonesian) when it is missing, not a file or over the size limit."""
    try:
        if not path.is_file():
            raise InputError([Problem(f"Berkas '{path}' tidak ditemukan.")])
        if path.stat().st_size > max_file_bytes():
            raise InputError([oversize_problem(path.name, path.stat().st_size)])
        return path.read_bytes()
    except OSError as error:
        raise InputError([Problem(f"Berkas '{path}' tidak dapat dibaca: {error.strerror or error}.")]) from None


def _refusal(user, office: str, item_id: str, team: str) -> str | None:
    """Why `user` may not attach evidence to `item_id` (of `team`); None when they may (None user: open mode)."""
    if user is None or user.may_write_for(office, team):
        return None
    if not user.may_write_in(office):
        return f"Akun {user.label} tidak dapat melampirkan bukti di {office}; hanya editor dan admin kantor ini."
    if user.team != team:
        return f"Akun {user.label} hanya dapat melampirkan bukti untuk langkah aksi {user.team}; {item_id} milik {team}."
    return None


