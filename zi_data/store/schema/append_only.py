"""Append-only tables, enforced by the database itself.

For each history table, triggers refuse UPDATE and DELETE, and refuse an INSERT whose primary
key already exists: SQLite's INSERT OR REPLACE / REPLACE INTO delete the conflicting row without
firing DELETE triggers (unless recursive_triggers is on), and INSERT ... ON CONFLICT DO UPDATE
would rewrite it. For an integer primary key, NEW.<key> is -1 in a BEFORE INSERT trigger when the
key is left to SQLite, so rows with a key below 1 are refused after insertion: the existence check
can then never match a row that is being numbered automatically.

The triggers are created by the schema migrations (migrations.py); data directories made before
some of them existed get them when migration 1 runs.
"""

# table -> primary key columns; True when the key is an integer rowid alias
HISTORY_TABLES = {
    "plan_versions": (("version",), True),
    "plan_items": (("version", "position"), False),
    "uploads": (("upload_id",), True),
    "entries": (("entry_id",), True),
    "audit_log": (("event_id",), True),
    "id_renames": (("rename_id",), True),
    "plan_version_sources": (("version",), False),
}


def _refuse(table: str) -> str:
    return f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END;"


def update_trigger_sql(table: str) -> str:
    return f"CREATE TRIGGER IF NOT EXISTS {table}_no_update BEFORE UPDATE ON {table} {_refuse(table)}\n"


def triggers_sql(table: str, key: tuple[str, ...], integer_key: bool) -> str:
    same_key = " AND ".join(f"{column} = NEW.{column}" for column in key)
    sql = (update_trigger_sql(table)
           + f"CREATE TRIGGER IF NOT EXISTS {table}_no_delete BEFORE DELETE ON {table} {_refuse(table)}\n"
           f"CREATE TRIGGER IF NOT EXISTS {table}_no_replace BEFORE INSERT ON {table} "
           f"WHEN EXISTS (SELECT 1 FROM {table} WHERE {same_key}) {_refuse(table)}\n")
    if integer_key:
        sql += (f"CREATE TRIGGER IF NOT EXISTS {table}_positive_key AFTER INSERT ON {table} "
                f"WHEN NEW.{key[0]} < 1 BEGIN SELECT RAISE(ABORT, '{table} keys start at 1'); END;\n")
    return sql


def schema_sql(tables=tuple(HISTORY_TABLES)) -> str:
    """The triggers of `tables` (default: every history table); run after the tables exist."""
    return "".join(triggers_sql(table, *HISTORY_TABLES[table]) for table in tables)
