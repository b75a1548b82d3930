"""The lembar monev ready to file: a document number on the meeting and the office's logo for the letterhead.

`monev_meetings.nomor` is the meeting's document number (nomor surat), recorded with the meeting ('' when
none; NULL for meetings recorded before this revision). `lembar_logos` holds the logo an admin uploads for a
plan year's letterhead (PNG or JPEG, checked like evidence files, at most monev/letterhead.MAX_LOGO_BYTES),
the newest row in force; it is append-only like the history tables. The other letterhead and signature
fields (address, names and NIPs) are rows of ledger_settings (revision 0003).

Revision ID: 0008
Revises: 0007
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
SQLITE_AUTOINCREMENT = {"sqlite_autoincrement": True}
NEW_TABLES = {"lembar_logos": "logo_id"}


def text(name: str, *args, **kw) -> sa.Column:
    return sa.Column(name, sa.Text(), *args, nullable=False, **kw)


def upgrade() -> None:
    op.add_column("monev_meetings", sa.Column("nomor", sa.Text(), nullable=True))
    op.create_table(
        "lembar_logos",
        sa.Column("logo_id", ID, primary_key=True, autoincrement=True),
        sa.Column("ledger_id", sa.Integer(), sa.ForeignKey("ledgers.ledger_id"), nullable=False),
        text("kind", sa.CheckConstraint("kind IN ('png', 'jpeg')", name="lembar_logos_kind")),
        text("file_name"), text("sha256"), sa.Column("content", sa.LargeBinary(), nullable=False),
        text("set_by"), text("set_at"), **SQLITE_AUTOINCREMENT)
    op.create_index("lembar_logos_ledger", "lembar_logos", ["ledger_id", "logo_id"])
    for statement in append_only_sql(op.get_bind().dialect.name):
        op.execute(statement)


def append_only_sql(dialect: str) -> list[str]:
    """The same refusals as revision 0004's tables (zi_refuse_change exists on PostgreSQL)."""
    statements = []
    for table, key in NEW_TABLES.items():
        if dialect == "postgresql":
            statements += [f"CREATE TRIGGER {table}_no_change BEFORE UPDATE OR DELETE ON {table} "
                           "FOR EACH ROW EXECUTE FUNCTION zi_refuse_change()",
                           f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
                           "FOR EACH STATEMENT EXECUTE FUNCTION zi_refuse_change()"]
            continue
        refuse = f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END"
        statements += [f"CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table} {refuse}",
                       f"CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table} {refuse}",
                       f"CREATE TRIGGER {table}_no_replace BEFORE INSERT ON {table} "
                       f"WHEN EXISTS (SELECT 1 FROM {table} WHERE {key} = NEW.{key}) {refuse}",
                       f"CREATE TRIGGER {table}_positive_key AFTER INSERT ON {table} WHEN NEW.{key} < 1 "
                       f"BEGIN SELECT RAISE(ABORT, '{table} keys start at 1'); END"]
    return statements
