"""`flask keys demo-shift` and `flask keys rotate`, and the demo seed they build on."""

from datetime import timedelta

from sqlalchemy import func, select

from portal.access import issuer_keys
from portal.access.api import keystore
from portal.access.api_input import b64url_decode
from portal.access.models_events import Visit
from portal.access.models_keys import IssuerKey
from portal.clock import SetClock
from portal.demo import seed_all
from portal.keys import read_shift_key
from portal.locksmith.models import Job
from tests.access.support import (
    citizen_in,
    enrol,
    lock_for,
    make_lock,
    make_staff,
    make_world,
    start_shift,
    visit_door,
)
from tests.factories import NOW


def test_demo_seed_then_demo_shift(app, db, clock):
    ctx = seed_all(db, now=NOW)
    db.commit()
    assert any("DK-1001" in line for line in ctx.lines)
    before = db.scalar(select(func.count()).select_from(Visit))
    battery = select(func.count()).select_from(Job).where(Job.kind == "battery")
    assert before >= 6 and db.scalar(battery) >= 1
    result = app.test_cli_runner().invoke(args=["keys", "demo-shift"])
    assert result.exit_code == 0, result.output
    assert "Uploaded: 6 accepted, 0 duplicates, 0 rejected" in result.output
    db.expire_all()
    assert db.scalar(select(func.count()).select_from(Visit)) == before + 3


def test_demo_shift_without_demo_data_says_what_to_do(app):
    result = app.test_cli_runner().invoke(args=["keys", "demo-shift"])
    assert result.exit_code != 0 and "seed-demo" in result.output


def test_rotation_keeps_old_keys_valid_until_they_expire(app, db, client, clock):
    w = make_world(db)
    unit, lock_key = make_lock(db, citizen_in(db, w))
    member = make_staff(db, [w.team_north])
    phone, device_id = enrol(client, db, member)
    old_shift = start_shift(client, phone, device_id, member.staff_number).get_json()
    old_kid = read_shift_key(b64url_decode(old_shift["shift_key"])).kid
    lock_clock = SetClock(clock())  # the lock's own clock, which the test winds
    # Provisioned before the rotation: trusts the current and the next key.
    lock = lock_for(unit, lock_key, app, db, lock_clock)
    result = app.test_cli_runner().invoke(args=["keys", "rotate"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        store = keystore()
    db.expire_all()
    old = db.scalar(select(IssuerKey).where(IssuerKey.kid == old_kid.decode()))
    assert old.state == "retired" and old.trusted_until >= NOW + timedelta(hours=8)
    new_shift = start_shift(client, phone, device_id, member.staff_number).get_json()
    assert read_shift_key(b64url_decode(new_shift["shift_key"])).kid != old_kid
    visit_door(lock, phone, new_shift, "open")  # brings the bulletin that retires the old kid
    visit_door(lock, phone, old_shift, "close")  # the old key still works until it expires
    assert old_kid in lock.trusted_kids
    lock_clock.advance(timedelta(hours=10, minutes=5))
    assert old_kid not in lock.trusted_kids
    anchors = issuer_keys.trust_anchors(db, store, now=NOW)
    assert [a.until is not None for a in anchors] == [True, False, False]
