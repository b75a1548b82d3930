"""Offices and plan years: every plan, upload, entry and audit event belongs to one (office, year).

A ledger is one office's record of one plan year. The history tables are append-only in the
database: SQLite triggers refuse UPDATE, DELETE and a REPLACE of an existing key; PostgreSQL
triggers refuse UPDATE, DELETE and TRUNCATE (INSERT ... ON CONFLICT DO UPDATE fires the UPDATE
trigger). Data directories made before this revision are converted by legacy_schema.py.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")  # SQLite: INTEGER PRIMARY KEY, the rowid
SQLITE_AUTOINCREMENT = {"sqlite_autoincrement": True}  # numbers are never reused

# table -> its primary key columns, and whether the key is numbered by the database
HISTORY_TABLES = {
    "ledgers": (("ledger_id",), True),
    "plan_versions": (("ledger_id", "version"), False),
    "plan_items": (("ledger_id", "version", "position"), False),
    "plan_schedule": (("ledger_id", "version", "position", "month"), False),
    "uploads": (("upload_id",), True),
    "entries": (("entry_id",), True),
    "audit_log": (("event_id",), True),
    "id_renames": (("rename_id",), True),
    "plan_version_sources": (("ledger_id", "version"), False),
}


def text(name: str, *args, **kw) -> sa.Column:
    return sa.Column(name, sa.Text(), *args, nullable=False, **kw)


def integer(name: str, *args, **kw) -> sa.Column:
    return sa.Column(name, sa.Integer(), *args, nullable=kw.pop("nullable", False), **kw)


def upgrade() -> None:
    op.create_table(
        "offices",
        text("code", primary_key=True), text("name"),
        sa.Column("parent", sa.Text(), sa.ForeignKey("offices.code"), nullable=True),
        text("created_at"))
    op.create_table(
        "ledgers",
        sa.Column("ledger_id", ID, primary_key=True, autoincrement=True),
        text("office"), integer("year"), text("created_at"), text("created_by"),
        sa.ForeignKeyConstraint(["office"], ["offices.code"]),
        sa.UniqueConstraint("office", "year", name="ledgers_office_year"), **SQLITE_AUTOINCREMENT)
    op.create_table(
        "plan_versions",
        integer("ledger_id", sa.ForeignKey("ledgers.ledger_id")), integer("version"),
        text("created_at"), text("source_name"), text("sha256"), text("created_by"), text("attrs"),
        sa.PrimaryKeyConstraint("ledger_id", "version"))
    op.create_table(
        "plan_items",
        integer("ledger_id"), integer("version"), integer("position"),
        text("id"), text("area"), text("area_name"), text("no"), integer("komponen_pos"), text("komponen"),
        text("indikator"), text("langkah_aksi"), text("bukti_fisik"), text("penanggung_jawab"),
        text("months"), integer("row"),
        sa.PrimaryKeyConstraint("ledger_id", "version", "position"),
        sa.ForeignKeyConstraint(["ledger_id", "version"], ["plan_versions.ledger_id", "plan_versions.version"]))
    op.create_table(  # one row per planned item-month, so that completion can be counted in SQL
        "plan_schedule",
        integer("ledger_id"), integer("version"), integer("position"), text("item_id"),
        integer("month", sa.CheckConstraint("month BETWEEN 1 AND 12", name="plan_schedule_month")),
        sa.PrimaryKeyConstraint("ledger_id", "version", "position", "month"),
        sa.ForeignKeyConstraint(["ledger_id", "version"], ["plan_versions.ledger_id", "plan_versions.version"]))
    op.create_table(
        "uploads",
        sa.Column("upload_id", ID, primary_key=True, autoincrement=True),
        integer("ledger_id", sa.ForeignKey("ledgers.ledger_id")),
        text("created_at"), text("file_name"), text("sha256"), text("archive_name"), text("uploaded_by"),
        text("kind"), text("counts"), sa.Column("base_revision", sa.BigInteger(), nullable=False),
        sa.Column("undoes", ID, sa.ForeignKey("uploads.upload_id"), nullable=True), **SQLITE_AUTOINCREMENT)
    op.create_table(
        "entries",
        sa.Column("entry_id", ID, primary_key=True, autoincrement=True),
        integer("ledger_id", sa.ForeignKey("ledgers.ledger_id")), text("item_id"),
        integer("month", sa.CheckConstraint("month BETWEEN 1 AND 12", name="entries_month")),
        text("status", sa.CheckConstraint("status IN ('Selesai', 'Sebagian', 'Belum', '')", name="entries_status")),
        text("bukti_dukung"), text("tanggal"), text("catatan"), text("reported_by"), text("recorded_at"),
        sa.Column("upload_id", ID, sa.ForeignKey("uploads.upload_id"), nullable=True), **SQLITE_AUTOINCREMENT)
    op.create_index("entries_item_month", "entries", ["ledger_id", "item_id", "month", "entry_id"])
    op.create_index("entries_upload", "entries", ["upload_id"])
    op.create_index("uploads_ledger", "uploads", ["ledger_id", "upload_id"])
    op.create_table(  # ledger_id is empty for an event of no plan year (accounts, sign-in); office then says whose
        "audit_log",
        sa.Column("event_id", ID, primary_key=True, autoincrement=True),
        sa.Column("ledger_id", sa.Integer(), sa.ForeignKey("ledgers.ledger_id"), nullable=True),
        sa.Column("office", sa.Text(), sa.ForeignKey("offices.code"), nullable=True),
        text("at"), text("actor"), text("action"), text("details"), text("sha256", server_default=""),
        **SQLITE_AUTOINCREMENT)
    op.create_index("audit_log_ledger", "audit_log", ["ledger_id", "event_id"])
    op.create_table(
        "id_renames",
        sa.Column("rename_id", ID, primary_key=True, autoincrement=True),
        integer("ledger_id"), integer("version"), text("old_id"), text("new_id"),
        sa.Column("upload_id", ID, sa.ForeignKey("uploads.upload_id"), nullable=True),
        text("at"), text("renamed_by"),
        sa.ForeignKeyConstraint(["ledger_id", "version"], ["plan_versions.ledger_id", "plan_versions.version"]),
        **SQLITE_AUTOINCREMENT)
    op.create_table(
        "plan_version_sources",
        integer("ledger_id"), integer("version"),
        sa.Column("upload_id", ID, sa.ForeignKey("uploads.upload_id"), nullable=True),
        integer("restores", nullable=True),
        sa.PrimaryKeyConstraint("ledger_id", "version"),
        sa.ForeignKeyConstraint(["ledger_id", "version"], ["plan_versions.ledger_id", "plan_versions.version"]))
    op.create_table(  # name_key: the name stripped and casefolded, so that 'Budi' and 'budi' are one account
        "accounts",
        text("name_key", primary_key=True), text("name"),
        text("role", sa.CheckConstraint("role IN ('viewer', 'editor', 'admin')", name="accounts_role")),
        text("team", server_default=""), text("office"), text("password_hash"), text("created_at"),
        sa.ForeignKeyConstraint(["office"], ["offices.code"]))
    op.create_table(
        "sign_in_failures",
        text("name_key", primary_key=True), integer("failures"), text("last_failure_at"))
    for statement in append_only_sql(op.get_bind().dialect.name):
        op.execute(statement)


def append_only_sql(dialect: str) -> list[str]:
    if dialect == "postgresql":
        statements = [
            "CREATE FUNCTION zi_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
            "RAISE EXCEPTION '% is append-only', TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege'; END $$"]
        for table in HISTORY_TABLES:
            statements += [
                f"CREATE TRIGGER {table}_no_change BEFORE UPDATE OR DELETE ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION zi_refuse_change()",
                f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
                "FOR EACH STATEMENT EXECUTE FUNCTION zi_refuse_change()"]
        return statements
    statements = []
    for table, (key, numbered) in HISTORY_TABLES.items():
        refuse = f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END"
        same_key = " AND ".join(f"{column} = NEW.{column}" for column in key)
        statements += [
            f"CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table} {refuse}",
            f"CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table} {refuse}",
            # INSERT OR REPLACE deletes the old row without firing DELETE triggers
            f"CREATE TRIGGER {table}_no_replace BEFORE INSERT ON {table} "
            f"WHEN EXISTS (SELECT 1 FROM {table} WHERE {same_key}) {refuse}"]
        if numbered:  # NEW.key is -1 before SQLite numbers the row: refuse keys below 1 after insertion
            statements.append(f"CREATE TRIGGER {table}_positive_key AFTER INSERT ON {table} WHEN NEW.{key[0]} < 1 "
                              f"BEGIN SELECT RAISE(ABORT, '{table} keys start at 1'); END")
    return statements
