"""`python -m zi_data user sessions [--user NAMA]` and `user sessions revoke (--user NAMA | --all | ID)`: the
sign-in sessions of an office's accounts, listed (never a token or its hash) and ended on the server, audited."""

import json
import sys

from .command_scope import CLI_ACTOR, chosen_office, open_database
from ..base.clock import office_zone, table_moments
from ..store.sign_in_sessions import STATE_LABELS, SignInSessions

LISTED = {"session_id": "ID", "account": "akun", "office": "kantor", "created_at": "dibuat",
          "last_seen_at": "terakhir aktif", "expires_at": "berakhir paling lambat", "state": "keadaan",
          "user_agent": "perangkat"}


def register(actions, data_dir_help: str) -> None:
    """`sessions` and its `revoke` under the `user` command's `actions`."""
    sessions = actions.add_parser("sessions", help="daftar sesi masuk (peramban yang tetap masuk); "
                                                   "'sessions revoke' mengakhirinya")
    sessions.add_argument("--user", help="hanya sesi akun ini")
    sessions.add_argument("--json", action="store_true")
    ending = sessions.add_subparsers(dest="sessions_command", required=False)
    revoke = ending.add_parser("revoke", help="akhiri sesi: semua sesi satu akun, semua sesi kantor, atau satu ID")
    which = revoke.add_mutually_exclusive_group(required=True)
    which.add_argument("--user", dest="revoke_user", metavar="AKUN", help="semua sesi akun ini")
    which.add_argument("--all", action="store_true", help="semua sesi aktif akun kantor ini")
    which.add_argument("session_id", nargs="?", type=int, metavar="ID", help="nomor sesi (lihat 'user sessions')")
    for parser in (sessions, revoke):
        parser.add_argument("--data-dir", default=None, help=data_dir_help)
        parser.add_argument("--office", metavar="KODE", help="kode kantor (bawaan: kantor pertama di direktori data)")
        parser.set_defaults(handler=cmd_sessions)


def cmd_sessions(args) -> int:
    database = open_database(args)
    office, sessions = chosen_office(args, database), SignInSessions(database)
    if getattr(args, "sessions_command", None) != "revoke":
        return _list(sessions, office, args)
    if args.session_id is not None:
        ended = int(sessions.revoke_id(args.session_id, CLI_ACTOR, office=office))
        if not ended:
            print(f"Gagal: tidak ada sesi aktif bernomor {args.session_id} di kantor {office}.", file=sys.stderr)
            return 1
    else:
        live = sessions.list(args.revoke_user, office=office)
        names = live.loc[live["state"] == "aktif", "account"].drop_duplicates()
        ended = sum(sessions.revoke_all_for(name, CLI_ACTOR) for name in names)
    print(f"{ended} sesi dicabut.")
    return 0


def _list(sessions: SignInSessions, office: str, args) -> int:
    listed = sessions.list(args.user, office=office)
    if listed.empty:
        print("Belum ada sesi masuk." if not args.user else f"Akun {args.user} tidak punya sesi masuk.")
        return 0
    listed["state"] = listed["state"].map(STATE_LABELS)
    if args.json:  # times stay ISO 8601 UTC, as in every JSON output
        print(json.dumps(listed[list(LISTED)].rename(columns=LISTED).to_dict("records"), ensure_ascii=False, indent=2))
        return 0
    with sessions.store.reading() as conn:
        zone = office_zone(conn, office)
    for column in ("created_at", "last_seen_at", "expires_at"):
        listed[column] = table_moments(listed[column], zone)
    shown = listed[list(LISTED)]
    print("\t".join(LISTED.values()))
    for row in shown.itertuples(index=False):
        print("\t".join(str(value) for value in row))
    return 0
