"""Lock time: leeway, a floor that never falls, and signed time beacons."""

from datetime import timedelta

from portal.keys import Issuer, Lock, read_event

from .support import ISS, KID, LOCK_ID, T0, denial, open_door


def test_a_slow_lock_clock_catches_up_through_the_key_iat(issuer, phone, make_key, clock):
    clock.set(T0 - timedelta(hours=3))
    slow = Lock.provision(LOCK_ID, [issuer.trust_anchor()], clock)
    open_door(slow, phone, make_key(issued_at=T0))
    assert slow.floor == T0 and slow.now() == T0


def test_winding_the_clock_back_never_revives_an_expired_key(lock, phone, make_key, clock):
    early = make_key(expires=T0 + timedelta(hours=1))
    clock.set(T0 + timedelta(hours=3))
    later = make_key(
        not_before=T0 + timedelta(hours=3),
        expires=T0 + timedelta(hours=9),
        issued_at=T0 + timedelta(hours=3),
    )
    open_door(lock, phone, later)
    clock.set(T0)  # someone resets the lock's clock
    assert lock.now() == T0 + timedelta(hours=3)
    assert denial(lock, phone.answer(lock.challenge(), early)) == "expired"
    assert read_event(lock.events()[-1]).time == T0 + timedelta(hours=3)


def test_time_beacon_moves_the_floor_forward_only(lock, phone, key, issuer, clock):
    assert lock.receive_beacon(issuer.time_beacon(2, T0 + timedelta(hours=9)))
    assert denial(lock, phone.answer(lock.challenge(), key)) == "expired"
    assert not lock.receive_beacon(issuer.time_beacon(1, T0 + timedelta(hours=20)))
    assert lock.receive_beacon(issuer.time_beacon(3, T0))
    assert lock.floor == T0 + timedelta(hours=9)


def test_a_beacon_carried_by_the_answer_is_applied_before_judging(lock, phone, key, issuer):
    beacon = issuer.time_beacon(1, T0 + timedelta(hours=9))
    assert denial(lock, phone.answer(lock.challenge(), key, beacon=beacon)) == "expired"
    assert lock.beacon_seq == 1


def test_a_forged_beacon_denies_the_answer_and_moves_nothing(lock, phone, key):
    rogue = Issuer.generate(ISS, KID)
    beacon = rogue.time_beacon(1, T0 + timedelta(hours=9))
    assert denial(lock, phone.answer(lock.challenge(), key, beacon=beacon)) == "bad_signature"
    assert lock.floor < T0 + timedelta(hours=1)
    open_door(lock, phone, key)


def test_not_yet_valid_before_nbf_with_five_minutes_leeway(lock, phone, make_key, clock):
    key = make_key(not_before=T0 + timedelta(hours=2), expires=T0 + timedelta(hours=10))
    assert denial(lock, phone.answer(lock.challenge(), key)) == "not_yet_valid"
    clock.set(T0 + timedelta(hours=2) - timedelta(minutes=5, seconds=1))
    assert denial(lock, phone.answer(lock.challenge(), key)) == "not_yet_valid"
    clock.advance(seconds=1)
    open_door(lock, phone, key)


def test_expired_after_exp_with_five_minutes_leeway(lock, phone, key, clock):
    clock.set(T0 + timedelta(hours=8, minutes=4, seconds=59))
    open_door(lock, phone, key)
    clock.advance(seconds=1)
    assert denial(lock, phone.answer(lock.challenge(), key)) == "expired"
