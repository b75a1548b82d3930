"""Sign-in sessions that survive a reload: the hash of each browser's session token, and one-use sign-in tickets.

`sign_in_sessions` holds one row per signed-in browser (sign_in_sessions.py): only the SHA-256 of its token,
the account, when it was made and last seen, its limits and its user agent. Like `accounts` it is not
history: `last_seen_at` and the revocation columns change in place, and every start and revocation is in
the audit trail. `sign_in_tickets` holds the hash of a ticket that turns a sign-in made in the page into the
browser's cookie; it is deleted when redeemed and is good for a minute.

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def text(name: str, *args, **kw) -> sa.Column:
    return sa.Column(name, sa.Text(), *args, nullable=False, **kw)


def upgrade() -> None:
    op.create_table(
        "sign_in_sessions",
        sa.Column("session_id", ID, primary_key=True, autoincrement=True),
        text("token_hash", unique=True), text("name_key"), text("account"), text("office"),
        text("created_at"), text("last_seen_at"), text("expires_at"),
        sa.Column("idle_seconds", sa.Integer(), nullable=False), text("user_agent"),
        sa.Column("revoked_at", sa.Text(), nullable=True), sa.Column("revoked_by", sa.Text(), nullable=True),
        sa.Column("revoke_reason", sa.Text(), nullable=True), sqlite_autoincrement=True)
    op.create_index("sign_in_sessions_account", "sign_in_sessions", ["name_key", "session_id"])
    op.create_table(
        "sign_in_tickets",
        text("ticket_hash", primary_key=True), text("name_key"), text("expires_at"))


def downgrade() -> None:
    op.drop_table("sign_in_tickets")
    op.drop_index("sign_in_sessions_account", "sign_in_sessions")
    op.drop_table("sign_in_sessions")
