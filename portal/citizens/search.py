"""The register's indexed text search: every word typed is found anywhere in the name, address,
town, postcode or external id ("jens" finds "Jensen", "sen" too), case-insensitively, with
Nordic and German letters and accents folded ("Sörensen", "Soerensen" and "Sorensen" find
"Sørensen", "Marta" and "Maerta" "Märta", "Aage" and "Age" "Åge").

One search document per citizen, `citizen.search_doc`: the five fields folded, each in its
forms (`portal.citizens.folding.forms`: collapsed, and short where it differs), one per line (a
typed word has no whitespace, so it never matches across two fields), written by the ORM with
every change of the citizen (`models._fold_search_document`); each word typed is folded to the
collapsed form (`folding.fold`) and found in any line. An UPDATE
statement setting a searched field without it is refused (`models._refuse_unfolded_updates`).
- SQLite: an FTS5 table with the trigram tokenizer (`citizen_search`, rowid = citizen id), kept
  in step with `search_doc` by triggers on the citizen table; a word of three or more characters
  is a phrase query on it. Shorter words cannot use trigrams and are matched by LIKE on the row.
  A search with many matches instead walks `ix_citizen_search_walk` (name, id, search_doc) in
  name order and tests each word against the document in the index entry (`matching`).
- PostgreSQL: a GIN trigram index (pg_trgm, a trusted contrib extension) on `search_doc`, which
  serves `LIKE '%word%'` as it stands.
A word that is a date (`birth_dates`: "090935", the first half of a CPR number, either century;
"09091935", "09-09-1935", "09.09.1935") also finds citizens born that day, by the index on
`date_of_birth` (migration 0023_birth_date_search); national ids are never decrypted to search.
The schema parts are created with the citizen table (create_all) and by migrations 0011_scale,
0018_search_walk and 0024_folded_search (0026_search_spellings wrote the documents again in
their forms). SQLite table rebuilds (Alembic batch mode on `citizen`) drop the triggers and the
walk index: re-run `install`.

FTS5 writes each batch of changes as a new segment and merges them only now and then, so a large
import leaves the index in many segments, and every search reads each of them. `optimize`
merges them into one: nightly (`portal.citizens.tasks`) and after `flask seed-scale`.
"""

import re
from datetime import date

from sqlalchemy import and_, event, func, literal_column, or_, select, table, true

from portal.citizens.folding import fold
from portal.citizens.models import Citizen

MAX_WORDS, MAX_WORD = 5, 50
MIN_TRIGRAM = 3


def _document(prefix: str) -> str:
    # The folded fields' forms, one per line (portal.citizens.folding), as the citizen row keeps.
    return f"{prefix}search_doc"


# The document again, beside the register's order: a search with many matches walks this index
# in name order and tests each citizen's document in the index entry itself.
SQLITE_WALK_INDEX = (
    "CREATE INDEX IF NOT EXISTS ix_citizen_search_walk ON citizen (name, id, search_doc)"
)
# The trigrams in more than COMMON_SHARE of the documents, as `optimize` last counted them.
SQLITE_COMMON_TABLE = "CREATE TABLE IF NOT EXISTS citizen_search_common (trigram TEXT PRIMARY KEY)"
COMMON_SHARE = 0.1
SQLITE_DDL = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS citizen_search USING fts5(doc, tokenize='trigram')",
    "CREATE TRIGGER IF NOT EXISTS citizen_search_insert AFTER INSERT ON citizen BEGIN "
    f"INSERT INTO citizen_search(rowid, doc) VALUES (new.id, {_document('new.')}); END",
    "CREATE TRIGGER IF NOT EXISTS citizen_search_update AFTER UPDATE OF search_doc ON citizen BEGIN "
    f"UPDATE citizen_search SET doc = {_document('new.')} WHERE rowid = new.id; END",
    "CREATE TRIGGER IF NOT EXISTS citizen_search_delete AFTER DELETE ON citizen BEGIN "
    "DELETE FROM citizen_search WHERE rowid = old.id; END",
    SQLITE_WALK_INDEX,
    SQLITE_COMMON_TABLE,
    "DELETE FROM citizen_search",
    f"INSERT INTO citizen_search(rowid, doc) SELECT id, {_document('')} FROM citizen",
)
PG_DOCUMENT = "citizen.search_doc"
PG_DDL = (
    "CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public",
    "CREATE INDEX IF NOT EXISTS ix_citizen_search ON citizen USING gin "
    "(search_doc public.gin_trgm_ops)",
)
SEARCH_TABLE = table("citizen_search", literal_column("rowid"), literal_column("doc"))
COMMON_TABLE = table("citizen_search_common", literal_column("trigram"))


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
    citizens, holding the write lock) and count its common trigrams again (0.25 s); True when
    done. PostgreSQL's GIN index needs nothing (autovacuum folds its pending entries in), so
    there it does nothing and answers False."""
    if connection.dialect.name != "sqlite":
        return False
    connection.exec_driver_sql("INSERT INTO citizen_search(citizen_search) VALUES ('optimize')")
    connection.exec_driver_sql(
        "CREATE VIRTUAL TABLE IF NOT EXISTS temp.citizen_search_vocab "
        "USING fts5vocab(main, citizen_search, row)"
    )
    connection.exec_driver_sql("DELETE FROM citizen_search_common")
    connection.exec_driver_sql(
        "INSERT INTO citizen_search_common (trigram) SELECT term FROM temp.citizen_search_vocab "
        "WHERE doc > ? * (SELECT count(*) FROM citizen)",
        (COMMON_SHARE,),
    )
    return True


def words_of(text: str) -> list[str]:
    """The words a search looks for: at most MAX_WORDS, each cut to MAX_WORD, folded as the
    search document's lines are (`folding.fold`: lower case, ø/ö/oe as o, æ/ä/ae and å/aa as a,
    ü/ue as u, no accents)."""
    return [fold(word)[:MAX_WORD] for word in (text or "").split()[:MAX_WORDS]]


# A date of birth as typed: the first half of a CPR number (DDMMYY, either century), DDMMYYYY, a
# date with dashes, dots or slashes (DD-MM-YYYY), or ISO (YYYY-MM-DD). ASCII digits only.
_SHORT = re.compile(r"([0-9]{2})([0-9]{2})([0-9]{2})")
_LONG = re.compile(r"([0-9]{2})([0-9]{2})([0-9]{4})")
_SEPARATED = re.compile(r"([0-9]{1,2})[-./]([0-9]{1,2})[-./]([0-9]{4})")
_ISO = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")


def _date(year: int, month: int, day: int) -> list[date]:
    try:
        return [date(year, month, day)]
    except ValueError:
        return []


def birth_dates(word: str) -> list[date]:
    """The dates of birth a typed word can mean (none when it is no date): "090935" is
    9 September 1935 or 2035; "09091935", "9-9-1935", "09.09.1935" and "1935-09-09" one day."""
    if found := _SHORT.fullmatch(word):
        day, month, year = (int(g) for g in found.groups())
        return _date(1900 + year, month, day) + _date(2000 + year, month, day)
    if found := _LONG.fullmatch(word) or _SEPARATED.fullmatch(word):
        day, month, year = (int(g) for g in found.groups())
        return _date(year, month, day)
    if found := _ISO.fullmatch(word):
        year, month, day = (int(g) for g in found.groups())
        return _date(year, month, day)
    return []


def _like_fields(word: str):
    # autoescape: % and _ typed by the user are searched for, not used as wildcards.
    return Citizen.search_doc.contains(word, autoescape=True)


def _fts_phrase(words: list[str]) -> str:
    return " AND ".join('"{}"'.format(w.replace('"', '""')) for w in words)


def _fts_rowids(words: list[str], lookups: list[str] | None = None):
    """The index's matches for every word. `lookups`, one part of each word, are what the
    index is asked for instead; a word looked up by a part is then checked whole against the
    document the index keeps."""
    lookups = lookups or words
    shortened = [w for w, part in zip(words, lookups, strict=True) if part != w]
    document = func.lower(SEARCH_TABLE.c.doc)
    return select(SEARCH_TABLE.c.rowid).where(
        literal_column("citizen_search").op("MATCH")(_fts_phrase(lookups)),
        *(func.instr(document, w) > 0 for w in shortened),
    )


def _folds_alike(word: str) -> bool:
    """True when the full-text index folds the case of `word`'s letters as Python's lower()
    does: ASCII and Latin-1 (æ, ø, å, ä, ö, é, ß ...). Not so for a few others (the long s ſ,
    µ, Turkish İ, Greek sigma), so words with them keep to the index, whose matches they
    always got. (A document with such letters can still be found by one way and not the
    other by a word without them: a long s in a name would have to be typed as an s.)"""
    return all(ch.isascii() or "\u00c0" <= ch <= "\u00ff" for ch in word)


def _trigrams(word: str) -> list[str]:
    """The word's trigrams in order, overlapping: "sent" -> "sen", "ent"."""
    return [word[i : i + MIN_TRIGRAM] for i in range(len(word) - MIN_TRIGRAM + 1)]


def _uncommon_part(word: str, common: set[str]) -> str:
    """The longest part of `word` none of whose trigrams is common; the whole word when every
    trigram is common or none is."""
    best, start = "", None
    for i, trigram in enumerate(_trigrams(word)):
        if trigram in common:
            start = None
            continue
        start = i if start is None else start
        best = max(best, word[start : i + MIN_TRIGRAM], key=len)
    return best or word


def _lookups(session, words: list[str]) -> list[str]:
    """What the full-text index is asked for each word of a search of several words: its
    longest part without a common trigram (`citizen_search_common`). The index reads every
    posting of each trigram it is asked for, and common ones are long: "sen" is in three
    quarters of the documents, so "erik edith petersen" took 1.8 ms at 100,000 citizens and
    "erik edith pete" then checked whole 0.75 ms. A single word is asked for whole: when it
    matches thousands, the first thousand (which choose the page's plan) come sooner from its
    exact phrase than from a shorter part checked whole."""
    if len(words) < 2:
        return words
    trigrams = {trigram for w in words for trigram in _trigrams(w)}
    query = select(COMMON_TABLE.c.trigram).where(COMMON_TABLE.c.trigram.in_(trigrams))
    common = set(session.scalars(query))
    if not common:
        return words
    return [_uncommon_part(w, common) if _folds_alike(w) else w for w in words]


def matching(text: str, dialect: str, *, walk_names: bool = False):
    """SQL condition: every word of `text` is in the name, address, town, postcode or external id;
    a word that is a date (`birth_dates`) also matches those born that day.

    `walk_names` (SQLite) is for a search known to match many (more than a thousand): a page in
    name order then walks `ix_citizen_search_walk` and tests each word against the document
    held in the index entry, stopping after the page. It reads neither the full-text index
    (whose common trigrams, such as the "sen" of every -sen name, have posting lists as long
    as the register) nor the citizen rows it passes over. Words whose case the index folds
    otherwise (`_folds_alike`) walk the name index and test the id against the index's
    matches, as `id + 0`, which SQLite cannot look up by key."""
    words = words_of(text)
    dated = [(word, birth_dates(word)) for word in words]
    if not any(days for _, days in dated):
        return _words_matching(words, dialect, walk_names)
    # A date matches a citizen born that day (the date-of-birth index) or, as any word does,
    # one whose text holds it (an external id of digits).
    return and_(
        _words_matching([word for word, days in dated if not days], dialect),
        *(
            or_(Citizen.date_of_birth.in_(days), _words_matching([word], dialect))
            for word, days in dated
            if days
        ),
    )


def _words_matching(words: list[str], dialect: str, walk_names: bool = False):
    if not words:
        return true()
    if walk_names and dialect == "sqlite" and all(_folds_alike(w) for w in words):
        document = literal_column(_document("citizen."))
        return and_(*(func.instr(document, w) > 0 for w in words))
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
    in no order, read straight from the index (which stops after `limit`; several words are
    looked up by their uncommon parts, `_lookups`, and checked whole). None when the index
    alone cannot answer: no words, a word shorter than a trigram, or another database."""
    words = words_of(text)
    if session.get_bind().dialect.name != "sqlite" or not words:
        return None
    if any(birth_dates(word) for word in words):
        return None
    if any(len(word) < MIN_TRIGRAM for word in words):
        return None
    return list(session.scalars(_fts_rowids(words, _lookups(session, words)).limit(limit)))
