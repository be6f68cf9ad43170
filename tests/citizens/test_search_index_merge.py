"""The register's full-text index is merged into one segment each night and after a bulk seed
(SQLite's FTS5; PostgreSQL's GIN index needs nothing), and every search finds what it found
before."""

from datetime import timedelta

import pytest
from sqlalchemy import select, text

from portal.citizens import search
from portal.citizens.models import Citizen
from portal.citizens.queries import matching
from portal.citizens.tasks import optimize_search_index, search_index_tick
from portal.demo.scale import seed
from portal.jobs import huey
from tests.conftest import NOW
from tests.factories import make_citizen, make_district

QUERIES = ("jens", "nielsen 1", "møllevej 3", "sen", "ext", "zzz")


def _segments(session) -> int:
    return session.scalar(text("SELECT count(DISTINCT segid) FROM citizen_search_idx"))


def _found(session) -> dict:
    return {q: sorted(session.scalars(select(Citizen.id).where(matching(q)))) for q in QUERIES}


def _fts_setting(session, name: str, value: int) -> None:
    session.execute(
        text("INSERT INTO citizen_search(citizen_search, rank) VALUES (:name, :value)"),
        {"name": name, "value": value},
    )
    session.commit()


@pytest.fixture
def without_automerge(db, sqlite_only):
    """FTS5's own merging off, from an index in one segment (or none), so each transaction
    leaves a segment of its own whatever earlier tests left behind; its default (4) after."""
    search.optimize(db.connection())
    db.commit()
    _fts_setting(db, "automerge", 0)
    yield
    _fts_setting(db, "automerge", 4)


def test_the_nightly_merge_leaves_one_segment_and_the_same_matches(db, without_automerge):
    district = make_district(db)
    for i in range(3):  # a transaction each, a segment each
        make_citizen(db, name=f"Jens Nielsen {i}", address=f"Møllevej {i}", district=district)
        db.commit()
    changed = db.get(Citizen, make_citizen(db, name="Karen Holm", district=district).id)
    db.commit()
    changed.name = "Karen Jensen"
    db.commit()
    found = _found(db)
    assert len(found["jens"]) == 4 and found["zzz"] == []
    assert _segments(db) >= 5

    assert optimize_search_index.call_local() is True

    assert _segments(db) == 1
    assert _found(db) == found
    db.execute(
        text("INSERT INTO citizen_search(citizen_search, rank) VALUES ('integrity-check', 1)")
    )


def test_the_scale_seed_leaves_the_index_merged(db, sqlite_only):
    seed(db, citizens=60, events=0, now=NOW, rng_seed=5)
    db.commit()
    assert _segments(db) == 1
    name = db.scalar(select(Citizen.name).order_by(Citizen.id).limit(1))
    assert name in db.scalars(select(Citizen.name).where(matching(name))).all()


def test_on_postgresql_there_is_nothing_to_merge(db):
    if db.get_bind().dialect.name != "postgresql":
        pytest.skip("PostgreSQL")
    make_citizen(db, name="Jens Nielsen")
    db.commit()
    assert optimize_search_index.call_local() is False
    assert search.optimize(db.connection()) is False
    assert db.scalars(select(Citizen.name).where(matching("jens"))).all() == ["Jens Nielsen"]


def test_the_merge_is_scheduled_once_a_night():
    day = NOW.replace(hour=0, minute=0, second=0, microsecond=0)  # a time of day is named only
    minutes = [day + timedelta(minutes=m) for m in range(24 * 60)]
    name = search_index_tick.s().name
    due = [m for m in minutes if name in {t.name for t in huey.read_periodic(m)}]
    assert [m.strftime("%H:%M") for m in due] == ["03:47"]
