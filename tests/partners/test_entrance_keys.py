"""Shift keys and entrances, end to end through the field API and the reference lock: home care
of the citizen's provider opens the entrance in front of the citizen's door, and only that;
another provider's staff cannot; a partner's courier opens the entrance in the owner's window
and never a front door."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from portal.access import derivation
from portal.access.api_input import b64url_decode
from portal.access.models import Device
from portal.access.models_keys import ShiftKey
from portal.audit.services import SYSTEM
from portal.consent import partners
from portal.consent.models import ConsentStatus, EntranceCitizen
from portal.keys import Denied, read_shift_key
from tests.access.support import citizen_in, enrol, lock_for, make_lock, start_shift, visit_door
from tests.factories import NOW, make_property
from tests.partners.support import make_building

TZ = "Europe/Copenhagen"


@pytest.fixture
def building(db, clock):
    return make_building(db)


def _shift(client, db, member, at=NOW, **extra):
    phone, device_id = enrol(client, db, member, now=at)
    response = start_shift(
        client, phone, device_id, member.staff_number, timestamp=at.timestamp(), **extra
    )
    return phone, device_id, response


def _locks(db, member):
    return [u.lock_id for u in derivation.allowed_locks(db, member, None, now=NOW, tz=TZ)]


def test_home_care_opens_the_entrance_in_front_of_its_citizen_and_another_provider_cannot(
    client, db, building, app, clock
):
    b = building
    phone, _, response = _shift(client, db, b.home_care)
    assert response.status_code == 201, response.get_json()
    shift = response.get_json()
    claims = read_shift_key(b64url_decode(shift["shift_key"]))
    assert set(claims.locks) == {b.door[0].lock_id, b.gate[0].lock_id}
    gate = lock_for(*b.gate, app, db, clock)
    visit_door(gate, phone, shift, "open")  # opens

    # Staff of another provider serving the same district get a key (for their own citizen's
    # door) that the entrance refuses.
    own = citizen_in(db, b.world, provider=b.world.private)
    make_lock(db, own)
    db.commit()
    other_phone, _, other = _shift(client, db, b.other_provider_staff)
    assert other.status_code == 201, other.get_json()
    other_shift = other.get_json()
    assert b.gate[0].lock_id not in read_shift_key(b64url_decode(other_shift["shift_key"])).locks
    with pytest.raises(Denied) as denied:
        visit_door(lock_for(*b.gate, app, db, clock), other_phone, other_shift, "open")
    assert denied.value.reason == "wrong_lock"


def test_corrections_of_who_lives_behind_an_entrance_decide(db, building, clock):
    b = building
    assert b.gate[0].lock_id in _locks(db, b.home_care)
    db.add(EntranceCitizen(entrance_id=b.entrance.id, citizen_id=b.citizen.id, needed=False))
    db.flush()
    assert b.gate[0].lock_id not in _locks(db, b.home_care)
    assert b.door[0].lock_id in _locks(db, b.home_care)
    # A citizen of another building put on by hand needs this entrance.
    elsewhere = citizen_in(db, b.world, property_id=make_property(db).id)
    db.add(EntranceCitizen(entrance_id=b.entrance.id, citizen_id=elsewhere.id, needed=True))
    db.flush()
    assert b.gate[0].lock_id in _locks(db, b.home_care)


def test_a_declined_entrance_opens_for_nobody(db, building, clock):
    building.entrance.consent_status = ConsentStatus.DECLINED
    db.flush()
    assert building.gate[0].lock_id not in _locks(db, building.home_care)
    assert _locks(db, building.courier) == []


def test_a_courier_gets_only_the_entrance_clipped_to_the_window(client, db, building, app, clock):
    b = building
    phone, device_id, response = _shift(client, db, b.courier)
    assert response.status_code == 201, response.get_json()
    shift = response.get_json()
    claims = read_shift_key(b64url_decode(shift["shift_key"]))
    assert list(claims.locks) == [b.gate[0].lock_id]
    assert [lock["lock_id"] for lock in shift["locks"]] == [b.gate[0].lock_id]
    # The Monday window ends at 12:00 Copenhagen time, 11:00 UTC.
    assert claims.exp == int(NOW.replace(hour=11).timestamp())
    record = db.scalar(select(ShiftKey).where(ShiftKey.staff_id == b.courier.id))
    assert record.expires_at == NOW.replace(hour=11) and record.locks == [b.gate[0].lock_id]
    visit_door(lock_for(*b.gate, app, db, clock), phone, shift, "open")
    # The citizen's own front door refuses the courier's key, whatever the courier tries.
    door = lock_for(*b.door, app, db, clock)
    for action in ("open", "close", "lock"):
        with pytest.raises(Denied) as denied:
            visit_door(door, phone, shift, action)
        assert denied.value.reason == "wrong_lock"


def test_a_courier_never_gets_a_door_even_in_a_care_group(db, building, clock):
    b = building
    b.courier.care_groups = [b.world.team_north, b.world.night]  # a hand-made mistake
    db.flush()
    assert _locks(db, b.courier) == [b.gate[0].lock_id]
    assert derivation.served_citizen_ids(db, b.courier, now=NOW, tz=TZ) == []
    assert derivation.served_citizen_ids(db, b.home_care, now=NOW, tz=TZ) == [b.citizen.id]
    unit = b.door[0]
    assert not derivation.may_open(db, b.courier, None, unit, now=NOW, tz=TZ)


def test_outside_the_window_the_field_api_refuses(client, db, building, clock):
    later = NOW + timedelta(hours=3)  # 13:00 in Copenhagen, after the window
    clock.set(later)
    _, _, response = _shift(client, db, building.courier, at=later)
    assert response.status_code == 409 and response.get_json()["type"].endswith("no-locks")


@pytest.mark.parametrize(
    "change",
    [
        "suspend",
        "withdraw_category",
        "other_category",
        "owner_blocks",
        "close_entrance",
        "no_consent",
        "requested_only",
        "removed",
        "blocked_courier",
    ],
)
def test_every_rule_of_partner_access_holds(db, building, clock, change):
    b = building
    assert _locks(db, b.courier) == [b.gate[0].lock_id]
    if change == "suspend":
        partners.suspend_company(db, b.company, now=NOW, actor=SYSTEM)
    elif change == "withdraw_category":
        partners.set_categories(db, b.company, [], now=NOW, actor=SYSTEM)
    elif change == "other_category":
        partners.set_categories(db, b.company, ["parcels", "meal_boxes"], now=NOW, actor=SYSTEM)
    elif change == "requested_only":
        b.entrance.consent_status = ConsentStatus.REQUESTED
    elif change == "blocked_courier":
        b.courier.status = "blocked"
    elif change == "owner_blocks":
        partners.block_company(db, b.prop.owner_id, b.company.id, now=NOW, actor=SYSTEM)
    elif change == "close_entrance":
        partners.close_entrance(db, b.entrance, now=NOW, actor=SYSTEM)
    elif change == "no_consent":
        b.entrance.consent_status = ConsentStatus.WITHDRAWN
        b.entrance.consent_ends_on = (NOW + timedelta(days=30)).date()
    else:
        b.gate[0].active = False
    db.flush()
    assert _locks(db, b.courier) == []


def test_the_window_is_by_weekday_and_local_time(db, building, clock):
    b = building
    assert _locks(db, b.courier)
    assert derivation.allowed_locks(db, b.courier, None, now=NOW + timedelta(days=1), tz=TZ) == []
    early = NOW.replace(hour=6, minute=59)  # 07:59 in Copenhagen
    assert derivation.allowed_locks(db, b.courier, None, now=early, tz=TZ) == []
    assert derivation.allowed_locks(db, b.courier, None, now=early + timedelta(minutes=1), tz=TZ)


def test_blocking_a_company_revokes_its_keys_through_the_bulletin(client, db, building, app, clock):
    b = building
    phone, device_id, response = _shift(client, db, b.courier)
    shift = response.get_json()
    gate = lock_for(*b.gate, app, db, clock)
    partners.block_company(db, b.prop.owner_id, b.company.id, now=NOW, actor=SYSTEM)
    db.commit()
    key = db.scalar(select(ShiftKey).where(ShiftKey.staff_id == b.courier.id))
    assert key.revoked and key.revoked_at == NOW
    bulletin = client.get("/api/v1/bulletin").get_json()["bulletin"]
    gate.receive_bulletin(b64url_decode(bulletin))
    with pytest.raises(Denied) as denied:
        visit_door(gate, phone, shift, "open")
    assert denied.value.reason == "revoked"
    # And the portal gives no new key while the block stands.
    again = start_shift(client, phone, device_id, b.courier.staff_number, timestamp=NOW.timestamp())
    assert again.status_code == 409


def test_a_partner_admin_blocking_a_phone_refuses_it_at_once(client, db, building, clock):
    from portal.access import blocking
    from portal.access.api import keystore

    b = building
    phone, device_id, response = _shift(client, db, b.courier)
    device = db.scalar(select(Device).where(Device.public_id == device_id))
    with client.application.app_context():
        store = keystore()
    blocking.block_device(db, device.id, store, now=NOW, actor=SYSTEM)
    db.commit()
    again = start_shift(client, phone, device_id, b.courier.staff_number, timestamp=NOW.timestamp())
    assert again.status_code == 403
