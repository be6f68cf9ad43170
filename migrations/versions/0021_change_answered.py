"""change answered: who answered the coordinator's question about a change request, and when
(`answered_at`, `answered_by`), filled for answers so far from the newest
`change.question_answered` audit record of the request

Revision ID: 0021_change_answered
Revises: 0020_revocation_lifted
Create Date: 2026-12-05 09:20:00

"""

import sqlalchemy as sa
from alembic import op

import portal.db_types  # noqa: F401  (custom column types used below)

# revision identifiers, used by Alembic.
revision = "0021_change_answered"
down_revision = "0020_revocation_lifted"
branch_labels = None
depends_on = None

# The request's newest answer record (a new question clears the answer, so the newest is it).
LATEST = (
    "SELECT {column} FROM audit_record WHERE audit_record.action = 'change.question_answered'"
    " AND audit_record.object_type = 'change_request'"
    " AND audit_record.object_id = CAST(change_request.id AS VARCHAR(64))"
    " ORDER BY audit_record.seq DESC LIMIT 1"
)


def upgrade():
    with op.batch_alter_table("change_request", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("answered_at", portal.db_types.UTCDateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(sa.Column("answered_by", sa.String(length=300), nullable=True))
    op.execute(
        f"UPDATE change_request SET answered_at = ({LATEST.format(column='at')}),"
        f" answered_by = ({LATEST.format(column='actor')})"
        f" WHERE answer IS NOT NULL AND EXISTS ({LATEST.format(column='1')})"
    )


def downgrade():
    with op.batch_alter_table("change_request", schema=None) as batch_op:
        batch_op.drop_column("answered_by")
        batch_op.drop_column("answered_at")
