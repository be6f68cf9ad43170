"""Reads of the property register: the owner's buildings, who lives behind an entrance, and
whether an entrance opens on a day."""

from datetime import date, datetime

from sqlalchemy import and_, exists, func, not_, or_, select
from sqlalchemy.orm import selectinload

from portal.citizens.models import Citizen
from portal.consent.models import (
    ConsentRequest,
    ConsentStatus,
    Entrance,
    EntranceCitizen,
    OwnerOrganisation,
    Property,
    consent_request_property,
)


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


def expired_requests(session, properties, now: datetime) -> dict[int, datetime]:
    """Entrances still "requested" whose newest request to the present owner has expired at
    `now` (the app's clock), each with the moment it expired.

    The hourly sweep marks a request expired; until it has run, an open request past its
    answer-by time has expired all the same.
    """
    asked = {
        p.id: p
        for p in properties
        if any(e.consent_status == ConsentStatus.REQUESTED for e in p.entrances)
    }
    if not asked:
        return {}
    link = consent_request_property
    rows = session.execute(
        select(link.c.property_id, ConsentRequest)
        .join(ConsentRequest, ConsentRequest.id == link.c.request_id)
        .join(Property, Property.id == link.c.property_id)
        .where(link.c.property_id.in_(list(asked)), ConsentRequest.owner_id == Property.owner_id)
        .order_by(ConsentRequest.sent_at.desc(), ConsentRequest.id.desc())
    ).all()
    newest = {}
    for property_id, request in rows:
        newest.setdefault(property_id, request)
    return {
        e.id: request.expires_at
        for property_id, request in newest.items()
        if request.has_expired(now)
        for e in asked[property_id].entrances
        if e.consent_status == ConsentStatus.REQUESTED
    }


def entrance_open_on(today: date):
    """SQL: the entrance opens for staff on `today` (not declined; a withdrawal has run out).

    A withdrawn entrance keeps opening until its `consent_ends_on` (the notice period); one
    withdrawn without a date is closed at once. Any other status opens when a unit is fitted.
    """
    withdrawn_done = and_(
        Entrance.consent_status == ConsentStatus.WITHDRAWN,
        or_(Entrance.consent_ends_on.is_(None), Entrance.consent_ends_on <= today),
    )
    return and_(Entrance.consent_status != ConsentStatus.DECLINED, not_(withdrawn_done))


def _override(needed: bool):
    return exists().where(
        EntranceCitizen.entrance_id == Entrance.id,
        EntranceCitizen.citizen_id == Citizen.id,
        EntranceCitizen.needed.is_(needed),
    )


def lives_behind():
    """SQL joining `Citizen` and `Entrance`: the citizen needs that entrance to reach their door.

    Derived from the citizen's property, corrected by a coordinator's `EntranceCitizen` rows.
    """
    derived = and_(Citizen.property_id == Entrance.property_id, not_(_override(False)))
    return or_(derived, _override(True))


def citizens_behind(session, entrance_id: int) -> list[Citizen]:
    """The citizens who live behind one entrance, by name."""
    stmt = (
        select(Citizen)
        .join(Entrance, Entrance.id == entrance_id)
        .where(lives_behind())
        .order_by(Citizen.name, Citizen.id)
    )
    return list(session.scalars(stmt))


def owners_with_counts(session) -> list[tuple]:
    """(owner, number of properties) for every owner organisation, by name."""
    count = (
        select(func.count(Property.id))
        .where(Property.owner_id == OwnerOrganisation.id)
        .scalar_subquery()
    )
    return list(
        session.execute(
            select(OwnerOrganisation, count).order_by(OwnerOrganisation.name, OwnerOrganisation.id)
        ).all()
    )


def register_search(text: str = "", *, district_id=None, owner_id=None, statuses=()):
    """SQL: properties whose address, name or number matches `text`, by address; with
    `statuses`, only those with an entrance in one of them (looked up by the entrance's
    property index for each property the address index walks)."""
    stmt = select(Property).options(selectinload(Property.entrances), selectinload(Property.owner))
    if text:
        like = (
            "%" + text.lower().replace("\\", "\\\\").replace("%", r"\%").replace("_", r"\_") + "%"
        )
        stmt = stmt.where(
            or_(
                func.lower(Property.address).like(like, escape="\\"),
                func.lower(Property.name).like(like, escape="\\"),
                func.lower(Property.property_number).like(like, escape="\\"),
            )
        )
    if district_id:
        stmt = stmt.where(Property.district_id == district_id)
    if owner_id:
        stmt = stmt.where(Property.owner_id == owner_id)
    if statuses:
        stmt = stmt.where(
            exists().where(
                Entrance.property_id == Property.id, Entrance.consent_status.in_(list(statuses))
            )
        )
    return stmt.order_by(Property.address, Property.id)


def corrections_of(session, entrance_ids) -> dict[tuple[int, int], bool]:
    """{(entrance id, citizen id): needed} for the coordinator's corrections."""
    rows = session.execute(
        select(
            EntranceCitizen.entrance_id, EntranceCitizen.citizen_id, EntranceCitizen.needed
        ).where(EntranceCitizen.entrance_id.in_(list(entrance_ids) or [-1]))
    ).all()
    return {(e, c): n for e, c, n in rows}


def taken_off(session, entrance_id: int) -> list[Citizen]:
    """Citizens a coordinator took off an entrance (they would otherwise be behind it)."""
    return list(
        session.scalars(
            select(Citizen)
            .join(EntranceCitizen, EntranceCitizen.citizen_id == Citizen.id)
            .where(EntranceCitizen.entrance_id == entrance_id, EntranceCitizen.needed.is_(False))
            .order_by(Citizen.name)
        )
    )
