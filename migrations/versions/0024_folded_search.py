"""folded search: the register's search document becomes a column, `citizen.search_doc`, with
each field folded as Danish and Swedish users expect (ø/ö/o alike, æ/ä alike, å/aa alike,
accents and case gone: portal/citizens/folding.py), written by the app with every change; the
full-text index (SQLite: FTS5 table, triggers and the walk index; PostgreSQL: the trigram
index) now holds that column instead of the fields as typed. Filled here for every citizen.

Revision ID: 0024_folded_search
Revises: 0023_birth_date_search
Create Date: 2026-12-05 10:00:00

The statements and the folding are copied from portal/citizens as they were at this revision.
"""

import unicodedata

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0024_folded_search"
down_revision = "0023_birth_date_search"
branch_labels = None
depends_on = None

FIELDS = ("name", "address", "city", "postcode", "external_id")
_LETTERS = str.maketrans(
    {"ø": "o", "ö": "o", "æ": "ae", "ä": "ae", "å": "aa", "ß": "ss", "œ": "oe", "đ": "d", "ł": "l"}
)


def _fold(text):
    text = unicodedata.normalize("NFC", text or "").lower().translate(_LETTERS)
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return unicodedata.normalize("NFC", text)


def _old_document(prefix):
    return " || char(10) || ".join(f"{prefix}{f}" for f in FIELDS)


SQLITE_DROP = (
    "DROP TRIGGER IF EXISTS citizen_search_insert",
    "DROP TRIGGER IF EXISTS citizen_search_update",
    "DROP TRIGGER IF EXISTS citizen_search_delete",
    "DROP INDEX IF EXISTS ix_citizen_search_walk",
)
SQLITE_UP = (
    "CREATE TRIGGER citizen_search_insert AFTER INSERT ON citizen BEGIN "
    "INSERT INTO citizen_search(rowid, doc) VALUES (new.id, new.search_doc); END",
    "CREATE TRIGGER citizen_search_update AFTER UPDATE OF search_doc ON citizen BEGIN "
    "UPDATE citizen_search SET doc = new.search_doc WHERE rowid = new.id; END",
    "CREATE TRIGGER citizen_search_delete AFTER DELETE ON citizen BEGIN "
    "DELETE FROM citizen_search WHERE rowid = old.id; END",
    "CREATE INDEX ix_citizen_search_walk ON citizen (name, id, search_doc)",
    "DELETE FROM citizen_search",
    "INSERT INTO citizen_search(rowid, doc) SELECT id, search_doc FROM citizen",
    "DELETE FROM citizen_search_common",  # counted again by the nightly merge
)
SQLITE_DOWN = (
    "CREATE TRIGGER citizen_search_insert AFTER INSERT ON citizen BEGIN "
    f"INSERT INTO citizen_search(rowid, doc) VALUES (new.id, {_old_document('new.')}); END",
    f"CREATE TRIGGER citizen_search_update AFTER UPDATE OF {', '.join(FIELDS)} ON citizen BEGIN "
    f"UPDATE citizen_search SET doc = {_old_document('new.')} WHERE rowid = new.id; END",
    "CREATE TRIGGER citizen_search_delete AFTER DELETE ON citizen BEGIN "
    "DELETE FROM citizen_search WHERE rowid = old.id; END",
    f"CREATE INDEX ix_citizen_search_walk ON citizen (name, id, ({_old_document('')}))",
    "DELETE FROM citizen_search",
    f"INSERT INTO citizen_search(rowid, doc) SELECT id, {_old_document('')} FROM citizen",
    "DELETE FROM citizen_search_common",
)
PG_UP = (
    "DROP INDEX IF EXISTS ix_citizen_search",
    "CREATE INDEX ix_citizen_search ON citizen USING gin (search_doc public.gin_trgm_ops)",
)
PG_DOWN = (
    "DROP INDEX IF EXISTS ix_citizen_search",
    "CREATE INDEX ix_citizen_search ON citizen USING gin ((lower({})) public.gin_trgm_ops)".format(
        " || chr(10) || ".join(FIELDS)
    ),
)


def _run(statements):
    for statement in statements:
        op.execute(statement)


def _fill():
    bind = op.get_bind()
    citizen = sa.table("citizen", sa.column("id"), sa.column("search_doc"), *map(sa.column, FIELDS))
    rows = bind.execute(sa.select(citizen.c.id, *(citizen.c[f] for f in FIELDS))).all()
    docs = [
        {"key": row.id, "doc": "\n".join(_fold(str(getattr(row, f) or "")) for f in FIELDS)}
        for row in rows
    ]
    update = citizen.update().where(citizen.c.id == sa.bindparam("key"))
    for start in range(0, len(docs), 1000):
        bind.execute(update.values(search_doc=sa.bindparam("doc")), docs[start : start + 1000])


def upgrade():
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        _run(SQLITE_DROP)
    # Not in batch mode: a batch rebuild of `citizen` on SQLite drops the search triggers.
    op.add_column("citizen", sa.Column("search_doc", sa.Text(), server_default="", nullable=False))
    _fill()
    _run(SQLITE_UP if dialect == "sqlite" else PG_UP if dialect == "postgresql" else ())


def downgrade():
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        _run(SQLITE_DROP)
    elif dialect == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_citizen_search")
    op.drop_column("citizen", "search_doc")
    _run(SQLITE_DOWN if dialect == "sqlite" else PG_DOWN[1:] if dialect == "postgresql" else ())
