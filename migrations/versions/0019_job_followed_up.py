"""job followed up: a failed job's follow-up by the coordinator is a column of the job
(`followed_up_at`, `followed_up_by`), indexed with the status for the follow-up queue, and filled
from the `job_followed_up` audit records written so far

Revision ID: 0019_job_followed_up
Revises: 0018_search_walk
Create Date: 2026-12-05 06:10:00

"""

import sqlalchemy as sa
from alembic import op

import portal.db_types  # noqa: F401  (custom column types used below)

# revision identifiers, used by Alembic.
revision = "0019_job_followed_up"
down_revision = "0018_search_walk"
branch_labels = None
depends_on = None

# The job's first follow-up record (there is one; the earliest wins should there be more).
FIRST = (
    "SELECT {column} FROM audit_record WHERE audit_record.action = 'job_followed_up'"
    " AND audit_record.object_type = 'job'"
    " AND audit_record.object_id = CAST(job.id AS VARCHAR(64))"
    " ORDER BY audit_record.seq LIMIT 1"
)


def upgrade():
    with op.batch_alter_table("job", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("followed_up_at", portal.db_types.UTCDateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(sa.Column("followed_up_by", sa.String(length=300), nullable=True))
        batch_op.create_index(
            "ix_job_status_followed_up", ["status", "followed_up_at"], unique=False
        )
    op.execute(
        f"UPDATE job SET followed_up_at = ({FIRST.format(column='at')}),"
        f" followed_up_by = ({FIRST.format(column='actor')})"
        f" WHERE EXISTS ({FIRST.format(column='1')})"
    )


def downgrade():
    with op.batch_alter_table("job", schema=None) as batch_op:
        batch_op.drop_index("ix_job_status_followed_up")
        batch_op.drop_column("followed_up_by")
        batch_op.drop_column("followed_up_at")
