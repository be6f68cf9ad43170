"""Factories for the booking tests: campaigns, availability and ready-to-book worlds."""

from dataclasses import dataclass, field
from datetime import date, time, timedelta
from zoneinfo import ZoneInfo

from portal import clock
from portal.audit.services import SYSTEM
from portal.booking import planning
from portal.booking.calendar import next_working_day
from portal.booking.models import Slot
from portal.rollout.models import Campaign
from tests.factories import NOW, make_citizen, make_district, make_provider, make_user

TZ = ZoneInfo("Europe/Copenhagen")


def make_campaign(session, district, *, starts_on, ends_on, status="running", **extra) -> Campaign:
    """A campaign (defaults: Monday-Friday 08:00-12:00, 20 + 10 minutes)."""
    values = {
        "day_start": time(8),
        "day_end": time(12),
        "weekdays": "01234",
        "slot_minutes": 20,
        "buffer_minutes": 10,
        "name": f"Wave {district.name}",
    }
    values.update(extra)
    campaign = Campaign(
        district_id=district.id,
        starts_on=starts_on,
        ends_on=ends_on,
        status=status,
        created_at=NOW,
        **values,
    )
    session.add(campaign)
    session.flush()
    return campaign


def add_availability(session, campaign, locksmith, *, now=NOW, country="DK", tz=TZ, **window):
    """Availability over the whole campaign unless told otherwise; returns the PlanResult."""
    values = {
        "starts_on": campaign.starts_on,
        "ends_on": campaign.ends_on,
        "weekdays": campaign.weekdays,
        "day_start": campaign.day_start,
        "day_end": campaign.day_end,
    }
    values.update(window)
    result = planning.save_availability(
        session,
        campaign_id=campaign.id,
        locksmith_id=locksmith.id,
        window=planning.Window(**values),
        now=now,
        actor=SYSTEM,
        country=country,
        tz=tz,
    )
    session.commit()
    return result


@dataclass
class World:
    """A district with a running campaign, locksmiths with times, and citizens to book."""

    district: object
    campaign: Campaign
    locksmiths: list
    citizens: list
    first_day: date
    extra: dict = field(default_factory=dict)

    def slots(self, session, day=None):
        """Published slots (of a day), in time order."""
        from sqlalchemy import select

        stmt = select(Slot).where(Slot.campaign_id == self.campaign.id, Slot.status == "published")
        if day is not None:
            stmt = stmt.where(Slot.local_date == day)
        return list(session.scalars(stmt.order_by(Slot.starts_at, Slot.locksmith_id)))


def make_world(session, *, citizens=1, locksmiths=1, now=None, days=10, **campaign_extra):
    """A running campaign from the second working day after `now` (default: the app's clock; tests set it with the `clock` fixture)."""
    now = now or clock.now()
    today = now.astimezone(TZ).date()
    first = next_working_day(next_working_day(today, "DK"), "DK")
    district = make_district(session)
    provider = make_provider(session)
    campaign = make_campaign(
        session, district, starts_on=first, ends_on=first + timedelta(days=days), **campaign_extra
    )
    smiths = [make_user(session, "locksmith") for _ in range(locksmiths)]
    for i, smith in enumerate(smiths):
        smith.name = f"{('Lars', 'Lene', 'Louis', 'Lise')[i % 4]} Smed {smith.id}"
    people = [make_citizen(session, district=district, provider=provider) for _ in range(citizens)]
    session.commit()
    for smith in smiths:
        add_availability(session, campaign, smith, now=now)
    return World(district, campaign, smiths, people, first)


def options(html: str, name: str) -> list[str]:
    """The values of the radio buttons called `name` in a page."""
    import re

    return re.findall(rf'name="{name}" value="([^"]*)"', html)


DETAILS = {
    "opener": "self",
    "call_phone": "20 12 34 56",
    "door_code": "4711",
    "interpreter": "yes",
    "interpreter_language": "Arabisk",
    "note": "Hunden bider ikke",
}


def walk_to_check(client, *, day_index=0, time_index=0, details=None, start="new") -> dict:
    """Answer the day, time and details questions; returns the chosen values."""
    page = client.get(f"/citizen/booking/day?start={start}" if start else "/citizen/booking/day")
    day = options(page.get_data(as_text=True), "day")[day_index]
    assert client.post("/citizen/booking/day", data={"day": day}).status_code == 303
    times = options(client.get("/citizen/booking/time").get_data(as_text=True), "time")
    assert client.post("/citizen/booking/time", data={"time": times[time_index]}).status_code == 303
    response = client.post("/citizen/booking/details", data=details or DETAILS)
    assert response.status_code == 303, response.get_data(as_text=True)[:2000]
    return {"day": day, "time": times[time_index], "times": times}
