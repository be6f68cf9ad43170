"""When a change closes the citizen's booking of a fitting before it takes effect (registered
with `portal.citizens.closures`): a death reported (decided or not: it is a fact, and the
coordinator still decides the date), or an approved end of care, opt-out or move away from
the municipality. An approval also cancels a fitting still to come (`bookings`), so no
locksmith is sent after care has ended."""

from sqlalchemy import and_, bindparam, case, exists, or_, select

from portal.changes.models import UNDECIDED, ChangeRequest
from portal.citizens.closures import Closure
from portal.citizens.models import Citizen


def _closes(citizen_id):
    leaving = or_(
        ChangeRequest.kind == "leave",
        and_(ChangeRequest.kind == "move", ChangeRequest.inside.is_(False)),
    )
    death = and_(ChangeRequest.kind == "leave", ChangeRequest.reason == "deceased")
    return and_(
        ChangeRequest.citizen_id == citizen_id,
        or_(
            and_(ChangeRequest.status == "approved", leaving),
            and_(ChangeRequest.status.in_(UNDECIDED), death),
        ),
    )


def condition():
    """SQL: a change closes booking for `Citizen`."""
    return exists().where(_closes(Citizen.id))


# Built once (it is asked on every step of the booking): the columns the answer needs, the
# citizen bound per call, a death first, then a decided change, then the latest.
_FIRST = (
    select(
        ChangeRequest.kind,
        ChangeRequest.reason,
        ChangeRequest.status,
        ChangeRequest.effective_on,
        ChangeRequest.reference,
        ChangeRequest.id,
    )
    .where(_closes(bindparam("citizen_id")))
    .order_by(
        case((ChangeRequest.reason == "deceased", 0), else_=1),
        case((ChangeRequest.status == "approved", 0), else_=1),
        ChangeRequest.id.desc(),
    )
    .limit(1)
)


def closure(session, citizen_id: int) -> Closure | None:
    """The change that closes booking for the citizen (a death first, then a decided one)."""
    req = session.execute(_FIRST, {"citizen_id": citizen_id}).first()
    if req is None:
        return None
    reason = "moved_away" if req.kind == "move" else req.reason
    return Closure(
        reason,
        req.status == "approved",
        req.effective_on,
        req.reference,
        page="changes.detail",
        page_args=(("request_id", req.id),),
    )
