"""Reads for the coordinator's roll-out pages: campaigns and the citizens who have not booked."""

from sqlalchemy import Select, select
from sqlalchemy.orm import joinedload

from portal.citizens.lifecycle import NOT_BOOKED
from portal.citizens.models import Citizen
from portal.rollout.models import Campaign


def campaigns_newest_first(session) -> list[Campaign]:
    """Every campaign with its district, the latest start first."""
    stmt = select(Campaign).options(joinedload(Campaign.district))
    return list(session.scalars(stmt.order_by(Campaign.starts_on.desc())))


def open_campaigns(session) -> list[Campaign]:
    """Campaigns not closed, the earliest start first (for choosing one)."""
    stmt = select(Campaign).where(Campaign.status != "closed")
    return list(session.scalars(stmt.order_by(Campaign.starts_on)))


def not_booked(district_id: int) -> Select:
    """Citizens of a district who have not booked, by name (a statement, for paginate)."""
    return (
        select(Citizen)
        .where(Citizen.district_id == district_id, Citizen.status.in_(NOT_BOOKED))
        .order_by(Citizen.name, Citizen.id)
    )
