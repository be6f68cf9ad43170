"""Unblock a staff member from a confirmed page; what the block pages promise; whether a block
has reached the doors; who may unblock (the provider's own admin and coordinators only)."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from portal.access.api_input import b64url, b64url_decode
from portal.access.models import Device, Staff
from portal.audit.models import AuditRecord
from portal.clock import SetClock
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
from tests.factories import make_user
from tests.helpers import sign_in_citizen, sign_in_staff

HX = {"HX-Request": "true"}


@pytest.fixture
def world(db, client):
    client.get("/language/en")  # the pages' words are asserted in English
    w = make_world(db)
    w.admin = make_user(db, "provider_admin", provider_id=w.municipal.id)
    db.commit()
    return w


def _blocked(client, db, member):
    assert client.post(f"/provider/staff/{member.id}/block").status_code == 303
    db.refresh(member)
    assert not member.active
    return member


def _text(response):
    return response.get_data(as_text=True)


def test_a_provider_admin_unblocks_with_a_plain_confirmed_form(client, db, world, clock):
    member = make_staff(db, [world.team_north])
    sign_in_staff(client, world.admin)
    _blocked(client, db, member)
    detail = _text(client.get(f"/provider/staff/{member.id}"))
    url = f"/provider/staff/{member.id}/unblock"
    assert f'href="{url}"' in detail and "Unblock the staff member" in detail
    confirm = client.get(url)
    page = _text(confirm)
    assert confirm.status_code == 200 and "<html" in page and "Yes, unblock" in page
    assert "Keys issued before the block stay revoked" in page
    assert "lifts the block at the locks" in page
    done = client.post(url)
    assert done.status_code == 303 and done.headers["Location"].endswith(
        f"/provider/staff/{member.id}"
    )
    db.refresh(member)
    assert member.active
    after = _text(client.get(f"/provider/staff/{member.id}"))
    assert "is unblocked and can start shifts again" in after and "enrolment-code" in after
    record = db.scalar(select(AuditRecord).where(AuditRecord.action == "staff_unblocked"))
    assert record.object_id == str(member.id) and str(world.admin.id) in record.actor
    again = client.post(url)  # a second click: nothing to unblock, and it says so
    assert again.status_code == 303 and "is not blocked" in _text(client.get(again.location))


def test_a_coordinator_unblocks_with_htmx(client, db, world, clock):
    member = make_staff(db, [world.private_team])
    coordinator = make_user(db, "coordinator")
    db.commit()
    sign_in_staff(client, coordinator)
    _blocked(client, db, member)
    url = f"/provider/staff/{member.id}/unblock"
    fragment = client.get(url, headers=HX)
    assert fragment.status_code == 200 and "<html" not in _text(fragment)
    done = client.post(url, headers=HX)
    assert done.status_code == 204
    assert done.headers["HX-Redirect"].endswith(f"/provider/staff/{member.id}")
    db.refresh(member)
    assert member.active


def test_only_the_providers_admin_and_coordinators_may_unblock(client, db, world, clock):
    member = make_staff(db, [world.team_north])
    sign_in_staff(client, world.admin)
    _blocked(client, db, member)
    client.post("/sign-out")
    url = f"/provider/staff/{member.id}/unblock"
    stranger = make_user(db, "provider_admin", provider_id=world.private.id)
    locksmith = make_user(db, "locksmith")
    db.commit()
    for user, status in ((stranger, 404), (locksmith, 403)):
        sign_in_staff(client, user)
        assert client.get(url).status_code == status, user.role
        assert client.post(url).status_code == status, user.role
        client.post("/sign-out")
    sign_in_citizen(client, citizen_in(db, world))
    assert client.get(url).status_code == 403 and client.post(url).status_code == 403
    client.post("/sign-out")
    anonymous = client.post(url)
    assert anonymous.status_code in (302, 303) and "/sign-in/staff" in anonymous.location
    db.refresh(member)
    assert not member.active
    assert client.get("/provider/staff/999999/unblock").status_code in (302, 303)


def test_the_block_pages_say_what_happens_and_that_a_phone_block_is_final(client, db, world, clock):
    member = make_staff(db, [world.team_north])
    citizen_in(db, world)
    make_lock(db, citizen_in(db, world))
    phone, device_id = enrol(client, db, member)
    assert start_shift(client, phone, device_id, member.staff_number).status_code == 201
    device = db.scalar(select(Device).where(Device.public_id == device_id))
    sign_in_staff(client, world.admin)
    confirm = _text(client.get(f"/provider/devices/{device.id}/block"))
    assert "Blocking a phone is final and cannot be undone." in confirm
    assert "enrol it again as a new phone" in confirm
    assert "a key held now still opens that lock, until" in confirm  # it holds a live key
    staff_confirm = _text(client.get(f"/provider/staff/{member.id}/block"))
    assert "can unblock" in staff_confirm and "final" not in staff_confirm
    client.post(f"/provider/devices/{device.id}/block")
    detail = _text(client.get(f"/provider/staff/{member.id}"))
    # The message and the phone's row (a card on a phone: the same markup restyled).
    assert detail.count("The block is final.") == 2
    assert 'href="#enrol-phone"' in detail and 'id="enrol-phone"' in detail
    staff_list = _text(client.get("/provider/staff"))
    assert "(1 blocked)" in staff_list


def test_the_staff_page_says_how_far_the_block_has_reached_the_doors(client, db, app, world, clock):
    member = make_staff(db, [world.team_north])
    colleague = make_staff(db, [world.team_north])
    unit, key = make_lock(db, citizen_in(db, world))
    phone, device_id = enrol(client, db, member)
    assert start_shift(client, phone, device_id, member.staff_number).status_code == 201
    sign_in_staff(client, world.admin)
    _blocked(client, db, member)
    seq = member.blocked_bulletin_seq
    page = _text(client.get(f"/provider/staff/{member.id}"))
    assert f"0 of 1 door the blocked keys could open has confirmed bulletin no. {seq}" in page
    assert "A lock does not report which revocation bulletin it holds." in page
    # A colleague's key issued after the block opens the door: it proves the lock has it.
    other_phone, other_device = enrol(client, db, colleague)
    shift = start_shift(client, other_phone, other_device, colleague.staff_number).get_json()
    door = lock_for(unit, key, app, db, SetClock(clock()))
    visit_door(door, other_phone, shift, "open")
    events = [b64url(e) for e in door.events()]
    uploaded = client.post(
        "/api/v1/events",
        json={"events": events},
        headers={"Authorization": f"Bearer {shift['token']}"},
    )
    assert uploaded.status_code == 200 and door.bulletin_seq >= seq
    assert b64url_decode(shift["bulletin"])
    page = _text(client.get(f"/provider/staff/{member.id}"))
    assert f"1 of 1 door the blocked keys could open has confirmed bulletin no. {seq}" in page
    clock.advance(timedelta(hours=11))
    sign_in_staff(client, world.admin)  # the session has timed out
    page = _text(client.get(f"/provider/staff/{member.id}"))
    assert "Every key valid at the block expired by" in page
    assert "A lock does not report" not in page  # nothing left to wait for
    assert db.get(Staff, member.id).blocked_bulletin_seq == seq


def test_the_block_messages_read_naturally_in_swedish_and_danish(client, db, world, clock):
    member, other = make_staff(db, [world.team_north]), make_staff(db, [world.team_north])
    sign_in_staff(client, world.admin)
    client.get("/language/sv")
    page = _text(client.get(client.post(f"/provider/staff/{member.id}/block").location))
    assert (
        "Spärrlistan nr " in page and " skickas till låsen via de telefoner som kommer dit." in page
    )
    assert "för ut spärren" not in page
    client.get("/language/da")
    page = _text(client.get(client.post(f"/provider/staff/{other.id}/block").location))
    assert "Spærreliste nr. " in page and " sendes ud til låsene med de telefoner" in page
