"""A small, hand-computed world of visits around the spring DST change (Europe/Copenhagen).

Local 2026-03-29 begins at 2026-03-28 23:00 UTC (CET) and ends at 2026-03-29 22:00 UTC (CEST):
a 23-hour day. Provider A's staff member Anna visits citizen Carl (district North, care group
A-Nord); provider B's Bent visits Dora (district South, care group B-Syd).

id  who   where  start (UTC)        minutes  local day
V1  Anna  Carl   03-28 22:50        30       28 Mar
V2  Anna  Carl   03-28 23:10        45       29 Mar (first minutes of the DST day)
V3  Bent  Dora   03-29 21:50        20       29 Mar (last minutes of the DST day)
V4  Anna  Carl   03-29 22:05        30       30 Mar
V5  Bent  Dora   03-31 21:30        60       31 Mar (ends on 1 April: counts in March)
V6  Bent  Dora   04-01 08:00        open     1 Apr
V7  Anna  Carl   02-28 23:30        30       1 Mar (UTC still February)
V8  Bent  Dora   03-28 23:10        10       29 Mar (same arrival as V2)

Billing 2026: A March 4 visits 135 min; B March 3 visits 90 min; B April 0 visits, 1 open.
"""

import itertools
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from portal.access.models import LockUnit, Staff
from portal.access.models_events import LockEvent, Visit
from tests.factories import NOW, make_care_group, make_citizen, make_district, make_provider

_serial = itertools.count(1)


def utc(*parts) -> datetime:
    """An aware UTC datetime."""
    return datetime(*parts, tzinfo=UTC)


PLAN = [  # (staff, citizen, start, minutes or None)
    ("anna", "carl", utc(2026, 3, 28, 22, 50), 30),
    ("anna", "carl", utc(2026, 3, 28, 23, 10), 45),
    ("bent", "dora", utc(2026, 3, 29, 21, 50), 20),
    ("anna", "carl", utc(2026, 3, 29, 22, 5), 30),
    ("bent", "dora", utc(2026, 3, 31, 21, 30), 60),
    ("bent", "dora", utc(2026, 4, 1, 8, 0), None),
    ("anna", "carl", utc(2026, 2, 28, 23, 30), 30),
    ("bent", "dora", utc(2026, 3, 28, 23, 10), 10),
]


@dataclass
class VisitWorld:
    """The hand-computed world: names -> records, and visits V1..V8 by number."""

    made: dict = field(default_factory=dict)
    visits: dict = field(default_factory=dict)

    def ids(self, *numbers) -> list[int]:
        """Visit ids of V<n>, in the order given."""
        return [self.visits[n].id for n in numbers]


def make_staff(session, provider, first, last="Test") -> Staff:
    """A home-care worker of `provider`."""
    n = next(_serial)
    staff = Staff(
        provider_id=provider.id,
        staff_number=f"S{n:05d}",
        first_name=first,
        last_name=last,
        pin_hash="x",
        created_at=NOW,
    )
    session.add(staff)
    session.flush()
    return staff


def make_door(session, citizen, kind="door") -> LockUnit:
    """A lock unit fitted at the citizen's door."""
    n = next(_serial)
    unit = LockUnit(
        lock_id=900000 + n,
        serial=f"R-{n}",
        kind=kind,
        public_key_pem="-",
        citizen_id=citizen.id,
        installed_at=NOW,
    )
    session.add(unit)
    session.flush()
    return unit


def make_visit(session, unit, staff, start, minutes) -> Visit:
    """A visit with its opening event; `minutes` None leaves it open."""
    event = LockEvent(
        lock_unit_id=unit.id,
        counter=next(_serial),
        time=start,
        action="open",
        result="ok",
        battery=80,
        sub=str(staff.id) if staff else None,
        staff_id=staff.id if staff else None,
        raw=b"-",
        received_at=start,
    )
    session.add(event)
    session.flush()
    visit = Visit(
        lock_unit_id=unit.id,
        citizen_id=unit.citizen_id,
        district_id=unit.citizen.district_id,
        provider_id=staff.provider_id if staff else None,
        staff_id=staff.id if staff else None,
        sub=str(staff.id) if staff else "?",
        start=start,
        end=start + timedelta(minutes=minutes) if minutes is not None else None,
        open_event_id=event.id,
    )
    session.add(visit)
    session.flush()
    return visit


def make_visit_world(session) -> VisitWorld:
    """The world of the module docstring (flushed, not committed)."""
    w = VisitWorld()
    north, south = make_district(session, "North"), make_district(session, "South")
    a, b = make_provider(session, "Provider A"), make_provider(session, "Provider B")
    group_a = make_care_group(session, a, [north], name="A-Nord")
    group_b = make_care_group(session, b, [south], name="B-Syd")
    carl = make_citizen(session, name="Carl Citizen", district=north, care_group=group_a)
    dora = make_citizen(session, name="Dora =Citizen", district=south, care_group=group_b)
    anna, bent = make_staff(session, a, "Anna"), make_staff(session, b, "Bent")
    w.made = dict(north=north, south=south, a=a, b=b, group_a=group_a, group_b=group_b)
    w.made.update(carl=carl, dora=dora, anna=anna, bent=bent)
    doors = {"carl": make_door(session, carl), "dora": make_door(session, dora)}
    for number, (who, where, start, minutes) in enumerate(PLAN, start=1):
        w.visits[number] = make_visit(session, doors[where], w.made[who], start, minutes)
    return w
