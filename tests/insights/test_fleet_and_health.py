"""Roll-out over time, the battery fleet with its routes, and operational health, against
small data sets worked out by hand (no HTTP)."""

from datetime import date

import pytest
from sqlalchemy import select

from portal.audit.models import AuditRecord
from portal.audit.services import Actor
from portal.insights import fleet, health, progress
from portal.insights.route_jobs import create_route_jobs
from portal.letters.models import Letter
from portal.locksmith.models import Job
from portal.locksmith.services import open_battery_job
from tests.access.support import make_lock
from tests.factories import NOW, make_citizen, make_property
from tests.insights.support import (
    make_event,
    make_key,
    publish_bulletin,
    utc,
)
from tests.letters.support import make_appointment

TZ = "Europe/Copenhagen"
ACTOR = Actor("user:1", "Coordinator")


@pytest.fixture
def fleet_world(db, world):
    """North: 15 % (22 Nov) and 25 % (today, fitted 10 Nov); South: 45 % (1 Nov); an entrance
    with no district: 5 %; one never reported (fitted 20 Nov); one removed at 3 %."""
    w = world
    w.north_unit.battery, w.north_unit.battery_at = 15, utc(2026, 11, 22)
    w.south_unit.battery, w.south_unit.battery_at = 45, utc(2026, 11, 1)
    second = make_citizen(db, district=w.north, postcode="4000", address="Aavej 1")
    w.north_citizen.postcode = "4100"
    w.second_unit, _ = make_lock(db, citizen=second, now=utc(2026, 11, 10))
    w.second_unit.battery, w.second_unit.battery_at = 25, utc(2026, 11, 23, 8)
    building = make_property(db, district=None)
    w.entrance_unit, _ = make_lock(db, entrance=building.entrances[0], now=utc(2026, 1, 1))
    w.entrance_unit.battery, w.entrance_unit.battery_at = 5, utc(2026, 11, 21)
    w.quiet_unit, _ = make_lock(
        db, citizen=make_citizen(db, district=w.south), now=utc(2026, 11, 20)
    )
    removed, _ = make_lock(db, citizen=make_citizen(db, district=w.north), now=utc(2026, 1, 1))
    removed.battery, removed.battery_at, removed.state, removed.active = (
        3,
        utc(2026, 11, 1),
        "removed",
        False,
    )
    db.commit()
    return w


def test_rollout_counts_each_thing_in_the_week_it_happened(db, fleet_world, period):
    w = fleet_world
    db.add_all(
        [
            Letter(
                citizen_id=w.north_citizen.id,
                reference="L1",
                kind="information",
                posted_at=utc(2026, 11, 2, 10),
            ),
            Letter(
                citizen_id=w.north_citizen.id,
                reference="L2",
                kind="booking_confirmation",
                posted_at=utc(2026, 11, 2, 11),
            ),
            Letter(
                citizen_id=w.south_citizen.id,
                reference="L3",
                kind="information",
                posted_at=utc(2026, 10, 1),
            ),
            Letter(citizen_id=w.south_citizen.id, reference="L4", kind="information"),
        ]
    )
    make_appointment(db, w.north_citizen).booked_at = utc(2026, 11, 5, 12)
    db.commit()
    rows = {r.district.name: r for r in progress.progress_by_week(db, period)}
    north, south = rows["North"], rows["South"]
    assert north.weeks[date(2026, 11, 2)] == [1, 1, 0]
    assert north.weeks[date(2026, 11, 9)] == [0, 0, 1]  # the second North unit, fitted 10 Nov
    assert north.totals == [1, 1, 1]
    assert south.totals == [0, 0, 1]  # the quiet unit, fitted 20 Nov
    assert south.weeks[date(2026, 11, 16)] == [0, 0, 1]


def test_battery_bands_count_fitted_units_only(db, fleet_world):
    bands, unknown = fleet.battery_bands(db)
    assert bands == [1, 1, 1, 0, 1, 0, 0, 0, 0, 0]
    assert unknown == 1


def test_low_units_are_grouped_by_district_in_postcode_order(db, fleet_world):
    w = fleet_world
    routes = {r.district: r for r in fleet.routes(fleet.low_units(db, 30))}
    assert set(routes) == {"North", None}
    assert [u.id for u in routes["North"].units] == [w.second_unit.id, w.north_unit.id]
    assert [u.postcode for u in routes["North"].units] == ["4000", "4100"]
    assert [u.id for u in routes[None].units] == [w.entrance_unit.id]
    at_twenty = fleet.low_units(db, 20)
    assert {u.id for u in at_twenty} == {w.north_unit.id, w.entrance_unit.id}


def test_silent_units_count_from_the_last_report_or_the_fitting(db, fleet_world):
    w = fleet_world
    silent = fleet.silent_units(db, now=NOW, days=14)
    assert [u.id for u in silent] == [w.south_unit.id]  # 22 days; the removed one is not fitted
    assert {u.id for u in fleet.silent_units(db, now=NOW, days=2)} == {
        w.south_unit.id,
        w.entrance_unit.id,
        w.quiet_unit.id,  # never reported, fitted three days ago
    }


def test_a_route_gets_one_battery_change_per_unit_never_two(db, fleet_world):
    w = fleet_world
    assert open_battery_job(db, w.north_unit, now=NOW) is not None  # the alert came first
    result = create_route_jobs(db, w.north.id, 30, now=NOW, actor=ACTOR)
    assert (result.created, result.already_open) == (1, 1)
    again = create_route_jobs(db, w.north.id, 30, now=NOW, actor=ACTOR)
    assert (again.created, again.already_open) == (0, 2)
    jobs = db.scalars(select(Job).where(Job.kind == "battery")).all()
    assert sorted(j.lock_unit_id for j in jobs) == sorted([w.north_unit.id, w.second_unit.id])
    routes = {r.district: r for r in fleet.routes(fleet.low_units(db, 30))}
    assert routes["North"].without_job == 0 and routes[None].without_job == 1
    audit = db.scalars(
        select(AuditRecord).where(AuditRecord.action == "battery_route_jobs_created")
    ).all()
    assert [a.data["created"] for a in audit] == [1, 0]


def test_the_route_without_a_district_is_its_own(db, fleet_world):
    result = create_route_jobs(db, None, 30, now=NOW, actor=ACTOR)
    assert (result.created, result.already_open) == (1, 0)
    job = db.scalar(select(Job).where(Job.kind == "battery"))
    assert job.lock_unit_id == fleet_world.entrance_unit.id


def test_shift_keys_per_day(db, world, period):
    keys = health.keys_per_day(db, period)
    assert {d: n for d, n in keys.items() if n} == {
        date(2026, 11, 17): 1,
        date(2026, 11, 18): 1,
        date(2026, 11, 22): 1,  # 15:00 UTC is 16:00 here, the same day
        date(2026, 11, 23): 1,
    }


def test_denied_openings_by_reason_within_the_period(db, world, period):
    unit = world.north_unit
    for when, result in [
        (utc(2026, 11, 20), "expired"),
        (utc(2026, 11, 21), "expired"),
        (utc(2026, 11, 21), "revoked"),
        (utc(2026, 10, 24, 21), "expired"),  # 23:00 on the 24th here: before the period
        (utc(2026, 11, 21), "ok"),
    ]:
        make_event(db, unit, when, result=result, action=None)
    db.commit()
    assert health.denied_by_reason(db, period) == [("expired", 2), ("revoked", 1)]


def test_blocked_phones_and_staff(db, world, period):
    phone = world.keys["a_day"].device
    phone.status, phone.blocked_at = "blocked", utc(2026, 11, 20)
    world.staff_b.status, world.staff_b.blocked_at = "blocked", utc(2026, 10, 1)  # before
    db.commit()
    found = health.blocked(db, period)
    assert (found.devices, found.staff, found.devices_now) == (1, 0, 1)


def test_the_newest_bulletin_spreads_with_keys_issued_after_it(db, world, period):
    assert health.spread(db) is None
    publish_bulletin(db, 1, utc(2026, 11, 1))
    publish_bulletin(db, 2, utc(2026, 11, 22, 12), entries=3)
    old = world.keys["a_day"]  # bulletin sequence 1
    new = make_key(
        db, world.staff_a, old.device, utc(2026, 11, 22, 13), utc(2026, 11, 22, 20), seq=2
    )
    make_event(db, world.north_unit, utc(2026, 11, 22, 14), key=new, member=world.staff_a)
    make_event(db, world.north_unit, utc(2026, 11, 22, 15), key=new, member=world.staff_a)
    make_event(db, world.south_unit, utc(2026, 11, 22, 16), key=new, result="revoked")
    db.commit()
    spread = health.spread(db)
    assert (spread.seq, spread.entries, spread.confirmed, spread.fitted) == (2, 3, 1, 2)
    assert spread.share == 0.5
    assert health.bulletins_in(db, period) == 2


def test_battery_bands_at_their_edges(db, world):
    levels = [0, 9, 10, 99, 100]
    for level in levels:
        unit, _ = make_lock(db, citizen=make_citizen(db, district=world.north))
        unit.battery, unit.battery_at = level, utc(2026, 11, 22)
    db.commit()
    bands, unknown = fleet.battery_bands(db)
    assert bands == [2, 1, 0, 0, 0, 0, 0, 0, 0, 2]
    assert unknown == 2  # the world's two units have not reported
