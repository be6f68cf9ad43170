"""Why a citizen whose status would let them book a fitting may not: care is ending.

The status changes only when a change takes effect (at 00:00 on its date), but from the moment
a death is reported, or an end of care or a move away from the municipality is approved, a
fitting makes no sense: no locksmith may be sent, no information letter written and no
reminder e-mailed. `changes` (floor 6) knows the requests and registers a source here in its
init_app; booking and letters (floor 5) ask `closure` or filter with `closed`, and never
import changes (the same shape as `portal.locksmith.registry`).
"""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import false, or_


@dataclass(frozen=True)
class Closure:
    """Why booking is closed: `reason` ("deceased", "care_ended", "moved_away", "opted_out"),
    `decided` (approved, or only reported so far), `on` (the day care stops), `reference`, and
    the staff page of the request as an endpoint with its arguments (`page`, `page_args`), so
    a page below the source can link to it without importing it."""

    reason: str
    decided: bool
    on: date
    reference: str
    page: str | None = None
    page_args: tuple = ()


@dataclass(frozen=True)
class ClosureSource:
    """`one(session, citizen_id) -> Closure | None`; `condition() -> SQL boolean on Citizen`."""

    one: object
    condition: object


SOURCES: list[ClosureSource] = []


def closure_source(one, condition) -> None:
    """Register a source (once, however often the app is created)."""
    source = ClosureSource(one, condition)
    if source not in SOURCES:
        SOURCES.append(source)


def closure(session, citizen_id: int | None) -> Closure | None:
    """Why booking is closed for this citizen, or None when nothing closes it."""
    if citizen_id is None:
        return None
    for source in SOURCES:
        found = source.one(session, citizen_id)
        if found is not None:
            return found
    return None


def closed():
    """SQL condition on `Citizen`: true when a registered source closes booking for them."""
    conditions = [source.condition() for source in SOURCES]
    return or_(*conditions) if conditions else false()
