"""careapi: API tokens of the care system and the stored answers of idempotent writes

Revision ID: 0016_careapi
Revises: 0015_gdpr
Create Date: 2026-12-03 07:15:00

"""
from alembic import op
import sqlalchemy as sa

import portal.db_types  # noqa: F401  (custom column types used below)


# revision identifiers, used by Alembic.
revision = "0016_careapi"
down_revision = "0015_gdpr"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'api_token',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=120), nullable=False),
        sa.Column('prefix', sa.String(length=16), nullable=False),
        sa.Column('secret_hash', sa.String(length=64), nullable=False),
        sa.Column('scopes', sa.String(length=200), nullable=False),
        sa.Column('provider_id', sa.Integer(), nullable=True),
        sa.Column('created_by', sa.String(length=300), nullable=False),
        sa.Column('created_at', portal.db_types.UTCDateTime(), nullable=False),
        sa.Column('expires_at', portal.db_types.UTCDateTime(), nullable=True),
        sa.Column('revoked_at', portal.db_types.UTCDateTime(), nullable=True),
        sa.Column('last_used_at', portal.db_types.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(['provider_id'], ['provider.id'], name=op.f('fk_api_token_provider_id_provider')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_api_token')),
        sa.UniqueConstraint('prefix', name=op.f('uq_api_token_prefix')),
    )
    with op.batch_alter_table('api_token', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_api_token_provider_id'), ['provider_id'], unique=False)
    op.create_table(
        'api_idempotent_answer',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('token_id', sa.Integer(), nullable=False),
        sa.Column('key', sa.String(length=100), nullable=False),
        sa.Column('request_hash', sa.String(length=64), nullable=False),
        sa.Column('status', sa.Integer(), nullable=False),
        sa.Column('body', sa.LargeBinary(), nullable=False),
        sa.Column('created_at', portal.db_types.UTCDateTime(), nullable=False),
        sa.Column('expires_at', portal.db_types.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['token_id'], ['api_token.id'], name=op.f('fk_api_idempotent_answer_token_id_api_token')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_api_idempotent_answer')),
        sa.UniqueConstraint('token_id', 'key', name=op.f('uq_api_idempotent_answer_token_id')),
    )
    with op.batch_alter_table('api_idempotent_answer', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_api_idempotent_answer_expires_at'), ['expires_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_api_idempotent_answer_token_id'), ['token_id'], unique=False)


def downgrade():
    with op.batch_alter_table('api_idempotent_answer', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_api_idempotent_answer_token_id'))
        batch_op.drop_index(batch_op.f('ix_api_idempotent_answer_expires_at'))
    op.drop_table('api_idempotent_answer')
    with op.batch_alter_table('api_token', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_api_token_provider_id'))
    op.drop_table('api_token')
