"""Evidence files per item-month, their review by a penilai, per-year settings, and the penilai role.

`evidence` holds one row per attached file or link; a new version of a file is a new row that
`replaces` the old one, and a row attached by a realisasi upload names it in `upload_id`, so that
undoing the upload hides it. `evidence_reviews` holds a penilai's decisions; `evidence_key`
fingerprints the evidence the decision saw. `ledger_settings` holds per plan year settings (the
counting rule); the newest row of a name wins. All three are append-only like the history tables.
From this revision on, rollup_counts.through_entry_id holds the ledger's state number (see rollup.py).

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
SQLITE_AUTOINCREMENT = {"sqlite_autoincrement": True}
KINDS = ("pdf", "jpeg", "png", "docx", "xlsx", "pptx", "tautan")
NEW_TABLES = {"evidence": "evidence_id", "evidence_reviews": "review_id", "ledger_settings": "setting_id"}
ROLE_CHECK = "role IN ('viewer', 'editor', 'admin', 'penilai')"


def text(name: str, *args, **kw) -> sa.Column:
    return sa.Column(name, sa.Text(), *args, nullable=False, **kw)


def item_month() -> list[sa.Column]:
    return [sa.Column("ledger_id", sa.Integer(), sa.ForeignKey("ledgers.ledger_id"), nullable=False), text("item_id"),
            sa.Column("month", sa.Integer(), nullable=False)]


def upgrade() -> None:
    kinds = ", ".join(f"'{kind}'" for kind in KINDS)
    op.create_table(
        "evidence",
        sa.Column("evidence_id", ID, primary_key=True, autoincrement=True), *item_month(),
        text("kind"), text("file_name"), text("sha256"), sa.Column("size", sa.BigInteger(), nullable=False),
        text("added_by"), text("added_at"),
        sa.Column("upload_id", ID, sa.ForeignKey("uploads.upload_id"), nullable=True),
        sa.Column("replaces", ID, sa.ForeignKey("evidence.evidence_id"), nullable=True),
        sa.CheckConstraint("month BETWEEN 1 AND 12", name="evidence_month"),
        sa.CheckConstraint(f"kind IN ({kinds})", name="evidence_kind"), **SQLITE_AUTOINCREMENT)
    op.create_index("evidence_item_month", "evidence", ["ledger_id", "item_id", "month", "evidence_id"])
    op.create_index("evidence_ledger_newest", "evidence", ["ledger_id", "evidence_id"])
    op.create_table(
        "evidence_reviews",
        sa.Column("review_id", ID, primary_key=True, autoincrement=True), *item_month(),
        text("decision", sa.CheckConstraint("decision IN ('diterima', 'perlu_perbaikan')", name="reviews_decision")),
        text("note"), text("evidence_key"), text("reviewed_by"), text("reviewed_at"),
        sa.CheckConstraint("month BETWEEN 1 AND 12", name="reviews_month"), **SQLITE_AUTOINCREMENT)
    op.create_index("evidence_reviews_item_month", "evidence_reviews", ["ledger_id", "item_id", "month", "review_id"])
    op.create_table(
        "ledger_settings",
        sa.Column("setting_id", ID, primary_key=True, autoincrement=True),
        sa.Column("ledger_id", sa.Integer(), sa.ForeignKey("ledgers.ledger_id"), nullable=False),
        text("name"), text("value"), text("set_by"), text("set_at"), **SQLITE_AUTOINCREMENT)
    _allow_penilai(op.get_bind().dialect.name)
    for statement in append_only_sql(op.get_bind().dialect.name):
        op.execute(statement)


def _allow_penilai(dialect: str) -> None:
    """accounts.role gains 'penilai'; SQLite cannot alter a CHECK, so the (mutable) accounts table is rebuilt."""
    if dialect == "postgresql":
        op.drop_constraint("accounts_role", "accounts", type_="check")
        op.create_check_constraint("accounts_role", "accounts", ROLE_CHECK)
        return
    op.create_table(
        "accounts_with_penilai",
        text("name_key", primary_key=True), text("name"),
        text("role", sa.CheckConstraint(ROLE_CHECK, name="accounts_role")),
        text("team", server_default=""), text("office"), text("password_hash"), text("created_at"),
        sa.ForeignKeyConstraint(["office"], ["offices.code"]))
    op.execute("INSERT INTO accounts_with_penilai (name_key, name, role, team, office, password_hash, created_at) "
               "SELECT name_key, name, role, team, office, password_hash, created_at FROM accounts")
    op.drop_table("accounts")
    op.rename_table("accounts_with_penilai", "accounts")


def append_only_sql(dialect: str) -> list[str]:
    """The same refusals as revision 0001's history tables (zi_refuse_change exists on PostgreSQL)."""
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
