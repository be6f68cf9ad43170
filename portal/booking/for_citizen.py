"""The board while booking for one citizen (from the follow-up list): who, and from which day;
and why a citizen whose care is ending cannot be booked, with a link to the request."""

from dataclasses import dataclass
from datetime import date

from flask import request, url_for

from portal import clock
from portal.booking import closed_words, queries
from portal.booking.web import municipality_tz
from portal.citizens import closures
from portal.citizens.models import Citizen
from portal.extensions import db


def bookable(district_id: int, value) -> Citizen | None:
    """The citizen with id `value` (as sent) when they may be booked in this district."""
    citizen_id = _citizen_id(value)
    if citizen_id is None:
        return None
    return queries.bookable_citizen(db.session, district_id, citizen_id)


def _citizen_id(value) -> int | None:
    text = str(value or "")
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 9 else None


def closed_in(district_id: int, value) -> "Closed | None":
    """Why citizen `value` (as sent) of this district may not be booked because care is ending
    (`portal.citizens.closures`): words naming the request and its page; None when care is not
    ending (or the value names no citizen of the district)."""
    citizen_id = _citizen_id(value)
    citizen = db.session.get(Citizen, citizen_id) if citizen_id is not None else None
    if citizen is None or citizen.district_id != district_id:
        return None
    return closed(citizen)


def why_closed(district_id: int, value) -> str | None:
    """closed_in's words alone (for a form's error message); None when care is not ending."""
    found = closed_in(district_id, value)
    return found.words if found else None


@dataclass(frozen=True)
class Closed:
    """A citizen whose care is ending: why no time can be booked, the request's reference and
    the address of its page (None when the source names no page)."""

    citizen: Citizen
    words: str
    reference: str
    url: str | None


def closed(citizen: Citizen | None) -> Closed | None:
    """Why this citizen cannot be booked because care is ending, or None."""
    closure = closures.closure(db.session, citizen.id) if citizen is not None else None
    if closure is None:
        return None
    url = url_for(closure.page, **dict(closure.page_args)) if closure.page else None
    words = closed_words.for_coordinator(closure, citizen.name)
    return Closed(citizen, words, closure.reference, url)


def closed_matches(district_id: int, text: str, limit: int) -> list[Closed]:
    """Citizens of the district matching the search who would be bookable but for care ending."""
    found = queries.closing_citizens(db.session, district_id, text, limit=limit)
    return [c for c in map(closed, found) if c is not None]


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
