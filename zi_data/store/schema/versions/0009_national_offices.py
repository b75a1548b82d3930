"""Every KPU office known: the bundled office list (data/kantor_kpu_indonesia.csv: KPU RI, the 38 provinces, the 514
kabupaten/kota) added to the offices table, a data upgrade, no schema change.

Only the codes the database lacks are inserted (bundled_offices.add_bundled_offices), so an office already stored
keeps its name, parent and time zone, and a new database gets them all, so `plan add --office KODE` works for
any of them without `office add` first. Rows are only added; not audited (no plan year's event).

Revision ID: 0009
Revises: 0008
"""

from alembic import op

from zi_data.base.clock import utc_now
from zi_data.store.bundled_offices import add_bundled_offices

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    add_bundled_offices(op.get_bind(), utc_now("auto"))
