"""Reads of locksmith jobs: a locksmith's days in route order, the coordinator's job list and
follow-up list."""

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import case, select
from sqlalchemy.orm import joinedload

from portal.accounts.models import User
from portal.citizens.lifecycle import CitizenStatus
from portal.citizens.models import Citizen
from portal.locksmith.models import OPEN_STATUSES, Job, JobKind, JobStatus

PAGE_SIZE = 50
FOLLOWED_UP = "job_followed_up"  # the audit action written beside Job.followed_up_at
SHOWN = (JobStatus.PLANNED, JobStatus.DONE, JobStatus.FAILED)


@dataclass
class Day:
    """One day of a locksmith's jobs, in route order."""

    day: date
    jobs: list[Job]


def job_for(session, job_id: int, locksmith_id: int) -> Job:
    """The job if it is assigned to this locksmith; JobNotFound otherwise."""
    from portal.locksmith.services import JobNotFound

    job = session.get(Job, job_id)
    if job is None or job.locksmith_id != locksmith_id:
        raise JobNotFound()
    return job


def route_order():
    """Timed jobs (from a booked slot) by their time, then the rest by postcode and address."""
    return (
        Job.day,
        case((Job.window_start.is_(None), 1), else_=0),
        Job.window_start,
        Job.address,
        Job.id,
    )


def my_days(session, locksmith_id: int, *, today: date, days_ahead: int = 14) -> list[Day]:
    """Today (with anything still planned from earlier days first) and the next days."""
    in_range = Job.day.between(today, today + timedelta(days=days_ahead)) & Job.status.in_(SHOWN)
    overdue = (Job.day < today) & (Job.status == JobStatus.PLANNED)
    rows = session.scalars(
        select(Job)
        .where(Job.locksmith_id == locksmith_id, in_range | overdue)
        .options(joinedload(Job.citizen).selectinload(Citizen.relatives), joinedload(Job.lock_unit))
        .order_by(*route_order())
    ).all()
    days: dict[date, Day] = {today: Day(today, [])}
    for job in rows:
        key = max(job.day, today)
        days.setdefault(key, Day(key, [])).jobs.append(job)
    return sorted(days.values(), key=lambda d: d.day)


@dataclass
class JobFilter:
    """The coordinator's filters; None means any."""

    status: str | None = None
    kind: str | None = None
    locksmith_id: int | None = None
    day: date | None = None


def job_list_statement(filters: JobFilter):
    """Jobs matching the filters: open ones first, then by day and route order."""
    stmt = select(Job).options(joinedload(Job.locksmith))
    if filters.status == "todo":
        stmt = stmt.where(Job.status.in_(OPEN_STATUSES))
    elif filters.status:
        stmt = stmt.where(Job.status == filters.status)
    if filters.kind:
        stmt = stmt.where(Job.kind == filters.kind)
    if filters.locksmith_id:
        stmt = stmt.where(Job.locksmith_id == filters.locksmith_id)
    if filters.day:
        stmt = stmt.where(Job.day == filters.day)
    waiting = case((Job.status == JobStatus.OPEN, 0), (Job.status == JobStatus.PLANNED, 1), else_=2)
    return stmt.order_by(waiting, Job.day.is_(None).desc(), *route_order())


def locksmiths(session) -> list[User]:
    """Active locksmiths by name (whom a job can be given to)."""
    return list(
        session.scalars(
            select(User).where(User.role == "locksmith", User.active.is_(True)).order_by(User.name)
        )
    )


def open_jobs_for_lock(session, lock_unit_id: int) -> list[Job]:
    """Jobs still to be done at one lock unit."""
    return list(
        session.scalars(
            select(Job)
            .where(Job.lock_unit_id == lock_unit_id, Job.status.in_(OPEN_STATUSES))
            .order_by(Job.created_at)
        )
    )


def followed_up():
    """SQL: the job has been followed up by the coordinator (Job.followed_up_at is set)."""
    return Job.followed_up_at.is_not(None)


def follow_up(session) -> list[Job]:
    """Failed jobs waiting for the coordinator, the latest report first: a fitting while its
    citizen needs a call, any other kind until it is followed up (portal.locksmith.follow_up).
    """
    fitting = (Job.kind == JobKind.FITTING) & (Citizen.status == CitizenStatus.FOLLOW_UP)
    other = (Job.kind != JobKind.FITTING) & ~followed_up()
    return list(
        session.scalars(
            select(Job)
            .outerjoin(Citizen, Citizen.id == Job.citizen_id)
            .where(Job.status == JobStatus.FAILED, fitting | other)
            .options(joinedload(Job.citizen), joinedload(Job.lock_unit))
            .order_by(Job.reported_at.desc(), Job.id.desc())
        )
    )
