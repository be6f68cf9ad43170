"""The booking bench's database: a district with 2,500 citizens, a running four-week campaign
and 3 locksmiths with 40 % of the slots booked; the citizens left unbooked are handed back."""

import random
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock
from zoneinfo import ZoneInfo

CITIZENS, LOCKSMITHS, WEEKS, BOOKED_SHARE = 2500, 3, 4, 0.4
PREPARED = 450  # citizens signed in and walked to the check page, ready to book
TZ = ZoneInfo("Europe/Copenhagen")


def analyse(session) -> None:
    """On PostgreSQL, gather the planner's statistics as autovacuum would after a bulk load.

    The local server runs with autovacuum off: freshly filled tables then keep the planner's
    empty-table estimates, and the day-choice query picks a nested loop that reads every
    appointment for every slot (100 ms instead of 1 ms here)."""
    from sqlalchemy import text

    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("ANALYZE"))
        session.commit()


def seed(
    app,
    *,
    citizens=CITIZENS,
    locksmiths=LOCKSMITHS,
    booked_share=BOOKED_SHARE,
    prepared_count=PREPARED,
):
    """District, 2,500 citizens, a running 4-week campaign, 3 locksmiths, 40 % of slots booked.

    The rush bench asks for other numbers; the first `prepared_count` citizens stay unbooked
    and are handed back as (letter code, date of birth)."""
    from portal.accounts.services import create_user
    from portal.audit.services import SYSTEM
    from portal.booking import planning, services
    from portal.booking.calendar import next_working_day
    from portal.booking.models import Slot
    from portal.citizens.register import create_citizen, letter_code_of
    from portal.directory.models import District, Provider
    from portal.extensions import db
    from portal.rollout.models import Campaign

    rng, now = random.Random(7), datetime.now(UTC)
    with app.app_context():
        db.create_all()
        session, keyring = db.session, app.extensions["keyring"]
        district, provider = District(name="Benchby"), Provider(name="Bench Pleje")
        session.add_all([district, provider])
        session.flush()
        people = []
        for n in range(citizens):
            born = date(1930, 1, 1) + timedelta(days=rng.randint(0, 15000))
            people.append(
                create_citizen(
                    session,
                    keyring,
                    {
                        "external_id": f"B-{n}",
                        "national_id": f"{born:%d%m%y}{n:04d}",
                        "name": f"Borger {n}",
                        "date_of_birth": born,
                        "address": f"Benchvej {n}",
                        "postcode": "4100",
                        "city": "Demoby",
                        "phone": "+4520123456",
                        "district_id": district.id,
                        "provider_id": provider.id,
                        "provider_from": now.date(),
                    },
                    now=now,
                    rng=rng,
                )
            )
        first = next_working_day(next_working_day(now.astimezone(TZ).date(), "DK"), "DK")
        campaign = Campaign(
            name="Bench",
            district_id=district.id,
            starts_on=first,
            ends_on=first + timedelta(weeks=WEEKS) - timedelta(days=1),
            day_start=clock(8),
            day_end=clock(15, 30),
            status="running",
        )
        session.add(campaign)
        smiths = [
            create_user(
                session, f"smed{i}@bench.example", f"Smed {i}", "bench-pw", "locksmith", now=now
            )
            for i in range(locksmiths)
        ]
        session.commit()
        for smith in smiths:
            window = planning.Window(
                campaign.starts_on, campaign.ends_on, "01234", clock(8), clock(15, 30)
            )
            planning.save_availability(
                session,
                campaign_id=campaign.id,
                locksmith_id=smith.id,
                window=window,
                now=now,
                actor=SYSTEM,
                country="DK",
                tz=TZ,
            )
        session.commit()
        slots = session.query(Slot.id).all()
        taken = rng.sample([s.id for s in slots], int(len(slots) * booked_share))
        for citizen, slot_id in zip(people[prepared_count:], taken, strict=False):
            services.book_slot(session, citizen.id, slot_id, now=now, cutoff=timedelta(0))
            session.commit()
        analyse(session)
        prepared = [(letter_code_of(keyring, c), c.date_of_birth) for c in people[:prepared_count]]
        return district.id, len(slots), len(taken), prepared
