"""Unblocking a staff member: new shift keys again, keys issued before the block stay revoked
at every door (checked against the reference lock), a phone blocked on its own stays blocked."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from portal.access import blocking, bulletins
from portal.access.api import keystore
from portal.access.api_input import b64url_decode
from portal.access.models import Device
from portal.access.models_keys import RevocationEntry, ShiftKey
from portal.audit.models import AuditRecord
from portal.audit.services import SYSTEM
from portal.clock import SetClock
from portal.keys import Denied, read_bulletin
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


@pytest.fixture
def field(db, client, clock):
    """A staff member with an enrolled phone and two doors she may open."""
    w = make_world(db)
    locks = [make_lock(db, citizen_in(db, w)) for _ in range(2)]
    member = make_staff(db, [w.team_north])
    phone, device_id = enrol(client, db, member)
    return {"member": member, "phone": phone, "device_id": device_id, "locks": locks}


def _store(client):
    with client.application.app_context():
        return keystore()


def _shift(client, f):
    return start_shift(client, f["phone"], f["device_id"], f["member"].staff_number)


def _refused(lock, f, shift):
    with pytest.raises(Denied) as denied:
        visit_door(lock, f["phone"], shift, "open")
    return denied.value.reason


def test_unblocked_staff_get_new_keys_while_keys_from_before_the_block_stay_revoked(
    client, db, app, field, clock
):
    f = field
    before = _shift(client, f).get_json()
    lock_clock = SetClock(clock())
    (unit_a, key_a), (unit_b, key_b) = f["locks"]
    door_a = lock_for(unit_a, key_a, app, db, lock_clock)
    door_b = lock_for(unit_b, key_b, app, db, lock_clock)
    visit_door(door_a, f["phone"], before, "open")

    clock.advance(timedelta(minutes=30))
    blocking.block_staff(db, f["member"].id, _store(client), now=clock(), actor=SYSTEM)
    db.commit()
    assert _shift(client, f).status_code == 403  # refused at once while blocked
    door_a.receive_bulletin(b64url_decode(client.get("/api/v1/bulletin").get_json()["bulletin"]))
    assert _refused(door_a, f, before) == "revoked"

    clock.advance(timedelta(minutes=30))
    member, seq = blocking.unblock_staff(
        db, f["member"].id, _store(client), now=clock(), actor=SYSTEM
    )
    db.commit()
    assert member.active and seq == bulletins.current_seq(db)
    after = _shift(client, f)
    assert after.status_code == 201, after.get_json()
    after = after.get_json()
    assert after["bulletin_seq"] == seq
    # A door holding the block's bulletin learns the unblock from the phone, then opens.
    lock_clock.set(clock())
    visit_door(door_a, f["phone"], after, "open")
    assert door_a.bulletin_seq == seq
    # The key from before the block stays refused: at the door that has the new bulletin, and
    # at a door that never saw the block's bulletin and gets the new one with the old key.
    assert _refused(door_a, f, before) == "revoked"
    old_with_new_bulletin = {**before, "bulletin": after["bulletin"]}
    assert _refused(door_b, f, old_with_new_bulletin) == "revoked"
    visit_door(door_b, f["phone"], after, "open")


def test_the_unblock_bulletin_lifts_the_staff_entry_and_lists_the_old_keys_until_they_expire(
    client, db, field, clock
):
    f = field
    _shift(client, f)
    old = db.scalars(select(ShiftKey).where(ShiftKey.staff_id == f["member"].id)).all()
    blocked = blocking.block_staff(db, f["member"].id, _store(client), now=clock(), actor=SYSTEM)
    number = blocked.staff_number
    clock.advance(timedelta(hours=1))
    _, seq = blocking.unblock_staff(db, blocked.id, _store(client), now=clock(), actor=SYSTEM)
    db.commit()
    entries = read_bulletin(bulletins.latest(db).data).entries
    assert all(value != number for _, value, _ in entries)
    ctis = {value.hex(): until for kind, value, until in entries if kind == 1}
    assert {k.cti: int(k.expires_at.timestamp()) for k in old} == ctis
    staff_entry = db.scalar(select(RevocationEntry).where(RevocationEntry.kind == "sub"))
    assert staff_entry.lifted_at == clock() and staff_entry.bulletin_seq == seq - 1
    audit = db.scalar(select(AuditRecord).where(AuditRecord.action == "staff_unblocked"))
    assert audit.object_id == str(blocked.id)
    assert audit.data == {"bulletin_seq": seq, "blocked_bulletin_seq": seq - 1,
                          "keys_kept_revoked": 1}  # fmt: skip


def test_unblocking_twice_changes_nothing_and_a_blocked_phone_stays_blocked(
    client, db, field, clock
):
    f = field
    device = db.scalar(select(Device).where(Device.public_id == f["device_id"]))
    blocking.block_device(db, device.id, _store(client), now=clock(), actor=SYSTEM)
    blocking.block_staff(db, f["member"].id, _store(client), now=clock(), actor=SYSTEM)
    _, seq = blocking.unblock_staff(db, f["member"].id, _store(client), now=clock(), actor=SYSTEM)
    _, again = blocking.unblock_staff(db, f["member"].id, _store(client), now=clock(), actor=SYSTEM)
    db.commit()
    assert seq and again is None and bulletins.current_seq(db) == seq
    assert _shift(client, f).get_json()["type"].endswith("device-blocked")
    thumbprint = bytes.fromhex(device.thumbprint)
    assert any(v == thumbprint for _, v, _ in read_bulletin(bulletins.latest(db).data).entries)
