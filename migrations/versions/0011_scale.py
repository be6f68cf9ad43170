"""scale: indexed register search, composite indexes for its order and status filter, version
columns for optimistic locking of availabilities and campaigns

Revision ID: 0011_scale
Revises: 0010_setup
Create Date: 2026-12-03 07:30:00

SQLite: an FTS5 trigram table `citizen_search` kept in step by triggers on `citizen`, filled
from the existing rows. PostgreSQL: pg_trgm (a trusted extension) and a GIN trigram index on
the lower-cased search document. The statements are copied from portal/citizens/search.py as
it was at this revision.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0011_scale"
down_revision = "0010_setup"
branch_labels = None
depends_on = None

FIELDS = ("name", "address", "city", "postcode", "external_id")


def _document(prefix):
    return " || char(10) || ".join(f"{prefix}{f}" for f in FIELDS)


SQLITE_UP = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS citizen_search USING fts5(doc, tokenize='trigram')",
    "CREATE TRIGGER IF NOT EXISTS citizen_search_insert AFTER INSERT ON citizen BEGIN "
    f"INSERT INTO citizen_search(rowid, doc) VALUES (new.id, {_document('new.')}); END",
    "CREATE TRIGGER IF NOT EXISTS citizen_search_update AFTER UPDATE OF "
    f"{', '.join(FIELDS)} ON citizen BEGIN "
    f"UPDATE citizen_search SET doc = {_document('new.')} WHERE rowid = new.id; END",
    "CREATE TRIGGER IF NOT EXISTS citizen_search_delete AFTER DELETE ON citizen BEGIN "
    "DELETE FROM citizen_search WHERE rowid = old.id; END",
    "DELETE FROM citizen_search",
    f"INSERT INTO citizen_search(rowid, doc) SELECT id, {_document('')} FROM citizen",
)
SQLITE_DOWN = (
    "DROP TRIGGER IF EXISTS citizen_search_insert",
    "DROP TRIGGER IF EXISTS citizen_search_update",
    "DROP TRIGGER IF EXISTS citizen_search_delete",
    "DROP TABLE IF EXISTS citizen_search",
)
PG_UP = (
    # Processes migrating schemas of one database at once take turns (see citizens/search.py).
    "SELECT pg_advisory_xact_lock(7404811)",
    "CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public",
    "CREATE INDEX IF NOT EXISTS ix_citizen_search ON citizen USING gin "
    "((lower({})) public.gin_trgm_ops)".format(" || chr(10) || ".join(FIELDS)),
)
PG_DOWN = ("DROP INDEX IF EXISTS ix_citizen_search",)


def _run(statements):
    for statement in statements:
        op.execute(statement)


def upgrade():
    op.drop_index('ix_citizen_name', table_name='citizen')
    op.drop_index('ix_citizen_status', table_name='citizen')
    op.create_index('ix_citizen_name_id', 'citizen', ['name', 'id'], unique=False)
    op.create_index('ix_citizen_status_name', 'citizen', ['status', 'name', 'id'], unique=False)
    dialect = op.get_bind().dialect.name
    _run(SQLITE_UP if dialect == "sqlite" else PG_UP if dialect == "postgresql" else ())
    with op.batch_alter_table('availability', schema=None) as batch_op:
        batch_op.add_column(sa.Column('version', sa.Integer(), server_default='1', nullable=False))
    with op.batch_alter_table('campaign', schema=None) as batch_op:
        batch_op.add_column(sa.Column('version', sa.Integer(), server_default='1', nullable=False))


def downgrade():
    with op.batch_alter_table('campaign', schema=None) as batch_op:
        batch_op.drop_column('version')
    with op.batch_alter_table('availability', schema=None) as batch_op:
        batch_op.drop_column('version')
    dialect = op.get_bind().dialect.name
    _run(SQLITE_DOWN if dialect == "sqlite" else PG_DOWN if dialect == "postgresql" else ())
    op.drop_index('ix_citizen_status_name', table_name='citizen')
    op.drop_index('ix_citizen_name_id', table_name='citizen')
    op.create_index('ix_citizen_status', 'citizen', ['status'], unique=False)
    op.create_index('ix_citizen_name', 'citizen', ['name'], unique=False)
