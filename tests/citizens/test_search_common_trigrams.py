"""SQLite: a search of several words asks the full-text index for each word's uncommon part
only (its common trigrams, such as the "sen" of every -sen name, have the longest posting
lists) and checks every word whole; the nightly merge counts which trigrams are common."""

import pytest
from sqlalchemy import select, text

from portal.citizens import search
from portal.citizens.models import Citizen
from tests.factories import make_citizen, make_district, make_user
from tests.helpers import sign_in_staff


def _common(session, *trigrams: str) -> None:
    session.execute(text("DELETE FROM citizen_search_common"))
    for trigram in trigrams:
        session.execute(text("INSERT INTO citizen_search_common VALUES (:t)"), {"t": trigram})


@pytest.mark.parametrize(
    ("word", "common", "part"),
    [
        ("petersen", {"ter", "ers", "rse", "sen"}, "pete"),  # a common ending left out
        ("abcdef", {"cde"}, "abcd"),  # the longest stretch between common trigrams
        ("abcdef", {"bcd"}, "cdef"),
        ("jensen", {"ens", "sen"}, "jen"),  # of two as long, the first
        ("petersen", set(), "petersen"),
        ("sen", {"sen"}, "sen"),  # all common: the whole word
        ("ab", {"abc"}, "ab"),  # shorter than a trigram: as it is
    ],
)
def test_the_uncommon_part_of_a_word(word, common, part):
    assert search._uncommon_part(word, common) == part


def test_the_merge_counts_the_trigrams_in_more_than_a_tenth_of_the_documents(db, sqlite_only):
    district = make_district(db)
    for n in range(10):
        make_citizen(db, name=f"Karen Holm {n}", address=f"Testvej {n}", district=district)
    make_citizen(db, name="Ib Quistgaard", address="Testvej 99", district=district)
    db.commit()
    assert search.optimize(db.connection()) is True
    common = set(db.scalars(text("SELECT trigram FROM citizen_search_common")))
    assert {"kar", "hol", "vej"} <= common  # 10 and 11 of 11
    assert not {"qui", "gaa"} & common  # 1 of 11: under a tenth
    assert search.optimize(db.connection()) is True  # counted afresh, not added to
    assert set(db.scalars(text("SELECT trigram FROM citizen_search_common"))) == common


@pytest.fixture
def people(db, sqlite_only):
    district = make_district(db)
    made = {}
    for name in ("Jens Holm", "Søren Jensen", "Karen Sørensen-Dahl", "Erik Edith Petersen"):
        made[name] = make_citizen(db, name=name, district=district).id
    db.commit()
    return made


@pytest.mark.parametrize(
    ("q", "lookups", "names"),
    [
        # "jen" alone finds Jens Holm as well: each word is checked whole.
        ("jens jensen", ["jen", "jen"], ["Søren Jensen"]),
        ("søren jensen", ["soren", "jen"], ["Søren Jensen"]),  # looked up folded (0021)
        ("sørensen dahl", ["soren", "dahl"], ["Karen Sørensen-Dahl"]),
        ("erik petersen", ["erik", "pete"], ["Erik Edith Petersen"]),
        ("holm sen", ["holm", "sen"], []),  # an all-common word is asked for whole
        # ſ is folded as s (portal.citizens.folding), so it is looked up as any s.
        ("ſørensen karen", ["soren", "karen"], ["Karen Sørensen-Dahl"]),
        ("jensen", ["jensen"], ["Søren Jensen"]),  # a single word is always asked for whole
    ],
)
def test_several_words_are_looked_up_by_their_uncommon_parts_and_found_whole(
    db, people, q, lookups, names
):
    _common(db, "ens", "sen", "ers", "rse", "ter")
    words = search.words_of(q)
    assert search._lookups(db, words) == lookups
    found = search.first_matches(db, q, 100)
    assert sorted(found) == sorted(people[name] for name in names)
    _common(db)  # nothing counted yet (a new database): every word is asked for whole
    assert search._lookups(db, words) == words
    assert sorted(search.first_matches(db, q, 100)) == sorted(found)
    named = select(Citizen.name).where(Citizen.id.in_(found)).order_by(Citizen.name)
    assert list(db.scalars(named)) == sorted(names)


@pytest.mark.parametrize("q", ['"jen" jensen', "jen* jensen", "jens AND jensen", "jens 'jensen"])
def test_index_syntax_in_a_shortened_word_is_searched_for(db, people, q):
    _common(db, "ens", "sen")
    assert search.first_matches(db, q, 100) == []


@pytest.mark.parametrize(
    ("q", "shown", "hidden"),
    [
        ("jens\x00 jensen", ["Søren Jensen"], ["Jens Holm"]),  # NUL dropped at the edge
        ('jens "jensen', [], ["Søren Jensen", "Jens Holm"]),  # a quote is searched for
        ("<script>jens</script> jensen", [], ["Søren Jensen", "<script>jens"]),
        ("jensen " * 3000, ["Søren Jensen", "Jens Holm"], []),  # too long: an error, no search
        ("jensen " * 14, ["Søren Jensen"], ["Jens Holm"]),  # 98 characters: 5 words kept
        ("ſøren jensen", ["Søren Jensen"], ["Karen Sørensen-Dahl"]),
        ("jens 12345678901234567890123456789012345678901234567890123", [], ["Jens Holm"]),
    ],
)
def test_the_register_page_with_several_words_and_bad_input(client, db, people, q, shown, hidden):
    """The page a coordinator sees when the look-up by uncommon parts is on (common trigrams
    counted): 200, the right citizens, nothing echoed raw."""
    _common(db, "ens", "sen")
    db.commit()
    sign_in_staff(client, make_user(db, "coordinator"))
    response = client.get("/coordinator/citizens", query_string={"q": q})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Traceback" not in html
    assert ("form-error" in html) == (len(q) > 100)  # the field says it is too long
    assert all(name in html for name in shown), shown
    assert not any(name in html for name in hidden), hidden
