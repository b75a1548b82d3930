"""The database schema: Alembic's script directory (env.py, versions/), PostgreSQL's owner and runtime roles, and
the conversion of a data directory from before Alembic (legacy_schema, migrations, append_only) with its link
backfill.

May import: base, files, plan, store."""
