"""Demo jobs besides the booked fittings: battery changes and repairs for "My day"."""

from datetime import timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from portal.access.models import LockUnit
from portal.audit.services import Actor
from portal.locksmith.models import Job, JobKind, JobStatus
from portal.locksmith.services import assign, create_job, open_battery_job

ORDER = 50  # after the bookings (30) and the locks with their battery reports (40)
DEMO = Actor("system", label="demo data")
FIRST_LOCKSMITH = "laasesmed1@demo.example"


def seed(ctx):
    """Plan the battery alert the lock history raised, add one more, and two repairs."""
    smith = ctx.made["users"].get(FIRST_LOCKSMITH)
    units = ctx.session.scalars(select(LockUnit).order_by(LockUnit.lock_id)).all()
    if smith is None or len(units) < 3:
        return
    today = ctx.now.astimezone(ZoneInfo(ctx.config["TIMEZONE"])).date()
    low = ctx.session.scalars(
        select(Job).where(Job.kind == JobKind.BATTERY, Job.status == JobStatus.OPEN)
    ).all()
    extra = open_battery_job(ctx.session, units[-1], now=ctx.now)
    for job in [*low, *([extra] if extra else [])]:
        assign(ctx.session, job, smith.id, today, now=ctx.now, actor=DEMO)
    repairs = (
        (units[0], today, "Enheden drejer trægt i låsen; justér beslaget."),
        (units[1], today + timedelta(days=1), "Låget over batteriet sidder løst."),
    )
    for unit, day, what in repairs:
        create_job(
            ctx.session,
            JobKind.REPAIR,
            now=ctx.now,
            actor=DEMO,
            lock_unit_id=unit.id,
            instructions=what,
            locksmith_id=smith.id,
            day=day,
        )
    count = ctx.session.scalar(select(func.count()).select_from(Job))
    ctx.lines.append(
        f"Locksmith jobs: battery changes and repairs for {smith.email} today ({count} jobs in all)."
    )
