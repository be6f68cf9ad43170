"""Lock events: what a lock did or refused, signed by the lock's own key (COSE_Sign1, ES256)."""

from dataclasses import dataclass
from datetime import datetime

import cbor2
from cryptography.hazmat.primitives.asymmetric import ec

from . import cbor, cose
from .claims import CTI_SIZE, MAX_TEXT
from .errors import DENIAL_REASONS, malformed
from .times import from_epoch, is_time

EVENT_TYP = "application/kc-event+cbor"
E_LOCK, E_COUNTER, E_TIME, E_ACTION, E_RESULT, E_BATTERY, E_SUB, E_CTI, E_DEVICE = range(1, 10)
RESULTS = ("ok", *DENIAL_REASONS)
EVENT_ACTIONS = ("open", "close")


@dataclass(frozen=True, slots=True)
class LockEvent:
    """One entry of a lock's log; sub, cti and device are None unless the key was authentic."""

    lock_id: int
    counter: int
    time: datetime
    sub: str | None
    cti: bytes | None
    action: str | None
    result: str
    battery: int
    device: bytes | None


def sign_event(
    private_key: ec.EllipticCurvePrivateKey,
    *,
    lock_id: int,
    counter: int,
    time: int,
    action: str | None,
    result: str,
    battery: int,
    sub: str | None = None,
    cti: bytes | None = None,
    device: bytes | None = None,
) -> bytes:
    """Return a signed event (time is a NumericDate)."""
    payload = cbor2.dumps(
        {
            E_LOCK: lock_id,
            E_COUNTER: counter,
            E_TIME: time,
            E_ACTION: action,
            E_RESULT: result,
            E_BATTERY: battery,
            E_SUB: sub,
            E_CTI: cti,
            E_DEVICE: device,
        }
    )
    return cose.sign1(private_key, payload, typ=EVENT_TYP)


def read_event(event: bytes) -> LockEvent:
    """Parse an event without verifying it (to find which lock's key to verify it with)."""
    message = _decode(event)
    return _parse(cbor.decode(message.payload, cbor.MAX_EVENT_SIZE))


def verify_event(event: bytes, lock_public_key: ec.EllipticCurvePublicKey) -> LockEvent:
    """Verify an event against its lock's key; Denied("bad_signature") if forged or altered."""
    message = _decode(event)
    cose.verify_sign1(message, lock_public_key)
    return _parse(cbor.decode_trusted(message.payload, cbor.MAX_EVENT_SIZE))


def _decode(event: bytes) -> cose.Sign1:
    message = cose.decode_sign1(event, cbor.MAX_EVENT_SIZE)
    if message.typ != EVENT_TYP:
        raise malformed()
    return message


def _parse(obj: object) -> LockEvent:
    if type(obj) is not dict:
        raise malformed()
    get = obj.get
    lock_id, counter, time, action = get(E_LOCK), get(E_COUNTER), get(E_TIME), get(E_ACTION)
    result, battery, sub, cti, device = (
        get(E_RESULT),
        get(E_BATTERY),
        get(E_SUB),
        get(E_CTI),
        get(E_DEVICE),
    )
    if not (
        cbor.is_uint(lock_id, 32)
        and cbor.is_uint(counter)
        and is_time(time)
        and (action is None or (type(action) is str and action in EVENT_ACTIONS))
        and type(result) is str
        and result in RESULTS
        and type(battery) is int
        and 0 <= battery <= 100
        and (sub is None or (type(sub) is str and 0 < len(sub) <= MAX_TEXT))
        and (cti is None or (type(cti) is bytes and len(cti) == CTI_SIZE))
        and (device is None or (type(device) is bytes and len(device) == 32))
    ):
        raise malformed()
    return LockEvent(lock_id, counter, from_epoch(time), sub, cti, action, result, battery, device)
