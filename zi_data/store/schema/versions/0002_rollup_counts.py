"""Recorded per-month counts for the roll-up of offices, and the index that finds a ledger's newest entry.

`rollup_counts` holds, for one ledger at one state (its latest plan version and its newest
entry_id), per area and month: the item-months planned and those whose latest entry is done.
Rows are only ever added (append-only like the history tables); a reader uses them only when
version and entry_id still match the ledger, in the same statement, and counts the rest live.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

KEY = ("ledger_id", "version", "through_entry_id", "area", "month")


def upgrade() -> None:
    op.create_index("entries_ledger_newest", "entries", ["ledger_id", "entry_id"])
    op.create_table(
        "rollup_counts",
        *(sa.Column(name, sa.Integer(), nullable=False) for name in ("ledger_id", "version")),
        sa.Column("through_entry_id", sa.BigInteger(), nullable=False),  # 0: the ledger had no entry
        sa.Column("area", sa.Text(), nullable=False), sa.Column("area_name", sa.Text(), nullable=False),
        sa.Column("area_position", sa.Integer(), nullable=False),
        sa.Column("month", sa.Integer(), sa.CheckConstraint("month BETWEEN 1 AND 12", name="rollup_counts_month"),
                  nullable=False),
        *(sa.Column(name, sa.Integer(), nullable=False) for name in ("planned", "done")),
        sa.PrimaryKeyConstraint(*KEY),
        sa.ForeignKeyConstraint(["ledger_id", "version"], ["plan_versions.ledger_id", "plan_versions.version"]))
    for statement in append_only_sql(op.get_bind().dialect.name):
        op.execute(statement)


def append_only_sql(dialect: str) -> list[str]:
    """The same refusals as revision 0001's history tables (zi_refuse_change exists on PostgreSQL)."""
    if dialect == "postgresql":
        return ["CREATE TRIGGER rollup_counts_no_change BEFORE UPDATE OR DELETE ON rollup_counts "
                "FOR EACH ROW EXECUTE FUNCTION zi_refuse_change()",
                "CREATE TRIGGER rollup_counts_no_truncate BEFORE TRUNCATE ON rollup_counts "
                "FOR EACH STATEMENT EXECUTE FUNCTION zi_refuse_change()"]
    refuse = "BEGIN SELECT RAISE(ABORT, 'rollup_counts is append-only'); END"
    same_key = " AND ".join(f"{column} = NEW.{column}" for column in KEY)
    return [f"CREATE TRIGGER rollup_counts_no_update BEFORE UPDATE ON rollup_counts {refuse}",
            f"CREATE TRIGGER rollup_counts_no_delete BEFORE DELETE ON rollup_counts {refuse}",
            f"CREATE TRIGGER rollup_counts_no_replace BEFORE INSERT ON rollup_counts "
            f"WHEN EXISTS (SELECT 1 FROM rollup_counts WHERE {same_key}) {refuse}"]
