"""change cancelled: a change request cancelled by a coordinator, or as superseded by a later
report, has its own status 'cancelled' (it was 'withdrawn', like a request its asker took back,
and every page said "Withdrawn"). Requests already cancelled are those withdrawn with a reason
(an asker's withdrawal never has one).

Revision ID: 0027_change_cancelled
Revises: 0026_search_spellings
Create Date: 2026-12-05 12:30:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0027_change_cancelled"
down_revision = "0026_search_spellings"
branch_labels = None
depends_on = None

OLD = "status IN ('pending', 'question', 'approved', 'done', 'refused', 'withdrawn')"
NEW = "status IN ('pending', 'question', 'approved', 'done', 'refused', 'withdrawn', 'cancelled')"


def _check(sql):
    with op.batch_alter_table("change_request", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_change_request_status"), type_="check")
        batch_op.create_check_constraint(op.f("ck_change_request_status"), sa.text(sql))


def upgrade():
    _check(NEW)
    op.execute(
        "UPDATE change_request SET status = 'cancelled' "
        "WHERE status = 'withdrawn' AND refusal_reason IS NOT NULL"
    )


def downgrade():
    op.execute("UPDATE change_request SET status = 'withdrawn' WHERE status = 'cancelled'")
    _check(OLD)
