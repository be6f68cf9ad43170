"""The register's search by date of birth: a date typed as the first half of a CPR number or as a
date finds the citizens born that day, through the date-of-birth index (never the national id)."""

from datetime import date

import pytest
from sqlalchemy import select, text

from portal.citizens.models import Citizen
from portal.citizens.queries import matching
from portal.citizens.search import birth_dates
from portal.extensions import db as _db
from tests.factories import make_citizen, make_district, make_user
from tests.helpers import sign_in_staff


@pytest.fixture
def born(db):
    district = make_district(db)
    for name, day in (
        ("Bent Sørensen", date(1935, 9, 9)),
        ("Anna Sørensen", date(1935, 9, 9)),
        ("Carl Hansen", date(1936, 9, 9)),
        ("Dorte Møller", date(1935, 9, 19)),
    ):
        make_citizen(db, name=name, date_of_birth=day, district=district)
    db.commit()


def _found(session, q: str) -> list[str]:
    return list(session.scalars(select(Citizen.name).where(matching(q)).order_by(Citizen.name)))


@pytest.mark.parametrize("typed", ["090935", "09091935", "09-09-1935", "09.09.1935", "9.9.1935"])
def test_a_typed_date_finds_those_born_that_day(db, born, typed):
    assert _found(db, typed) == ["Anna Sørensen", "Bent Sørensen"]


def test_a_date_and_a_name_find_both_together(db, born):
    assert _found(db, "bent 090935") == ["Bent Sørensen"]
    assert _found(db, "hansen 090935") == []


@pytest.mark.parametrize(
    ("word", "days"),
    [
        ("090935", [date(1935, 9, 9), date(2035, 9, 9)]),  # the CPR half: either century
        ("300235", []),  # no 30 February
        ("1935-09-09", [date(1935, 9, 9)]),
        ("09/09/1935", [date(1935, 9, 9)]),
        ("0909", []),
        ("sørensen", []),
        ("٠٩٠٩٣٥", []),  # digits, but not ASCII ones
    ],
)
def test_what_counts_as_a_date(word, days):
    assert birth_dates(word) == days


def test_the_register_page_finds_the_cpr_date_part(db, client, born):
    sign_in_staff(client, make_user(db, "coordinator"))
    html = client.get("/coordinator/citizens", query_string={"q": "090935"}).text
    assert "2 citizens found" in html and "Bent Sørensen" in html and "Carl Hansen" not in html


def test_sqlite_plan_reads_the_date_of_birth_index(db, born):
    if _db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite's plan")
    sql = (
        select(Citizen.id)
        .where(matching("090935"))
        .compile(dialect=_db.engine.dialect, compile_kwargs={"literal_binds": True})
    )
    plan = " | ".join(r[-1] for r in db.execute(text(f"EXPLAIN QUERY PLAN {sql}")))
    assert "ix_citizen_date_of_birth" in plan and "SCAN citizen |" not in plan + " |", plan


def test_postgresql_plan_reads_the_date_of_birth_index(db, born):
    if _db.engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL's plan")
    db.execute(text("SET LOCAL enable_seqscan = off"))
    sql = (
        select(Citizen.id)
        .where(matching("090935"))
        .compile(dialect=_db.engine.dialect, compile_kwargs={"literal_binds": True})
    )
    plan = " ".join(r[0] for r in db.execute(text(f"EXPLAIN {sql}")))
    assert "ix_citizen_date_of_birth" in plan and "ix_citizen_search" in plan, plan
