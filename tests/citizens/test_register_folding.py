"""The register's search folds Nordic letters and accents the same way in the index and in the
words typed (portal.citizens.folding): ø/ö/o/oe, æ/ä/a/ae, å/a/aa, ü/u/ue, é/e."""

import pytest
from sqlalchemy import select

from portal.citizens.folding import fold, forms, search_document
from portal.citizens.models import Citizen
from portal.citizens.queries import matching
from portal.citizens.search import matching as search_matching
from portal.extensions import db as _db
from tests.factories import make_citizen, make_district, make_user
from tests.helpers import sign_in_staff

NAMES = (
    "Bent Sørensen",
    "Åge Ærø",
    "Aage Hansen",
    "René Müller",
    "Märta Söderberg",
    "Ole Olsen",
    "Åse Lund",
    "Michael Boe",
    "Jens Moeller",
)


@pytest.fixture
def people(db):
    district = make_district(db)
    for n, name in enumerate(NAMES):
        make_citizen(db, name=name, address=f"Vej {n}", external_id=f"F-{n}", district=district)
    db.commit()


def _found(session, q: str, **kw) -> list[str]:
    condition = search_matching(q, _db.engine.dialect.name, **kw) if kw else matching(q)
    return list(session.scalars(select(Citizen.name).where(condition).order_by(Citizen.name)))


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("Sørensen", ["Bent Sørensen"]),
        ("Sörensen", ["Bent Sørensen"]),  # a Swedish keyboard
        ("Sorensen", ["Bent Sørensen"]),  # no Nordic letters at all
        ("SØRENSEN", ["Bent Sørensen"]),
        ("Åge", ["Aage Hansen", "Åge Ærø"]),  # å and aa are one letter
        ("Aage", ["Aage Hansen", "Åge Ærø"]),
        ("aero", ["Åge Ærø"]),  # æ as ae
        ("äro", ["Åge Ærø"]),  # æ and ä alike
        ("Rene", ["René Müller"]),
        ("muller", ["René Müller"]),
        ("Sød", ["Märta Söderberg"]),
        ("maerta", ["Märta Söderberg"]),
        ("olsen", ["Ole Olsen"]),
    ],
)
def test_letters_fold_alike_in_the_index_and_the_words(db, people, q, expected):
    assert _found(db, q) == expected


SPELLINGS = (
    ("q", "expected"),
    [
        ("Marta", ["Märta Söderberg"]),  # ä typed as a plain a
        ("Maerta", ["Märta Söderberg"]),
        ("Märta", ["Märta Söderberg"]),
        ("Mærta", ["Märta Söderberg"]),
        ("Mueller", ["René Müller"]),  # ü typed as ue
        ("Muller", ["René Müller"]),
        ("Soerensen", ["Bent Sørensen"]),  # ø typed as oe
        ("Soederberg", ["Märta Söderberg"]),
        ("Aeroe", ["Åge Ærø"]),
        ("Aro", ["Åge Ærø"]),
        ("Aase", ["Åse Lund"]),  # å typed as aa
        ("Ase", ["Åse Lund"]),  # or as a
        ("Åse", ["Åse Lund"]),
        ("Age", ["Aage Hansen", "Åge Ærø"]),
        ("Møller", ["Jens Moeller"]),  # a name kept in plain letters, typed with ø
        ("Möller", ["Jens Moeller"]),
        ("Moller", ["Jens Moeller"]),
        ("Michael", ["Michael Boe"]),
        ("el", ["Jens Moeller", "Michael Boe"]),  # a part starting inside a pair
        ("Bo", ["Michael Boe"]),  # no broader than the letters typed
        ("Bø", ["Michael Boe"]),
        ("Lunde", []),
    ],
)


@pytest.mark.parametrize(*SPELLINGS)
def test_the_ways_of_typing_a_letter_find_each_other(db, people, q, expected):
    assert _found(db, q) == expected


@pytest.mark.parametrize(*SPELLINGS)
def test_the_walk_finds_the_spellings_alike(db, people, q, expected):
    if _db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite's walk")
    assert _found(db, q, walk_names=True) == expected


@pytest.mark.parametrize("q", ["Sorensen", "Åge", "aero"])
def test_the_walk_of_a_broad_search_folds_alike(db, people, q):
    if _db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite's walk")
    assert _found(db, q, walk_names=True) == _found(db, q)


def test_a_rename_is_folded_again(db, people):
    citizen = db.scalar(select(Citizen).where(Citizen.name == "Ole Olsen"))
    citizen.name = "Ole Østergård"
    db.commit()
    assert _found(db, "ostergaard") == ["Ole Østergård"] and _found(db, "olsen") == []


def test_one_folding(db):
    assert fold("Sørensen") == fold("Sörensen") == fold("SORENSEN") == "sorensen"
    assert fold("Åge") == fold("Aage") == fold("Age") == "age"
    assert fold("Ærø") == fold("Ärö") == fold("Aeroe") == fold("Aero") == "aro"
    assert fold("René Müller") == fold("Rene Mueller") == "rene muller"
    assert fold("Aaes") == "as"  # until no pair is left


def test_the_document_holds_a_second_form_only_where_a_pair_is_typed(db):
    assert forms("Jensen") == ["jensen"] and forms("Sørensen") == ["sorensen"]
    assert forms("Michael Boe") == ["michal bo", "michael boe"]
    doc = search_document(
        {"name": "Jens Moeller", "address": "Vej 1", "city": "Aarhus C"}
        | {"postcode": "8000", "external_id": "X-1"}
    )
    assert doc.split("\n") == [
        "jens moller",
        "jens moeller",
        "vej 1",
        "arhus c",
        "aarhus c",
        "8000",
        "x-1",
    ]


def test_the_register_page_finds_sorensen_typed_without_o_slash(db, client, people):
    sign_in_staff(client, make_user(db, "coordinator"))
    html = client.get("/coordinator/citizens", query_string={"q": "Sörensen"}).text
    assert "1 citizen found" in html and "Bent Sørensen" in html


def test_a_search_for_other_spellings_still_reads_the_index(db, people):
    from sqlalchemy import func, text

    stmt = select(func.count()).select_from(Citizen).where(matching("Marta Mueller"))
    sql = stmt.compile(dialect=_db.engine.dialect, compile_kwargs={"literal_binds": True})
    if _db.engine.dialect.name == "postgresql":
        db.execute(text("SET LOCAL enable_seqscan = off"))
        plan = " ".join(r[0] for r in db.execute(text(f"EXPLAIN {sql}")))
        assert "ix_citizen_search" in plan, plan
    else:
        plan = " | ".join(r[-1] for r in db.execute(text(f"EXPLAIN QUERY PLAN {sql}")))
        assert "VIRTUAL TABLE INDEX" in plan and "SCAN citizen |" not in plan + " |", plan
