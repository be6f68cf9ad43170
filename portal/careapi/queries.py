"""The feeds the care system pulls: visits and change requests after a cursor (keyset by id)."""

from datetime import date

from sqlalchemy import or_, select
from sqlalchemy.orm import joinedload

from portal.access.models import LockUnit, Staff
from portal.access.models_events import Visit
from portal.changes.models import ChangeRequest
from portal.citizens.models import Citizen
from portal.directory.queries import citizen_ids_served_by


def _stamp(moment) -> str | None:
    return moment.isoformat().replace("+00:00", "Z") if moment is not None else None


def visits_after(session, after_id: int, limit: int, *, provider_id: int | None) -> list[dict]:
    """Up to `limit` visits with id > after_id, oldest first; only one provider's visits when
    the token is bound to a provider."""
    stmt = (
        select(Visit, Citizen.external_id, Staff.staff_number, Visit.provider_id, LockUnit.kind)
        .join(Citizen, Citizen.id == Visit.citizen_id)
        .join(LockUnit, LockUnit.id == Visit.lock_unit_id)
        .outerjoin(Staff, Staff.id == Visit.staff_id)
        .where(Visit.id > after_id)
        .order_by(Visit.id)
        .limit(limit)
    )
    if provider_id is not None:
        stmt = stmt.where(Visit.provider_id == provider_id)
    return [
        {
            "id": visit.id,
            "citizen": external_id,
            "staff_number": staff_number,
            "provider_id": staff_provider,
            "door": kind,
            "start": _stamp(visit.start),
            "end": _stamp(visit.end),
        }
        for visit, external_id, staff_number, staff_provider, kind in session.execute(stmt)
    ]


def request_view(req: ChangeRequest) -> dict:
    """A change request as the care system sees it."""
    return {
        "id": req.id,
        "reference": req.reference,
        "citizen": req.citizen.external_id,
        "kind": req.kind,
        "reason": req.reason,
        "status": req.status,
        "source": req.source,
        "effective_on": req.effective_on.isoformat(),
        "created_at": _stamp(req.created_at),
        "decided_at": _stamp(req.decided_at),
    }


def _provider_may_see(provider_id: int, on: date):
    # A provider-bound token: its provider's citizens on `on`, and switches to or from it.
    return or_(
        ChangeRequest.citizen_id.in_(citizen_ids_served_by(provider_id, on)),
        ChangeRequest.from_provider_id == provider_id,
        ChangeRequest.to_provider_id == provider_id,
    )


def requests_after(
    session, after_id: int, limit: int, *, provider_id: int | None, on: date
) -> list[dict]:
    """Up to `limit` change requests with id > after_id, oldest first (for a provider-bound
    token, only those of its provider's citizens)."""
    stmt = (
        select(ChangeRequest)
        .options(joinedload(ChangeRequest.citizen))
        .where(ChangeRequest.id > after_id)
        .order_by(ChangeRequest.id)
        .limit(limit)
    )
    if provider_id is not None:
        stmt = stmt.where(_provider_may_see(provider_id, on))
    return [request_view(req) for req in session.scalars(stmt)]


def request_by_reference(
    session, reference: str, *, provider_id: int | None, on: date
) -> ChangeRequest | None:
    """One change request by its reference (None when a provider-bound token may not see it)."""
    stmt = select(ChangeRequest).where(ChangeRequest.reference == reference[:12])
    if provider_id is not None:
        stmt = stmt.where(_provider_may_see(provider_id, on))
    return session.scalar(stmt)
