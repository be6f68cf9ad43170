"""hardening: staff sign-in failures per account and address; second factor for staff

Failed staff sign-ins move from two columns on `user` (which only counted known emails) to
`sign_in_failure`, keyed by a hash of the email or the client address. Counts in flight are
not carried over: they expire within 15 minutes anyway. `second_factor` and `recovery_code`
hold each staff member's TOTP authenticator (secret encrypted) and hashed recovery codes.

Revision ID: 0009_hardening
Revises: 0003
Create Date: 2026-12-03 04:00:00

"""
from alembic import op
import sqlalchemy as sa

import portal.db_types  # noqa: F401  (custom column types used below)


# revision identifiers, used by Alembic.
revision = '0009_hardening'
down_revision = '0008_fieldwork'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'sign_in_failure',
        sa.Column('key', sa.String(length=80), nullable=False),
        sa.Column('failures', sa.Integer(), nullable=False),
        sa.Column('first_at', portal.db_types.UTCDateTime(timezone=True), nullable=False),
        sa.Column('locked_until', portal.db_types.UTCDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint('key', name=op.f('pk_sign_in_failure')),
    )
    op.create_table(
        'second_factor',
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('secret', sa.String(length=300), nullable=False),
        sa.Column('confirmed_at', portal.db_types.UTCDateTime(timezone=True), nullable=False),
        sa.Column('last_step', sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ['user_id'], ['user.id'], name=op.f('fk_second_factor_user_id_user')
        ),
        sa.PrimaryKeyConstraint('user_id', name=op.f('pk_second_factor')),
    )
    op.create_table(
        'recovery_code',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('code_hash', sa.String(length=200), nullable=False),
        sa.Column('used_at', portal.db_types.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ['user_id'], ['user.id'], name=op.f('fk_recovery_code_user_id_user')
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_recovery_code')),
    )
    with op.batch_alter_table('recovery_code', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_recovery_code_user_id'), ['user_id'], unique=False)
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.drop_column('failed_logins')
        batch_op.drop_column('locked_until')


def downgrade():
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('locked_until', portal.db_types.UTCDateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(
            sa.Column('failed_logins', sa.Integer(), nullable=False, server_default='0')
        )
    with op.batch_alter_table('recovery_code', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_recovery_code_user_id'))
    op.drop_table('recovery_code')
    op.drop_table('second_factor')
    op.drop_table('sign_in_failure')
