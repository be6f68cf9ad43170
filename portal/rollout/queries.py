"""Reads for the coordinator's roll-out pages: campaigns, availability, not booked, follow-up."""

from sqlalchemy import Select, func, select
from sqlalchemy.orm import joinedload

from portal.accounts.models import User
from portal.booking.models import ACTIVE_STATUSES, Appointment, Availability, Slot
from portal.citizens.lifecycle import NOT_BOOKED, CitizenStatus
from portal.citizens.models import Citizen
from portal.locksmith.models import JobReport
from portal.rollout.models import Campaign


def campaigns_newest_first(session) -> list[Campaign]:
    """Every campaign with its district, the latest start first."""
    stmt = select(Campaign).options(joinedload(Campaign.district))
    return list(session.scalars(stmt.order_by(Campaign.starts_on.desc())))


def open_campaigns(session) -> list[Campaign]:
    """Campaigns not closed, the earliest start first (for choosing one)."""
    stmt = select(Campaign).where(Campaign.status != "closed")
    return list(session.scalars(stmt.order_by(Campaign.starts_on)))


def active_locksmiths(session) -> list[User]:
    """Locksmith accounts that may be planned, by name."""
    stmt = select(User).where(User.role == "locksmith", User.active.is_(True))
    return list(session.scalars(stmt.order_by(User.name)))


def availability_rows(session, campaign_id: int) -> list[tuple[Availability, int, int]]:
    """A campaign's availability periods with their published slots and active bookings."""
    counts = (
        select(
            Slot.availability_id,
            func.count(Slot.id),
            func.count(Appointment.id),
        )
        .outerjoin(
            Appointment, (Appointment.slot_id == Slot.id) & Appointment.status.in_(ACTIVE_STATUSES)
        )
        .where(Slot.campaign_id == campaign_id, Slot.status == "published")
        .group_by(Slot.availability_id)
    )
    by_id = {row[0]: (row[1], row[2]) for row in session.execute(counts)}
    items = session.scalars(
        select(Availability)
        .where(Availability.campaign_id == campaign_id)
        .options(joinedload(Availability.locksmith))
        .order_by(Availability.starts_on, Availability.id)
    ).all()
    return [(a, *by_id.get(a.id, (0, 0))) for a in items]


def not_booked(district_id: int) -> Select:
    """Citizens of a district who have not booked, by name (a statement, for paginate)."""
    return (
        select(Citizen)
        .where(Citizen.district_id == district_id, Citizen.status.in_(NOT_BOOKED))
        .order_by(Citizen.name, Citizen.id)
    )


def follow_up(session) -> list[tuple[Appointment, JobReport]]:
    """Failed fittings whose citizen still needs a call, the latest report first."""
    return list(
        session.execute(
            select(Appointment, JobReport)
            .join(JobReport, JobReport.appointment_id == Appointment.id)
            .join(Citizen, Citizen.id == Appointment.citizen_id)
            .where(Appointment.status == "failed", Citizen.status == CitizenStatus.FOLLOW_UP)
            .options(joinedload(Appointment.citizen), joinedload(Appointment.slot))
            .order_by(JobReport.reported_at.desc())
        ).all()
    )
