"""Battery changes for one route: a job for every low unit of a district that has none open.

The job itself is locksmith's (`open_battery_job`, the same the low-battery alert opens), so a
unit never gets a second open battery change, however the button and the alert race.
"""

from dataclasses import dataclass
from datetime import datetime

from portal.access.models import LockUnit
from portal.audit.services import Actor, record
from portal.insights.fleet import LIMIT, low_units
from portal.locksmith.services import open_battery_job


@dataclass
class RouteResult:
    """What the button did: jobs created and units that had one open already."""

    created: int
    already_open: int


def create_route_jobs(
    session, district_id: int | None, threshold: int, *, now: datetime, actor: Actor
) -> RouteResult:
    """Open a battery change for each low unit of the district (flushes; the caller commits)."""
    created = already = 0
    for unit in low_units(session, threshold, district_id)[:LIMIT]:
        if open_battery_job(session, session.get(LockUnit, unit.id), now=now) is None:
            already += 1
        else:
            created += 1
    record(
        session,
        actor,
        "battery_route_jobs_created",
        now=now,
        object_type="district",
        object_id=district_id,
        data={"threshold": threshold, "created": created, "already_open": already},
    )
    return RouteResult(created, already)
