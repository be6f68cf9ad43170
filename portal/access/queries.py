"""Reads for the staff, device and lock pages (visit lists live in visits.py)."""

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from portal.access.models import LockUnit, Staff
from portal.access.models_events import CounterGap, LockEvent
from portal.consent.models import Entrance, Property
from portal.directory.models import CareGroup

STAFF_LIST_LIMIT = 500
LOCK_LIST_LIMIT = 1000
EVENT_PAGE = 200


def staff_members(session, provider_id: int | None) -> list[Staff]:
    """Home-care staff by name, of one provider or (None) of all."""
    query = select(Staff).where(Staff.provider_id.is_not(None))  # partners: partner_staff
    query = query.order_by(Staff.last_name, Staff.first_name)
    if provider_id is not None:
        query = query.where(Staff.provider_id == provider_id)
    return list(session.scalars(query.limit(STAFF_LIST_LIMIT)))


def providers_of_groups(session, group_ids) -> set[int]:
    """The providers the given care groups belong to."""
    query = select(CareGroup.provider_id).where(CareGroup.id.in_(group_ids))
    return set(session.scalars(query))


def lock_units(session) -> list[LockUnit]:
    """Lock units by lock id, with the citizen or entrance they are fitted at."""
    return list(
        session.scalars(
            select(LockUnit)
            .options(
                joinedload(LockUnit.citizen),
                joinedload(LockUnit.entrance).joinedload(Entrance.property),
            )
            .order_by(LockUnit.lock_id)
            .limit(LOCK_LIST_LIMIT)
        )
    )


def open_gap_counts(session) -> dict[int, int]:
    """Lock unit id -> number of counter gaps not yet closed."""
    return dict(
        session.execute(
            select(CounterGap.lock_unit_id, func.count())
            .where(CounterGap.closed_at.is_(None))
            .group_by(CounterGap.lock_unit_id)
        ).all()
    )


def entrances_by_address(session) -> list[tuple[int, str, str]]:
    """(entrance id, building address, entrance label), by address."""
    return list(
        session.execute(
            select(Entrance.id, Property.address, Entrance.label)
            .join(Property, Property.id == Entrance.property_id)
            .order_by(Property.address, Entrance.label)
        ).all()
    )


def lock_events(session, unit_id: int, limit: int = EVENT_PAGE) -> list[LockEvent]:
    """A lock's newest events first, with the staff member."""
    return list(
        session.scalars(
            select(LockEvent)
            .where(LockEvent.lock_unit_id == unit_id)
            .options(joinedload(LockEvent.staff))
            .order_by(LockEvent.counter.desc())
            .limit(limit)
        )
    )


def counter_gaps(session, unit_id: int) -> list[CounterGap]:
    """A lock's counter gaps, the newest first."""
    query = select(CounterGap).where(CounterGap.lock_unit_id == unit_id)
    return list(session.scalars(query.order_by(CounterGap.first.desc())))
