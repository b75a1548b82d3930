"""Alembic's entry point: runs the revisions in versions/ on the connection the store hands over.

The store calls alembic.command.upgrade inside its own write transaction (see database.py), so the
revisions land whole or not at all, and no other writer can run them at the same time.
"""

from alembic import context

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=None, transactional_ddl=True)
with context.begin_transaction():
    context.run_migrations()
