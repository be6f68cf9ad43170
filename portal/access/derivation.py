"""Who may open which door, derived at issue time and never copied (DESIGN.md, "Domain").

Staff S may open citizen C's door, and the entrance units of C's building, while S is active,
S's device is active, and one of S's care groups serves C's district for C's current provider,
or is a night patrol serving that district. C's provider at time T is the latest dated
`ProviderAssignment` effective on T's local date or before, else `Citizen.provider_id`.
"""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import and_, false, func, or_, select, tuple_

from portal.access.models import (
    CareGroup,
    Device,
    LockUnit,
    ProviderAssignment,
    Staff,
    care_group_districts,
)
from portal.audit.services import Actor, record
from portal.citizens.lifecycle import CitizenStatus
from portal.citizens.models import Citizen
from portal.consent.models import Entrance

# Entrances whose owner said no (or took it back) open for nobody, whatever is fitted there.
CLOSED_ENTRANCES = ("declined", "withdrawn")


class InvalidAssignment(ValueError):
    """The care group does not belong to the provider."""


def local_date(now: datetime, tz: str) -> date:
    """The calendar date at `now` in the municipality's time zone."""
    return now.astimezone(ZoneInfo(tz)).date()


def current_provider_expr(today: date):
    """SQL expression: the citizen's provider on `today` (dated assignment, else the register)."""
    latest = (
        select(ProviderAssignment.provider_id)
        .where(
            ProviderAssignment.citizen_id == Citizen.id,
            ProviderAssignment.effective_from <= today,
        )
        .order_by(ProviderAssignment.effective_from.desc(), ProviderAssignment.id.desc())
        .limit(1)
        .correlate(Citizen)
        .scalar_subquery()
    )
    return func.coalesce(latest, Citizen.provider_id)


def current_provider_id(session, citizen: Citizen, *, now: datetime, tz: str) -> int:
    """The provider serving `citizen` at `now`."""
    today = local_date(now, tz)
    found = session.scalar(
        select(ProviderAssignment.provider_id)
        .where(
            ProviderAssignment.citizen_id == citizen.id,
            ProviderAssignment.effective_from <= today,
        )
        .order_by(ProviderAssignment.effective_from.desc(), ProviderAssignment.id.desc())
        .limit(1)
    )
    return found if found is not None else citizen.provider_id


def citizen_filter(session, staff: Staff, today: date):
    """SQL condition selecting the citizens `staff`'s care groups serve on `today`."""
    rows = session.execute(
        select(
            CareGroup.id,
            CareGroup.provider_id,
            CareGroup.night_patrol,
            care_group_districts.c.district_id,
        )
        .join(care_group_districts, care_group_districts.c.care_group_id == CareGroup.id)
        .where(CareGroup.id.in_([g.id for g in staff.care_groups] or [-1]))
    ).all()
    day = {(district, provider) for _, provider, night, district in rows if not night}
    night = {district for _, _, is_night, district in rows if is_night}
    conditions = []
    if day:
        provider = current_provider_expr(today)
        conditions.append(tuple_(Citizen.district_id, provider).in_(sorted(day)))
    if night:
        conditions.append(Citizen.district_id.in_(sorted(night)))
    if not conditions:
        return false()
    return and_(Citizen.status != CitizenStatus.CARE_ENDED, or_(*conditions))


def served_citizen_ids(session, staff: Staff, *, now: datetime, tz: str) -> list[int]:
    """Ids of the citizens `staff` serves at `now` (ignores whether S or a device is active)."""
    today = local_date(now, tz)
    return list(session.scalars(select(Citizen.id).where(citizen_filter(session, staff, today))))


def allowed_locks(
    session, staff: Staff, device: Device | None, *, now: datetime, tz: str
) -> list[LockUnit]:
    """The active lock units `staff` on `device` may open at `now`, doors first, by lock id."""
    if not staff.active or (
        device is not None and (not device.active or device.staff_id != staff.id)
    ):
        return []
    today = local_date(now, tz)
    served = select(Citizen.id, Citizen.property_id).where(citizen_filter(session, staff, today))
    served = served.subquery()
    doors = select(LockUnit).where(
        LockUnit.active.is_(True), LockUnit.citizen_id.in_(select(served.c.id))
    )
    entrances = (
        select(LockUnit)
        .join(Entrance, Entrance.id == LockUnit.entrance_id)
        .where(
            LockUnit.active.is_(True),
            Entrance.property_id.in_(
                select(served.c.property_id).where(served.c.property_id.is_not(None))
            ),
            Entrance.consent_status.not_in(CLOSED_ENTRANCES),
        )
    )
    units = list(session.scalars(doors.order_by(LockUnit.lock_id)))
    units += list(session.scalars(entrances.order_by(LockUnit.lock_id)))
    return units


def may_open(session, staff: Staff, device: Device | None, unit: LockUnit, *, now, tz) -> bool:
    """True when `staff` on `device` may open `unit` at `now`."""
    return any(u.id == unit.id for u in allowed_locks(session, staff, device, now=now, tz=tz))


def schedule_provider_change(
    session,
    citizen: Citizen,
    provider_id: int,
    effective_from: date,
    *,
    care_group_id: int | None = None,
    now: datetime,
    actor: Actor,
    commit: bool = True,
) -> ProviderAssignment:
    """Record that `provider_id` serves `citizen` from `effective_from` (audited)."""
    if care_group_id is not None:
        group = session.get(CareGroup, care_group_id)
        if group is None or group.provider_id != provider_id:
            raise InvalidAssignment(care_group_id)
    existing = session.scalar(
        select(ProviderAssignment).where(
            ProviderAssignment.citizen_id == citizen.id,
            ProviderAssignment.effective_from == effective_from,
        )
    )
    assignment = existing or ProviderAssignment(
        citizen_id=citizen.id, effective_from=effective_from, created_at=now
    )
    assignment.provider_id, assignment.care_group_id = provider_id, care_group_id
    session.add(assignment)
    session.flush()
    record(
        session,
        actor,
        "provider_change_scheduled",
        now=now,
        object_type="citizen",
        object_id=citizen.id,
        data={"provider_id": provider_id, "from": effective_from.isoformat()},
    )
    if commit:
        session.commit()
    return assignment
