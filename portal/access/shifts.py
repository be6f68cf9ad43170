"""Starting a shift: a device-signed request in, a shift key (and what travels with it) out.

The signed bytes are the request object without `signature`, serialised as RFC 8785 (JCS):
keys sorted, no whitespace, UTF-8. Every value is a string or an integer, for which JCS and
`json.dumps(sort_keys=True, separators=(",", ":"), ensure_ascii=False)` agree byte for byte.
Cheap checks (device, signature, time, nonce, block) run before the argon2 PIN check.
"""

import hashlib
import json
import secrets
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.attributes import set_committed_value

from portal.access import bulletins, derivation, issuer_keys
from portal.access.models import Device, LockUnit
from portal.access.models_keys import Bulletin, RequestNonce, ShiftKey
from portal.accounts.passwords import check_password
from portal.audit.services import SYSTEM, record
from portal.keys import MAX_LIFETIME, public_key_from_pem_or_base64, read_shift_key, verify_request

_DEVICE_KEYS: dict[str, object] = {}


@dataclass
class ShiftPolicy:
    """The rules a deployment configures (SHIFT_HOURS, PIN_MAX_FAILURES, REQUEST_SKEW_SECONDS)."""

    store: issuer_keys.KeyStore
    tz: str
    shift_hours: float = 9
    max_failures: int = 5
    skew: timedelta = timedelta(minutes=5)


@dataclass
class ShiftRequest:
    """A parsed request to POST /api/v1/shifts (shape already checked)."""

    staff_number: str
    pin: str
    device_id: str
    timestamp: int
    nonce: str
    signature: bytes
    signed_bytes: bytes
    shift_end: int | None = None


@dataclass
class IssuedShift:
    """What the phone gets back."""

    shift_key: bytes
    record: ShiftKey
    locks: list[LockUnit]
    bulletin: Bulletin
    beacon: bytes
    token: str


@dataclass
class ShiftRefused(Exception):
    """A refusal: `problem` names the problem type, `status` the HTTP status."""

    problem: str
    status: int
    detail: str = ""
    extra: dict = field(default_factory=dict)


def canonical_bytes(body: dict) -> bytes:
    """The bytes the device signs: JCS of the request object without `signature`."""
    members = {k: v for k, v in body.items() if k != "signature"}
    return json.dumps(members, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def token_hash(token: str) -> str:
    """SHA-256 of a bearer token (only the hash is stored)."""
    return hashlib.sha256(token.encode()).hexdigest()


def from_epoch(seconds: int) -> datetime:
    """Unix seconds as an aware UTC datetime."""
    return datetime.fromtimestamp(seconds, UTC)


def _device_key(pem: str):
    key = _DEVICE_KEYS.get(pem)
    if key is None:
        if len(_DEVICE_KEYS) > 4096:
            _DEVICE_KEYS.clear()
        key = _DEVICE_KEYS[pem] = public_key_from_pem_or_base64(pem)
    return key


def _refuse(session, now, problem, status, reason, device=None, detail="", **extra):
    actor = device.staff.actor if device is not None else SYSTEM
    record(
        session,
        actor,
        "shift_refused",
        now=now,
        object_type="device",
        object_id=device.id if device else None,
        data={"reason": reason, **extra},
    )
    raise ShiftRefused(problem, status, detail, extra)


def _burn_nonce(session, device: Device, nonce: str, now: datetime, skew: timedelta) -> bool:
    session.execute(delete(RequestNonce).where(RequestNonce.expires_at < now))
    try:
        with session.begin_nested():
            session.add(RequestNonce(device_id=device.id, nonce=nonce, expires_at=now + 2 * skew))
    except IntegrityError:
        return False
    return True


def _check_request(session, req: ShiftRequest, policy: ShiftPolicy, now: datetime) -> Device:
    device = session.scalar(select(Device).where(Device.public_id == req.device_id))
    if device is None:
        _refuse(session, now, "authentication-failed", 401, "unknown_device")
    if not verify_request(_device_key(device.public_key_pem), req.signed_bytes, req.signature):
        _refuse(session, now, "authentication-failed", 401, "bad_signature", device)
    if abs(now - from_epoch(req.timestamp)) > policy.skew:
        _refuse(session, now, "stale-request", 401, "stale_timestamp", device)
    if not _burn_nonce(session, device, req.nonce, now, policy.skew):
        _refuse(session, now, "replayed-request", 401, "replayed_nonce", device)
    staff = device.staff
    if staff.staff_number != req.staff_number.strip().upper():
        _refuse(session, now, "authentication-failed", 401, "wrong_staff_number", device)
    if not device.active:
        _refuse(session, now, "device-blocked", 403, "device_blocked", device)
    if not staff.active:
        _refuse(session, now, "staff-blocked", 403, "staff_blocked", device)
    if staff.pin_locked:
        _refuse(session, now, "pin-locked", 403, "pin_locked", device)
    return device


def _shift_end(req: ShiftRequest, policy: ShiftPolicy, now: datetime) -> datetime | None:
    if req.shift_end is None:
        return now + min(timedelta(hours=policy.shift_hours), MAX_LIFETIME)
    end = from_epoch(req.shift_end)
    return end if now < end <= now + MAX_LIFETIME else None


def _check_pin(session, device: Device, pin: str, policy: ShiftPolicy, now: datetime) -> None:
    staff = device.staff
    # Take the attempt in the database before checking the PIN: the row stays locked until
    # this transaction ends, so parallel guesses queue up and never get more than
    # `max_failures` PIN checks between them (a Python `+= 1` let each one count as the first).
    model = type(staff)
    taken = session.execute(
        update(model)
        .where(
            model.id == staff.id,
            model.pin_locked.is_(False),
            model.failed_pins < policy.max_failures,
        )
        .values(failed_pins=model.failed_pins + 1)
        .returning(model.failed_pins)
        .execution_options(synchronize_session=False)
    ).scalar_one_or_none()
    if taken is None:
        _refuse(session, now, "pin-locked", 403, "pin_locked", device)
    if check_password(staff.pin_hash, pin):
        _set_pin_state(session, staff, failed_pins=0)
        return
    if taken >= policy.max_failures:
        _set_pin_state(session, staff, failed_pins=taken, pin_locked=True, pin_locked_at=now)
        record(
            session, SYSTEM, "staff_pin_locked", now=now, object_type="staff", object_id=staff.id
        )
        _refuse(session, now, "pin-locked", 403, "wrong_pin", device)
    set_committed_value(staff, "failed_pins", taken)
    left = policy.max_failures - taken
    _refuse(session, now, "wrong-pin", 401, "wrong_pin", device, attempts_left=left)


def _set_pin_state(session, staff, **values) -> None:
    model = type(staff)
    session.execute(
        update(model)
        .where(model.id == staff.id)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    for name, value in values.items():
        set_committed_value(staff, name, value)


def start_shift(session, req: ShiftRequest, policy: ShiftPolicy, *, now: datetime) -> IssuedShift:
    """Check the request, the device, the staff member and the PIN; issue the shift key."""
    now = now.replace(microsecond=0)  # the key carries whole seconds; so do the records
    device = _check_request(session, req, policy, now)
    end = _shift_end(req, policy, now)
    if end is None:
        _refuse(session, now, "invalid-shift-end", 422, "shift_end", device)
    _check_pin(session, device, req.pin, policy, now)
    staff = device.staff
    locks = derivation.allowed_locks(session, staff, device, now=now, tz=policy.tz)
    if not locks:
        _refuse(session, now, "no-locks", 409, "no_locks", device)
    end = derivation.key_end(session, staff, end, now=now, tz=policy.tz)  # a partner's window
    issuer, key = issuer_keys.signer(session, policy.store, now=now)
    bulletin = bulletins.ensure_published(session, policy.store, now=now)
    data = issuer.issue_shift_key(
        staff.staff_number,
        _device_key(device.public_key_pem),
        [u.lock_id for u in locks],
        now,
        end,
        bulletin.seq,
        issued_at=now,
    )
    token = secrets.token_urlsafe(32)
    rec = ShiftKey(
        cti=read_shift_key(data).cti.hex(),
        staff_id=staff.id,
        device_id=device.id,
        kid=key.kid,
        locks=[u.lock_id for u in locks],
        not_before=now,
        expires_at=end,
        issued_at=now,
        bulletin_seq=bulletin.seq,
        token_hash=token_hash(token),
    )
    session.add(rec)
    device.last_shift_at = now
    session.flush()
    record(
        session,
        staff.actor,
        "shift_key_issued",
        now=now,
        object_type="shift_key",
        object_id=rec.cti,
        data={"device": device.public_id, "locks": len(locks), "expires_at": end, "kid": key.kid},
    )
    beacon = issuer.time_beacon(int(now.timestamp()), now)
    return IssuedShift(data, rec, locks, bulletin, beacon, token)


def shift_for_token(session, token: str, *, now: datetime) -> ShiftKey | None:
    """The unexpired, unrevoked shift a bearer token belongs to."""
    if not token or len(token) > 128:
        return None
    rec = session.scalar(select(ShiftKey).where(ShiftKey.token_hash == token_hash(token)))
    if rec is None or rec.revoked or rec.expires_at <= now:
        return None
    return rec
