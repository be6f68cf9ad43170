"""Locksmith availability -> materialised slots. Changes never silently drop an appointment."""

from dataclasses import dataclass, field
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from sqlalchemy import false, select

from portal.accounts.models import User
from portal.audit.services import Actor, record
from portal.booking.calendar import day_slots, working_days
from portal.booking.models import ACTIVE_STATUSES, Appointment, Availability, Slot
from portal.rollout.models import Campaign
from portal.unit_of_work import check_version


class PlanningError(Exception):
    """Base class of availability errors."""


class OverlappingAvailability(PlanningError):
    """The locksmith already works somewhere else at some of these times."""

    def __init__(self, other: Availability):
        super().__init__(other.id)
        self.other = other


class InvalidAvailability(PlanningError):
    """Unknown locksmith or campaign, a closed campaign, or an empty window."""


@dataclass
class PlanResult:
    """What an availability change did to the slots."""

    availability: Availability | None
    created: int = 0
    withdrawn: int = 0
    affected: list[Appointment] = field(default_factory=list)


@dataclass
class Window:
    """Days and hours a locksmith works in a campaign."""

    starts_on: date
    ends_on: date
    weekdays: str
    day_start: time
    day_end: time


def wanted_slots(
    campaign: Campaign, availability: Availability, country: str, tz: ZoneInfo
) -> dict[datetime, tuple[datetime, date]]:
    """start -> (end, local day) of every slot the availability gives inside the campaign."""
    days = working_days(
        max(availability.starts_on, campaign.starts_on),
        min(availability.ends_on, campaign.ends_on),
        availability.weekday_set & campaign.weekday_set,
        country,
    )
    start = max(availability.day_start, campaign.day_start)
    end = min(availability.day_end, campaign.day_end)
    out = {}
    for day in days:
        for begins, finishes in day_slots(
            day, start, end, campaign.slot_minutes, campaign.buffer_minutes, tz
        ):
            out[begins] = (finishes, day)
    return out


def _overlap(session, availability: Availability) -> Availability | None:
    others = session.scalars(
        select(Availability).where(
            Availability.locksmith_id == availability.locksmith_id,
            Availability.id != availability.id,
            Availability.starts_on <= availability.ends_on,
            Availability.ends_on >= availability.starts_on,
        )
    )
    for other in others:
        if (
            other.weekday_set & availability.weekday_set
            and other.day_start < availability.day_end
            and availability.day_start < other.day_end
        ):
            return other
    return None


def _active_by_slot(session, slot_ids: list[int]) -> dict[int, Appointment]:
    if not slot_ids:
        return {}
    rows = session.scalars(
        select(Appointment).where(
            Appointment.slot_id.in_(slot_ids), Appointment.status.in_(ACTIVE_STATUSES)
        )
    )
    return {a.slot_id: a for a in rows}


def materialise(
    session, availability: Availability, *, now: datetime, country: str, tz: ZoneInfo
) -> PlanResult:
    """Bring the future slots of an availability in line with it (caller commits)."""
    result = PlanResult(availability)
    wanted = wanted_slots(availability.campaign, availability, country, tz)
    wanted = {s: v for s, v in wanted.items() if s > now}
    mine = session.scalars(
        select(Slot).where(Slot.availability_id == availability.id, Slot.starts_at > now)
    ).all()
    # Withdrawn slots of this locksmith at wanted times are adopted again (with their bookings).
    orphans = session.scalars(
        select(Slot).where(
            Slot.locksmith_id == availability.locksmith_id,
            Slot.status == "withdrawn",
            Slot.starts_at.in_(list(wanted)) if wanted else false(),
        )
    ).all()
    booked = _active_by_slot(session, [s.id for s in mine])
    for slot in [*mine, *(o for o in orphans if o not in mine)]:
        target = wanted.get(slot.starts_at)
        if (
            target is not None
            and target[0] == slot.ends_at
            and slot.campaign_id == availability.campaign_id
        ):
            del wanted[slot.starts_at]
            slot.status, slot.availability_id = "published", availability.id
        elif slot.availability_id == availability.id and slot.status == "published":
            slot.status = "withdrawn"
            result.withdrawn += 1
            if slot.id in booked and booked[slot.id].status == "booked":
                result.affected.append(booked[slot.id])
    session.flush()
    for begins, (finishes, day) in sorted(wanted.items()):
        session.add(
            Slot(
                campaign_id=availability.campaign_id,
                availability_id=availability.id,
                locksmith_id=availability.locksmith_id,
                starts_at=begins,
                ends_at=finishes,
                local_date=day,
                status="published",
            )
        )
        result.created += 1
    session.flush()
    return result


def _validate(session, campaign_id: int, locksmith_id: int, window: Window) -> Campaign:
    campaign = session.get(Campaign, campaign_id)
    locksmith = session.get(User, locksmith_id)
    if campaign is None or campaign.status == "closed":
        raise InvalidAvailability("campaign")
    if locksmith is None or locksmith.role != "locksmith" or not locksmith.active:
        raise InvalidAvailability("locksmith")
    if window.starts_on > window.ends_on or window.day_start >= window.day_end:
        raise InvalidAvailability("window")
    if not any(ch.isdigit() for ch in window.weekdays):
        raise InvalidAvailability("weekdays")
    return campaign


def save_availability(
    session,
    *,
    campaign_id: int,
    locksmith_id: int,
    window: Window,
    now: datetime,
    actor: Actor,
    country: str,
    tz: ZoneInfo,
    availability_id: int | None = None,
    expected_version: int | None = None,
) -> PlanResult:
    """Add (or change) a locksmith's availability and materialise its slots (caller commits).

    A change names the `expected_version` its form was read at: ChangedElsewhere when someone
    saved the availability since (StaleDataError from the flush when both raced)."""
    _validate(session, campaign_id, locksmith_id, window)
    if availability_id is None:
        availability = Availability(created_at=now)
        session.add(availability)
    else:
        availability = session.get(Availability, availability_id)
        if availability is None:
            raise InvalidAvailability("availability")
        check_version(availability, expected_version)
    availability.campaign_id, availability.locksmith_id = campaign_id, locksmith_id
    for name in ("starts_on", "ends_on", "weekdays", "day_start", "day_end"):
        setattr(availability, name, getattr(window, name))
    session.flush()
    other = _overlap(session, availability)
    if other is not None:
        raise OverlappingAvailability(other)  # the caller rolls back what was flushed
    session.refresh(availability, ["campaign"])
    result = materialise(session, availability, now=now, country=country, tz=tz)
    record(
        session,
        actor,
        "availability_saved",
        now=now,
        object_type="availability",
        object_id=availability.id,
        data={
            "created": result.created,
            "withdrawn": result.withdrawn,
            "affected": [a.id for a in result.affected],
        },
    )
    session.flush()
    return result


def remove_availability(
    session,
    availability_id: int,
    *,
    now: datetime,
    actor: Actor,
    expected_version: int | None = None,
) -> PlanResult:
    """Withdraw an availability's future slots; bookings in them are listed (caller commits).

    ChangedElsewhere when the confirmation was given for another `expected_version` than the
    one saved (someone changed the hours after the page was read)."""
    availability = session.get(Availability, availability_id)
    if availability is None:
        raise InvalidAvailability("availability")
    check_version(availability, expected_version)
    result = PlanResult(None)
    slots = session.scalars(
        select(Slot).where(Slot.availability_id == availability.id, Slot.starts_at > now)
    ).all()
    booked = _active_by_slot(session, [s.id for s in slots])
    for slot in slots:
        if slot.status == "published":
            slot.status = "withdrawn"
            result.withdrawn += 1
            if slot.id in booked and booked[slot.id].status == "booked":
                result.affected.append(booked[slot.id])
    for slot in session.scalars(select(Slot).where(Slot.availability_id == availability.id)):
        slot.availability_id = None
    session.delete(availability)
    record(
        session,
        actor,
        "availability_removed",
        now=now,
        object_type="availability",
        object_id=availability_id,
        data={"withdrawn": result.withdrawn, "affected": [a.id for a in result.affected]},
    )
    session.flush()
    return result
