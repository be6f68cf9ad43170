"""Lock units fitted at doors and entrances, registered when a locksmith completes a job."""

from sqlalchemy import func, select

from portal.access import inventory
from portal.access.models import PARTS_PLACES, LockUnit
from portal.audit.services import Actor, record
from portal.keys import public_key_from_pem_or_base64, public_key_to_pem


class InvalidLockKey(ValueError):
    """The text is not a P-256 public key (PEM, base64 DER or base64 point)."""


class DuplicateLockUnit(ValueError):
    """A unit with this serial number is already registered."""


def parse_lock_key(text: str) -> str:
    """Check a lock unit's public key and return it as PEM; raise InvalidLockKey otherwise."""
    try:
        return public_key_to_pem(public_key_from_pem_or_base64((text or "").strip()))
    except (ValueError, TypeError) as exc:
        raise InvalidLockKey(str(exc)) from exc


def next_lock_id(session) -> int:
    """The next free uint32 lock id (ids are never reused)."""
    return (session.scalar(select(func.max(LockUnit.lock_id))) or 1000) + 1


def register_lock_unit(
    session,
    *,
    serial: str,
    public_key_text: str,
    kind: str = "door",
    citizen_id: int | None = None,
    entrance_id: int | None = None,
    now,
    actor: Actor,
    parts_stored: str | None = None,
) -> LockUnit:
    """Register a fitted unit at a citizen's door or a building entrance (audited).

    A unit with this serial that is in stock (removed, reset, back on the shelf) is fitted
    again under its own lock id; any other known serial raises DuplicateLockUnit.
    """
    pem = parse_lock_key(public_key_text)
    serial = serial.strip()
    parts = parts_stored if parts_stored in PARTS_PLACES else None
    known = session.scalar(select(LockUnit).where(LockUnit.serial == serial))
    if known is not None and known.state != "in_stock":
        raise DuplicateLockUnit(serial)
    if known is not None:
        known.kind, known.parts_stored = kind, parts
        return inventory.fit(
            session,
            known,
            citizen_id=citizen_id,
            entrance_id=entrance_id,
            now=now,
            actor=actor,
            public_key_pem=pem,
        )
    unit = LockUnit(
        lock_id=next_lock_id(session),
        serial=serial,
        kind=kind,
        public_key_pem=pem,
        citizen_id=citizen_id,
        entrance_id=entrance_id,
        installed_at=now,
        parts_stored=parts,
    )
    session.add(unit)
    session.flush()
    inventory.registered(session, unit, now=now, actor=actor)
    record(
        session,
        actor,
        "lock_unit_registered",
        now=now,
        object_type="lock_unit",
        object_id=unit.id,
        data={"serial": serial, "kind": kind, "lock_id": unit.lock_id},
    )
    return unit


class UnknownPlace(ValueError):
    """No such citizen or entrance, or both or neither given."""


def register_from_form(
    session,
    *,
    serial: str,
    kind: str,
    public_key_text: str,
    citizen_external_id: str | None,
    entrance_id: int | None,
    now,
    actor: Actor,
) -> LockUnit:
    """A coordinator registers a unit at a citizen's door (by external id) or an entrance."""
    from portal.citizens.models import Citizen
    from portal.consent.models import Entrance

    if kind == "door":
        citizen = session.scalar(
            select(Citizen).where(Citizen.external_id == (citizen_external_id or "").strip())
        )
        if citizen is None:
            raise UnknownPlace("citizen")
        return register_lock_unit(
            session,
            serial=serial,
            public_key_text=public_key_text,
            kind="door",
            citizen_id=citizen.id,
            now=now,
            actor=actor,
        )
    if entrance_id is None or session.get(Entrance, entrance_id) is None:
        raise UnknownPlace("entrance")
    return register_lock_unit(
        session,
        serial=serial,
        public_key_text=public_key_text,
        kind="entrance",
        entrance_id=entrance_id,
        now=now,
        actor=actor,
    )


def receive_into_stock(session, *, serial: str, kind: str, public_key_text: str, now, actor):
    """A new unit delivered to the depot: registered in stock, on no door, no door rights."""
    pem = parse_lock_key(public_key_text)
    serial = serial.strip()
    if session.scalar(select(LockUnit.id).where(LockUnit.serial == serial)) is not None:
        raise DuplicateLockUnit(serial)
    unit = LockUnit(
        lock_id=next_lock_id(session),
        serial=serial,
        kind="entrance" if kind == "entrance" else "door",
        public_key_pem=pem,
        installed_at=now,  # not fitted yet: the fitting sets it again
        state="in_stock",
        active=False,
    )
    session.add(unit)
    session.flush()
    inventory.received(session, unit, now=now, actor=actor)
    return unit
