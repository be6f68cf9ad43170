"""A property's consent history: one event row beside each audit record (flush, never commit)."""

from portal.audit.services import Actor, record
from portal.consent.models import PropertyEvent


def log(
    session,
    property_id: int,
    kind: str,
    *,
    now,
    actor: Actor,
    note: str | None = None,
    **links,
) -> PropertyEvent:
    """Add an event to a property's history (links: entrance_id, request_id, decision_id,
    question_id)."""
    event = PropertyEvent(
        property_id=property_id, at=now, kind=kind, actor=actor.describe()[:200], note=note, **links
    )
    session.add(event)
    return event


def audited(session, actor: Actor, action: str, obj, *, now, **data) -> None:
    """The audit record of a change to a consent record (type from the table's name)."""
    record(
        session,
        actor,
        action,
        now=now,
        object_type=obj.__tablename__,
        object_id=obj.id,
        data=data,
    )
