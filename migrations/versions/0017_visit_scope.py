"""visit scope: each visit keeps the citizen's district and the staff member's provider as they
were when it began, indexed with (start, id) for the visit report's filtered keyset pages

Revision ID: 0017_visit_scope
Revises: 0016_careapi
Create Date: 2026-12-03 11:10:00

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0017_visit_scope"
down_revision = "0016_careapi"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("visit", schema=None) as batch_op:
        batch_op.add_column(sa.Column("district_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("provider_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_visit_district_id_district"), "district", ["district_id"], ["id"]
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_visit_provider_id_provider"), "provider", ["provider_id"], ["id"]
        )
    # Visits so far: the citizen's district and the staff member's provider as they are now
    # (the best that is known of the past).
    op.execute(
        "UPDATE visit SET district_id = (SELECT citizen.district_id FROM citizen "
        "WHERE citizen.id = visit.citizen_id)"
    )
    op.execute(
        "UPDATE visit SET provider_id = (SELECT staff.provider_id FROM staff "
        "WHERE staff.id = visit.staff_id) WHERE staff_id IS NOT NULL"
    )
    op.create_index(
        "ix_visit_district_start_id", "visit", ["district_id", "start", "id"], unique=False
    )
    op.create_index(
        "ix_visit_provider_start_id", "visit", ["provider_id", "start", "id"], unique=False
    )


def downgrade():
    op.drop_index("ix_visit_provider_start_id", table_name="visit")
    op.drop_index("ix_visit_district_start_id", table_name="visit")
    with op.batch_alter_table("visit", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_visit_provider_id_provider"), type_="foreignkey")
        batch_op.drop_constraint(batch_op.f("fk_visit_district_id_district"), type_="foreignkey")
        batch_op.drop_column("provider_id")
        batch_op.drop_column("district_id")
