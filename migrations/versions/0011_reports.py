"""reports: the visit report's keyset index (arrival, then id)

Revision ID: 0011_reports
Revises: 0010_setup
Create Date: 2026-12-03 07:10:00

"""

from alembic import op


# revision identifiers, used by Alembic.
revision = "0011_reports"
down_revision = "0010_setup"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index("ix_visit_start_id", "visit", ["start", "id"], unique=False)


def downgrade():
    op.drop_index("ix_visit_start_id", table_name="visit")
