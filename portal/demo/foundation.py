"""Demo data for the foundation: citizens, properties, accounts (after the directory's step).

It lives in the demo package (the top floor) because it spans features that must not import
each other; a feature's own demo.py gets what it needs through the seed context.
"""

from datetime import date, timedelta

from portal.accounts.services import create_user
from portal.audit.services import SYSTEM, record
from portal.citizens import letter_codes
from portal.citizens.models import Relative
from portal.citizens.register import create_citizen, letter_code_of
from portal.consent.models import Entrance, OwnerOrganisation, Property
from portal.demo.names import DEMO_PASSWORD, FIRST, LAST, ORGS, STREETS
from portal.directory.demo import DISTRICTS
from portal.directory.queries import local_date
from portal.web.production import DEMO_MARKER

ORDER = 10
# Demo citizens have had home care for a while before the roll-out reaches them.
CARE_BEFORE = timedelta(days=2 * 365)


def _cpr(rng, born: date) -> str:
    # Century digit 0-3 covers births 1900-1999 in the CPR scheme.
    return f"{born:%d%m%y}{rng.randint(0, 3)}{rng.randint(0, 999):03d}"


def _orgs(ctx):
    # No draws from ctx.rng here: the citizens' codes printed in the README stay as they are.
    orgs = []
    for i, name in enumerate(ORGS):
        orgs.append(
            OwnerOrganisation(
                name=name,
                contact_person=f"{FIRST[(3 * i) % len(FIRST)]} {LAST[(5 * i + 2) % len(LAST)]}",
                # One owner has no email: its requests go by letter only.
                email=None if i == 3 else f"ejer{i + 1}@demo.example",
                phone=f"+4570{104030 + 2111 * i:06d}",
                postal_address=f"{STREETS[(i + 3) % len(STREETS)]} {i + 2}",
                postcode=DISTRICTS[i % 3][1],
                city=DISTRICTS[i % 3][2],
                org_number=f"{31000000 + 137 * (i + 1)}",
                language="sv" if i == 4 else "da",
            )
        )
    ctx.session.add_all(orgs)
    return orgs


def _properties(ctx, districts):
    orgs = _orgs(ctx)
    props = []
    for i in range(20):
        district = districts[i % 3]
        prop = Property(
            owner=orgs[i % len(orgs)],
            owner_since=ctx.now - timedelta(days=365 * (3 + i % 7)),
            property_number=f"{120 + i}a Demoby Bygrunde",
            name=f"{STREETS[i % len(STREETS)]} {10 + i}",
            address=f"{STREETS[i % len(STREETS)]} {10 + i}",
            postcode=DISTRICTS[i % 3][1],
            city=DISTRICTS[i % 3][2],
            district_id=district.id,
        )
        strike = i % 3 != 2
        prop.entrances = [
            Entrance(
                label="Opgang A",
                kind="street_door",
                door_phone="video" if i % 2 else "audio",
                electric_strike=strike,
                power_source="mains_12_24v" if strike else "battery",
            )
        ]
        if i % 4 == 0:
            prop.entrances.append(
                Entrance(label="Gård-låge", kind="gate", door_phone="none", power_source="battery")
            )
        if i % 6 == 1:
            prop.entrances.append(
                Entrance(
                    label="Gårddør",
                    kind="courtyard_door",
                    door_phone="none",
                    electric_strike=True,
                    power_source="mains_12_24v",
                )
            )
        props.append(prop)
    ctx.session.add_all(props)
    ctx.session.flush()
    return orgs, props


def seed(ctx):
    """200 citizens with their providers, 20 properties and the demo accounts."""
    rng, session = ctx.rng, ctx.session
    districts, groups = ctx.made["districts"], ctx.made["care_groups"]
    municipal, private = ctx.made["providers"]
    provider_from = local_date(ctx.now, ctx.config["TIMEZONE"]) - CARE_BEFORE
    orgs, props = _properties(ctx, districts)
    citizens, codes = [], []
    for i in range(200):
        born = date(1925, 1, 1) + timedelta(days=rng.randint(0, 365 * 45))
        d_index = i % 3
        # 40 citizens in multi-dwelling buildings, two behind each of the 20 properties.
        prop = props[(i // 5) % 20] if i % 5 == 0 else None
        provider = private if i % 4 == 3 else municipal
        group = groups[-1] if provider is private else groups[d_index]
        data = {
            "external_id": f"DEMO-{i + 1:04d}",
            "national_id": _cpr(rng, born),
            "name": f"{rng.choice(FIRST)} {rng.choice(LAST)}",
            "date_of_birth": born,
            "address": prop.address + f", {rng.randint(1, 4)}. th"
            if prop
            else f"{rng.choice(STREETS)} {rng.randint(1, 120)}",
            "postcode": DISTRICTS[d_index][1],
            "city": DISTRICTS[d_index][2],
            "phone": f"+452{rng.randint(0, 9999999):07d}",
            "email": f"borger{i + 1}@demo.example" if i % 3 == 0 else None,
            "language": "sv" if i % 17 == 5 else ("en" if i % 23 == 7 else "da"),
            "district_id": districts[d_index].id,
            "provider_id": provider.id,
            "care_group_id": group.id,
            "provider_from": provider_from,
            "property_id": prop.id if prop else None,
            "emergency_alarm": rng.random() < 0.4,
        }
        if prop is not None:
            data["district_id"] = prop.district_id
        citizen = create_citizen(session, ctx.keyring, data, now=ctx.now, rng=rng)
        citizens.append(citizen)
        if i % 5 == 1:
            session.add(
                Relative(
                    citizen_id=citizen.id,
                    name=f"{rng.choice(FIRST)} {rng.choice(LAST)}",
                    phone=f"+453{rng.randint(0, 9999999):07d}",
                    relation="child",
                    created_at=ctx.now,
                )
            )
        if i < 10:
            codes.append((citizen, letter_code_of(ctx.keyring, citizen)))
    users = [
        ("koordinator@demo.example", "Karin Koordinator", "coordinator", {}),
        ("koordinator2@demo.example", "Kurt Koordinator", "coordinator", {}),
        ("laasesmed1@demo.example", "Lars Låsesmed", "locksmith", {}),
        ("laasesmed2@demo.example", "Lene Låsesmed", "locksmith", {}),
        ("laasesmed3@demo.example", "Louis Låsesmed", "locksmith", {}),
        (
            "leverandoer@demo.example",
            "Pia Plejeleder",
            "provider_admin",
            {"provider_id": municipal.id},
        ),
        ("ejer@demo.example", "Ole Ejer", "owner", {"owner_organisation_id": orgs[0].id}),
    ]
    made_users = {}
    for email, name, role, extra in users:
        made_users[email] = create_user(
            session, email, name, DEMO_PASSWORD, role, now=ctx.now, **extra
        )
    # The mark production looks for: it refuses to start on a database that holds it.
    record(session, SYSTEM, DEMO_MARKER, now=ctx.now, data={"accounts": [u[0] for u in users]})
    ctx.made.update(
        citizens=citizens,
        properties=props,
        users=made_users,
    )
    ctx.lines.append(f"Demo accounts (password for all: {DEMO_PASSWORD}):")
    ctx.lines += [f"  {role:15} {email}" for email, _, role, _ in users]
    ctx.lines.append("Citizen letter codes (code, date of birth, name):")
    ctx.lines += [
        f"  {letter_codes.grouped(code)}  {c.date_of_birth:%d-%m-%Y}  {c.name}" for c, code in codes
    ]
