"""Links written in Bukti Dukung cells become link attachments: a data upgrade, no schema change.

From this revision on, applying a realisasi upload attaches the http(s) links of its Bukti Dukung
cells as link attachments (evidence_links.py). Data written before gets the same here: for each plan
year, each item-month's current entry's links not yet attached are appended, added by the entry's
reporter marked "(migrasi tautan)" and carrying the entry's upload, with a penilai's decision in force
carried over, audited once per plan year (link_backfill.py). Rows are only added.

Revision ID: 0007
Revises: 0006
"""

from alembic import op

from zi_data.store.schema.link_backfill import backfill_links

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    backfill_links(op.get_bind())
