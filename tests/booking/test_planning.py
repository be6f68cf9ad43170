"""Availability -> slots; changes and removals list affected bookings and never drop them."""

from datetime import date, time

import pytest
from sqlalchemy import func, select

from portal.audit.services import SYSTEM
from portal.booking import planning, services
from portal.booking.models import Appointment, Slot
from portal.booking.queries import affected_appointments, free_days
from tests.booking.support import TZ, add_availability, make_campaign, make_world
from tests.factories import make_district, make_user


def _window(**kw):
    values = {
        "starts_on": date(2026, 3, 23),
        "ends_on": date(2026, 4, 10),
        "weekdays": "01234",
        "day_start": time(8),
        "day_end": time(10),
    }
    values.update(kw)
    return planning.Window(**values)


def test_availability_over_easter_and_dst_materialises_the_right_slots(db, now):
    campaign = make_campaign(
        db,
        make_district(db),
        starts_on=date(2026, 3, 23),
        ends_on=date(2026, 4, 10),
        day_end=time(10),
    )
    smith = make_user(db, "locksmith")
    db.commit()
    early = now.replace(year=2026, month=3, day=1)
    result = add_availability(db, campaign, smith, now=early)
    slots = db.scalars(select(Slot).order_by(Slot.starts_at)).all()
    days = sorted({s.local_date for s in slots})
    # 15 weekdays minus Maundy Thursday, Good Friday and Easter Monday; 4 slots a day.
    assert len(days) == 12 and result.created == 48 == len(slots)
    assert date(2026, 4, 2) not in days and date(2026, 4, 6) not in days
    by_day = {}
    for slot in slots:
        by_day.setdefault(slot.local_date, slot)
    assert by_day[date(2026, 3, 27)].starts_at.hour == 7  # CET
    assert by_day[date(2026, 3, 30)].starts_at.hour == 6  # CEST
    assert all(s.starts_at.astimezone(TZ).time() >= time(8) for s in slots)


def test_overlapping_availability_for_one_locksmith_is_refused(db, now):
    world = make_world(db, now=now)
    other = make_campaign(
        db,
        make_district(db),
        starts_on=world.campaign.starts_on,
        ends_on=world.campaign.ends_on,
        day_end=time(16),
    )
    db.commit()
    with pytest.raises(planning.OverlappingAvailability):
        add_availability(db, other, world.locksmiths[0], now=now)
    db.rollback()  # the caller's unit of work ends with the refusal
    afternoon = add_availability(
        db, other, world.locksmiths[0], now=now, day_start=time(12), day_end=time(15)
    )
    assert afternoon.created > 0


def test_shorter_hours_list_the_booking_and_keep_it(db, now):
    world = make_world(db, citizens=1, now=now)
    late = [s for s in world.slots(db) if s.starts_at.astimezone(TZ).time() == time(11, 30)][0]
    booked = services.book_slot(db, world.citizens[0].id, late.id, now=now)
    availability_id = late.availability_id
    before = db.scalar(select(func.count()).select_from(Slot).where(Slot.status == "published"))
    result = planning.save_availability(
        db,
        campaign_id=world.campaign.id,
        locksmith_id=world.locksmiths[0].id,
        window=planning.Window(
            world.campaign.starts_on, world.campaign.ends_on, "01234", time(8), time(11)
        ),
        now=now,
        actor=SYSTEM,
        country="DK",
        tz=TZ,
        availability_id=availability_id,
    )
    assert [a.id for a in result.affected] == [booked.id]
    assert result.withdrawn == before - db.scalar(
        select(func.count()).select_from(Slot).where(Slot.status == "published")
    )
    db.expire_all()
    assert db.get(Appointment, booked.id).status == "booked"
    assert [a.id for a in affected_appointments(db, world.campaign.id)] == [booked.id]
    # Longer hours again: the withdrawn slot comes back with its booking, nothing to rebook.
    again = planning.save_availability(
        db,
        campaign_id=world.campaign.id,
        locksmith_id=world.locksmiths[0].id,
        window=planning.Window(
            world.campaign.starts_on, world.campaign.ends_on, "01234", time(8), time(12)
        ),
        now=now,
        actor=SYSTEM,
        country="DK",
        tz=TZ,
        availability_id=availability_id,
    )
    assert again.affected == [] and affected_appointments(db, world.campaign.id) == []
    assert db.get(Slot, late.id).status == "published"


def test_removing_availability_withdraws_free_times_but_not_bookings(db, now):
    world = make_world(db, citizens=1, now=now)
    slot = world.slots(db)[3]
    booked = services.book_slot(db, world.citizens[0].id, slot.id, now=now)
    result = planning.remove_availability(db, slot.availability_id, now=now, actor=SYSTEM)
    assert [a.id for a in result.affected] == [booked.id]
    assert free_days(db, world.district.id, not_before=now) == []
    db.expire_all()
    assert db.get(Appointment, booked.id).status == "booked"


def test_invalid_windows_and_accounts_are_refused(db, now):
    world = make_world(db, now=now)
    coordinator = make_user(db, "coordinator")
    db.commit()
    bad = [
        {"locksmith_id": coordinator.id, "window": _window()},
        {"locksmith_id": world.locksmiths[0].id, "window": _window(day_end=time(7))},
        {"locksmith_id": world.locksmiths[0].id, "window": _window(weekdays="")},
        {"locksmith_id": world.locksmiths[0].id, "window": _window(ends_on=date(2026, 3, 1))},
    ]
    for kwargs in bad:
        with pytest.raises(planning.InvalidAvailability):
            planning.save_availability(
                db,
                campaign_id=world.campaign.id,
                now=now,
                actor=SYSTEM,
                country="DK",
                tz=TZ,
                **kwargs,
            )
