"""The board while booking for one citizen (from the follow-up list): who, and from which day."""

from datetime import date

from flask import request

from portal import clock
from portal.booking import queries
from portal.booking.web import municipality_tz
from portal.citizens.models import Citizen
from portal.extensions import db


def bookable(district_id: int, value) -> Citizen | None:
    """The citizen with id `value` (as sent) when they may be booked in this district."""
    text = str(value or "")
    if not (text.isascii() and text.isdigit() and len(text) <= 9):
        return None
    return queries.bookable_citizen(db.session, district_id, int(text))


def citizen_to_book(district_id: int) -> Citizen | None:
    """The ?citizen= of the request when that citizen may be booked in this district."""
    return bookable(district_id, request.args.get("citizen"))


def first_free_day(campaign_id: int, days: list[date]) -> date | None:
    """The campaign's first day, from now on, with a free time (None when there is none)."""
    now = clock.now()
    today = now.astimezone(municipality_tz()).date()
    for day in days:
        if day >= today and queries.free_slots(db.session, campaign_id, day, not_before=now):
            return day
    return None
