"""Demo data: one running campaign in the first district, three locksmiths, a few bookings."""

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from sqlalchemy import select

from portal.access.lock_units import register_lock_unit
from portal.audit.services import Actor
from portal.booking.calendar import is_day_off
from portal.booking.details import new_reference
from portal.booking.fitting_jobs import make_job
from portal.booking.models import Appointment, Availability, Slot
from portal.booking.planning import materialise
from portal.booking.words import door_password
from portal.citizens import lifecycle
from portal.locksmith.models import CHECKLIST, JobStatus
from portal.rollout.models import Campaign

ORDER = 30
DEMO = Actor("system", label="demo data")
LOCKSMITHS = ("laasesmed1@demo.example", "laasesmed2@demo.example", "laasesmed3@demo.example")
DEMO_KEY_CURVE = ec.SECP256R1()
BOOKED_AHEAD = 10  # days between booking and visit for the visits that already happened
REPORT_DELAY = timedelta(minutes=5)  # the locksmith reports just after the visit


def _first_working_day(day, country):
    while day.weekday() > 4 or is_day_off(country, day):
        day += timedelta(days=1)
    return day


def _last_working_day_before(day, country):
    day -= timedelta(days=1)
    while day.weekday() > 4 or is_day_off(country, day):
        day -= timedelta(days=1)
    return day


def _book(ctx, citizen, slot, status="booked"):
    # A visit that has happened was booked well before it; an open one is booked now.
    booked_at = ctx.now if status == "booked" else slot.starts_at - timedelta(days=BOOKED_AHEAD)
    appointment = Appointment(
        reference=new_reference(ctx.rng),
        citizen_id=citizen.id,
        slot_id=slot.id,
        status=status,
        previous_status=lifecycle.booked(citizen),
        door_password=door_password(citizen.language, ctx.rng),
        opener="self",
        call_phone=citizen.phone,
        booked_at=booked_at,
        booked_by="system demo",
    )
    ctx.session.add(appointment)
    if status != "booked":  # the visit has happened: the locksmith's report moved the citizen on
        (lifecycle.fitted if status == "completed" else lifecycle.fitting_failed)(citizen)
    ctx.session.flush()
    job = make_job(ctx.session, appointment, slot, now=booked_at, actor=DEMO)
    return appointment, job


def _report(ctx, appointment, job, slot, locksmith, outcome):
    reported_at = slot.ends_at + REPORT_DELAY
    unit_id = None
    if outcome == "completed":
        key = ec.generate_private_key(DEMO_KEY_CURVE).public_key()
        pem = key.public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        ).decode()
        unit = register_lock_unit(
            ctx.session,
            serial=f"DEMO-{appointment.id:05d}",
            public_key_text=pem,
            citizen_id=appointment.citizen_id,
            now=reported_at,
            actor=Actor("user", locksmith.id, locksmith.name),
        )
        unit_id = unit.id
    job.status = JobStatus.DONE if outcome == "completed" else JobStatus.FAILED
    job.lock_unit_id = unit_id
    job.reason = "not_home" if outcome == "failed" else None
    job.checklist = ",".join(CHECKLIST) if unit_id else None
    job.reported_at, job.reported_by = reported_at, locksmith.id


def seed(ctx):
    """A campaign that began on the last working day and runs four weeks from today.

    Fitted and failed visits lie on that past working day (they have happened, whatever the
    day and hour of seeding); open bookings lie on the next working days from today on.
    """
    tz, country = ZoneInfo(ctx.config["TIMEZONE"]), ctx.config["COUNTRY"]
    district = ctx.made["districts"][0]
    today = ctx.now.astimezone(tz).date()
    past = _last_working_day_before(today, country)
    campaign = Campaign(
        name=f"{district.name} – første bølge",
        district_id=district.id,
        starts_on=past,
        ends_on=today + timedelta(days=27),
        slot_minutes=20,
        buffer_minutes=10,
        day_start=time(8),
        day_end=time(15, 30),
        weekdays="01234",
        status="running",
        created_at=ctx.now,
    )
    ctx.session.add(campaign)
    ctx.session.flush()
    # Slots from the campaign's first day, so the visits already made have theirs and "My day"
    # has jobs whatever time the demo is seeded.
    first = datetime.combine(past, time(0), tzinfo=tz).astimezone(UTC)
    smiths = [ctx.made["users"][email] for email in LOCKSMITHS]
    for smith in smiths:
        availability = Availability(
            campaign=campaign,
            locksmith_id=smith.id,
            starts_on=past,
            ends_on=campaign.ends_on,
            weekdays="01234",
            day_start=time(8),
            day_end=time(15, 30),
            created_at=ctx.now,
        )
        ctx.session.add(availability)
        ctx.session.flush()
        materialise(ctx.session, availability, now=first, country=country, tz=tz)
    # Citizens 0-9 print their letter codes; keep them free to book themselves.
    locals_ = [
        c for i, c in enumerate(ctx.made["citizens"]) if c.district_id == district.id and i >= 10
    ]
    day = _first_working_day(today, country)
    second = _first_working_day(day + timedelta(days=1), country)
    plan = [
        (day, 0, 4, "booked"),
        (past, 1, 1, "completed"),
        (past, 2, 1, "failed"),
        (second, 0, 3, "booked"),
        (second, 1, 3, "booked"),
    ]
    made = 0
    for when, smith_index, count, status in plan:
        slots = ctx.session.scalars(
            select(Slot)
            .where(
                Slot.campaign_id == campaign.id,
                Slot.local_date == when,
                Slot.locksmith_id == smiths[smith_index].id,
            )
            .order_by(Slot.starts_at)
            .limit(count * 2)
        ).all()[::2]
        for slot in slots:
            appointment, job = _book(ctx, locals_[made], slot, status)
            if status != "booked":
                _report(ctx, appointment, job, slot, smiths[smith_index], status)
            made += 1
    ctx.made["campaigns"] = [campaign]
    names = [
        c.name for i, c in enumerate(ctx.made["citizens"][:10]) if c.district_id == district.id
    ]
    ctx.lines.append(f"Booking: campaign '{campaign.name}' is open; {made} bookings made.")
    ctx.lines.append(f"  Demo citizens in {district.name} can book at once: {', '.join(names)}")
