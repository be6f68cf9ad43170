"""The demo seed step: one running campaign, slots from today, a few bookings, free times."""

import random

from flask import current_app
from sqlalchemy import func, select

from portal.booking import demo
from portal.booking.models import Appointment, Slot
from portal.booking.queries import free_days
from portal.demo import SeedContext
from portal.demo import foundation as citizens_demo
from portal.directory import demo as directory_demo
from portal.rollout.models import Campaign


def test_demo_campaign_lets_demo_citizens_book_at_once(app, db, now):
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
    campaigns = db.scalars(select(Campaign)).all()
    assert len(campaigns) == 1 and campaigns[0].status == "running"
    assert db.scalar(select(func.count()).select_from(Slot)) > 500
    booked = db.scalars(select(Appointment)).all()
    assert len(booked) == 12 and {a.status for a in booked} == {"booked", "completed", "failed"}
    first_ten = ctx.made["citizens"][:10]
    assert all(a.citizen_id not in {c.id for c in first_ten} for a in booked)
    nordby = ctx.made["districts"][0]
    assert free_days(db, nordby.id, not_before=now)
    assert any("can book at once" in line for line in ctx.lines)
