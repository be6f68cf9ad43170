"""insights: lock events by time, shift keys by issue time

The insight pages count a period's denied openings, bulletin confirmations and shift keys
issued; these indexes keep those counts to the period's rows.

Revision ID: 0013_insights
Revises: 0012_reports
Create Date: 2026-12-03 07:10:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = "0013_insights"
down_revision = "0012_reports"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_lock_event_time', 'lock_event', ['time'], unique=False)
    op.create_index('ix_shift_key_issued_at', 'shift_key', ['issued_at'], unique=False)


def downgrade():
    op.drop_index('ix_shift_key_issued_at', table_name='shift_key')
    op.drop_index('ix_lock_event_time', table_name='lock_event')
