"""`python -m zi_data user add|remove|passwd|list|sessions`: accounts, managed on the server."""

import getpass
import json
import sys

from . import session_cli
from ..store.accounts import ROLES, AccountError, Accounts, User
from .command_scope import CLI_ACTOR, chosen_office, open_database
from ..store.ledgers import LedgerNotFound
from ..store.offices import office_frame
from ..store.progress_store import ProgressStore



def register(commands, data_dir_help: str) -> None:
    user = commands.add_parser("user", help="kelola akun: editor, admin, penilai (Tim Penilai Internal), viewer (pemantau)")
    actions = user.add_subparsers(dest="user_command", required=True)
    add = actions.add_parser("add", help="tambah akun")
    add.add_argument("name")
    add.add_argument("--role", choices=ROLES, required=True)
    add.add_argument("--team", default="", help="penanggung jawab yang dipimpin (wajib untuk editor)")
    passwd = actions.add_parser("passwd", help="ganti kata sandi")
    passwd.add_argument("name")
    remove = actions.add_parser("remove", help="hapus akun")
    remove.add_argument("name")
    listing = actions.add_parser("list", help="daftar akun")
    listing.add_argument("--json", action="store_true")
    for parser in (add, passwd):
        parser.add_argument("--password-stdin", action="store_true",
                            help="baca kata sandi dari baris pertama stdin (untuk skrip)")
    for parser in (add, passwd, remove, listing):
        parser.add_argument("--data-dir", default=None, help=data_dir_help)
        parser.add_argument("--office", metavar="KODE", help="kode kantor akun (bawaan: kantor pertama di direktori data)")
        parser.set_defaults(handler=cmd_user)
    session_cli.register(actions, data_dir_help)


def read_password(prompt: str, confirm: bool = False, from_stdin: bool = False) -> str:
    """From the first line of stdin (scripts, or when stdin is not a terminal), else asked without echo."""
    if from_stdin or not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass(prompt)
    if confirm and getpass.getpass("Ulangi kata sandi: ") != first:
        raise AccountError("Kedua kata sandi tidak sama.")
    return first


def sign_in(accounts: Accounts, name: str | None, from_stdin: bool = False, admin: bool = False) -> User | None:
    """The user a command that writes to `accounts.office` acts for once accounts exist (None: no account
    yet, open mode).

    Raises AccountError when accounts exist and the name or password is missing or wrong, or when the
    account may not write there (another office's, a viewer's, or not an admin's when `admin`).
    """
    if not accounts.any():
        return None
    if not name:
        raise AccountError("Sudah ada akun: sebutkan --user NAMA (kata sandi ditanyakan atau dibaca dari stdin).")
    user = accounts.authenticate(name, read_password("Kata sandi: ", from_stdin=from_stdin))
    if not user.may_write_in(accounts.office):
        raise AccountError(f"Akun {user.label} tidak dapat mengubah data kantor {accounts.office}.")
    if admin and not user.is_admin:
        raise AccountError("Hanya admin kantor itu yang dapat melakukannya.")
    return user


def admin_sign_in(store, args, what: str) -> User | None:
    """The office's admin signed in (args.user, args.password_stdin) to change `what` of a plan year; None,
    with the reason printed, when there is no account yet or sign-in refuses."""
    if not store.accounts.any():
        print(f"{what} hanya dapat diganti oleh admin; buat dahulu akunnya: "
              "python -m zi_data user add NAMA --role admin", file=sys.stderr)
        return None
    try:
        return sign_in(store.accounts, args.user, args.password_stdin, admin=True)
    except AccountError as error:
        print(f"Gagal masuk: {error}", file=sys.stderr)
        return None


def _password(args) -> str:
    return read_password("Kata sandi baru: ", confirm=True, from_stdin=args.password_stdin)


def _teams(database, office: str) -> tuple[str, ...]:
    """The teams of the office's current plan year; none when it has no plan year yet."""
    try:
        plan = ProgressStore(office=office, database=database).plan()
    except LedgerNotFound:
        return ()
    return tuple(dict.fromkeys(plan["penanggung_jawab"]))


def cmd_user(args) -> int:
    database = open_database(args)
    office = chosen_office(args, database)
    with database.reading() as conn:
        if office not in set(office_frame(conn)["code"]):
            print(f"Gagal: kantor dengan kode {office} belum terdaftar (python -m zi_data office list).",
                  file=sys.stderr)
            return 1
    accounts = Accounts(database, office)  # an AccountError: "Gagal: …" in main
    if args.user_command == "add":
        user = accounts.add(args.name, args.role, args.team, _password(args), CLI_ACTOR, _teams(database, office))
        print(f"Akun {user.label} dibuat.")
    elif args.user_command == "passwd":
        accounts.set_password(args.name, _password(args), CLI_ACTOR)
        print(f"Kata sandi {args.name} diganti.")
    elif args.user_command == "remove":
        accounts.remove(args.name, CLI_ACTOR)
        print(f"Akun {args.name} dihapus.")
    else:
        listed = accounts.list()
        if args.json:
            print(json.dumps(listed.to_dict("records"), ensure_ascii=False, indent=2))
        elif listed.empty:
            print("Belum ada akun. Buat admin pertama: python -m zi_data user add NAMA --role admin")
        else:
            for row in listed.itertuples():
                print(f"{row.name}\t{row.role}\t{row.team}")
    return 0
