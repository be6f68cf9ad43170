"""The register's indexed search (portal.citizens.search): same matches as a scan, kept in step
with every write, exact look-ups for external and national ids, and the plans use the index."""

import pytest
from sqlalchemy import delete, func, select, text, update

from portal.citizens.models import Citizen
from portal.citizens.queries import RegisterQuery, matching, register_page
from portal.citizens.register import national_id_index_of
from portal.directory.models import ProviderAssignment
from portal.extensions import db as _db
from tests.conftest import NOW
from tests.factories import make_citizen, make_district, make_user
from tests.helpers import sign_in_staff, statements


def _found(session, q: str) -> list[str]:
    stmt = select(Citizen.name).where(matching(q)).order_by(Citizen.name)
    return list(session.scalars(stmt))


@pytest.fixture
def people(db):
    district = make_district(db)
    made = {}
    for ext, name, address in (
        ("A-1", "Søren Jensen", "Møllevej 4"),
        ("A-10", "Jens Holm", "Kirkevej 12"),
        ("A-100", "Karen Sørensen-Dahl", "Ørstedsgade 7, 2. th"),
        ("B-7", 'Ole "Quote" Bak', "Vej * 3"),
    ):
        made[ext] = make_citizen(db, external_id=ext, name=name, address=address, district=district)
    db.commit()
    return made


WORDS_AND_MATCHES = (
    "q,expected",
    [
        ("jens", ["Jens Holm", "Søren Jensen"]),  # a prefix finds the longer name
        ("sen", ["Karen Sørensen-Dahl", "Søren Jensen"]),  # and any part of a word
        ("SØREN", ["Karen Sørensen-Dahl", "Søren Jensen"]),  # case folded beyond ASCII
        ("jens møllevej", ["Søren Jensen"]),  # every word, each in any field
        ("jens ørsted", []),
        ("ørsted", ["Karen Sørensen-Dahl"]),  # Ø folded as ø, also in the walk
        ("4100", ["Jens Holm", "Karen Sørensen-Dahl", 'Ole "Quote" Bak', "Søren Jensen"]),
        ("a-10", ["Jens Holm", "Karen Sørensen-Dahl"]),  # external ids, in part
        ("2.", ["Karen Sørensen-Dahl"]),  # short words too
        ("j", ["Jens Holm", 'Ole "Quote" Bak', "Søren Jensen"]),
        ('"quote"', ['Ole "Quote" Bak']),  # FTS syntax is searched for, not obeyed
        ("*", ['Ole "Quote" Bak']),
        ("AND", []),
        ("NEAR(jens", []),
        ("holmkirkevej", []),  # a word never spans two fields
        ("holm\nkirkevej", ["Jens Holm"]),
        ("", ["Jens Holm", "Karen Sørensen-Dahl", 'Ole "Quote" Bak', "Søren Jensen"]),
    ],
)


@pytest.mark.parametrize(*WORDS_AND_MATCHES)
def test_words_match_anywhere_in_the_fields(db, people, q, expected):
    assert _found(db, q) == expected


@pytest.mark.parametrize(*WORDS_AND_MATCHES)
def test_the_walk_of_a_broad_search_finds_the_same(db, people, q, expected):
    """SQLite's walk for many matches tests the document in its index entry, not the
    full-text index; it finds the same citizens."""
    from portal.citizens import search

    if _db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite's walk")
    walk = search.matching(q, "sqlite", walk_names=True)
    assert list(db.scalars(select(Citizen.name).where(walk).order_by(Citizen.name))) == expected


def test_the_index_follows_inserts_updates_and_deletes(db, people):
    citizen = people["A-10"]
    citizen.name, citizen.address = "Jens Winther", "Parkvej 1"
    db.commit()
    assert _found(db, "winther") == ["Jens Winther"]
    assert _found(db, "holm") == _found(db, "kirkevej") == []
    citizen.city = "Nyby"
    db.flush()
    assert _found(db, "nyby") == ["Jens Winther"]
    # The folded document is written by the ORM: an UPDATE statement of a searched field
    # would leave it behind, so it is refused.
    with pytest.raises(ValueError, match="search_doc"):
        db.execute(update(Citizen).where(Citizen.id == citizen.id).values(city="Andeby"))
    gone = people["B-7"].id
    db.execute(delete(ProviderAssignment).where(ProviderAssignment.citizen_id == gone))
    db.execute(delete(Citizen).where(Citizen.id == gone))
    assert _found(db, "quote") == []
    make_citizen(db, name="Åge Østergaard", external_id="NEW-1")
    assert _found(db, "østerg") == ["Åge Østergaard"]


def test_search_words_are_bounded(db, people):
    # Only the first five words count, each cut to 50 characters.
    assert _found(db, "jens " * 5 + "nobody") == ["Jens Holm", "Søren Jensen"]
    assert _found(db, "jens" + "x" * 100) == []


def test_an_exact_external_id_finds_that_citizen_only(db, people):
    page = register_page(RegisterQuery(q="A-10"), on=NOW.date())
    assert [c.external_id for c in page.citizens] == ["A-10"]
    page = register_page(RegisterQuery(q="a-10"), on=NOW.date())  # not exact: a search
    assert sorted(c.external_id for c in page.citizens) == ["A-10", "A-100"]


def test_a_national_id_is_found_through_its_blind_index(app, db, keyring, people):
    from tests.factories import valid_cpr

    target = make_citizen(db, national_id=valid_cpr(4242, NOW.date().replace(year=1941)))
    db.commit()
    typed = valid_cpr(4242, NOW.date().replace(year=1941))
    for form in (typed, f"{typed[:6]}-{typed[6:]}"):
        index = national_id_index_of(keyring, form, "DK")
        page = register_page(RegisterQuery(q=form, national_id_index=index), on=NOW.date())
        assert [c.id for c in page.citizens] == [target.id]
    assert national_id_index_of(keyring, "jensen", "DK") is None
    assert national_id_index_of(keyring, "123", "DK") is None


def test_the_register_page_finds_a_typed_national_id(app, db, client, people):
    from tests.factories import valid_cpr

    typed = valid_cpr(4343, NOW.date().replace(year=1938))
    target = make_citizen(db, national_id=typed, name="Cpr Person")
    sign_in_staff(client, make_user(db, "coordinator"))
    html = client.get("/coordinator/citizens", query_string={"q": typed}).get_data(as_text=True)
    assert "Cpr Person" in html and "Søren Jensen" not in html
    assert f"/coordinator/citizens/{target.id}" in html


def test_sqlite_plan_reads_the_fts_index(db, people):
    if _db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite's plan")
    sql = (
        select(Citizen.id)
        .where(matching("jensen møllevej"))
        .compile(dialect=_db.engine.dialect, compile_kwargs={"literal_binds": True})
    )
    plan = " | ".join(r[-1] for r in db.execute(text(f"EXPLAIN QUERY PLAN {sql}")))
    assert "VIRTUAL TABLE INDEX" in plan and "SCAN citizen |" not in plan + " |", plan
    status = select(Citizen.id).where(Citizen.status == "fitted").order_by(Citizen.name, Citizen.id)
    sql = status.limit(25).compile(
        dialect=_db.engine.dialect, compile_kwargs={"literal_binds": True}
    )
    plan = " | ".join(r[-1] for r in db.execute(text(f"EXPLAIN QUERY PLAN {sql}")))
    assert "ix_citizen_status_name" in plan and "TEMP B-TREE" not in plan, plan


def test_postgresql_plan_reads_the_trigram_index(db, people):
    if _db.engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL's plan")
    db.execute(text("SET LOCAL enable_seqscan = off"))
    stmt = select(func.count()).select_from(Citizen).where(matching("jensen"))
    sql = stmt.compile(dialect=_db.engine.dialect, compile_kwargs={"literal_binds": True})
    plan = " ".join(r[0] for r in db.execute(text(f"EXPLAIN {sql}")))
    assert "ix_citizen_search" in plan, plan


def test_a_broad_search_counts_up_to_the_cap_and_says_there_are_more(db, monkeypatch, people):
    from portal.citizens import queries

    monkeypatch.setattr(queries, "COUNT_CAP", 3)
    page = register_page(RegisterQuery(), on=NOW.date(), page_size=2)
    assert (page.total, page.more, page.pages) == (3, True, 2)
    last = register_page(RegisterQuery(page=99), on=NOW.date(), page_size=2)
    assert last.page == 2 and len(last.citizens) == 2
    exact = register_page(RegisterQuery(q="jens"), on=NOW.date(), page_size=2)
    assert (exact.total, exact.more) == (2, False)


def test_words_are_counted_to_a_lower_cap_than_the_whole_register(app, db, monkeypatch, people):
    """Typed words are counted up to SEARCH_COUNT_CAP, browsing and filters up to COUNT_CAP."""
    from portal.citizens import queries

    monkeypatch.setattr(queries, "COUNT_CAP", 3)
    monkeypatch.setattr(queries, "SEARCH_COUNT_CAP", 1)
    browse = register_page(RegisterQuery(), on=NOW.date(), page_size=1)
    assert (browse.total, browse.more, browse.pages) == (3, True, 3)
    spaces = register_page(RegisterQuery(q="   "), on=NOW.date(), page_size=1)
    assert (spaces.total, spaces.more) == (3, True)
    for words in ("jens", "sen", "s"):  # the index, the index, a row match (under a trigram)
        with statements(app, full=True) as seen:
            found = register_page(RegisterQuery(q=words), on=NOW.date(), page_size=1)
        assert (found.total, found.more, found.pages) == (1, True, 1), words
        assert _counts(seen) <= 1, seen
        assert register_page(RegisterQuery(q=words, page=2), on=NOW.date(), page_size=1).page == 1
    exact = register_page(RegisterQuery(q="A-10"), on=NOW.date(), page_size=1)
    assert (exact.total, exact.more) == (1, False)


def test_the_page_says_more_than_the_cap(db, client, monkeypatch, people):
    from portal.citizens import queries

    monkeypatch.setattr(queries, "COUNT_CAP", 2)
    sign_in_staff(client, make_user(db, "coordinator"))
    html = client.get("/coordinator/citizens").get_data(as_text=True)
    assert "More than 2 citizens found" in html


def _counts(seen) -> int:
    return len([s for s in seen if "count(" in s.lower()])


def test_a_first_page_that_is_not_full_is_not_counted_again(app, db, people):
    """Searching for one person asks the index once; a full page is counted, as before."""
    with statements(app, full=True) as seen:
        found = register_page(RegisterQuery(q="jens"), on=NOW.date(), page_size=25)
    assert [c.name for c in found.citizens] == ["Jens Holm", "Søren Jensen"]
    assert (found.total, found.pages, found.page, found.more) == (2, 1, 1, False)
    assert _counts(seen) == 0

    with statements(app, full=True) as seen:
        first = register_page(RegisterQuery(q="jens"), on=NOW.date(), page_size=1)
    assert [c.name for c in first.citizens] == ["Jens Holm"]
    assert (first.total, first.pages) == (2, 2)
    assert _counts(seen) == 1
    with statements(app, full=True) as seen:
        filtered = register_page(
            RegisterQuery(q="jens", status="registered"), on=NOW.date(), page_size=1
        )
    assert (filtered.total, filtered.pages) == (2, 2)
    assert _counts(seen) == 1
    second = register_page(RegisterQuery(q="jens", page=2), on=NOW.date(), page_size=1)
    assert [c.name for c in second.citizens] == ["Søren Jensen"]
    beyond = register_page(RegisterQuery(q="jens", page=7), on=NOW.date(), page_size=1)
    assert beyond.page == 2 and [c.name for c in beyond.citizens] == ["Søren Jensen"]
    back = register_page(RegisterQuery(q="jens", page=7), on=NOW.date(), page_size=25)
    assert back.page == 1 and [c.name for c in back.citizens] == ["Jens Holm", "Søren Jensen"]
    nobody = register_page(RegisterQuery(q="jens ørsted", page=3), on=NOW.date())
    assert (nobody.citizens, nobody.total, nobody.page, nobody.pages) == ([], 0, 1, 1)


def test_a_search_matching_more_than_the_cap_walks_the_name_index(db, people, monkeypatch):
    """SQLite: past COUNT_CAP matches the page is read in name order from the index of names
    and search documents and stops there, instead of fetching and sorting every match or
    reading every match from the full-text index; the page is the same."""
    from portal.citizens import queries, search

    monkeypatch.setattr(queries, "COUNT_CAP", 1)
    monkeypatch.setattr(queries, "SEARCH_COUNT_CAP", 1)  # never above COUNT_CAP
    broad = register_page(RegisterQuery(q="sen"), on=NOW.date(), page_size=1)
    assert [c.name for c in broad.citizens] == ["Karen Sørensen-Dahl"]
    assert (broad.total, broad.more, broad.pages) == (1, True, 1)
    if _db.engine.dialect.name != "sqlite":
        assert search.first_matches(db, "sen", 5) is None  # PostgreSQL: the trigram index
        return
    assert sorted(search.first_matches(db, "sen", 5)) == sorted(
        people[ext].id for ext in ("A-1", "A-100")
    )
    assert search.first_matches(db, "se", 5) is None  # shorter than a trigram: not the index
    walk = (
        select(Citizen.id)
        .where(search.matching("sen", "sqlite", walk_names=True))
        .order_by(Citizen.name, Citizen.id)
        .limit(1)
    )
    sql = walk.compile(dialect=_db.engine.dialect, compile_kwargs={"literal_binds": True})
    plan = " ".join(str(r[-1]) for r in db.execute(text(f"EXPLAIN QUERY PLAN {sql}")))
    assert "ix_citizen_search_walk" in plan, plan
    assert "TEMP B-TREE" not in plan and "VIRTUAL TABLE" not in plan, plan


def test_a_word_the_index_folds_otherwise_walks_with_the_index_matches(db, people):
    """The full-text index folds the long s as an s, Python's lower() does not: such a word
    walks the name index against the index's matches, and finds what the index finds."""
    from portal.citizens import search

    if _db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite's walk")
    walk = search.matching("ſen", "sqlite", walk_names=True)  # folded to "sen" (0021)
    found = list(db.scalars(select(Citizen.name).where(walk).order_by(Citizen.name)))
    assert found == _found(db, "ſen") == ["Karen Sørensen-Dahl", "Søren Jensen"]


@pytest.mark.parametrize(
    "q",
    ["sen", '"sen" OR', "sen" + '"' * 200, "<script>sen</script>", "sen\x00", "sen " * 2000],
)
@pytest.mark.parametrize("page", ["-1", "0", "abc", "99999999999999999999", "2", ""])
def test_hostile_searches_and_pages_on_a_broad_search_are_a_plain_page(
    client, db, people, monkeypatch, q, page
):
    """The page for more matches than the cap (the name-index walk on SQLite) with bad input:
    200, no error, nothing echoed raw; a bad page number is page 1."""
    from portal.citizens import queries

    monkeypatch.setattr(queries, "COUNT_CAP", 1)
    monkeypatch.setattr(queries, "SEARCH_COUNT_CAP", 1)
    sign_in_staff(client, make_user(db, "coordinator"))
    response = client.get("/coordinator/citizens", query_string={"q": q, "page": page})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "<script>sen" not in html and "Traceback" not in html
    if q == "sen":
        assert "Karen Sørensen-Dahl" in html  # one page only: every page number lands on it
        assert "More than 1 citizen found" in html
