"""The door protocol: a good key opens, and every attack on it is denied and logged."""

from datetime import timedelta

import cbor2
import pytest

import portal.keys.lock as lock_module
from portal.keys import (
    DENIAL_REASONS,
    Denied,
    Issuer,
    Lock,
    Phone,
    es256,
    protocol,
    read_event,
    read_shift_key,
    verify_event,
)

from .support import ISS, KID, LOCK_ID, T0, denial, flipped, forge_key, open_door


def test_a_good_key_opens_and_the_lock_logs_a_signed_event(lock, phone, key):
    signed = open_door(lock, phone, key)
    assert lock.events() == [signed]
    event = verify_event(signed, lock.public_key)
    parsed = read_shift_key(key)
    assert (event.lock_id, event.counter, event.time) == (LOCK_ID, 1, T0)
    assert (event.sub, event.cti, event.device) == ("S-1001", parsed.cti, phone.thumbprint)
    assert (event.action, event.result, event.battery) == ("open", "ok", 100)


def test_close_and_its_synonym_lock_are_logged_as_close(lock, phone, key):
    lock.battery = 37
    for action in ("close", "lock"):
        event = verify_event(open_door(lock, phone, key, action=action), lock.public_key)
        assert (event.action, event.result, event.battery) == ("close", "ok", 37)


def test_counter_counts_every_attempt_including_denials(lock, phone, key):
    open_door(lock, phone, key)
    with pytest.raises(Denied):
        lock.verify(b"\x00")
    open_door(lock, phone, key)
    counters = [read_event(e).counter for e in lock.events()]
    assert counters == [1, 2, 3]
    assert read_event(lock.events()[1]).result == "malformed"


def test_key_signed_by_an_impostor_with_the_trusted_kid_is_bad_signature(
    lock, phone, make_key, clock
):
    impostor = Issuer.generate(ISS, KID, clock)
    answer = phone.answer(lock.challenge(), make_key(issuer=impostor))
    assert denial(lock, answer) == "bad_signature"
    event = read_event(lock.events()[-1])
    # Nothing from an unauthenticated key reaches the log: it could frame a colleague.
    assert (event.sub, event.cti, event.device, event.result) == (None, None, None, "bad_signature")


def test_key_from_an_untrusted_issuer_is_unknown_issuer(lock, phone, make_key, clock):
    stranger = Issuer.generate("https://evil.example", b"evil-1", clock)
    assert denial(lock, phone.answer(lock.challenge(), make_key(issuer=stranger))) == (
        "unknown_issuer"
    )


def test_trusted_key_signing_under_another_iss_is_unknown_issuer(
    lock, phone, make_key, issuer_key, clock
):
    renamed = Issuer(issuer_key, "https://other.example", KID, clock)
    answer = phone.answer(lock.challenge(), make_key(issuer=renamed))
    assert denial(lock, answer) == "unknown_issuer"


def test_key_for_other_locks_is_wrong_lock(lock, phone, make_key):
    answer = phone.answer(lock.challenge(), make_key(locks=[1, 2, 3]))
    assert denial(lock, answer) == "wrong_lock"
    assert read_event(lock.events()[-1]).sub == "S-1001"


def test_a_key_living_longer_than_ten_hours_is_refused(lock, phone, issuer, issuer_key):
    with pytest.raises(ValueError):
        issuer.issue_shift_key(
            "S-1001", phone.public_key, [LOCK_ID], T0, T0 + timedelta(hours=10, seconds=1)
        )
    forged = forge_key(
        issuer_key, device_key=phone.public_key, lifetime=timedelta(hours=10, seconds=1)
    )
    assert denial(lock, phone.answer(lock.challenge(), forged)) == "lifetime_too_long"
    exactly_ten = forge_key(issuer_key, device_key=phone.public_key, lifetime=timedelta(hours=10))
    open_door(lock, phone, exactly_ten)


def test_phone_b_presenting_phone_a_key_is_bad_device_proof(lock, key):
    thief = Phone.generate()
    assert denial(lock, thief.answer(lock.challenge(), key)) == "bad_device_proof"
    assert read_event(lock.events()[-1]).sub == "S-1001"


def test_proof_for_another_lock_or_action_does_not_transfer(lock, phone, key, issuer, clock):
    other = Lock.provision(100, [issuer.trust_anchor()], clock)
    # The phone answers the other lock's challenge, but its nonce is swapped for ours.
    ours = protocol.parse_challenge(lock.challenge())
    theirs = protocol.parse_answer(phone.answer(other.challenge(), key))
    relayed = protocol.Answer(key, ours.nonce, "open", theirs.proof, None, None)
    assert denial(lock, protocol.encode_answer(relayed)) == "bad_device_proof"
    # The action is signed too: an "open" cannot be turned into a "close" or back.
    answer = protocol.parse_answer(phone.answer(lock.challenge(), key, action="close"))
    reworded = protocol.Answer(key, answer.nonce, "open", answer.proof, None, None)
    assert denial(lock, protocol.encode_answer(reworded)) == "bad_device_proof"


def test_an_answer_replayed_to_the_same_or_a_new_challenge_is_refused(lock, phone, key):
    answer = phone.answer(lock.challenge(), key)
    lock.verify(answer)
    assert denial(lock, answer) == "replayed_nonce"
    lock.challenge()
    assert denial(lock, answer) == "replayed_nonce"


def test_a_fresh_nonce_pasted_into_an_old_answer_breaks_the_proof(lock, phone, key):
    old = protocol.parse_answer(phone.answer(lock.challenge(), key))
    fresh = protocol.parse_challenge(lock.challenge())
    pasted = protocol.Answer(key, fresh.nonce, "open", old.proof, None, None)
    assert denial(lock, protocol.encode_answer(pasted)) == "bad_device_proof"


def test_a_denied_attempt_burns_its_nonce(lock, phone, key):
    challenge = lock.challenge()
    thief = Phone.generate()
    assert denial(lock, thief.answer(challenge, key)) == "bad_device_proof"
    assert denial(lock, phone.answer(challenge, key)) == "replayed_nonce"


def test_nonces_expire_and_only_the_newest_few_stay_outstanding(lock, phone, key, clock):
    stale = lock.challenge()
    clock.advance(seconds=lock_module.CHALLENGE_TTL_S + 1)
    assert denial(lock, phone.answer(stale, key)) == "replayed_nonce"
    first = lock.challenge()
    newer = [lock.challenge() for _ in range(lock_module.MAX_OUTSTANDING)]
    assert denial(lock, phone.answer(first, key)) == "replayed_nonce"
    for challenge in newer:
        lock.verify(phone.answer(challenge, key))


def test_an_invented_nonce_is_replayed_nonce(lock, phone, key):
    invented = protocol.encode_challenge(protocol.Challenge(LOCK_ID, b"\x07" * 16, 0, 0, 100))
    assert denial(lock, phone.answer(invented, key)) == "replayed_nonce"


@pytest.mark.parametrize(
    "answer",
    [
        b"",
        b"\x00",
        b"\xff" * 40,
        cbor2.dumps([b"k", b"n" * 16, "open", b"p" * 64, None]),
        cbor2.dumps([b"k", b"n" * 16, "unlock", b"p" * 64, None, None]),
        cbor2.dumps([b"k", b"n" * 15, "open", b"p" * 64, None, None]),
        cbor2.dumps([b"k", b"n" * 16, "open", b"p" * 63, None, None]),
        cbor2.dumps({1: 2}),
        "not bytes",
    ],
)
def test_malformed_answers(lock, answer):
    assert denial(lock, answer) == "malformed"


def test_an_unknown_action_is_malformed(lock, phone, key):
    ch = protocol.parse_challenge(lock.challenge())
    proof = es256.sign_raw(phone.private_key, b"whatever")
    answer = cbor2.dumps([key, ch.nonce, "unlock", proof, None, None])
    assert denial(lock, answer) == "malformed"
    with pytest.raises(ValueError):
        phone.answer(lock.challenge(), key, action="unlock")


def test_every_flipped_byte_in_the_key_is_denied(lock, phone, key):
    reasons = set()
    for position in range(len(key)):
        for mask in (0x01, 0x80):
            # The phone signs whatever key it holds: only the issuer signature can catch this.
            answer = phone.answer(lock.challenge(), flipped(key, position, mask))
            reasons.add(denial(lock, answer))
    assert reasons <= {"bad_signature", "malformed", "unknown_issuer"}
    assert "bad_signature" in reasons and "malformed" in reasons
    open_door(lock, phone, key)


def test_every_flipped_byte_in_the_answer_is_denied(lock, phone, key):
    reasons = set()
    length = len(phone.answer(lock.challenge(), key))
    for position in range(length):
        answer = phone.answer(lock.challenge(), key)
        reasons.add(denial(lock, flipped(answer, position)))
    assert reasons <= set(DENIAL_REASONS) - {"revoked", "wrong_lock"}
    assert {"bad_signature", "malformed", "bad_device_proof", "replayed_nonce"} <= reasons
    open_door(lock, phone, key)


def test_messages_of_one_kind_are_not_accepted_as_another(lock, phone, key, issuer):
    beacon = issuer.time_beacon(1, T0)
    bulletin = issuer.bulletin(1, [], T0)
    for wrong in (beacon, bulletin):
        assert denial(lock, phone.answer(lock.challenge(), wrong)) == "malformed"
    with pytest.raises(Denied):
        lock.receive_beacon(bulletin)
    with pytest.raises(Denied):
        lock.receive_bulletin(key)


def test_lock_and_phone_refuse_bad_setup(issuer, clock):
    with pytest.raises(ValueError):
        Lock.provision(-1, [issuer.trust_anchor()], clock)
    with pytest.raises(ValueError):
        Lock.provision(1, [], clock)
    with pytest.raises(ValueError):
        Lock.provision(1, [issuer.trust_anchor(), issuer.trust_anchor()], clock)
    lock = Lock.provision(1, [issuer.trust_anchor()], clock)
    with pytest.raises(ValueError):
        lock.battery = 101
    with pytest.raises(ValueError):
        Phone.generate().answer(b"junk", b"key")


def test_every_denial_reason_is_reachable_and_logged(lock, phone, make_key, issuer_key, clock):
    seen = []

    def attempt(answer):
        seen.append(denial(lock, answer))

    attempt(b"\x00")
    attempt(phone.answer(lock.challenge(), make_key(issuer=Issuer.generate(ISS, KID, clock))))
    attempt(phone.answer(lock.challenge(), make_key(issuer=Issuer.generate(ISS, b"x", clock))))
    attempt(phone.answer(lock.challenge(), make_key(not_before=T0 + timedelta(hours=1))))
    long_key = forge_key(issuer_key, device_key=phone.public_key, lifetime=timedelta(hours=11))
    attempt(phone.answer(lock.challenge(), long_key))
    attempt(phone.answer(lock.challenge(), make_key(locks=[1])))
    attempt(phone.answer(lock.challenge(), make_key(bulletin_seq=1)))
    attempt(Phone.generate().answer(lock.challenge(), make_key()))
    replayed = phone.answer(lock.challenge(), make_key())
    lock.verify(replayed)
    attempt(replayed)
    expired = forge_key(
        issuer_key,
        device_key=phone.public_key,
        exp=int(T0.timestamp()) - 400,
        nbf=int(T0.timestamp()) - 3600,
    )
    attempt(phone.answer(lock.challenge(), expired))
    assert set(seen) == set(DENIAL_REASONS)
    logged = [read_event(event).result for event in lock.events()]
    assert [r for r in logged if r != "ok"] == seen
