"""The monev meeting record: meetings with their frozen status snapshot, follow-ups, and their closing.

`monev_meetings` holds one row per recorded meeting; `snapshot` is the JSON of the status the room saw
(monev_snapshot.py), written once and never recomputed. `follow_ups` holds the tindak lanjut decided
(`meeting_id` NULL for one added outside a meeting); `follow_up_closures` closes one at most once, with a
note. All three are append-only like the history tables.

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
SQLITE_AUTOINCREMENT = {"sqlite_autoincrement": True}
NEW_TABLES = {"monev_meetings": "meeting_id", "follow_ups": "follow_up_id", "follow_up_closures": "closure_id"}


def text(name: str, *args, **kw) -> sa.Column:
    return sa.Column(name, sa.Text(), *args, nullable=False, **kw)


def ledger() -> sa.Column:
    return sa.Column("ledger_id", sa.Integer(), sa.ForeignKey("ledgers.ledger_id"), nullable=False)


def upgrade() -> None:
    op.create_table(
        "monev_meetings",
        sa.Column("meeting_id", ID, primary_key=True, autoincrement=True), ledger(),
        text("held_on"), text("kind", sa.CheckConstraint("kind IN ('triwulan', 'semester', 'pleno')",
                                                         name="monev_meetings_kind")),
        text("chair"), text("participants"), sa.Column("participant_count", sa.Integer(), nullable=True),
        sa.Column("as_of_month", sa.Integer(), sa.CheckConstraint("as_of_month BETWEEN 1 AND 12",
                                                                  name="monev_meetings_month"), nullable=False),
        text("notes"), text("snapshot"), text("recorded_by"), text("recorded_at"), **SQLITE_AUTOINCREMENT)
    op.create_index("monev_meetings_ledger", "monev_meetings", ["ledger_id", "meeting_id"])
    op.create_table(
        "follow_ups",
        sa.Column("follow_up_id", ID, primary_key=True, autoincrement=True), ledger(),
        sa.Column("meeting_id", ID, sa.ForeignKey("monev_meetings.meeting_id"), nullable=True),
        text("action"), text("team"), text("due_on"), sa.Column("item_id", sa.Text(), nullable=True),
        text("added_by"), text("added_at"), **SQLITE_AUTOINCREMENT)
    op.create_index("follow_ups_ledger", "follow_ups", ["ledger_id", "follow_up_id"])
    op.create_table(
        "follow_up_closures",
        sa.Column("closure_id", ID, primary_key=True, autoincrement=True), ledger(),
        sa.Column("follow_up_id", ID, sa.ForeignKey("follow_ups.follow_up_id"), nullable=False, unique=True),
        text("note"), text("closed_by"), text("closed_at"), **SQLITE_AUTOINCREMENT)
    for statement in append_only_sql(op.get_bind().dialect.name):
        op.execute(statement)


def append_only_sql(dialect: str) -> list[str]:
    """The same refusals as the earlier revisions' history tables (zi_refuse_change exists on PostgreSQL)."""
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
