"""id_lists.one_of: a list of ids is one statement text on PostgreSQL whatever its length (an
export's batches made a new text each, issue 12), and any length works on either database
(PostgreSQL's 65,535 placeholders, SQLite's limit on variables)."""

import sqlite3
from datetime import date

import pytest
from sqlalchemy import select

from portal.directory.models import ProviderAssignment
from portal.directory.queries import assignments_on, care_group_names_on, provider_names_on
from portal.extensions import db as _db
from portal.id_lists import OTHER_VARIABLES, one_of
from tests.factories import make_care_group, make_citizen, make_provider
from tests.helpers import statements

JAN, SEP = date(2026, 1, 1), date(2026, 9, 1)
NOBODY = 10**7  # ids from here on are no citizen's


def _citizens(db, count: int) -> list[int]:
    provider = make_provider(db)
    group = make_care_group(db, provider, name="North team")
    made = [make_citizen(db, care_group=group, provider_from=JAN) for _ in range(count)]
    db.flush()
    return [c.id for c in made]


@pytest.fixture
def postgresql(db):
    if _db.engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL's statement texts")
    return db


@pytest.mark.parametrize("read", [care_group_names_on, provider_names_on, assignments_on])
def test_batches_of_different_lengths_are_one_statement_text(app, postgresql, read):
    ids = _citizens(postgresql, 7)
    with statements(app, full=True) as seen:
        three = read(postgresql, ids[:3], SEP)
        seven = read(postgresql, ids, SEP)
    assert (len(three), len(seven)) == (3, 7)
    texts = [s for s in seen if "provider_assignment" in s and "citizen_id" in s]
    assert len(texts) == 2
    assert texts[0] == texts[1]
    assert "ANY" in texts[0]


def test_more_ids_than_placeholders_allowed(db):
    ids = _citizens(db, 3)
    many = ids + list(range(NOBODY, NOBODY + 70_000))  # PostgreSQL allows 65,535 placeholders
    assert care_group_names_on(db, many, SEP) == dict.fromkeys(ids, "North team")
    assert set(assignments_on(db, many, SEP)) == set(ids)


def test_more_ids_than_sqlites_variable_limit(db):
    if _db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite's limit on variables")
    ids = _citizens(db, 3)
    driver = db.connection().connection.driver_connection
    before = driver.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
    driver.setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, OTHER_VARIABLES + 50)
    try:
        many = ids + list(range(NOBODY, NOBODY + 200))  # 203 ids, 150 variables allowed
        assert care_group_names_on(db, many, SEP) == dict.fromkeys(ids, "North team")
        assert care_group_names_on(db, ids, SEP) == dict.fromkeys(ids, "North team")  # IN
        found = db.scalars(
            select(ProviderAssignment.citizen_id).where(
                one_of(db, ProviderAssignment.citizen_id, many)
            )
        )
        assert sorted(found) == sorted(ids)
    finally:
        driver.setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, before)


def test_no_ids_match_nothing(db):
    _citizens(db, 2)
    stmt = select(ProviderAssignment.citizen_id).where(
        one_of(db, ProviderAssignment.citizen_id, [])
    )
    assert db.scalars(stmt).all() == []
