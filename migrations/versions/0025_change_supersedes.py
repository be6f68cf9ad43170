"""change supersedes: a move, an end of care or a death may be reported while an approved change
waits for its date (`change_request.supersedes_id`); it replaces that change, which is cancelled
as superseded. The one-open-request index now lets such a report wait beside the approved change
(at most one approved, at most one undecided, and an undecided one beside an approved one only
when it supersedes it).

Revision ID: 0025_change_supersedes
Revises: 0024_folded_search
Create Date: 2026-12-05 12:00:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0025_change_supersedes"
down_revision = "0024_folded_search"
branch_labels = None
depends_on = None

OLD = "status IN ('pending', 'question', 'approved')"
OPEN = "status = 'approved' OR (status IN ('pending', 'question') AND supersedes_id IS NULL)"
UNDECIDED = "status IN ('pending', 'question')"


def _where(sql):
    return {"sqlite_where": sa.text(sql), "postgresql_where": sa.text(sql)}


def upgrade():
    with op.batch_alter_table("change_request", schema=None) as batch_op:
        batch_op.add_column(sa.Column("supersedes_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            "fk_change_request_supersedes_id_change_request",
            "change_request",
            ["supersedes_id"],
            ["id"],
        )
        batch_op.drop_index("ux_change_request_open", **_where(OLD))
        batch_op.create_index("ux_change_request_open", ["citizen_id"], unique=True, **_where(OPEN))
        batch_op.create_index(
            "ux_change_request_undecided", ["citizen_id"], unique=True, **_where(UNDECIDED)
        )


def downgrade():
    with op.batch_alter_table("change_request", schema=None) as batch_op:
        batch_op.drop_index("ux_change_request_undecided", **_where(UNDECIDED))
        batch_op.drop_index("ux_change_request_open", **_where(OPEN))
        batch_op.create_index("ux_change_request_open", ["citizen_id"], unique=True, **_where(OLD))
        batch_op.drop_constraint(
            "fk_change_request_supersedes_id_change_request", type_="foreignkey"
        )
        batch_op.drop_column("supersedes_id")
