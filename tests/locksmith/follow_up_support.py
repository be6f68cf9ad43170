"""Jobs of every kind at one citizen's door (and one entrance), planned for a locksmith today,
and the same jobs reported as failed: for the follow-up queue and the locksmith's cards."""

from dataclasses import dataclass, field

from portal import clock
from portal.audit.services import Actor
from portal.citizens.models import Relative
from portal.locksmith import completion
from portal.locksmith.models import Job, JobKind
from tests.access.support import citizen_in, make_lock
from tests.access.support import make_world as access_world
from tests.booking.support import TZ
from tests.factories import make_property, make_user
from tests.locksmith.support import hand_job

CITIZEN_PHONE = "+4520123456"
RELATIVE_PHONE = "+4540506070"


@dataclass
class Place:
    """The citizen, their relative, the locksmith and a job per kind."""

    citizen: object
    smith: object
    jobs: dict[str, Job] = field(default_factory=dict)


def planned_jobs(db, kinds=tuple(JobKind), smith=None) -> Place:
    """One job of each kind, planned for today: at the citizen's door, or at an entrance."""
    world = access_world(db)
    citizen = citizen_in(db, world, name="Karen Hansen", address="Låsevej 7", phone=CITIZEN_PHONE)
    db.add(
        Relative(citizen_id=citizen.id, name="Søren Hansen", phone=RELATIVE_PHONE, relation="child")
    )
    unit, _key = make_lock(db, citizen=citizen)
    entrance = make_property(db, district=world.north).entrances[0]
    smith = smith or make_user(db, "locksmith")
    db.commit()
    today = clock.now().astimezone(TZ).date()
    place = Place(citizen, smith)
    for kind in kinds:
        where = {"citizen_id": citizen.id}
        if kind == JobKind.ENTRANCE_UNIT:
            where = {"entrance_id": entrance.id}
        elif kind != JobKind.FITTING:
            where["lock_unit_id"] = unit.id
        place.jobs[str(kind)] = hand_job(db, kind, smith=smith, day=today, **where)
    return place


def failed_jobs(db, kinds=tuple(JobKind), reason="not_home", note=None) -> Place:
    """The same jobs, each reported by the locksmith as failed."""
    place = planned_jobs(db, kinds)
    for job in place.jobs.values():
        completion.fail_job(
            db,
            job.id,
            locksmith_id=place.smith.id,
            reason=reason,
            note=note,
            now=clock.now(),
            actor=Actor("user", place.smith.id),
            tz=TZ,
        )
    db.commit()
    return place
