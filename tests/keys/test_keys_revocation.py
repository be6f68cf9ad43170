"""Revocation bulletins reach locks through any visiting phone; issuer keys rotate safely."""

from datetime import timedelta

import pytest

from portal.keys import (
    Denied,
    Issuer,
    Lock,
    Phone,
    protocol,
    read_bulletin,
    read_event,
    read_shift_key,
)

from .support import ISS, LOCK_ID, T0, denial, forge_key, open_door


@pytest.fixture
def colleague(make_key):
    """Phone B with its own valid key: the messenger that brings bulletins to the lock."""
    phone_b = Phone.generate()

    def visit(lock, bulletin: bytes) -> bytes:
        seq = read_bulletin(bulletin).seq
        key_b = make_key(sub="S-2002", device_key=phone_b.public_key, bulletin_seq=seq)
        return open_door(lock, phone_b, key_b, bulletin=bulletin)

    return visit


UNTIL = T0 + timedelta(hours=8)


@pytest.mark.parametrize("kind", ["cti", "device", "sub"])
def test_a_revocation_reaches_the_lock_through_another_phone(
    kind, lock, phone, key, issuer, colleague
):
    open_door(lock, phone, key)
    value = {"cti": read_shift_key(key).cti, "device": phone.thumbprint, "sub": "S-1001"}[kind]
    colleague(lock, issuer.bulletin(1, [(kind, value, UNTIL)], T0))
    assert lock.bulletin_seq == 1
    assert denial(lock, phone.answer(lock.challenge(), key)) == "revoked"
    event = read_event(lock.events()[-1])
    assert (event.sub, event.result) == ("S-1001", "revoked")


def test_a_revoked_device_cannot_use_a_fresh_key_either(lock, phone, make_key, issuer):
    lock.receive_bulletin(issuer.bulletin(1, [("device", phone.thumbprint, UNTIL)], T0))
    fresh = make_key(sub="S-3003", bulletin_seq=1)
    assert denial(lock, phone.answer(lock.challenge(), fresh)) == "revoked"


def test_an_older_bulletin_never_undoes_a_newer_one(lock, phone, key, issuer, colleague):
    cti = read_shift_key(key).cti
    newer = issuer.bulletin(5, [("cti", cti, UNTIL)], T0)
    older = issuer.bulletin(4, [], T0)
    colleague(lock, newer)
    assert lock.receive_bulletin(older) is False
    # A phone with the older one does not even send it; forced into the answer, it is ignored.
    answer = protocol.parse_answer(phone.answer(lock.challenge(), key, bulletin=older))
    assert answer.bulletin is None
    forced = protocol.encode_answer(
        protocol.Answer(key, answer.nonce, "open", answer.proof, older, None)
    )
    assert denial(lock, forced) == "revoked"
    assert lock.bulletin_seq == 5


def test_phone_sends_the_bulletin_only_when_the_lock_lacks_it(lock, phone, issuer, make_key):
    bulletin = issuer.bulletin(1, [], T0)
    key = make_key(bulletin_seq=1)
    first = protocol.parse_answer(phone.answer(lock.challenge(), key, bulletin=bulletin))
    assert first.bulletin == bulletin
    open_door(lock, phone, key, bulletin=bulletin)
    again = protocol.parse_answer(phone.answer(lock.challenge(), key, bulletin=bulletin))
    assert again.bulletin is None


def test_a_key_newer_than_the_lock_bulletin_needs_that_bulletin(lock, phone, make_key, issuer):
    key = make_key(bulletin_seq=3)
    assert denial(lock, phone.answer(lock.challenge(), key)) == "revoked"
    open_door(lock, phone, key, bulletin=issuer.bulletin(3, [], T0))


def test_entries_are_pruned_once_their_until_has_passed(lock, phone, make_key, issuer, clock):
    key = make_key()
    cti = read_shift_key(key).cti
    lock.receive_bulletin(issuer.bulletin(1, [("cti", cti, T0 + timedelta(hours=1))], T0))
    assert [entry[0] for entry in lock.revocations] == ["cti"]
    clock.set(T0 + timedelta(hours=1, minutes=5))
    assert lock.revocations == []
    open_door(lock, phone, key)


def test_winding_the_clock_forward_and_back_does_not_forget_a_revocation(
    lock, phone, key, issuer, clock
):
    cti = read_shift_key(key).cti
    lock.receive_bulletin(issuer.bulletin(1, [("cti", cti, UNTIL)], T0))
    clock.set(T0 + timedelta(days=30))
    lock.challenge()
    clock.set(T0 + timedelta(hours=1))
    assert denial(lock, phone.answer(lock.challenge(), key)) == "revoked"


def test_signed_time_drops_entries_from_the_lock_memory(lock, issuer):
    cti = b"\x01" * 16
    lock.receive_bulletin(issuer.bulletin(1, [("cti", cti, T0 + timedelta(hours=1))], T0))
    lock.receive_beacon(issuer.time_beacon(1, T0 + timedelta(hours=2)))
    assert lock.revocations == []


def test_a_bulletin_arriving_with_entries_already_past_keeps_none(lock, issuer):
    old = [("sub", "S-9", T0 - timedelta(hours=1))]
    assert lock.receive_bulletin(issuer.bulletin(1, old, T0))
    assert lock.revocations == []


def test_a_bulletin_raises_the_floor_to_its_issue_time(lock, issuer):
    lock.receive_bulletin(issuer.bulletin(1, [], T0 + timedelta(hours=1)))
    assert lock.floor == T0 + timedelta(hours=1)


def test_a_forged_bulletin_denies_the_answer_and_changes_nothing(lock, phone, key):
    rogue = Issuer.generate(ISS, b"kbh-2026-1")
    bulletin = rogue.bulletin(9, [("sub", "S-1001", UNTIL)], T0)
    assert denial(lock, phone.answer(lock.challenge(), key, bulletin=bulletin)) == "bad_signature"
    assert lock.bulletin_seq == 0
    stranger = Issuer.generate("https://evil.example", b"evil")
    with pytest.raises(Denied) as caught:
        lock.receive_bulletin(stranger.bulletin(9, [], T0))
    assert caught.value.reason == "unknown_issuer"
    open_door(lock, phone, key)


def test_issuer_refuses_bad_bulletin_entries(issuer):
    for entry in [("cti", b"short", UNTIL), ("device", b"x" * 31, UNTIL), ("sub", "", UNTIL)]:
        with pytest.raises(ValueError):
            issuer.bulletin(1, [entry], T0)
    with pytest.raises(ValueError):
        issuer.bulletin(1, [("staff", "S-1", UNTIL)], T0)
    with pytest.raises(ValueError):
        issuer.bulletin(-1, [], T0)


# Rotation: locks trust the current and the next issuer key.

R = T0 + timedelta(hours=1)


@pytest.fixture
def rotation(issuer, clock):
    new = Issuer.generate(ISS, b"kbh-2026-2", clock=clock)
    lock = Lock.provision(LOCK_ID, [issuer.trust_anchor(), new.trust_anchor()], clock)
    return new, lock


def test_rotation_keeps_old_keys_until_they_expire_then_only_the_new_kid(
    rotation, issuer, issuer_key, phone, make_key, clock
):
    new, lock = rotation
    old_key = make_key(not_before=T0, expires=T0 + timedelta(hours=8))
    open_door(lock, phone, old_key)
    # At R the portal switches to the new key and retires the old one at R + 10 h.
    clock.set(R)
    retire = new.bulletin(1, [], R, retire=[(issuer.kid, R + timedelta(hours=10))])
    new_key = make_key(issuer=new, not_before=R, expires=R + timedelta(hours=8), bulletin_seq=1)
    open_door(lock, phone, new_key, bulletin=retire)
    clock.set(R + timedelta(hours=2))
    open_door(lock, phone, old_key)  # issued before the rotation: still good
    # Someone holding the old private key cannot mint keys that outlive its retirement.
    late = forge_key(
        issuer_key,
        device_key=phone.public_key,
        nbf=int((R + timedelta(hours=3)).timestamp()),
        exp=int((R + timedelta(hours=11)).timestamp()),
        iat=int((R + timedelta(hours=3)).timestamp()),
        bulletin_seq=1,
    )
    assert denial(lock, phone.answer(lock.challenge(), late)) == "unknown_issuer"
    # After the retirement time the old kid is unknown, then forgotten once signed time passes.
    clock.set(R + timedelta(hours=10))
    assert lock.trusted_kids == [new.kid]
    lock.receive_beacon(new.time_beacon(1, R + timedelta(hours=10)))
    clock.set(R + timedelta(hours=9))  # winding the clock back brings nothing back
    assert lock.trusted_kids == [new.kid]


def test_retirement_only_ever_shortens_trust(rotation, issuer, clock):
    new, lock = rotation
    lock.receive_bulletin(new.bulletin(1, [], R, retire=[(issuer.kid, R + timedelta(hours=10))]))
    lock.receive_bulletin(new.bulletin(2, [], R, retire=[(issuer.kid, R + timedelta(days=10))]))
    clock.set(R + timedelta(hours=10))
    assert lock.trusted_kids == [new.kid]


def test_an_anchor_provisioned_with_until_expires(issuer, phone, make_key, clock):
    lock = Lock.provision(LOCK_ID, [issuer.trust_anchor(until=T0 + timedelta(hours=6))], clock)
    assert denial(lock, phone.answer(lock.challenge(), make_key())) == "unknown_issuer"
    short = make_key(expires=T0 + timedelta(hours=6))
    open_door(lock, phone, short)
    clock.set(T0 + timedelta(hours=6))
    assert denial(lock, phone.answer(lock.challenge(), short)) == "unknown_issuer"
