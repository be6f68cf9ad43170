"""search spellings: the register's search document, `citizen.search_doc`, written again for
every citizen with each field in its forms (portal/citizens/folding.py at this revision): the
collapsed one, where ä/æ/ae and å/aa are a, ö/ø/oe o and ü/ue u, and the short one (each such
letter one plain letter, pairs typed as they are) where it differs, one per line. So "Marta"
finds "Märta", "Mueller" "Müller", "Soerensen" "Sørensen". No schema change: the full-text
index (SQLite: FTS5 table kept by the triggers on `search_doc`; PostgreSQL: the trigram index)
follows the column. Downgrade writes the documents as 0024_folded_search did.

Revision ID: 0026_search_spellings
Revises: 0025_change_supersedes
Create Date: 2026-12-05 12:00:00

The folding is copied from portal/citizens/folding.py as it was at this revision.
"""

import re
import unicodedata

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0026_search_spellings"
down_revision = "0025_change_supersedes"
branch_labels = None
depends_on = None

FIELDS = ("name", "address", "city", "postcode", "external_id")
_SHORT = str.maketrans(
    {"ø": "o", "ö": "o", "æ": "a", "ä": "a", "å": "a", "ü": "u"}
    | {"ß": "ss", "œ": "oe", "đ": "d", "ł": "l"}
)
_0024 = str.maketrans(
    {"ø": "o", "ö": "o", "æ": "ae", "ä": "ae", "å": "aa", "ß": "ss", "œ": "oe", "đ": "d", "ł": "l"}
)
_PAIRS = re.compile("ae|oe|aa|ue")


def _letters(text, table):
    text = unicodedata.normalize("NFC", text or "").lower().translate(table)
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return unicodedata.normalize("NFC", text)


def _forms(text):
    plain = collapsed = _letters(text, _SHORT)
    while True:
        collapsed, count = _PAIRS.subn(lambda m: m.group()[0], collapsed)
        if not count:
            return [collapsed] if collapsed == plain else [collapsed, plain]


def _document(row):
    return "\n".join(form for f in FIELDS for form in _forms(str(getattr(row, f) or "")))


def _0024_document(row):
    return "\n".join(_letters(str(getattr(row, f) or ""), _0024) for f in FIELDS)


def _fill(document):
    bind = op.get_bind()
    citizen = sa.table("citizen", sa.column("id"), sa.column("search_doc"), *map(sa.column, FIELDS))
    rows = bind.execute(sa.select(citizen.c.id, *(citizen.c[f] for f in FIELDS))).all()
    docs = [{"key": row.id, "doc": document(row)} for row in rows]
    update = citizen.update().where(citizen.c.id == sa.bindparam("key"))
    for start in range(0, len(docs), 1000):
        bind.execute(update.values(search_doc=sa.bindparam("doc")), docs[start : start + 1000])
    if bind.dialect.name == "sqlite":
        # The trigger `citizen_search_update` carried each document into the full-text index;
        # its common trigrams are counted again by the nightly merge.
        op.execute("DELETE FROM citizen_search_common")


def upgrade():
    _fill(_document)


def downgrade():
    _fill(_0024_document)
