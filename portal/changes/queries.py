"""Reads of change requests: the coordinator's queue, a citizen's requests, done switches."""

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from portal.changes.models import OPEN, ChangeRequest
from portal.citizens.models import Citizen


def queue(*, kind=None, status=None, district_id=None):
    """Requests for the queue (a select to page): open ones by default, oldest first."""
    stmt = (
        select(ChangeRequest)
        .join(Citizen, Citizen.id == ChangeRequest.citizen_id)
        .options(selectinload(ChangeRequest.citizen), selectinload(ChangeRequest.documents))
    )
    if kind:
        stmt = stmt.where(ChangeRequest.kind == kind)
    if status is None:
        stmt = stmt.where(ChangeRequest.status.in_(OPEN))
    elif status != "all":
        stmt = stmt.where(ChangeRequest.status == status)
    if district_id is not None:
        stmt = stmt.where(Citizen.district_id == district_id)
    return stmt.order_by(ChangeRequest.created_at, ChangeRequest.id)


def for_citizen(session, citizen_id: int) -> list[ChangeRequest]:
    """A citizen's requests, newest first."""
    return list(
        session.scalars(
            select(ChangeRequest)
            .where(ChangeRequest.citizen_id == citizen_id)
            .order_by(ChangeRequest.created_at.desc(), ChangeRequest.id.desc())
        )
    )


def done_switches(session, citizen_id: int) -> list[ChangeRequest]:
    """The provider changes in force for a citizen (switches and moves to another provider)."""
    return [
        r
        for r in session.scalars(
            select(ChangeRequest)
            .where(ChangeRequest.citizen_id == citizen_id, ChangeRequest.status == "done")
            .order_by(ChangeRequest.effective_on)
        )
        if r.to_provider_id and r.from_provider_id and r.to_provider_id != r.from_provider_id
    ]
