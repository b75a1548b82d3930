"""`python -m zi_data db upgrade`: the schema brought to the newest revision by the owner role, and the runtime
role's privileges granted again (database_roles.py); on SQLite, the same upgrade of the data directory's file."""

from ..base import paths
from ..base.problems import spelled
from ..store.database import HEAD, Database


def register(commands, data_dir_help: str) -> None:
    db = commands.add_parser("db", help="basis data: perbarui skema dan hak peran (PostgreSQL: dengan "
                                        "ZI_DATABASE_OWNER_URL)")
    actions = db.add_subparsers(dest="db_command", required=True)
    upgrade = actions.add_parser("upgrade", help="bawa skema ke revisi terbaru dan berikan lagi hak peran runtime")
    upgrade.add_argument("--data-dir", default=None, help=data_dir_help)
    upgrade.set_defaults(handler=cmd_upgrade)


def cmd_upgrade(args) -> int:
    database = Database(paths.data_dir(args.data_dir))  # opening upgrades a database below HEAD
    granted = database.upgrade()  # at HEAD: the runtime role's privileges granted again
    where = "berkas SQLite " + str(database.db_path) if database.is_sqlite else "basis data PostgreSQL"
    print(f"Skema {where} pada revisi {database.revision() or HEAD}.")
    if granted:
        print(f"Hak peran runtime {spelled(granted)} (ZI_DATABASE_URL) diberikan: SELECT dan INSERT pada tabel "
              "riwayat, tanpa kepemilikan.")
    return 0
