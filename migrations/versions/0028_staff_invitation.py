"""staff invitation: a coordinator adds a locksmith or coordinator on Staff accounts; the new
person chooses a password through a one-time link (the token stored as its SHA-256 only).

Revision ID: 0028_staff_invitation
Revises: 0027_change_cancelled
Create Date: 2026-12-05 19:00:00

"""

import sqlalchemy as sa
from alembic import op

import portal.db_types  # noqa: F401  (custom column types used below)

# revision identifiers, used by Alembic.
revision = "0028_staff_invitation"
down_revision = "0027_change_cancelled"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "staff_invitation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("language", sa.String(length=5), nullable=False),
        sa.Column("invited_by_user_id", sa.Integer(), nullable=True),
        sa.Column("created_at", portal.db_types.UTCDateTime(), nullable=False),
        sa.Column("expires_at", portal.db_types.UTCDateTime(), nullable=False),
        sa.Column("used_at", portal.db_types.UTCDateTime(), nullable=True),
        sa.Column("voided_at", portal.db_types.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user.id"], name=op.f("fk_staff_invitation_user_id_user")
        ),
        sa.ForeignKeyConstraint(
            ["invited_by_user_id"],
            ["user.id"],
            name=op.f("fk_staff_invitation_invited_by_user_id_user"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_staff_invitation")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_staff_invitation_token_hash")),
    )
    with op.batch_alter_table("staff_invitation", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_staff_invitation_user_id"), ["user_id"], unique=False)


def downgrade():
    with op.batch_alter_table("staff_invitation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_staff_invitation_user_id"))
    op.drop_table("staff_invitation")
