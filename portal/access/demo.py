"""Demo data for access: staff in every care group, demo lock units, a phone, some past visits.

Past visits are played with the reference lock and phone under a throwaway issuer (the doors'
own keys sign the events, so they verify like real ones); `flask keys demo-shift` then runs a
live shift through the field API with the portal's real issuer key.
"""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from portal.access import demo_partners, demoshift, ingest
from portal.access.lock_units import register_lock_unit
from portal.access.models import Device
from portal.access.staff import create_staff
from portal.audit.services import Actor
from portal.citizens import lifecycle
from portal.consent.models import Property
from portal.directory.queries import assignments_on, local_date
from portal.keys import Issuer, Lock, Phone, public_key_to_pem, thumbprint

ORDER = 40
ACTOR = Actor("system", label="demo data")
PER_GROUP = {False: 2, True: 1}
VISIT_TIMES = ((time(8, 5), 22), (time(14, 10), 15))


def _staff(ctx):
    made, number = [], 1001
    for group in ctx.made["care_groups"]:
        for _ in range(PER_GROUP[group.night_patrol]):
            member, _pin = create_staff(
                ctx.session,
                provider_id=group.provider_id,
                staff_number=f"DK-{number}",
                first_name=ctx.rng.choice(ctx.names.FIRST),
                last_name=ctx.rng.choice(ctx.names.LAST),
                care_group_ids=[group.id],
                pin=demoshift.DEMO_PIN,
                now=ctx.now,
                actor=ACTOR,
            )
            made.append(member)
            number += 1
    return made


def _locks(ctx, citizens):
    secret = ctx.config["SECRET_KEY"]
    units = [
        demoshift.demo_lock_for(
            ctx.session, secret, c.id, now=ctx.now, serial=f"{demoshift.DEMO_PREFIX}{c.id:06d}"
        )
        for c in citizens
    ]
    prop = ctx.session.get(Property, citizens[0].property_id) if citizens[0].property_id else None
    for entrance in prop.entrances if prop else []:
        serial = f"{demoshift.DEMO_PREFIX}E{entrance.id:05d}"
        pem = public_key_to_pem(demoshift.demo_lock_key(secret, serial).public_key())
        register_lock_unit(
            ctx.session,
            serial=serial,
            public_key_text=pem,
            kind="entrance",
            entrance_id=entrance.id,
            now=ctx.now,
            actor=ACTOR,
        )
    return units


def _history(ctx, member, units) -> int:
    """Three days of morning and afternoon visits at the first three doors, one weak battery."""
    tz, secret = ZoneInfo(ctx.config["TIMEZONE"]), ctx.config["SECRET_KEY"]
    issuer, phone = Issuer.generate("demo-history", "demo-history"), Phone.generate()
    clock = demoshift.SimClock(ctx.now)
    locks = [
        Lock(u.lock_id, demoshift.demo_lock_key(secret, u.serial), [issuer.trust_anchor()], clock)
        for u in units[:3]
    ]
    for days_ago in (3, 2, 1):
        day = (ctx.now.astimezone(tz) - timedelta(days=days_ago)).date()
        start = datetime.combine(day, time(7, 0), tz)
        key = issuer.issue_shift_key(
            member.staff_number,
            phone.public_key,
            [u.lock_id for u in units],
            start,
            start + timedelta(hours=9),
            issued_at=start,
        )
        for at, minutes in VISIT_TIMES:
            for index, lock in enumerate(locks):
                lock.battery = 15 if index == 2 and days_ago == 1 else 80 - 3 * days_ago
                clock.current = datetime.combine(day, at, tz) + timedelta(minutes=30 * index)
                lock.verify(phone.answer(lock.challenge(), key, "open"))
                clock.advance(minutes)
                lock.verify(phone.answer(lock.challenge(), key, "close"))
    events = [event for lock in locks for event in lock.events()]
    result = ingest.ingest(
        ctx.session,
        events,
        now=ctx.now,
        actor=ACTOR,
        threshold=int(ctx.config.get("BATTERY_ALERT_PERCENT", 20)),
    )
    return result.accepted


def seed(ctx):
    """Staff, lock units, an enrolled phone, three days of visits; prints a staff login."""
    staff = _staff(ctx)
    municipal = ctx.made["providers"][0]
    nordby = ctx.made["districts"][0]
    # From the end of the register: the first citizens print their codes and book themselves,
    # and the booking demo books the next ones. These already have their lock (fitted).
    today = local_date(ctx.now, ctx.config["TIMEZONE"])
    providers = assignments_on(ctx.session, [c.id for c in ctx.made["citizens"]], today)
    citizens = [
        c
        for c in reversed(ctx.made["citizens"])
        if c.district_id == nordby.id and providers[c.id].provider_id == municipal.id
    ][:6]
    for citizen in citizens:
        lifecycle.fitted(citizen)
    units = _locks(ctx, citizens)
    phone = Phone.generate()
    ctx.session.add(
        Device(
            public_id="dev_demo_phone_dk1002",
            staff_id=staff[1].id,
            public_key_pem=public_key_to_pem(phone.public_key),
            thumbprint=thumbprint(phone.public_key).hex(),
            enrolled_at=ctx.now,
            label="Tjenestetelefon 2",  # named at enrolment, as a provider admin would
            model="Samsung Galaxy A15",
        )
    )
    ctx.session.flush()
    count = _history(ctx, staff[0], units)
    ctx.made["staff"] = staff
    ctx.lines.append(
        f"Field app (demo): staff number {staff[0].staff_number}, PIN {demoshift.DEMO_PIN}; "
        f"`flask keys demo-shift` runs a whole shift with it."
    )
    ctx.lines.append(
        f"  {count} lock events; visits at the doors of: " + ", ".join(c.name for c in citizens[:3])
    )
    demo_partners.seed(ctx)
