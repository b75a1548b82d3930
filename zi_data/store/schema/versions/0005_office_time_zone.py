"""An office's time zone override: `offices.zona_waktu` (WIB, WITA or WIT; NULL: its province's zone).

Offices are reference data (updated in place), so this is a plain nullable column; clock.office_zone reads it.

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("offices", sa.Column("zona_waktu", sa.Text(), nullable=True))
