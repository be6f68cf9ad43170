"""Helpers for the access tests: a small municipality, staff with phones, locks with keys."""

import secrets
from dataclasses import dataclass

from portal import clock as app_clock
from portal.access import shifts
from portal.access.api_input import b64url, b64url_decode
from portal.access.lock_units import register_lock_unit
from portal.access.staff import create_enrolment_code, create_staff
from portal.audit.services import SYSTEM
from portal.keys import Lock, Phone, es256, public_key_to_pem, sign_request
from tests.factories import NOW, make_care_group, make_citizen, make_district, make_provider

PIN = "482910"


@dataclass
class World:
    """Two districts, a municipal and a private provider, day teams and a night patrol."""

    north: object
    south: object
    municipal: object
    private: object
    team_north: object
    team_south: object
    night: object
    private_team: object


def make_world(db) -> World:
    """The shared arrangement most access tests start from."""
    north, south = make_district(db), make_district(db)
    municipal, private = make_provider(db), make_provider(db, kind="private")
    world = World(
        north,
        south,
        municipal,
        private,
        team_north=make_care_group(db, municipal, [north]),
        team_south=make_care_group(db, municipal, [south]),
        night=make_care_group(db, municipal, [north, south], night_patrol=True),
        private_team=make_care_group(db, private, [north, south]),
    )
    db.commit()
    return world


_numbers = iter(range(5000, 100000))


def make_staff(db, groups, pin=PIN, number=None):
    """A staff member in the given care groups (of one provider)."""
    member, _ = create_staff(
        db,
        provider_id=groups[0].provider_id,
        staff_number=number or f"T-{next(_numbers)}",
        first_name="Tove",
        last_name="Test",
        care_group_ids=[g.id for g in groups],
        pin=pin,
        now=NOW,
        actor=SYSTEM,
    )
    return member


def make_lock(db, citizen=None, entrance=None, now=NOW):
    """A registered lock unit and its private key (as the locksmith fits it)."""
    key = es256.generate_private_key()
    unit = register_lock_unit(
        db,
        serial=f"SN-{secrets.token_hex(5)}",
        public_key_text=public_key_to_pem(key.public_key()),
        kind="door" if citizen else "entrance",
        citizen_id=citizen.id if citizen else None,
        entrance_id=entrance.id if entrance else None,
        now=now,
        actor=SYSTEM,
    )
    return unit, key


def citizen_in(db, world, district=None, provider=None, **extra):
    """A citizen of the world."""
    return make_citizen(
        db, district=district or world.north, provider=provider or world.municipal, **extra
    )


def enrol(client, db, member, phone=None, now=None):
    """Enrol a phone for the staff member through the API; returns (phone, device_id)."""
    phone = phone or Phone.generate()
    code, _ = create_enrolment_code(db, member, now=now or app_clock.now(), actor=SYSTEM)
    response = client.post(
        "/api/v1/enrolments",
        json={"enrolment_code": code, "public_key": public_key_to_pem(phone.public_key)},
    )
    assert response.status_code == 201, response.get_json()
    return phone, response.get_json()["device_id"]


def shift_body(phone, device_id, staff_number, pin=PIN, *, timestamp=None, nonce=None, **extra):
    """A signed POST /api/v1/shifts body."""
    body = {
        "staff_number": staff_number,
        "pin": pin,
        "device_id": device_id,
        "timestamp": int(timestamp if timestamp is not None else app_clock.now().timestamp()),
        "nonce": nonce or secrets.token_urlsafe(18),
        **extra,
    }
    body["signature"] = b64url(sign_request(phone.private_key, shifts.canonical_bytes(body)))
    return body


def start_shift(client, phone, device_id, staff_number, pin=PIN, **extra):
    """POST a signed shift request; returns the response."""
    return client.post(
        "/api/v1/shifts", json=shift_body(phone, device_id, staff_number, pin, **extra)
    )


def lock_for(unit, key, client_app, db, clock):
    """A reference lock for a registered unit, trusting the portal's issuer keys."""
    from portal.access import issuer_keys

    store = issuer_keys.KeyStore.from_config(client_app.config, client_app.instance_path)
    return Lock(unit.lock_id, key, issuer_keys.trust_anchors(db, store, now=clock()), clock)


def visit_door(lock, phone, shift, action):
    """One exchange at the door with what the shift answer carried."""
    key = b64url_decode(shift["shift_key"])
    bulletin, beacon = b64url_decode(shift["bulletin"]), b64url_decode(shift["time_beacon"])
    return lock.verify(phone.answer(lock.challenge(), key, action, bulletin, beacon))


def make_visits(db, unit, key, member, *, count=1, start=NOW, battery=80):
    """Play `count` open/close pairs at a registered door and ingest the events."""
    from datetime import timedelta

    from portal.access import ingest
    from portal.keys import Issuer

    issuer, phone = Issuer.generate("test", "t1"), Phone.generate()
    moment = [start]
    lock = Lock(unit.lock_id, key, [issuer.trust_anchor()], lambda: moment[0])
    lock.battery = battery
    shift_key = issuer.issue_shift_key(
        member.staff_number,
        phone.public_key,
        [unit.lock_id],
        start,
        start + timedelta(hours=10),
        issued_at=start,
    )
    for _ in range(count):
        moment[0] += timedelta(minutes=30)
        lock.verify(phone.answer(lock.challenge(), shift_key, "open"))
        moment[0] += timedelta(minutes=20)
        lock.verify(phone.answer(lock.challenge(), shift_key, "close"))
    return ingest.ingest(db, lock.events(), now=start)
