"""birth date search: an index on the citizen's date of birth, so that the register's search for
a date ("090935", "09-09-1935") finds those born that day without reading every citizen

Revision ID: 0023_birth_date_search
Revises: 0022_key_hand_back
Create Date: 2026-12-05 09:40:00

"""

from alembic import op

# revision identifiers, used by Alembic.
revision = "0023_birth_date_search"
down_revision = "0022_key_hand_back"
branch_labels = None
depends_on = None


def upgrade():
    # Not in batch mode: a batch rebuild of `citizen` on SQLite would drop the search triggers.
    op.create_index("ix_citizen_date_of_birth", "citizen", ["date_of_birth"], unique=False)


def downgrade():
    op.drop_index("ix_citizen_date_of_birth", table_name="citizen")
