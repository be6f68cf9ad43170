"""Write a citizen's provider: dated assignments, validated and audited (flush, never commit).

An assignment on a date that already has one replaces it (the unique (citizen, date) pair
keeps one truth per day); an assignment from a later date leaves the earlier ones as history,
so "provider on D" stays answerable for every past D.
"""

from datetime import date, datetime

from sqlalchemy import column, select, table

from portal.audit.services import Actor, record
from portal.directory.models import CareGroup, Provider, ProviderAssignment

# The register's table by name: directory sits below citizens and must not import it.
_CITIZENS = table("citizen", column("id"))


class AssignmentError(ValueError):
    """A provider assignment that cannot be written."""


class UnknownCitizen(AssignmentError):
    """No citizen has this id."""


class UnknownProvider(AssignmentError):
    """No provider has this id."""


class CareGroupNotOfProvider(AssignmentError):
    """The care group does not exist or belongs to another provider."""


def _place(session, citizen_id, provider_id, care_group_id, effective_from, now):
    if session.scalar(select(_CITIZENS.c.id).where(_CITIZENS.c.id == citizen_id)) is None:
        raise UnknownCitizen(citizen_id)
    if session.get(Provider, provider_id) is None:
        raise UnknownProvider(provider_id)
    if care_group_id is not None:
        group = session.get(CareGroup, care_group_id)
        if group is None or group.provider_id != provider_id:
            raise CareGroupNotOfProvider(care_group_id)
    assignment = session.scalar(
        select(ProviderAssignment).where(
            ProviderAssignment.citizen_id == citizen_id,
            ProviderAssignment.effective_from == effective_from,
        )
    )
    replaced = assignment is not None
    if assignment is None:
        assignment = ProviderAssignment(citizen_id=citizen_id, effective_from=effective_from)
        session.add(assignment)
    assignment.provider_id, assignment.care_group_id = provider_id, care_group_id
    assignment.created_at = now
    session.flush()
    return assignment, replaced


def assign_provider(
    session,
    citizen_id: int,
    provider_id: int,
    care_group_id: int | None,
    effective_from: date,
    *,
    now: datetime,
    actor: Actor,
) -> ProviderAssignment:
    """From `effective_from` on, `provider_id` (and `care_group_id`) serves the citizen (audited)."""
    assignment, replaced = _place(
        session, citizen_id, provider_id, care_group_id, effective_from, now
    )
    record(
        session,
        actor,
        "provider.assigned",
        now=now,
        object_type="citizen",
        object_id=citizen_id,
        data={
            "provider_id": provider_id,
            "care_group_id": care_group_id,
            "effective_from": effective_from.isoformat(),
            "replaced": replaced,
        },
    )
    return assignment


def end_assignment(
    session, citizen_id: int, effective_from: date, *, now: datetime, actor: Actor, reason: str
) -> ProviderAssignment:
    """From `effective_from` on, no provider serves the citizen (audited as provider.ended)."""
    if session.scalar(select(_CITIZENS.c.id).where(_CITIZENS.c.id == citizen_id)) is None:
        raise UnknownCitizen(citizen_id)
    assignment = session.scalar(
        select(ProviderAssignment).where(
            ProviderAssignment.citizen_id == citizen_id,
            ProviderAssignment.effective_from == effective_from,
        )
    )
    if assignment is None:
        assignment = ProviderAssignment(citizen_id=citizen_id, effective_from=effective_from)
        session.add(assignment)
    assignment.provider_id, assignment.care_group_id = None, None
    assignment.created_at = now
    session.flush()
    record(
        session,
        actor,
        "provider.ended",
        now=now,
        object_type="citizen",
        object_id=citizen_id,
        data={"effective_from": effective_from.isoformat(), "reason": reason},
    )
    return assignment


def register_provider(
    session,
    citizen_id: int,
    provider_id: int,
    care_group_id: int | None,
    effective_from: date,
    *,
    now: datetime,
) -> ProviderAssignment:
    """The first provider of a citizen being registered (the registering action is audited)."""
    return _place(session, citizen_id, provider_id, care_group_id, effective_from, now)[0]


def withdraw_assignment(
    session, citizen_id: int, effective_from: date, *, now: datetime, actor: Actor, reason: str
) -> bool:
    """Take back a dated assignment (or end) that has not taken effect yet, so the one before
    it goes on (audited as provider.withdrawn); False when there is none on that date."""
    assignment = session.scalar(
        select(ProviderAssignment).where(
            ProviderAssignment.citizen_id == citizen_id,
            ProviderAssignment.effective_from == effective_from,
        )
    )
    if assignment is None:
        return False
    data = {
        "provider_id": assignment.provider_id,
        "care_group_id": assignment.care_group_id,
        "effective_from": effective_from.isoformat(),
        "reason": reason,
    }
    session.delete(assignment)
    session.flush()
    record(
        session,
        actor,
        "provider.withdrawn",
        now=now,
        object_type="citizen",
        object_id=citizen_id,
        data=data,
    )
    return True
