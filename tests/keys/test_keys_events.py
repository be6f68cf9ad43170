"""Lock events verify against the lock's key only; forged or altered events are refused."""

import cbor2
import pytest

from portal.keys import Lock, Phone, cose, es256, events, read_event, verify_event

from .support import LOCK_ID, T0, flipped, open_door, reason_of


@pytest.fixture
def event(lock, phone, key) -> bytes:
    return open_door(lock, phone, key)


def test_read_event_finds_the_lock_without_verifying(event, lock):
    assert read_event(event) == verify_event(event, lock.public_key)
    assert read_event(event).lock_id == LOCK_ID


def test_an_event_verifies_only_with_its_own_lock_key(event, issuer, clock):
    other = Lock.provision(LOCK_ID, [issuer.trust_anchor()], clock)
    assert reason_of(verify_event, event, other.public_key) == "bad_signature"


def test_an_altered_event_is_bad_signature(event, lock):
    message = cbor2.loads(event)
    payload = cbor2.loads(message.value[2])
    for field, value in [(events.E_COUNTER, 99), (events.E_RESULT, "expired"), (events.E_SUB, "X")]:
        message.value[2] = cbor2.dumps({**payload, field: value})
        assert reason_of(verify_event, cbor2.dumps(message), lock.public_key) == "bad_signature"
    # read_event believes anything, which is why it is only for finding the lock's key.
    assert read_event(cbor2.dumps(message)).sub == "X"


def test_a_forged_event_signed_by_another_key_is_bad_signature(lock):
    forger = Phone.generate().private_key
    forged = events.sign_event(
        forger,
        lock_id=LOCK_ID,
        counter=7,
        time=int(T0.timestamp()),
        action="open",
        result="ok",
        battery=90,
    )
    assert read_event(forged).counter == 7
    assert reason_of(verify_event, forged, lock.public_key) == "bad_signature"


def test_every_flipped_byte_in_an_event_is_refused(event, lock):
    reasons = {
        reason_of(verify_event, flipped(event, position, mask), lock.public_key)
        for position in range(len(event))
        for mask in (0x01, 0x80)
    }
    assert reasons == {"bad_signature", "malformed"}


def test_a_shift_key_or_bulletin_is_not_an_event(key, issuer, lock):
    assert reason_of(verify_event, key, lock.public_key) == "malformed"
    assert reason_of(read_event, issuer.bulletin(1, [], T0)) == "malformed"


def test_an_event_with_impossible_fields_is_malformed(issuer, clock):
    lock_key = es256.generate_private_key()
    lock = Lock.provision(LOCK_ID, [issuer.trust_anchor()], clock, private_key=lock_key)
    for bad in ({events.E_RESULT: "opened"}, {events.E_BATTERY: 120}, {events.E_ACTION: "lock"}):
        fields = {
            events.E_LOCK: LOCK_ID,
            events.E_COUNTER: 1,
            events.E_TIME: 0,
            events.E_ACTION: "open",
            events.E_RESULT: "ok",
            events.E_BATTERY: 50,
            **bad,
        }
        signed = cose.sign1(lock_key, cbor2.dumps(fields), typ=events.EVENT_TYP)
        assert reason_of(verify_event, signed, lock.public_key) == "malformed"
