"""Helpers shared by the key module tests (the fixtures live in conftest.py)."""

import os
from datetime import UTC, datetime, timedelta

import pytest

from portal.keys import Denied, claims, cose
from portal.keys.times import to_epoch

T0 = datetime(2026, 3, 2, 7, 0, tzinfo=UTC)
LOCK_ID = 4_000_123
ISS = "https://portal.example/kbh"
KID = b"kbh-2026-1"


class Clock:
    """A clock a test can set and wind: a zero-argument callable returning an aware datetime."""

    def __init__(self, start: datetime):
        self.current = start

    def __call__(self) -> datetime:
        return self.current

    def advance(self, **delta: float) -> None:
        self.current += timedelta(**delta)

    def set(self, moment: datetime) -> None:
        self.current = moment


def open_door(lock, phone, key, **kwargs) -> bytes:
    """One full exchange: challenge, answer, verify; returns the lock's event."""
    return lock.verify(phone.answer(lock.challenge(), key, **kwargs))


def flipped(data: bytes, position: int, mask: int = 0x01) -> bytes:
    """Return `data` with the byte at `position` XOR-ed with `mask`."""
    return data[:position] + bytes((data[position] ^ mask,)) + data[position + 1 :]


def forge_key(private_key, *, kid=KID, device_key, lifetime=timedelta(hours=8), **overrides):
    """Sign arbitrary claims as a CWT, for keys a well-behaved Issuer refuses to make."""
    fields = {
        "iss": ISS,
        "sub": "S-1001",
        "device_key": device_key,
        "locks": [LOCK_ID],
        "nbf": to_epoch(T0),
        "exp": to_epoch(T0 + lifetime),
        "iat": to_epoch(T0),
        "cti": os.urandom(16),
        "bulletin_seq": 0,
    }
    fields.update(overrides)
    return cose.sign1(private_key, claims.encode_claims(**fields), kid=kid)


def reason_of(func, *args) -> str:
    """Call func(*args), which must raise Denied, and return the reason."""
    with pytest.raises(Denied) as caught:
        func(*args)
    return caught.value.reason


def denial(lock, answer: bytes) -> str:
    """The reason `lock` gives for refusing `answer`."""
    return reason_of(lock.verify, answer)
