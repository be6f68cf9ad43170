"""gdpr: the import's uploaded file is kept sealed and only until it is used

Revision ID: 0015_gdpr
Revises: 0014_audit
Create Date: 2026-12-03 07:30:00

Until now every upload was kept in clear, national ids and all, for good. The migration cannot
seal the old files (the field keys live outside the database), and nothing needs them: the
confirmed ones are imported, and an unconfirmed one is uploaded again in a moment. So the data
step deletes every stored file, marks the unconfirmed uploads expired and records when.
"""
from datetime import UTC, datetime

from alembic import op
import sqlalchemy as sa

import portal.db_types  # noqa: F401  (custom column types used below)


# revision identifiers, used by Alembic.
revision = "0015_gdpr"
down_revision = "0014_audit"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('import_batch', schema=None) as batch_op:
        batch_op.add_column(sa.Column('content_deleted_at', portal.db_types.UTCDateTime(), nullable=True))
        batch_op.alter_column('content', existing_type=sa.LargeBinary(), nullable=True)
    batch = sa.table(
        'import_batch',
        sa.column('content', sa.LargeBinary()),
        sa.column('content_deleted_at', portal.db_types.UTCDateTime()),
        sa.column('status', sa.String()),
    )
    moment = datetime.now(UTC)  # a migration runs outside the app: the wall clock is the time
    op.execute(
        batch.update().where(batch.c.status == 'previewed').values(status='expired')
    )
    op.execute(
        batch.update()
        .where(batch.c.content.is_not(None))
        .values(content=None, content_deleted_at=moment)
    )


def downgrade():
    # The deleted files cannot come back; an empty file stands in for each so the column can
    # be NOT NULL again.
    batch = sa.table('import_batch', sa.column('content', sa.LargeBinary()))
    op.execute(batch.update().where(batch.c.content.is_(None)).values(content=b''))
    with op.batch_alter_table('import_batch', schema=None) as batch_op:
        batch_op.alter_column('content', existing_type=sa.LargeBinary(), nullable=False)
        batch_op.drop_column('content_deleted_at')
