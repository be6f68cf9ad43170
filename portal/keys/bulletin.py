"""Revocation bulletins and time beacons: issuer-signed COSE_Sign1 messages for the locks.

A bulletin is a snapshot, not a delta: it lists every revocation still in force, so a lock
that missed some bulletins is whole again after the next one. Its sequence number orders
snapshots; a lock applies a bulletin only if its sequence is higher than the one it holds.
"""

from dataclasses import dataclass

import cbor2

from . import cbor, cose
from .claims import CTI_SIZE, MAX_TEXT
from .errors import malformed
from .times import is_time

BULLETIN_TYP = "application/kc-bulletin+cbor"
BEACON_TYP = "application/kc-beacon+cbor"
B_ISS, B_SEQ, B_ISSUED_AT, B_ENTRIES, B_RETIRE = 1, 2, 3, 4, 5
T_ISS, T_SEQ, T_AT = 1, 2, 3
KIND_CODES = {"cti": 1, "device": 2, "sub": 3}
KIND_NAMES = {code: name for name, code in KIND_CODES.items()}
THUMBPRINT_SIZE = 32


@dataclass(frozen=True, slots=True)
class Bulletin:
    """A parsed bulletin; times are NumericDates, entries (kind code, value, until)."""

    kid: bytes | None
    iss: str
    seq: int
    issued_at: int
    entries: tuple[tuple[int, bytes | str, int], ...]
    retire: tuple[tuple[bytes, int], ...]


@dataclass(frozen=True, slots=True)
class Beacon:
    """A parsed time beacon: the issuer vouches that it was at least `at` (NumericDate)."""

    kid: bytes | None
    iss: str
    seq: int
    at: int


def valid_entry_value(kind: int, value: object) -> bool:
    """True if `value` fits an entry of kind code `kind`."""
    if kind == 1:
        return type(value) is bytes and len(value) == CTI_SIZE
    if kind == 2:
        return type(value) is bytes and len(value) == THUMBPRINT_SIZE
    if kind == 3:
        return type(value) is str and 0 < len(value) <= MAX_TEXT
    return False


def encode_bulletin(
    iss: str,
    seq: int,
    issued_at: int,
    entries: list[tuple[int, bytes | str, int]],
    retire: list[tuple[bytes, int]],
) -> bytes:
    """Return the CBOR payload of a bulletin (values already checked by the issuer)."""
    payload: dict[int, object] = {
        B_ISS: iss,
        B_SEQ: seq,
        B_ISSUED_AT: issued_at,
        B_ENTRIES: [list(entry) for entry in entries],
    }
    if retire:
        payload[B_RETIRE] = [list(item) for item in retire]
    return cbor2.dumps(payload)


def encode_beacon(iss: str, seq: int, at: int) -> bytes:
    """Return the CBOR payload of a time beacon."""
    return cbor2.dumps({T_ISS: iss, T_SEQ: seq, T_AT: at})


def parse_bulletin(obj: object, kid: bytes | None) -> Bulletin:
    """Check a decoded bulletin payload; Denied("malformed") on any breach."""
    if type(obj) is not dict:
        raise malformed()
    iss, seq, issued_at = obj.get(B_ISS), obj.get(B_SEQ), obj.get(B_ISSUED_AT)
    raw_entries, raw_retire = obj.get(B_ENTRIES), obj.get(B_RETIRE, [])
    if not (
        type(iss) is str
        and iss
        and cbor.is_uint(seq)
        and is_time(issued_at)
        and type(raw_entries) is list
        and type(raw_retire) is list
    ):
        raise malformed()
    entries = []
    for entry in raw_entries:
        if type(entry) is not list or len(entry) != 3:
            raise malformed()
        kind, value, until = entry
        if type(kind) is not int or not valid_entry_value(kind, value) or not is_time(until):
            raise malformed()
        entries.append((kind, value, until))
    retire = []
    for item in raw_retire:
        if type(item) is not list or len(item) != 2:
            raise malformed()
        retired_kid, until = item
        if type(retired_kid) is not bytes or not retired_kid or not is_time(until):
            raise malformed()
        retire.append((retired_kid, until))
    return Bulletin(kid, iss, seq, issued_at, tuple(entries), tuple(retire))


def parse_beacon(obj: object, kid: bytes | None) -> Beacon:
    """Check a decoded beacon payload; Denied("malformed") on any breach."""
    if type(obj) is not dict:
        raise malformed()
    iss, seq, at = obj.get(T_ISS), obj.get(T_SEQ), obj.get(T_AT)
    if not (type(iss) is str and iss and cbor.is_uint(seq) and is_time(at)):
        raise malformed()
    return Beacon(kid, iss, seq, at)


def read_bulletin(data: bytes) -> Bulletin:
    """Parse a bulletin without verifying it (a phone deciding whether to pass it on)."""
    message = cose.decode_sign1(data, cbor.MAX_BULLETIN_SIZE)
    if message.typ != BULLETIN_TYP:
        raise malformed()
    return parse_bulletin(cbor.decode(message.payload, cbor.MAX_BULLETIN_SIZE), message.kid)


def read_beacon(data: bytes) -> Beacon:
    """Parse a time beacon without verifying it."""
    message = cose.decode_sign1(data, cbor.MAX_BEACON_SIZE)
    if message.typ != BEACON_TYP:
        raise malformed()
    return parse_beacon(cbor.decode(message.payload, cbor.MAX_BEACON_SIZE), message.kid)
