"""The door protocol's two BLE messages (challenge, answer) and the device proof both sign."""

import hashlib
from dataclasses import dataclass

import cbor2

from . import cbor, es256
from .errors import malformed
from .times import is_time

PROOF_CONTEXT = "open-v1"
# "lock" is accepted as a synonym of "close"; the lock logs it as "close".
ACTIONS = ("open", "close", "lock")
NONCE_SIZE = 16
UINT32_MAX = 0xFFFFFFFF
# array(5), tstr(7) "open-v1"
_PROOF_HEAD = b"\x85\x67" + PROOF_CONTEXT.encode("ascii")


@dataclass(frozen=True, slots=True)
class Challenge:
    """What a lock sends first: who it is, a fresh nonce, and what it knows."""

    lock_id: int
    nonce: bytes
    time: int
    bulletin_seq: int
    battery: int


@dataclass(frozen=True, slots=True)
class Answer:
    """What a phone sends back: the key, the proof, and optional bulletin and beacon."""

    shift_key: bytes
    nonce: bytes
    action: str
    proof: bytes
    bulletin: bytes | None
    beacon: bytes | None


def device_proof_payload(lock_id: int, nonce: bytes, action: str, shift_key: bytes) -> bytes:
    """Return the bytes the device key signs: ["open-v1", lock id, nonce, action, SHA-256(key)]."""
    if not (cbor.is_uint(lock_id, 32) and type(nonce) is bytes and action in ACTIONS):
        raise ValueError("device proof needs a uint32 lock id, a nonce and a known action")
    # Concatenated by hand (both sides run it on every opening); a test pins it to cbor2's
    # encoding of the same array.
    return b"".join(
        (
            _PROOF_HEAD,
            _uint(lock_id),
            cbor.bstr_head(len(nonce)),
            nonce,
            bytes((0x60 | len(action),)),
            action.encode("ascii"),
            b"\x58\x20",
            hashlib.sha256(shift_key).digest(),
        )
    )


def _uint(value: int) -> bytes:
    if value < 24:
        return bytes((value,))
    if value < 0x100:
        return bytes((0x18, value))
    if value < 0x10000:
        return b"\x19" + value.to_bytes(2, "big")
    return b"\x1a" + value.to_bytes(4, "big")


def encode_challenge(challenge: Challenge) -> bytes:
    """Return the CBOR array [lock id, nonce, lock time, bulletin seq, battery]."""
    c = challenge
    return cbor2.dumps([c.lock_id, c.nonce, c.time, c.bulletin_seq, c.battery])


def parse_challenge(data: bytes) -> Challenge:
    """Parse a challenge; Denied("malformed") if it is not one."""
    obj = cbor.decode(data, cbor.MAX_CHALLENGE_SIZE)
    if type(obj) is not list or len(obj) != 5:
        raise malformed()
    lock_id, nonce, time, seq, battery = obj
    if not (
        cbor.is_uint(lock_id, 32)
        and type(nonce) is bytes
        and len(nonce) == NONCE_SIZE
        and is_time(time)
        and cbor.is_uint(seq)
        and type(battery) is int
        and 0 <= battery <= 100
    ):
        raise malformed()
    return Challenge(lock_id, nonce, time, seq, battery)


def encode_answer(answer: Answer) -> bytes:
    """Return the CBOR array [key, nonce, action, proof, bulletin or null, beacon or null]."""
    a = answer
    return cbor2.dumps([a.shift_key, a.nonce, a.action, a.proof, a.bulletin, a.beacon])


def parse_answer(data: bytes) -> Answer:
    """Parse an answer's envelope (not its contents); Denied("malformed") if it is not one."""
    obj = cbor.decode(data, cbor.MAX_ANSWER_SIZE)
    if type(obj) is not list or len(obj) != 6:
        raise malformed()
    shift_key, nonce, action, proof, bulletin, beacon = obj
    if not (
        type(shift_key) is bytes
        and type(nonce) is bytes
        and len(nonce) == NONCE_SIZE
        and type(action) is str
        and action in ACTIONS
        and type(proof) is bytes
        and len(proof) == es256.SIGNATURE_SIZE
        and (bulletin is None or type(bulletin) is bytes)
        and (beacon is None or type(beacon) is bytes)
    ):
        raise malformed()
    return Answer(shift_key, nonce, action, proof, bulletin, beacon)
