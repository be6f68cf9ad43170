"""appointment sequence

The calendar file's SEQUENCE becomes a small counter on the appointment (0 when booked, one more
with each move, change of details or cancellation) instead of a timestamp. Existing appointments
start from how often they are known to have changed.

Revision ID: 0010_untruths
Revises: 0003
Create Date: 2026-12-03 04:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0010_untruths'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('appointment', schema=None) as batch_op:
        batch_op.add_column(sa.Column('sequence', sa.Integer(), server_default='0', nullable=False))
    op.execute(
        "UPDATE appointment SET sequence = "
        "(CASE WHEN changed_at IS NULL THEN 0 ELSE 1 END)"
        " + (CASE WHEN cancelled_at IS NULL THEN 0 ELSE 1 END)"
    )


def downgrade():
    with op.batch_alter_table('appointment', schema=None) as batch_op:
        batch_op.drop_column('sequence')
