"""Reads of change requests: the coordinator's queue, a citizen's requests, done switches,
the relatives to call back about a request."""

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from portal.changes.models import OPEN, ChangeRequest
from portal.citizens.models import Citizen, Relative


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


def _relative_id(actor_text: str | None) -> int | None:
    kind, _, rest = (actor_text or "").partition(":")
    ident = rest.partition(" ")[0]
    return int(ident) if kind == "relative" and ident.isdigit() else None


def relatives_of(session, req: ChangeRequest) -> list[Relative]:
    """The relatives who asked for the request or answered its question (each once, asker
    first), with the phone each declared at sign-in: the coordinator calls them back."""
    ids = [i for i in dict.fromkeys(map(_relative_id, (req.requested_by, req.answered_by))) if i]
    if not ids:
        return []
    found = session.scalars(
        select(Relative).where(Relative.id.in_(ids), Relative.citizen_id == req.citizen_id)
    )
    by_id = {r.id: r for r in found}
    return [by_id[i] for i in ids if i in by_id]
