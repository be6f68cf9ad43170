"""appointment sequence, phone names

The calendar file's SEQUENCE becomes a small counter on the appointment (0 when booked, one more
with each move, change of details or cancellation) instead of a timestamp. Existing appointments
start from how often they are known to have changed. Phones (and the enrolment codes that
name them) get an optional label and model, given by the provider admin.

Revision ID: 0010_untruths
Revises: 0003
Create Date: 2026-12-03 04:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0010_untruths'
down_revision = '0009_hardening'
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
    for table in ('device', 'enrolment_code'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('label', sa.String(length=60), nullable=True))
            batch_op.add_column(sa.Column('model', sa.String(length=60), nullable=True))


def downgrade():
    for table in ('enrolment_code', 'device'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('model')
            batch_op.drop_column('label')
    with op.batch_alter_table('appointment', schema=None) as batch_op:
        batch_op.drop_column('sequence')
