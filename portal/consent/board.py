"""Reads for the coordinator's consent pages: what is still to ask, and the bottleneck board.

"Waiting" citizens live behind an entrance (`queries.lives_behind`) and still have home care
with a key (not opted out, door restored or care ended).
"""

from dataclasses import dataclass, field

from sqlalchemy import and_, exists, func, select
from sqlalchemy.orm import selectinload

from portal.citizens.lifecycle import CitizenStatus
from portal.citizens.models import Citizen
from portal.consent.models import (
    PENDING_STATUSES,
    ConsentQuestion,
    ConsentRequest,
    ConsentStatus,
    Entrance,
    OwnerOrganisation,
    Property,
    PropertyEvent,
    RequestStatus,
    consent_request_property,
)
from portal.consent.queries import lives_behind

GONE = (CitizenStatus.OPTED_OUT, CitizenStatus.DOOR_RESTORED, CitizenStatus.CARE_ENDED)
_link = consent_request_property


def open_request_for_owner(now):
    """SQL: the property is in a request to its present owner still running at `now` (one
    past its answer-by time counts as expired before the hourly sweep marks it so)."""
    return exists().where(
        _link.c.property_id == Property.id,
        _link.c.request_id == ConsentRequest.id,
        _running(now),
        ConsentRequest.owner_id == Property.owner_id,
    )


def _filtered(stmt, district_id=None, owner_id=None):
    if district_id:
        stmt = stmt.where(Property.district_id == district_id)
    if owner_id:
        stmt = stmt.where(Property.owner_id == owner_id)
    return stmt


def to_ask(district_id=None, owner_id=None, *, now):
    """SQL: properties with an entrance waiting and no request to their owner running at `now`."""
    waiting = exists().where(
        Entrance.property_id == Property.id, Entrance.consent_status.in_(PENDING_STATUSES)
    )
    stmt = select(Property).where(waiting, ~open_request_for_owner(now))
    stmt = stmt.options(selectinload(Property.owner), selectinload(Property.entrances))
    return _filtered(stmt, district_id, owner_id).order_by(Property.address, Property.id)


def waiting_per_entrance(session, entrance_ids) -> dict[int, int]:
    """How many citizens wait behind each entrance."""
    if not entrance_ids:
        return {}
    rows = session.execute(
        select(Entrance.id, func.count(Citizen.id))
        .select_from(Entrance)
        .join(Citizen, lives_behind())
        .where(Entrance.id.in_(list(entrance_ids)), Citizen.status.not_in(GONE))
        .group_by(Entrance.id)
    ).all()
    return dict(rows)


def waiting_per_property(session, property_ids) -> dict[int, int]:
    """How many different citizens wait behind any still-pending entrance of each property."""
    if not property_ids:
        return {}
    rows = session.execute(
        select(Entrance.property_id, func.count(func.distinct(Citizen.id)))
        .select_from(Entrance)
        .join(Citizen, lives_behind())
        .where(
            Entrance.property_id.in_(list(property_ids)),
            Entrance.consent_status.in_(PENDING_STATUSES),
            Citizen.status.not_in(GONE),
        )
        .group_by(Entrance.property_id)
    ).all()
    return dict(rows)


@dataclass
class Selection:
    """What sending requests for some properties would mean."""

    property_ids: list[int] = field(default_factory=list)
    owners: list = field(default_factory=list)
    entrances: int = 0
    citizens: int = 0

    @property
    def without_email(self) -> list:
        """Owners who get the letter only."""
        return [o for o in self.owners if not o.email]


def selection(session, property_ids, now) -> Selection:
    """Owners, pending entrances and waiting citizens of the chosen properties not in a request
    still running at `now`."""
    props = session.scalars(
        select(Property)
        .where(Property.id.in_(sorted(property_ids) or [-1]), ~open_request_for_owner(now))
        .options(selectinload(Property.owner), selectinload(Property.entrances))
    ).all()
    props = [p for p in props if any(e.consent_status in PENDING_STATUSES for e in p.entrances)]
    ids = [p.id for p in props]
    citizens = 0
    if ids:
        citizens = session.scalar(
            select(func.count(func.distinct(Citizen.id)))
            .select_from(Entrance)
            .join(Citizen, lives_behind())
            .where(
                Entrance.property_id.in_(ids),
                Entrance.consent_status.in_(PENDING_STATUSES),
                Citizen.status.not_in(GONE),
            )
        )
    owners = {p.owner.id: p.owner for p in props}
    return Selection(
        property_ids=ids,
        owners=sorted(owners.values(), key=lambda o: o.name),
        entrances=sum(
            1 for p in props for e in p.entrances if e.consent_status in PENDING_STATUSES
        ),
        citizens=citizens or 0,
    )


def _running(now):
    """SQL: the request is open and, when `now` is given, not past its answer-by time (the
    hourly sweep may not have marked it expired yet)."""
    running = [ConsentRequest.status == RequestStatus.OPEN]
    if now is not None:
        running.append(ConsentRequest.expires_at > now)
    return and_(*running)


def _first_sent(property_id_col, now=None):
    return (
        select(func.min(ConsentRequest.sent_at))
        .join(_link, _link.c.request_id == ConsentRequest.id)
        .join(Property, Property.id == _link.c.property_id)
        .where(
            _link.c.property_id == property_id_col,
            _running(now),
            ConsentRequest.owner_id == Property.owner_id,
        )
    )


def board(district_id=None, owner_id=None, now=None):
    """SQL: properties with entrances waiting for an answer, longest-waiting first.

    A property whose request expired (no open request any more, or none still running at
    `now`) comes first: ask again.
    """
    outer = Property.__table__.alias("waiting_property")
    first_sent = _first_sent(outer.c.id, now).scalar_subquery()
    requested = exists().where(
        and_(
            Entrance.property_id == outer.c.id,
            Entrance.consent_status == ConsentStatus.REQUESTED,
        )
    )
    ids = select(outer.c.id).where(requested)
    if district_id:
        ids = ids.where(outer.c.district_id == district_id)
    if owner_id:
        ids = ids.where(outer.c.owner_id == owner_id)
    ranked = ids.add_columns(first_sent.label("sent_at")).subquery()
    return (
        select(Property)
        .join(ranked, ranked.c.id == Property.id)
        .options(selectinload(Property.owner), selectinload(Property.entrances))
        .order_by(ranked.c.sent_at.asc().nulls_first(), Property.id)
    )


def first_sent_of(session, property_ids, now=None) -> dict:
    """When each property was first asked in a request to its present owner still running at
    `now` (open, if no `now` is given)."""
    if not property_ids:
        return {}
    rows = session.execute(
        select(_link.c.property_id, func.min(ConsentRequest.sent_at))
        .join(ConsentRequest, ConsentRequest.id == _link.c.request_id)
        .join(Property, Property.id == _link.c.property_id)
        .where(
            _link.c.property_id.in_(list(property_ids)),
            _running(now),
            ConsentRequest.owner_id == Property.owner_id,
        )
        .group_by(_link.c.property_id)
    ).all()
    return dict(rows)


def history_of(session, property_id: int) -> list[PropertyEvent]:
    """A property's consent history, newest first."""
    return list(
        session.scalars(
            select(PropertyEvent)
            .where(PropertyEvent.property_id == property_id)
            .order_by(PropertyEvent.at.desc(), PropertyEvent.id.desc())
        )
    )


def owners_with_properties(session) -> list[OwnerOrganisation]:
    """Every owner organisation by name (for filters and choices)."""
    return list(session.scalars(select(OwnerOrganisation).order_by(OwnerOrganisation.name)))


def questions(session) -> list[ConsentQuestion]:
    """Every owner question, unanswered first, then newest first."""
    return list(
        session.scalars(
            select(ConsentQuestion)
            .options(
                selectinload(ConsentQuestion.owner),
                selectinload(ConsentQuestion.property),
                selectinload(ConsentQuestion.entrance),
            )
            .order_by(
                ConsentQuestion.answered_at.is_not(None),
                ConsentQuestion.asked_at.desc(),
                ConsentQuestion.id.desc(),
            )
            .limit(500)
        )
    )


def open_question_count(session) -> int:
    """How many owner questions wait for an answer."""
    return session.scalar(
        select(func.count(ConsentQuestion.id)).where(ConsentQuestion.answered_at.is_(None))
    )
