"""Reads for the owner's pages: the task list, questions, receipts, the municipality's contact."""

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
from portal.consent.queries import properties_of_owner


def tasks(session, org_id: int) -> tuple[list, int]:
    """The organisation's properties with their entrances, and how many wait for its answer."""
    properties = properties_of_owner(session, org_id)
    # Only entrances the owner has been asked about ("Waiting for your answer" on the page); one
    # "Not asked yet" can be decided too, but nobody waits for the owner there.
    waiting = sum(
        1 for p in properties for e in p.entrances if e.consent_status == ConsentStatus.REQUESTED
    )
    return properties, waiting


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
