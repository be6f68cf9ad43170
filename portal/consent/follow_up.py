"""Reads for the board's follow-up list: entrances whose owner declined or withdrew consent.

Newest first, each with the decision that put it there (the owner's reason, who signed, when,
and for a withdrawal the last day of door rights). A declined or withdrawn entrance is not
asked again by a new request (`PENDING_STATUSES`); the owner can still give consent in the
portal at any time (`decisions.GRANTABLE`), so the coordinator's next step is to contact them.
"""

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import contains_eager

from portal.consent.models import ConsentDecision, ConsentStatus, Entrance, Property

REFUSED = (ConsentStatus.DECLINED, ConsentStatus.WITHDRAWN)
LIMIT = 20


@dataclass(frozen=True)
class Refusal:
    """One declined or withdrawn entrance and the owner's decision on it."""

    entrance: Entrance
    status: str
    at: datetime | None
    reason: str | None
    signer: str | None
    ends_on: date | None

    @property
    def property(self) -> Property:
        """The entrance's building."""
        return self.entrance.property


def _refused(district_id=None, owner_id=None):
    stmt = (
        select(Entrance)
        .join(Property, Property.id == Entrance.property_id)
        .where(Entrance.consent_status.in_(REFUSED))
    )
    if district_id:
        stmt = stmt.where(Property.district_id == district_id)
    if owner_id:
        stmt = stmt.where(Property.owner_id == owner_id)
    return stmt


def refused_count(session, district_id=None, owner_id=None) -> int:
    """How many entrances are declined or withdrawn (with the board's filters)."""
    stmt = _refused(district_id, owner_id).with_only_columns(func.count(Entrance.id))
    return session.scalar(stmt) or 0


def refusals(session, district_id=None, owner_id=None, limit: int = LIMIT) -> list[Refusal]:
    """The newest declined or withdrawn entrances, each with its newest decision."""
    entrances = session.scalars(
        _refused(district_id, owner_id)
        .options(contains_eager(Entrance.property).selectinload(Property.owner))
        .order_by(Entrance.consent_changed_at.desc().nulls_last(), Entrance.id.desc())
        .limit(limit)
    ).all()
    newest: dict[int, ConsentDecision] = {}
    if entrances:
        rows = session.scalars(
            select(ConsentDecision)
            .where(
                ConsentDecision.entrance_id.in_([e.id for e in entrances]),
                ConsentDecision.kind.in_(REFUSED),
            )
            .order_by(ConsentDecision.decided_at.desc(), ConsentDecision.id.desc())
        )
        for decision in rows:
            newest.setdefault(decision.entrance_id, decision)
    found = []
    for entrance in entrances:
        decision = newest.get(entrance.id)
        if decision is not None and decision.kind != entrance.consent_status:
            decision = None  # the newest refusal is of the other kind: it does not explain this
        found.append(
            Refusal(
                entrance=entrance,
                status=entrance.consent_status,
                at=decision.decided_at if decision else entrance.consent_changed_at,
                reason=decision.reason if decision else None,
                signer=decision.signer_name if decision else None,
                ends_on=entrance.consent_ends_on,
            )
        )
    return found
