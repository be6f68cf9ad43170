"""The battery fleet: levels across fitted units, the low ones grouped by area into locksmith
routes, and the units that have gone quiet.

A unit's newest report is `LockUnit.battery_at` (the time of the newest event that carried a
level, kept by access on upload), so no query here reads the lock event log.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import case, exists, func, select

from portal.access.models import LockUnit
from portal.citizens.models import Citizen
from portal.consent.models import Entrance, Property
from portal.directory.models import District
from portal.locksmith.models import OPEN_STATUSES, Job, JobKind

BANDS = 10  # 0-9 %, 10-19 % ... 90-100 %
LIMIT = 1000  # rows a list shows; the page says when there are more


@dataclass
class Unit:
    """A fitted unit with where it is and what it last reported."""

    id: int
    serial: str
    kind: str
    battery: int | None
    battery_at: datetime | None
    installed_at: datetime
    district_id: int | None
    district: str | None
    postcode: str
    address: str
    open_job: bool


@dataclass
class Route:
    """The low units of one district, in postcode and address order: one locksmith round."""

    district_id: int | None
    district: str | None
    units: list[Unit] = field(default_factory=list)

    @property
    def without_job(self) -> int:
        """Units on the route with no battery change open yet."""
        return sum(1 for u in self.units if not u.open_job)


def battery_bands(session) -> tuple[list[int], int]:
    """Fitted units per 10 % band (0-9 ... 90-100) and how many never reported a level."""
    band = case((LockUnit.battery >= 100, BANDS - 1), else_=LockUnit.battery // 10)
    fitted = LockUnit.state == "fitted"
    rows = session.execute(
        select(band, func.count()).where(fitted, LockUnit.battery.is_not(None)).group_by(band)
    )
    counts = [0] * BANDS
    for index, n in rows:
        counts[max(0, min(BANDS - 1, int(index)))] += n
    unknown = session.scalar(
        select(func.count()).where(fitted, LockUnit.battery.is_(None)).select_from(LockUnit)
    )
    return counts, int(unknown or 0)


def _units(session, *where, order, district=None):
    property_ = Property.__table__.alias("unit_property")
    district_id = func.coalesce(Citizen.district_id, property_.c.district_id)
    postcode = func.coalesce(Citizen.postcode, property_.c.postcode, "")
    address = func.coalesce(Citizen.address, property_.c.address, "")
    open_job = exists().where(
        Job.lock_unit_id == LockUnit.id,
        Job.kind == JobKind.BATTERY,
        Job.status.in_(OPEN_STATUSES),
    )
    stmt = (
        select(
            LockUnit.id,
            LockUnit.serial,
            LockUnit.kind,
            LockUnit.battery,
            LockUnit.battery_at,
            LockUnit.installed_at,
            district_id,
            District.name,
            postcode,
            address,
            open_job,
        )
        .select_from(LockUnit)
        .outerjoin(Citizen, Citizen.id == LockUnit.citizen_id)
        .outerjoin(Entrance, Entrance.id == LockUnit.entrance_id)
        .outerjoin(property_, property_.c.id == Entrance.property_id)
        .outerjoin(District, District.id == district_id)
        .where(LockUnit.state == "fitted", *where, *(district(district_id) if district else ()))
        .order_by(*order(district_id, postcode, address))
        .limit(LIMIT + 1)
    )
    return [Unit(*row) for row in session.execute(stmt)]


ALL = object()


def low_units(session, threshold: int, district_id=ALL) -> list[Unit]:
    """Fitted units reporting less than `threshold` %, by district, postcode and address
    (of one district when given; None is the units whose building has no district)."""

    def in_district(column):
        return (column.is_(None) if district_id is None else column == district_id,)

    return _units(
        session,
        LockUnit.battery < threshold,
        district=None if district_id is ALL else in_district,
        order=lambda district, postcode, address: (District.name, district, postcode, address),
    )


def routes(units: list[Unit]) -> list[Route]:
    """Units grouped by district (in the order given): one route each."""
    found: dict[int | None, Route] = {}
    for unit in units[:LIMIT]:
        route = found.setdefault(unit.district_id, Route(unit.district_id, unit.district))
        route.units.append(unit)
    return list(found.values())


def silent_units(session, *, now: datetime, days: int) -> list[Unit]:
    """Fitted units with no report for `days` days (never reported: fitted that long ago)."""
    since = now - timedelta(days=days)
    last = func.coalesce(LockUnit.battery_at, LockUnit.installed_at)
    return _units(session, last < since, order=lambda *_columns: (last, LockUnit.id))
