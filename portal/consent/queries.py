"""Reads for the property owner's pages."""

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from portal.consent.models import Property


def properties_of_owner(session, owner_id: int) -> list[Property]:
    """An owner organisation's buildings by address, with their entrances."""
    return list(
        session.scalars(
            select(Property)
            .where(Property.owner_id == owner_id)
            .options(selectinload(Property.entrances))
            .order_by(Property.address)
        )
    )
