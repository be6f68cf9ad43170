"""Who may open which door: derived at issue time from care groups, districts and providers."""

from datetime import date, timedelta

from portal.access import blocking, derivation
from portal.access.models import Device
from portal.audit.services import SYSTEM
from portal.citizens import lifecycle
from portal.directory.queries import provider_on
from portal.directory.services import assign_provider
from tests.access.support import NOW, citizen_in, make_lock, make_staff, make_world
from tests.factories import make_property, set_status

TZ = "Europe/Copenhagen"


def _device(db, member, active=True):
    device = Device(
        public_id=f"dev_{member.id}",
        staff_id=member.id,
        public_key_pem="-",
        thumbprint=f"{member.id:064x}",
        enrolled_at=NOW,
        status="active" if active else "blocked",
    )
    db.add(device)
    db.commit()
    return device


def _lock_ids(db, member, device=None, now=NOW):
    return {u.lock_id for u in derivation.allowed_locks(db, member, device, now=now, tz=TZ)}


def test_day_team_opens_its_district_for_its_provider_only(db):
    w = make_world(db)
    mine, _ = make_lock(db, citizen_in(db, w))
    other_district, _ = make_lock(db, citizen_in(db, w, district=w.south))
    other_provider, _ = make_lock(db, citizen_in(db, w, provider=w.private))
    member = make_staff(db, [w.team_north])
    assert _lock_ids(db, member) == {mine.lock_id}
    assert other_district.lock_id not in _lock_ids(db, member)
    assert other_provider.lock_id not in _lock_ids(db, member)


def test_night_patrol_opens_every_door_in_its_districts_whatever_the_provider(db):
    w = make_world(db)
    a, _ = make_lock(db, citizen_in(db, w))
    b, _ = make_lock(db, citizen_in(db, w, district=w.south, provider=w.private))
    member = make_staff(db, [w.night])
    assert _lock_ids(db, member) == {a.lock_id, b.lock_id}


def test_entrances_of_the_citizens_building_come_along(db):
    w = make_world(db)
    building = make_property(db, district=w.north, entrances=2)
    citizen = citizen_in(db, w, property_id=building.id)
    door, _ = make_lock(db, citizen)
    street, _ = make_lock(db, entrance=building.entrances[0])
    gate, _ = make_lock(db, entrance=building.entrances[1])
    elsewhere = make_property(db, district=w.north)
    other, _ = make_lock(db, entrance=elsewhere.entrances[0])
    member = make_staff(db, [w.team_north])
    assert _lock_ids(db, member) == {door.lock_id, street.lock_id, gate.lock_id}
    building.entrances[1].consent_status = "withdrawn"
    db.commit()
    assert _lock_ids(db, member) == {door.lock_id, street.lock_id}
    assert other.lock_id not in _lock_ids(db, member)


def test_a_dated_provider_switch_moves_the_keys_from_that_date(db):
    w = make_world(db)
    citizen = citizen_in(db, w)
    unit, _ = make_lock(db, citizen)
    municipal_staff = make_staff(db, [w.team_north])
    private_staff = make_staff(db, [w.private_team])
    switch_day = date(2026, 12, 1)
    assign_provider(db, citizen.id, w.private.id, None, switch_day, now=NOW, actor=SYSTEM)
    db.commit()
    # 30 Nov 23:30 in Copenhagen is still before the switch; 1 Dec 00:30 is after it.
    before = NOW.replace(month=11, day=30, hour=22, minute=30)
    after = before + timedelta(hours=2)
    assert unit.lock_id in _lock_ids(db, municipal_staff, now=before)
    assert unit.lock_id not in _lock_ids(db, private_staff, now=before)
    assert unit.lock_id not in _lock_ids(db, municipal_staff, now=after)
    assert unit.lock_id in _lock_ids(db, private_staff, now=after)
    assert provider_on(db, citizen.id, switch_day).id == w.private.id
    # ... and back again later: the latest assignment in force wins.
    assign_provider(db, citizen.id, w.municipal.id, None, date(2027, 1, 1), now=NOW, actor=SYSTEM)
    db.commit()
    later = after + timedelta(days=40)
    assert unit.lock_id in _lock_ids(db, municipal_staff, now=later)
    assert unit.lock_id not in _lock_ids(db, private_staff, now=later)


def test_blocked_staff_blocked_device_inactive_citizen_and_inactive_lock_get_nothing(db, app):
    w = make_world(db)
    citizen = citizen_in(db, w)
    unit, _ = make_lock(db, citizen)
    member = make_staff(db, [w.team_north])
    device = _device(db, member)
    assert _lock_ids(db, member, device) == {unit.lock_id}
    assert _lock_ids(db, member, _device(db, make_staff(db, [w.team_north]))) == set()
    lifecycle.care_ended(citizen)
    db.commit()
    assert _lock_ids(db, member, device) == set()
    set_status(citizen, "fitted")
    unit.active = False
    db.commit()
    assert _lock_ids(db, member, device) == set()
    unit.active = True
    device.status = "blocked"
    db.commit()
    assert _lock_ids(db, member, device) == set()
    device.status = "active"
    store = _store(app)
    blocking.block_staff(db, member.id, store, now=NOW, actor=SYSTEM)
    assert _lock_ids(db, member, device) == set()


def _store(app):
    from portal.access.issuer_keys import KeyStore

    return KeyStore.from_config(app.config, app.instance_path)
