"""search walk: on SQLite, the register's search document beside its order (name, id), so a
search with many matches walks one index in name order and tests each document in the index
entry itself; and a table of the full-text index's common trigrams, which a search of several
words leaves out of its look-up (filled by the nightly merge, `portal.citizens.search.optimize`)

Revision ID: 0018_search_walk
Revises: 0017_visit_scope
Create Date: 2026-12-04 21:50:00

PostgreSQL needs nothing: its trigram index serves every search. The statements are copied
from portal/citizens/search.py as they were at this revision.
"""

from alembic import op


# revision identifiers, used by Alembic.
revision = "0018_search_walk"
down_revision = "0017_visit_scope"
branch_labels = None
depends_on = None

DOCUMENT = " || char(10) || ".join(("name", "address", "city", "postcode", "external_id"))


def upgrade():
    if op.get_bind().dialect.name == "sqlite":
        op.execute(
            f"CREATE INDEX IF NOT EXISTS ix_citizen_search_walk ON citizen (name, id, ({DOCUMENT}))"
        )
        op.execute("CREATE TABLE IF NOT EXISTS citizen_search_common (trigram TEXT PRIMARY KEY)")


def downgrade():
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TABLE IF EXISTS citizen_search_common")
        op.execute("DROP INDEX IF EXISTS ix_citizen_search_walk")
