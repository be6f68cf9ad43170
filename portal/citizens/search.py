"""The register's indexed text search: every word typed is found anywhere in the name, address,
town, postcode or external id ("jens" finds "Jensen", "sen" too), case-insensitively.

One search document per citizen, the five fields joined by newlines (a typed word has no
whitespace, so it never matches across two fields):
- SQLite: an FTS5 table with the trigram tokenizer (`citizen_search`, rowid = citizen id), kept
  in step by triggers on the citizen table; a word of three or more characters is a phrase
  query on it. Shorter words cannot use trigrams and are matched by LIKE on the citizen row.
- PostgreSQL: a GIN trigram index (pg_trgm, a trusted contrib extension) on the lower-cased
  document, which serves `LIKE '%word%'` as it stands: the same substring semantics as before,
  indexed, with nothing to keep in sync.
The schema parts are created with the citizen table (create_all) and by migration 0011_scale.
SQLite table rebuilds (Alembic batch mode on `citizen`) drop the triggers: re-run `install`.

FTS5 writes each batch of changes as a new segment and merges them only now and then, so a large
import leaves the index in many segments, and every search reads each of them. `optimize`
merges them into one: nightly (`portal.citizens.tasks`) and after `flask seed-scale`.
"""

from sqlalchemy import and_, event, func, literal_column, or_, select, table, true

from portal.citizens.models import Citizen

MAX_WORDS, MAX_WORD = 5, 50
MIN_TRIGRAM = 3

_FIELDS = ("name", "address", "city", "postcode", "external_id")


def _document(prefix: str) -> str:
    return " || char(10) || ".join(f"{prefix}{f}" for f in _FIELDS)


SQLITE_DDL = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS citizen_search USING fts5(doc, tokenize='trigram')",
    "CREATE TRIGGER IF NOT EXISTS citizen_search_insert AFTER INSERT ON citizen BEGIN "
    f"INSERT INTO citizen_search(rowid, doc) VALUES (new.id, {_document('new.')}); END",
    "CREATE TRIGGER IF NOT EXISTS citizen_search_update AFTER UPDATE OF "
    f"{', '.join(_FIELDS)} ON citizen BEGIN "
    f"UPDATE citizen_search SET doc = {_document('new.')} WHERE rowid = new.id; END",
    "CREATE TRIGGER IF NOT EXISTS citizen_search_delete AFTER DELETE ON citizen BEGIN "
    "DELETE FROM citizen_search WHERE rowid = old.id; END",
    "DELETE FROM citizen_search",
    f"INSERT INTO citizen_search(rowid, doc) SELECT id, {_document('')} FROM citizen",
)
# chr(10), not E'\n': the query below must spell the expression so the planner matches it.
PG_DOCUMENT = "lower({})".format(" || chr(10) || ".join(f"citizen.{f}" for f in _FIELDS))
PG_DDL = (
    "CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public",
    "CREATE INDEX IF NOT EXISTS ix_citizen_search ON citizen USING gin "
    f"(({PG_DOCUMENT.replace('citizen.', '')}) public.gin_trgm_ops)",
)
SEARCH_TABLE = table("citizen_search", literal_column("rowid"))


# Any fixed number: processes creating schemas in one database at once take turns on it.
_EXTENSION_LOCK = 7_404_811


def _ensure_trigram_extension(connection) -> None:
    """pg_trgm once per database. Two processes running `CREATE EXTENSION IF NOT EXISTS` at the
    same moment collide on the catalogue's unique index, so a missing extension is created
    under a transaction-scoped advisory lock, and an existing one is left alone."""
    present = "SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'"
    if connection.exec_driver_sql(present).first() is None:
        connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_EXTENSION_LOCK})")
        connection.exec_driver_sql(PG_DDL[0])


def install(connection) -> None:
    """Create the search index (and, on SQLite, fill it from the citizen rows)."""
    name = connection.dialect.name
    if name == "postgresql":
        _ensure_trigram_extension(connection)
        for statement in PG_DDL[1:]:
            connection.exec_driver_sql(statement)
    elif name == "sqlite":
        for statement in SQLITE_DDL:
            connection.exec_driver_sql(statement)


event.listen(
    Citizen.__table__, "after_create", lambda target, connection, **kw: install(connection)
)


def optimize(connection) -> bool:
    """Merge SQLite's full-text index into one segment (FTS5 'optimize'; 0.5 s at 100,000
    citizens, holding the write lock); True when done. PostgreSQL's GIN index needs nothing
    (autovacuum folds its pending entries in), so there it does nothing and answers False."""
    if connection.dialect.name != "sqlite":
        return False
    connection.exec_driver_sql("INSERT INTO citizen_search(citizen_search) VALUES ('optimize')")
    return True


def words_of(text: str) -> list[str]:
    """The words a search looks for: at most MAX_WORDS, each cut to MAX_WORD, lower-cased."""
    return [word.lower()[:MAX_WORD] for word in (text or "").split()[:MAX_WORDS]]


def _like_fields(word: str):
    # autoescape: % and _ typed by the user are searched for, not used as wildcards.
    return or_(*(func.lower(getattr(Citizen, f)).contains(word, autoescape=True) for f in _FIELDS))


def _fts_phrase(words: list[str]) -> str:
    return " AND ".join('"{}"'.format(w.replace('"', '""')) for w in words)


def _fts_rowids(words: list[str]):
    return select(SEARCH_TABLE.c.rowid).where(
        literal_column("citizen_search").op("MATCH")(_fts_phrase(words))
    )


def matching(text: str, dialect: str, *, walk_names: bool = False):
    """SQL condition: every word of `text` is in the name, address, town, postcode or external id.

    `walk_names` (SQLite) is for a search known to match many: the citizen's id is tested
    against the index's matches as `id + 0`, which SQLite cannot look up by primary key, so a
    page in name order walks the name index and stops after the page instead of fetching and
    sorting every match."""
    words = words_of(text)
    if not words:
        return true()
    if dialect == "postgresql":
        document = literal_column(PG_DOCUMENT)
        return and_(*(document.contains(w, autoescape=True) for w in words))
    if dialect != "sqlite":
        return and_(*(_like_fields(w) for w in words))
    long = [w for w in words if len(w) >= MIN_TRIGRAM]
    conditions = [_like_fields(w) for w in words if len(w) < MIN_TRIGRAM]
    if long:
        citizen_id = Citizen.id + 0 if walk_names else Citizen.id
        conditions.insert(0, citizen_id.in_(_fts_rowids(long)))
    return and_(*conditions)


def first_matches(session, text: str, limit: int) -> list[int] | None:
    """SQLite: the ids of at most `limit` citizens the full-text index finds for every word,
    in no order, read straight from the index (which stops after `limit`). None when the index
    alone cannot answer: no words, a word shorter than a trigram, or another database."""
    words = words_of(text)
    if session.get_bind().dialect.name != "sqlite" or not words:
        return None
    if any(len(word) < MIN_TRIGRAM for word in words):
        return None
    return list(session.scalars(_fts_rowids(words).limit(limit)))
