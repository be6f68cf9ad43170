"""Fixtures for the key module: a settable clock, an issuer, phones and a lock. No app needed."""

from datetime import timedelta

import pytest

from portal.keys import Issuer, Lock, Phone, es256

from .support import ISS, KID, LOCK_ID, T0, Clock


@pytest.fixture
def clock() -> Clock:
    return Clock(T0)


@pytest.fixture
def issuer_key():
    """The issuer's private key, for tests that forge what the issuer itself refuses to sign."""
    return es256.generate_private_key()


@pytest.fixture
def issuer(issuer_key, clock) -> Issuer:
    return Issuer(issuer_key, ISS, KID, clock=clock)


@pytest.fixture
def phone() -> Phone:
    return Phone.generate()


@pytest.fixture
def lock(issuer, clock) -> Lock:
    return Lock.provision(LOCK_ID, [issuer.trust_anchor()], clock)


@pytest.fixture
def make_key(issuer, phone):
    """Issue a shift key; defaults: the fixture phone, an 8-hour shift from T0, 60 locks."""

    def make(**overrides) -> bytes:
        args = {
            "sub": "S-1001",
            "device_key": phone.public_key,
            "locks": [LOCK_ID, *range(100, 159)],
            "not_before": T0,
            "expires": T0 + timedelta(hours=8),
        }
        args.update(overrides)
        target = args.pop("issuer", issuer)
        return target.issue_shift_key(**args)

    return make


@pytest.fixture
def key(make_key) -> bytes:
    return make_key()
