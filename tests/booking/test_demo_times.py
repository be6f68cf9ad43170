"""The demo never shows a visit as done before it happened, whatever day and hour it is seeded."""

import random
from datetime import UTC, datetime, timedelta

import pytest
from flask import current_app
from sqlalchemy import select

from portal.booking import demo
from portal.booking.models import Appointment
from portal.demo import SeedContext
from portal.demo import foundation as citizens_demo
from portal.directory import demo as directory_demo
from portal.locksmith.models import Job
from tests.booking.support import TZ

SEED_TIMES = [
    datetime(2026, 5, 24, 10, 0, tzinfo=TZ),  # a Sunday: the next jobs are on Monday
    datetime(2026, 5, 25, 7, 0, tzinfo=TZ),  # a Monday before the first visit of the day
    datetime(2026, 5, 27, 16, 30, tzinfo=TZ),  # a Wednesday after the working day
    datetime(2026, 12, 24, 9, 0, tzinfo=TZ),  # Christmas Eve (a day off in Denmark)
]


@pytest.mark.parametrize("local_now", SEED_TIMES, ids=lambda d: d.strftime("%a-%H%M"))
def test_done_visits_are_in_the_past_and_open_ones_from_today(app, db, local_now):
    now = local_now.astimezone(UTC)
    ctx = SeedContext(
        session=db,
        rng=random.Random(1),
        now=now,
        keyring=current_app.extensions["keyring"],
        config=current_app.config,
    )
    directory_demo.seed(ctx)
    citizens_demo.seed(ctx)
    demo.seed(ctx)
    db.commit()
    appointments = db.scalars(select(Appointment)).all()
    done = [a for a in appointments if a.status in ("completed", "failed")]
    assert {a.status for a in done} == {"completed", "failed"}
    for appointment in done:
        assert appointment.slot.ends_at <= now, appointment.slot.starts_at
        assert appointment.booked_at < appointment.slot.starts_at
        assert appointment.slot.local_date < local_now.date()
    reports = db.scalars(select(Job).where(Job.reported_at.is_not(None))).all()
    assert len(reports) == len(done)
    by_id = {a.id: a for a in appointments}
    assert all(by_id[r.appointment_id].slot.ends_at <= r.reported_at <= now for r in reports)
    assert {r.status for r in reports} == {"done", "failed"}
    booked = [a for a in appointments if a.status == "booked"]
    assert len(booked) == 10
    assert all(a.slot.local_date >= local_now.date() for a in booked)
    assert all(a.booked_at <= now for a in appointments)
    assert ctx.made["campaigns"][0].starts_on <= min(a.slot.local_date for a in done)
    assert ctx.made["campaigns"][0].ends_on >= local_now.date() + timedelta(days=27)
