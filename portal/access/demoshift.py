"""One whole shift with the reference phone and locks, through the real field API.

Used by `flask keys demo-shift`, the demo seed and the browser test. Demo lock units carry
keys derived from the app's SECRET_KEY and their serial (HMAC), so this module can play the
lock of a unit registered earlier; that shortcut exists only for serials starting DEMO-LOCK-.
"""

import hashlib
import hmac
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from cryptography.hazmat.primitives.asymmetric import ec
from sqlalchemy import func, select

from portal.access import derivation, issuer_keys, shifts
from portal.access import staff as staff_service
from portal.access.api_input import b64url, b64url_decode
from portal.access.lock_units import register_lock_unit
from portal.access.models import LockUnit, Staff
from portal.access.models_events import LockEvent, Visit
from portal.audit.services import Actor
from portal.keys import Lock, Phone, public_key_to_pem, sign_request

DEMO_PREFIX = "DEMO-LOCK-"
DEMO_PIN = "246810"  # noqa: S105 (documented demo PIN)
DEMO_STAFF_NUMBER = "DK-1001"
DEMO_ACTOR = Actor("system", label="demo shift")
_N = 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551


class DemoShiftError(RuntimeError):
    """The demo cannot run (no such staff member, no citizens, the API refused)."""


def demo_lock_key(secret: str, serial: str) -> ec.EllipticCurvePrivateKey:
    """The private key of a demo lock unit (HMAC of the app secret and the serial)."""
    if not serial.startswith(DEMO_PREFIX):
        raise ValueError("only demo lock units have derivable keys")
    digest = hmac.new(secret.encode(), b"kc-demo-lock:" + serial.encode(), hashlib.sha512)
    scalar = int.from_bytes(digest.digest(), "big") % (_N - 1) + 1
    return ec.derive_private_key(scalar, ec.SECP256R1())


def demo_lock_for(session, secret: str, citizen_id: int, *, now, serial: str) -> LockUnit:
    """The citizen's demo door unit, registered (no commit) when it does not exist yet."""
    found = session.scalar(select(LockUnit).where(LockUnit.serial == serial))
    if found is not None:
        return found
    pem = public_key_to_pem(demo_lock_key(secret, serial).public_key())
    return register_lock_unit(
        session,
        serial=serial,
        public_key_text=pem,
        kind="door",
        citizen_id=citizen_id,
        now=now,
        actor=DEMO_ACTOR,
    )


class SimClock:
    """A lock's clock that the demo winds forward."""

    def __init__(self, start: datetime):
        self.current = start

    def __call__(self) -> datetime:
        return self.current

    def advance(self, minutes: float) -> None:
        self.current += timedelta(minutes=minutes)


@dataclass
class DemoResult:
    """What the demo did."""

    device_id: str = ""
    shift: dict = field(default_factory=dict)
    upload: dict = field(default_factory=dict)
    visits: list[Visit] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)


def _api(client, path: str, body: dict, token: str | None = None) -> dict:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    response = client.post(path, json=body, headers=headers)
    if response.status_code >= 300:
        raise DemoShiftError(f"{path}: {response.status_code} {response.get_data(as_text=True)}")
    return response.get_json()


def _door_units(session, app, staff: Staff, now, wanted: int = 3) -> list[LockUnit]:
    served = derivation.served_citizen_ids(session, staff, now=now, tz=app.config["TIMEZONE"])
    if not served:
        raise DemoShiftError(f"{staff.staff_number} serves no citizens")
    units = list(
        session.scalars(
            select(LockUnit)
            .where(
                LockUnit.citizen_id.in_(served),
                LockUnit.serial.startswith(DEMO_PREFIX),
                LockUnit.active.is_(True),
            )
            .order_by(LockUnit.lock_id)
            .limit(wanted)
        )
    )
    taken = {u.citizen_id for u in units}
    for citizen_id in served:
        if len(units) >= wanted:
            break
        if citizen_id not in taken:
            serial = f"{DEMO_PREFIX}{citizen_id:06d}"
            units.append(
                demo_lock_for(session, app.config["SECRET_KEY"], citizen_id, now=now, serial=serial)
            )
    return units


def _resume_counter(lock: Lock, session, unit: LockUnit) -> None:
    # A real lock counts on across its life; the reference model starts at 1. Until the key
    # module offers a way to resume (requested), continue from the highest stored counter.
    top = session.scalar(
        select(func.max(LockEvent.counter)).where(LockEvent.lock_unit_id == unit.id)
    )
    if top and hasattr(lock, "_counter"):
        lock._counter = top


def run(
    app,
    session,
    *,
    staff_number: str = DEMO_STAFF_NUMBER,
    pin: str = DEMO_PIN,
    now: datetime,
    client=None,
) -> DemoResult:
    """Enrol a phone, start a shift, open and close three doors, upload the events."""
    client = client or app.test_client()
    staff = session.scalar(select(Staff).where(Staff.staff_number == staff_number.upper()))
    if staff is None:
        raise DemoShiftError(f"no staff member {staff_number}: run `flask seed-demo` first")
    units = _door_units(session, app, staff, now)
    out = DemoResult()
    phone = Phone.generate()
    code, _ = staff_service.create_enrolment_code(session, staff, now=now, actor=DEMO_ACTOR)
    # A runner, not a service: the API requests below are units of work of their own, and they
    # must see the demo lock units and the enrolment code.
    session.commit()
    enrolled = _api(
        client,
        "/api/v1/enrolments",
        {"enrolment_code": code, "public_key": public_key_to_pem(phone.public_key)},
    )
    out.device_id = enrolled["device_id"]
    body = {
        "staff_number": staff.staff_number,
        "pin": pin,
        "device_id": out.device_id,
        "timestamp": int(now.timestamp()),
        "nonce": secrets.token_urlsafe(18),
    }
    body["signature"] = b64url(sign_request(phone.private_key, shifts.canonical_bytes(body)))
    out.shift = _api(client, "/api/v1/shifts", body)
    key = b64url_decode(out.shift["shift_key"])
    bulletin, beacon = b64url_decode(out.shift["bulletin"]), b64url_decode(out.shift["time_beacon"])
    store = issuer_keys.KeyStore.from_config(app.config, app.instance_path)
    anchors = issuer_keys.trust_anchors(session, store, now=now)
    clock, events = SimClock(now), []
    for unit in units:
        lock = Lock(
            unit.lock_id, demo_lock_key(app.config["SECRET_KEY"], unit.serial), anchors, clock
        )
        _resume_counter(lock, session, unit)
        clock.advance(4)
        lock.verify(phone.answer(lock.challenge(), key, "open", bulletin, beacon))
        clock.advance(17)
        lock.verify(phone.answer(lock.challenge(), key, "close", bulletin, beacon))
        events += lock.events()
        out.lines.append(
            f"  lock {unit.lock_id} ({unit.serial}): opened and closed, {len(lock.events())} events"
        )
    out.upload = _api(
        client, "/api/v1/events", {"events": [b64url(e) for e in events]}, token=out.shift["token"]
    )
    session.expire_all()
    out.visits = list(
        session.scalars(
            select(Visit)
            .where(Visit.lock_unit_id.in_([u.id for u in units]), Visit.start >= now)
            .order_by(Visit.start)
        )
    )
    return out
