"""Who may open which door, derived at issue time and never copied (DESIGN.md, "Domain").

Staff S may open citizen C's door, and the entrance units of C's building, while S is active,
S's device is active, and one of S's care groups serves C's district for C's current provider,
or is a night patrol serving that district. C's provider at time T is the dated provider
assignment in force on T's local date: `portal.directory.queries`, the same query the register
pages and filters read, so a switch moves pages and keys on the same day.

"C's building entrances" are the entrances C lives behind (`portal.consent.queries.lives_behind`:
derived from C's property, corrected by a coordinator), and only while the entrance opens
(`entrance_open_on`). A partner company's courier never gets a door: their keys come from
`portal.access.partner_keys` alone (entrance units in the owner's windows).
"""

from datetime import date, datetime

from sqlalchemy import and_, false, or_, select, tuple_

from portal.access import partner_keys
from portal.access.models import Device, LockUnit, Staff
from portal.citizens.lifecycle import CitizenStatus
from portal.citizens.models import Citizen
from portal.consent.models import Entrance
from portal.consent.queries import entrance_open_on, lives_behind
from portal.directory.models import CareGroup, care_group_districts
from portal.directory.queries import ended, local_date, provider_id_of

# Entrances whose owner said no (or whose withdrawal has run out) open for nobody, whatever is
# fitted there: `portal.consent.queries.entrance_open_on`.

# Citizens whose door nobody opens any more: care ended, or keyless care declined (opted out
# with another way in agreed). A dated end of their assignments closes the door from its date
# even before the status follows (`portal.directory.queries.ended`).
NO_DOOR = (CitizenStatus.CARE_ENDED, CitizenStatus.OPTED_OUT)


def citizen_filter(session, staff: Staff, today: date):
    """SQL condition selecting the citizens `staff`'s care groups serve on `today`.

    A partner's courier serves no citizen, whatever care groups a mistake gave them.
    """
    if staff.is_partner or staff.provider_id is None:
        return false()
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
        provider = provider_id_of(Citizen.id, today)
        conditions.append(tuple_(Citizen.district_id, provider).in_(sorted(day)))
    if night:
        conditions.append(Citizen.district_id.in_(sorted(night)))
    if not conditions:
        return false()
    return and_(Citizen.status.not_in(NO_DOOR), ~ended(Citizen.id, today), or_(*conditions))


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
    if staff.is_partner or staff.provider_id is None:
        return [unit for unit, _ in partner_keys.partner_locks(session, staff, now=now, tz=tz)]
    today = local_date(now, tz)
    served = citizen_filter(session, staff, today)
    doors = select(LockUnit).where(
        LockUnit.active.is_(True), LockUnit.citizen_id.in_(select(Citizen.id).where(served))
    )
    someone_served_behind = select(Citizen.id).where(served, lives_behind()).exists()
    entrances = (
        select(LockUnit)
        .join(Entrance, Entrance.id == LockUnit.entrance_id)
        .where(
            LockUnit.active.is_(True),
            LockUnit.citizen_id.is_(None),
            someone_served_behind,
            entrance_open_on(today),
        )
    )
    units = list(session.scalars(doors.order_by(LockUnit.lock_id)))
    units += list(session.scalars(entrances.order_by(LockUnit.lock_id)))
    return units


def key_end(session, staff: Staff, end: datetime, *, now: datetime, tz: str) -> datetime:
    """When a key for `staff` must expire: the shift's end, for a partner clipped to the window."""
    if not (staff.is_partner or staff.provider_id is None):
        return end
    ends = [until for _, until in partner_keys.partner_locks(session, staff, now=now, tz=tz)]
    return min([end, *ends])


def may_open(session, staff: Staff, device: Device | None, unit: LockUnit, *, now, tz) -> bool:
    """True when `staff` on `device` may open `unit` at `now`."""
    return any(u.id == unit.id for u in allowed_locks(session, staff, device, now=now, tz=tz))
