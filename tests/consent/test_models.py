"""The consent model's own rules: CHECKs, the version guard, who lives behind an entrance,
and on which days an entrance opens."""

from datetime import date, time

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from portal.consent.models import ConsentStatus, Entrance, EntranceCitizen, FitterWindow
from portal.consent.queries import citizens_behind, entrance_open_on
from tests.factories import make_citizen, make_district, make_owner, make_property


def test_an_unknown_consent_status_or_kind_is_refused(db):
    prop = make_property(db, owner=make_owner(db))
    entrance = prop.entrances[0]
    entrance.consent_status = "perhaps"
    with pytest.raises(IntegrityError):
        db.flush()
    db.rollback()
    prop = make_property(db)
    prop.entrances[0].kind = "hatch"
    with pytest.raises(IntegrityError):
        db.flush()


def test_a_fitter_window_belongs_to_one_place_and_ends_after_it_starts(db):
    prop = make_property(db)
    db.add(FitterWindow(property_id=prop.id, weekday=2, starts=time(12), ends=time(9)))
    with pytest.raises(IntegrityError):
        db.flush()
    db.rollback()
    prop = make_property(db)
    db.add(
        FitterWindow(
            property_id=prop.id,
            entrance_id=prop.entrances[0].id,
            weekday=2,
            starts=time(9),
            ends=time(12),
        )
    )
    with pytest.raises(IntegrityError):
        db.flush()


def test_two_writers_of_one_entrance_leave_one_change(app, db):
    prop = make_property(db)
    db.commit()
    entrance_id = prop.entrances[0].id
    from portal.extensions import db as _db

    other = _db.session.session_factory()
    try:
        theirs = other.get(Entrance, entrance_id)
        mine = db.get(Entrance, entrance_id)
        mine.consent_status = ConsentStatus.GRANTED
        db.commit()
        theirs.consent_status = ConsentStatus.DECLINED
        with pytest.raises(StaleDataError):
            other.commit()
    finally:
        other.rollback()
        other.close()
    db.expire_all()
    assert db.get(Entrance, entrance_id).consent_status == "granted"


def test_citizens_behind_an_entrance_come_from_the_property_and_the_corrections(db):
    district = make_district(db)
    prop = make_property(db, district=district, entrances=2)
    street, gate = prop.entrances
    inside = make_citizen(db, district=district, property_id=prop.id)
    only_street = make_citizen(db, district=district, property_id=prop.id)
    next_door = make_citizen(db, district=district)
    db.add_all(
        [
            EntranceCitizen(entrance_id=gate.id, citizen_id=only_street.id, needed=False),
            EntranceCitizen(entrance_id=gate.id, citizen_id=next_door.id, needed=True),
        ]
    )
    db.flush()
    assert {c.id for c in citizens_behind(db, street.id)} == {inside.id, only_street.id}
    assert {c.id for c in citizens_behind(db, gate.id)} == {inside.id, next_door.id}


@pytest.mark.parametrize(
    ("status", "ends_on", "opens"),
    [
        ("not_requested", None, True),
        ("granted", None, True),
        ("declined", None, False),
        ("withdrawn", None, False),
        ("withdrawn", date(2026, 12, 1), True),
        ("withdrawn", date(2026, 11, 30), False),
    ],
)
def test_an_entrance_opens_until_a_withdrawal_has_run_out(db, status, ends_on, opens):
    prop = make_property(db)
    entrance = prop.entrances[0]
    entrance.consent_status, entrance.consent_ends_on = status, ends_on
    db.flush()
    found = db.scalars(
        select(Entrance.id).where(Entrance.id == entrance.id, entrance_open_on(date(2026, 11, 30)))
    ).all()
    assert bool(found) is opens
