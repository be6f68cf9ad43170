"""reports: the visit report's keyset index (arrival, then id)

Revision ID: 0012_reports
Revises: 0011_scale
Create Date: 2026-12-03 07:10:00

"""

from alembic import op


# revision identifiers, used by Alembic.
revision = "0012_reports"
down_revision = "0011_scale"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index("ix_visit_start_id", "visit", ["start", "id"], unique=False)


def downgrade():
    op.drop_index("ix_visit_start_id", table_name="visit")
