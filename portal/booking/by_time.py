"""Book by time rather than by slot: any free locksmith at the chosen time will do."""

from datetime import datetime
from functools import cache

from sqlalchemy import bindparam, select

from portal.booking.errors import NotBookable, SlotUnavailable
from portal.booking.models import Slot
from portal.booking.queries import open_slot_conditions
from portal.booking.services import book_found_slot, open_or_raise, rebook
from portal.citizens.models import Citizen
from portal.connections import ASK_PREPARED
from portal.db_types import UTCDateTime
from portal.rollout.models import Campaign


@cache
def _free_at_statement():
    # Without the cut-off (free_slots_at checks it), the plan does not depend on the values:
    # PostgreSQL plans it once (PREPARED) instead of on every booking (0.2-0.5 ms each).
    return (
        select(Slot)
        .join(Campaign, Campaign.id == Slot.campaign_id)
        .where(
            Campaign.district_id == bindparam("district"),
            Campaign.status == "running",
            Slot.starts_at == bindparam("starts_at", type_=UTCDateTime()),
            *open_slot_conditions(),
        )
        .order_by(Slot.locksmith_id)
        .execution_options(**ASK_PREPARED)
    )


def free_slots_at(session, district_id: int, starts_at: datetime, not_before: datetime):
    """The free published slots starting then in the district, in locksmith order; none when
    then is before `not_before` (the cut-off)."""
    if starts_at < not_before:
        return []
    params = {"district": district_id, "starts_at": starts_at}
    return session.scalars(_free_at_statement(), params).all()


def book_time(session, citizen_id: int, starts_at: datetime, *, now, actor, details, cutoff):
    """Book any free slot at that time (any locksmith); SlotUnavailable when all are gone."""
    citizen = session.get(Citizen, citizen_id)
    if citizen is None:
        raise NotBookable()
    for slot in free_slots_at(session, citizen.district_id, starts_at, now + cutoff):
        try:
            return book_found_slot(
                session, citizen_id, slot.id, now=now, actor=actor, details=details, cutoff=cutoff
            )
        except SlotUnavailable:
            continue
    raise SlotUnavailable()


def rebook_time(session, appointment_id: int, starts_at: datetime, *, now, actor, details, cutoff):
    """Move a booking to any free slot at that time; SlotUnavailable when all are gone."""
    appointment = open_or_raise(session, appointment_id)
    if appointment.slot.starts_at == starts_at:
        return rebook(
            session,
            appointment_id,
            appointment.slot_id,
            now=now,
            actor=actor,
            details=details,
            cutoff=cutoff,
        )
    district_id = appointment.citizen.district_id
    for slot in free_slots_at(session, district_id, starts_at, now + cutoff):
        try:
            return rebook(
                session,
                appointment_id,
                slot.id,
                now=now,
                actor=actor,
                details=details,
                cutoff=cutoff,
            )
        except SlotUnavailable:
            continue
    raise SlotUnavailable()
