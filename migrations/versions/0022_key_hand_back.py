"""key hand-back: a key handed back for good records who received it (the citizen, a
relative, the estate's representative) and on which day, on its cabinet key event

Revision ID: 0022_key_hand_back
Revises: 0021_change_answered
Create Date: 2026-12-05 09:20:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0022_key_hand_back"
down_revision = "0021_change_answered"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("cabinet_key_event", schema=None) as batch_op:
        batch_op.add_column(sa.Column("recipient", sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column("received_on", sa.Date(), nullable=True))


def downgrade():
    with op.batch_alter_table("cabinet_key_event", schema=None) as batch_op:
        batch_op.drop_column("received_on")
        batch_op.drop_column("recipient")
