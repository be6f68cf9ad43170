"""Property-based fuzzing: whatever arrives, the parsers and the lock answer only with Denied."""

import os
from datetime import timedelta

import cbor2
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from portal.keys import (
    DENIAL_REASONS,
    Denied,
    Issuer,
    Lock,
    Phone,
    protocol,
    read_beacon,
    read_bulletin,
    read_event,
    read_shift_key,
    verify_event,
)

from .support import ISS, KID, LOCK_ID, T0, Clock

# KEYS_FUZZ_EXAMPLES=20000 for a deeper run than the default, which keeps the suite fast.
FUZZ = settings(
    max_examples=int(os.environ.get("KEYS_FUZZ_EXAMPLES", "200")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)

# Built once per module: hypothesis runs many examples against the same world.
CLOCK = Clock(T0 + timedelta(hours=1))
ISSUER = Issuer.generate(ISS, KID, clock=lambda: T0)
PHONE = Phone.generate()
LOCK = Lock.provision(LOCK_ID, [ISSUER.trust_anchor()], CLOCK)
KEY = ISSUER.issue_shift_key(
    "S-1001", PHONE.public_key, [LOCK_ID, *range(1, 60)], T0, T0 + timedelta(hours=8)
)
BULLETIN = ISSUER.bulletin(1, [("sub", "S-9", T0 + timedelta(hours=9))], T0)
BEACON = ISSUER.time_beacon(1, T0)
EVENT = LOCK.verify(PHONE.answer(LOCK.challenge(), KEY))


def only_denied(func, data):
    """Call func(data); a Denied with a listed reason is fine, any other exception is a bug."""
    try:
        return func(data)
    except Denied as denied:
        assert denied.reason in DENIAL_REASONS
        return denied


@st.composite
def mutated(draw, original: bytes) -> bytes:
    """The original bytes with a few flips, insertions, deletions or a truncation."""
    data = bytearray(original)
    for _ in range(draw(st.integers(1, 4))):
        op = draw(st.sampled_from(["flip", "insert", "delete", "truncate", "set"]))
        at = draw(st.integers(0, max(len(data) - 1, 0)))
        if op == "flip" and data:
            data[at] ^= draw(st.integers(1, 255))
        elif op == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=8))
        elif op == "delete" and data:
            del data[at : at + draw(st.integers(1, 8))]
        elif op == "truncate":
            del data[at:]
        elif op == "set" and data:
            data[at] = draw(st.sampled_from([0x00, 0x18, 0x1B, 0x5B, 0x9F, 0xBF, 0xD2, 0xFF]))
    return bytes(data)


cbor_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**64), 2**64 - 1)
    | st.binary(max_size=40)
    | st.text(max_size=20)
    | st.floats(allow_nan=False),
    lambda inner: (
        st.lists(inner, max_size=5)
        | st.dictionaries(st.integers(-70000, 20) | st.text(max_size=3), inner, max_size=5)
        | st.builds(cbor2.CBORTag, st.sampled_from([1, 2, 18, 24, 36, 61, 258]), inner)
    ),
    max_leaves=20,
)


@st.composite
def cose_like(draw) -> bytes:
    """Structurally plausible COSE_Sign1 messages with random headers and payloads."""
    protected = draw(
        st.sampled_from([cbor2.dumps({1: -7, 4: KID}), cbor2.dumps({1: -7}), b""])
        | cbor_values.map(cbor2.dumps)
    )
    unprotected = draw(st.just({}) | st.dictionaries(st.integers(-3, 20), cbor_values, max_size=3))
    payload = draw(cbor_values.map(cbor2.dumps) | st.binary(max_size=60))
    signature = draw(st.binary(min_size=64, max_size=64) | st.binary(max_size=70))
    tag = draw(st.sampled_from([18, 18, 61, 17]))
    return cbor2.dumps(cbor2.CBORTag(tag, [protected, unprotected, payload, signature]))


PARSERS = [read_shift_key, read_event, read_bulletin, read_beacon, protocol.parse_challenge]


@FUZZ
@given(st.binary(max_size=600) | cbor_values.map(cbor2.dumps) | cose_like())
def test_parsers_only_ever_raise_denied(data):
    for parse in PARSERS:
        only_denied(parse, data)
    only_denied(lambda d: verify_event(d, LOCK.public_key), data)


@FUZZ
@given(mutated(KEY))
def test_mutated_keys_parse_or_are_malformed(data):
    result = only_denied(read_shift_key, data)
    assert not isinstance(result, Denied) or result.reason == "malformed"


@FUZZ
@given(st.binary(max_size=800) | cbor_values.map(cbor2.dumps) | cose_like())
def test_lock_denies_random_answers(data):
    assert isinstance(only_denied(LOCK.verify, data), Denied)


@FUZZ
@given(
    st.sampled_from(["answer", "key", "bulletin", "beacon"]),
    st.data(),
)
def test_lock_denies_every_mutated_answer(part, data):
    challenge = LOCK.challenge()
    pieces = {"key": KEY, "bulletin": BULLETIN, "beacon": BEACON}
    if part in pieces:
        pieces[part] = data.draw(mutated(pieces[part]).filter(lambda b: b != pieces[part]))
    key = pieces["key"]
    answer = protocol.parse_answer(PHONE.answer(challenge, key))
    # Built by hand so the phone cannot drop a bulletin or beacon it does not like.
    envelope = protocol.encode_answer(
        protocol.Answer(key, answer.nonce, "open", answer.proof, pieces["bulletin"], None)
        if part != "beacon"
        else protocol.Answer(key, answer.nonce, "open", answer.proof, None, pieces["beacon"])
    )
    if part == "answer":
        envelope = data.draw(mutated(envelope).filter(lambda b: b != envelope))
    result = only_denied(LOCK.verify, envelope)
    assert isinstance(result, Denied), "an altered message opened the door"


@FUZZ
@given(mutated(EVENT))
def test_mutated_events_never_verify(data):
    result = only_denied(lambda d: verify_event(d, LOCK.public_key), data)
    if data != EVENT:
        assert isinstance(result, Denied) and result.reason in {"bad_signature", "malformed"}
