"""Read-side queries: free days and times, a citizen's bookings, the coordinator's day board."""

from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache

from sqlalchemy import Date, and_, bindparam, exists, func, or_, select
from sqlalchemy.orm import joinedload, selectinload

from portal.accounts.models import User
from portal.booking.models import ACTIVE_STATUSES, Appointment, Availability, Slot
from portal.citizens import closures, lifecycle
from portal.citizens.models import Citizen
from portal.citizens.queries import matching
from portal.connections import ASK_PREPARED
from portal.db_types import UTCDateTime
from portal.rollout.models import Campaign


def open_slot_conditions() -> list:
    """WHERE conditions of a published slot with no active appointment."""
    taken = exists().where(Appointment.slot_id == Slot.id, Appointment.status.in_(ACTIVE_STATUSES))
    return [Slot.status == "published", ~taken]


def free_slot_conditions(not_before: datetime) -> list:
    """WHERE conditions of a published slot, late enough, with no active appointment."""
    return [*open_slot_conditions(), Slot.starts_at >= not_before]


def _district_running(district) -> list:
    return [
        Campaign.id == Slot.campaign_id,
        Campaign.district_id == district,
        Campaign.status == "running",
    ]


# The citizen's two hot queries are built once with bound parameters: SQLAlchemy then only
# looks the compiled form up instead of building the statement on every request. PostgreSQL
# plans them once for all values (portal.connections.ASK_PREPARED): their plans do not depend on
# the district, day or time, and planning took most of their time.
@cache
def _free_days_statement():
    return (
        select(Slot.local_date, func.count(func.distinct(Slot.starts_at)))
        .select_from(Slot)
        .join(Campaign, and_(*_district_running(bindparam("district"))))
        .where(*free_slot_conditions(bindparam("not_before", type_=UTCDateTime())))
        .group_by(Slot.local_date)
        .order_by(Slot.local_date)
        .execution_options(**ASK_PREPARED)
    )


@cache
def _free_times_statement():
    return (
        select(Slot.starts_at, func.min(Slot.ends_at))
        .select_from(Slot)
        .join(Campaign, and_(*_district_running(bindparam("district"))))
        .where(Slot.local_date == bindparam("day", type_=Date()))
        .where(*free_slot_conditions(bindparam("not_before", type_=UTCDateTime())))
        .group_by(Slot.starts_at)
        .order_by(Slot.starts_at)
        .execution_options(**ASK_PREPARED)
    )


@cache
def _open_booking_start_statement():
    return (
        select(Appointment.id, Slot.starts_at)
        .join(Slot, Slot.id == Appointment.slot_id)
        .where(Appointment.citizen_id == bindparam("citizen"), Appointment.status == "booked")
    )


def open_booking_start(session, citizen_id: int) -> tuple[int, datetime] | None:
    """(id, start) of the citizen's open booking, or None; two columns, no rows loaded."""
    row = session.execute(_open_booking_start_statement(), {"citizen": citizen_id}).first()
    return None if row is None else (row[0], row[1])


def free_days(session, district_id: int, *, not_before: datetime) -> list[tuple[date, int]]:
    """(day, number of free times) for the district's running campaigns, earliest first."""
    params = {"district": district_id, "not_before": not_before}
    return [(row[0], row[1]) for row in session.execute(_free_days_statement(), params)]


def free_times(
    session, district_id: int, day: date, *, not_before: datetime
) -> list[tuple[datetime, datetime]]:
    """Distinct free (start, end) times on a day in the district, in time order."""
    params = {"district": district_id, "day": day, "not_before": not_before}
    return [(row[0], row[1]) for row in session.execute(_free_times_statement(), params)]


def latest_appointment(session, citizen_id: int) -> Appointment | None:
    """The citizen's most recent appointment that was not cancelled (open, done or failed)."""
    return session.scalar(
        select(Appointment)
        .where(Appointment.citizen_id == citizen_id, Appointment.status != "cancelled")
        .options(joinedload(Appointment.slot).joinedload(Slot.locksmith))
        .order_by(Appointment.booked_at.desc(), Appointment.id.desc())
        .limit(1)
    )


@dataclass
class BoardEntry:
    """One slot on the board and the appointment in it, if any."""

    slot: Slot
    appointment: Appointment | None = None


@dataclass
class BoardColumn:
    """One locksmith's day."""

    locksmith: User
    entries: list[BoardEntry] = field(default_factory=list)

    @property
    def booked(self) -> int:
        """How many slots are taken."""
        return sum(1 for e in self.entries if e.appointment is not None)


def board(session, campaign_id: int, day: date) -> list[BoardColumn]:
    """Locksmiths as columns, their slots of the day in time order with the appointments."""
    active = and_(Appointment.slot_id == Slot.id, Appointment.status.in_(ACTIVE_STATUSES))
    rows = session.execute(
        select(Slot, Appointment)
        .outerjoin(Appointment, active)
        .where(Slot.campaign_id == campaign_id, Slot.local_date == day)
        .where(or_(Slot.status == "published", Appointment.id.is_not(None)))
        .options(joinedload(Slot.locksmith))
        .options(selectinload(Appointment.citizen))
        .order_by(Slot.starts_at, Slot.locksmith_id)
    ).all()
    columns: dict[int, BoardColumn] = {}
    for slot, appointment in rows:
        column = columns.setdefault(slot.locksmith_id, BoardColumn(slot.locksmith))
        column.entries.append(BoardEntry(slot, appointment))
    return sorted(columns.values(), key=lambda c: (c.locksmith.name, c.locksmith.id))


def campaign_days(session, campaign_id: int) -> list[date]:
    """Days of a campaign that have slots (published or carrying an appointment)."""
    return list(
        session.scalars(
            select(Slot.local_date)
            .where(Slot.campaign_id == campaign_id)
            .group_by(Slot.local_date)
            .order_by(Slot.local_date)
        )
    )


def free_slots(session, campaign_id: int, day: date, *, not_before: datetime) -> list[Slot]:
    """Free slots of a campaign on a day (every locksmith), for moving or phone bookings."""
    return list(
        session.scalars(
            select(Slot)
            .where(
                Slot.campaign_id == campaign_id,
                Slot.local_date == day,
                *free_slot_conditions(not_before),
            )
            .options(joinedload(Slot.locksmith))
            .order_by(Slot.starts_at, Slot.locksmith_id)
        )
    )


def affected_appointments(session, campaign_id: int | None = None) -> list[Appointment]:
    """Open bookings whose slot was withdrawn by an availability change: to be rebooked."""
    stmt = (
        select(Appointment)
        .join(Slot, Slot.id == Appointment.slot_id)
        .where(Appointment.status == "booked", Slot.status == "withdrawn")
        .options(joinedload(Appointment.slot).joinedload(Slot.locksmith))
        .options(joinedload(Appointment.citizen))
        .order_by(Slot.starts_at)
    )
    if campaign_id is not None:
        stmt = stmt.where(Slot.campaign_id == campaign_id)
    return list(session.scalars(stmt).unique())


def _bookable(district_id: int, *, closing: bool = False):
    return select(Citizen).where(
        Citizen.district_id == district_id,
        Citizen.status.in_(lifecycle.BOOKABLE),
        closures.closed() if closing else ~closures.closed(),
    )


def bookable_citizens(session, district_id: int, text: str, *, limit: int) -> list[Citizen]:
    """Citizens of a district who may be booked and match the register's search."""
    stmt = _bookable(district_id).where(matching(text))
    return list(session.scalars(stmt.order_by(Citizen.name, Citizen.id).limit(limit)))


def closing_citizens(session, district_id: int, text: str, *, limit: int) -> list[Citizen]:
    """Citizens of a district who would be bookable but whose care is ending, matching the
    register's search (shown with why, never offered)."""
    stmt = _bookable(district_id, closing=True).where(matching(text))
    return list(session.scalars(stmt.order_by(Citizen.name, Citizen.id).limit(limit)))


def bookable_citizen(session, district_id: int, citizen_id: int) -> Citizen | None:
    """The citizen when they may be booked in this district."""
    return session.scalar(_bookable(district_id).where(Citizen.id == citizen_id))


def active_locksmiths(session) -> list[User]:
    """Locksmith accounts that may be planned, by name."""
    stmt = select(User).where(User.role == "locksmith", User.active.is_(True))
    return list(session.scalars(stmt.order_by(User.name)))


def bookings_to_move(session, availability_id: int, now: datetime) -> int:
    """How many bookings removing this availability would leave needing a new time: those
    still to come in its published slots (what `planning.remove_availability` lists)."""
    stmt = (
        select(func.count(Appointment.id))
        .join(Slot, Slot.id == Appointment.slot_id)
        .where(
            Slot.availability_id == availability_id,
            Slot.status == "published",
            Slot.starts_at > now,
            Appointment.status == "booked",
        )
    )
    return session.scalar(stmt) or 0


def availability_rows(session, campaign_id: int) -> list[tuple[Availability, int, int]]:
    """A campaign's availability periods with their published slots and active bookings."""
    counts = (
        select(
            Slot.availability_id,
            func.count(Slot.id),
            func.count(Appointment.id),
        )
        .outerjoin(
            Appointment, (Appointment.slot_id == Slot.id) & Appointment.status.in_(ACTIVE_STATUSES)
        )
        .where(Slot.campaign_id == campaign_id, Slot.status == "published")
        .group_by(Slot.availability_id)
    )
    by_id = {row[0]: (row[1], row[2]) for row in session.execute(counts)}
    items = session.scalars(
        select(Availability)
        .where(Availability.campaign_id == campaign_id)
        .options(joinedload(Availability.locksmith))
        .order_by(Availability.starts_on, Availability.id)
    ).all()
    return [(a, *by_id.get(a.id, (0, 0))) for a in items]
