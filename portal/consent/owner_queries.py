"""Reads for the owner's pages: the task list, questions, receipts, the municipality's contact."""

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from portal.accounts.models import User
from portal.consent.models import (
    BlanketConsent,
    ConsentDecision,
    ConsentQuestion,
    ConsentRequest,
    ConsentStatus,
    Entrance,
)
from portal.consent.queries import expired_requests, properties_of_owner


def tasks(session, org_id: int, now: datetime) -> tuple[list, int, dict[int, datetime]]:
    """The organisation's properties with their entrances, how many wait for its answer, and
    the entrances whose request has expired (with when)."""
    properties = properties_of_owner(session, org_id)
    expired = expired_requests(session, properties, now)
    # Only entrances the owner has been asked about ("Waiting for your answer" on the page) and
    # whose request still runs; one "Not asked yet" can be decided too, but nobody waits there.
    waiting = sum(
        1
        for p in properties
        for e in p.entrances
        if e.consent_status == ConsentStatus.REQUESTED and e.id not in expired
    )
    return properties, waiting, expired


def questions(session, org_id: int, entrance_id: int | None = None) -> list[ConsentQuestion]:
    """The organisation's questions, newest first (one entrance's, if given)."""
    stmt = (
        select(ConsentQuestion)
        .where(ConsentQuestion.owner_id == org_id)
        .options(
            selectinload(ConsentQuestion.property),
            selectinload(ConsentQuestion.entrance).selectinload(Entrance.property),
        )
    )
    if entrance_id is not None:
        stmt = stmt.where(ConsentQuestion.entrance_id == entrance_id)
    return list(
        session.scalars(stmt.order_by(ConsentQuestion.asked_at.desc(), ConsentQuestion.id.desc()))
    )


def decisions_of(session, org_id: int, entrance_id: int | None = None) -> list[ConsentDecision]:
    """The organisation's decisions, newest first (one entrance's, if given)."""
    stmt = select(ConsentDecision).where(ConsentDecision.owner_id == org_id)
    if entrance_id is not None:
        stmt = stmt.where(ConsentDecision.entrance_id == entrance_id)
    return list(
        session.scalars(stmt.order_by(ConsentDecision.decided_at.desc(), ConsentDecision.id.desc()))
    )


def blankets_of(session, org_id: int) -> list[BlanketConsent]:
    """The organisation's blanket consents, newest first."""
    return list(
        session.scalars(
            select(BlanketConsent)
            .where(BlanketConsent.owner_id == org_id)
            .order_by(BlanketConsent.granted_at.desc(), BlanketConsent.id.desc())
        )
    )


def contact_person(session, org_id: int) -> str | None:
    """The coordinator who sent the newest request to the organisation, by name."""
    return session.scalar(
        select(User.name)
        .join(ConsentRequest, ConsentRequest.sent_by_user_id == User.id)
        .where(ConsentRequest.owner_id == org_id)
        .order_by(ConsentRequest.sent_at.desc(), ConsentRequest.id.desc())
        .limit(1)
    )
