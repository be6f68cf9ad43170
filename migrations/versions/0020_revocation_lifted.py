"""revocation lifted: a revocation entry can be lifted (a staff member unblocked); later
bulletins leave a lifted entry out, and the entry stays as the record of the block

Revision ID: 0020_revocation_lifted
Revises: 0019_job_followed_up
Create Date: 2026-12-05 09:30:00

"""

import sqlalchemy as sa
from alembic import op

import portal.db_types  # noqa: F401  (custom column types used below)

# revision identifiers, used by Alembic.
revision = "0020_revocation_lifted"
down_revision = "0019_job_followed_up"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("revocation_entry", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("lifted_at", portal.db_types.UTCDateTime(timezone=True), nullable=True)
        )


def downgrade():
    with op.batch_alter_table("revocation_entry", schema=None) as batch_op:
        batch_op.drop_column("lifted_at")
