"""setup: reference data can be deactivated, providers have contacts, municipality settings

Revision ID: 0010_setup
Revises: 0003
Create Date: 2026-12-03 04:00:00

"""
from alembic import op
import sqlalchemy as sa

import portal.db_types  # noqa: F401  (custom column types used below)


# revision identifiers, used by Alembic.
revision = '0010_setup'
down_revision = '0010_untruths'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('district', schema=None) as batch_op:
        batch_op.add_column(sa.Column('active', sa.Boolean(), server_default=sa.true(), nullable=False))
    with op.batch_alter_table('provider', schema=None) as batch_op:
        batch_op.add_column(sa.Column('contact_name', sa.String(length=120), nullable=True))
        batch_op.add_column(sa.Column('phone', sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column('email', sa.String(length=254), nullable=True))
        batch_op.add_column(sa.Column('active', sa.Boolean(), server_default=sa.true(), nullable=False))
    with op.batch_alter_table('care_group', schema=None) as batch_op:
        batch_op.add_column(sa.Column('active', sa.Boolean(), server_default=sa.true(), nullable=False))
    op.create_table(
        'municipality_setting',
        sa.Column('key', sa.String(length=60), nullable=False),
        sa.Column('value', sa.Text(), nullable=False),
        sa.Column('blob', sa.LargeBinary(), nullable=True),
        sa.Column('updated_at', portal.db_types.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint('key', name=op.f('pk_municipality_setting')),
    )


def downgrade():
    op.drop_table('municipality_setting')
    with op.batch_alter_table('care_group', schema=None) as batch_op:
        batch_op.drop_column('active')
    with op.batch_alter_table('provider', schema=None) as batch_op:
        batch_op.drop_column('active')
        batch_op.drop_column('email')
        batch_op.drop_column('phone')
        batch_op.drop_column('contact_name')
    with op.batch_alter_table('district', schema=None) as batch_op:
        batch_op.drop_column('active')
