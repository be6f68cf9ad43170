"""Field API contract: enrol, start a shift, open doors offline, upload events, bulletins."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from portal.access import blocking
from portal.access import staff as staff_service
from portal.access.api import keystore
from portal.access.api_input import b64url, b64url_decode
from portal.access.models import Device
from portal.access.models_events import Visit
from portal.audit.models import AuditRecord
from portal.audit.services import SYSTEM
from portal.clock import SetClock
from portal.keys import Denied, Phone, read_shift_key
from tests.access.support import (
    citizen_in,
    enrol,
    lock_for,
    make_lock,
    make_staff,
    make_world,
    shift_body,
    start_shift,
    visit_door,
)
from tests.factories import NOW

PROBLEM = "tag:keyless-care-portal,2026:problem:"


@pytest.fixture
def field(db, client, clock):
    """A staff member with an enrolled phone and two doors they may open."""
    w = make_world(db)
    citizens = [citizen_in(db, w), citizen_in(db, w)]
    locks = [make_lock(db, c) for c in citizens]
    member = make_staff(db, [w.team_north])
    phone, device_id = enrol(client, db, member)
    return {
        "world": w,
        "member": member,
        "phone": phone,
        "device_id": device_id,
        "locks": locks,
        "citizens": citizens,
    }


def _problem(response, status, slug):
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/problem+json"
    body = response.get_json()
    assert body["type"] == PROBLEM + slug and body["status"] == status and body["title"]
    return body


def _shift(client, f, **extra):
    return start_shift(client, f["phone"], f["device_id"], f["member"].staff_number, **extra)


def test_enrolment_code_is_single_use_and_expires(db, client, clock):
    w = make_world(db)
    member = make_staff(db, [w.team_north])
    code, _ = staff_service.create_enrolment_code(db, member, now=NOW, actor=SYSTEM)
    key = Phone.generate().public_key
    from portal.keys import public_key_to_pem

    bad = client.post(
        "/api/v1/enrolments", json={"enrolment_code": code, "public_key": "bm90IGEga2V5"}
    )
    _problem(bad, 422, "invalid-device-key")  # a bad key does not spend the code
    ok = client.post(
        "/api/v1/enrolments",
        json={"enrolment_code": code.lower(), "public_key": public_key_to_pem(key)},
    )
    assert ok.status_code == 201 and ok.get_json()["device_id"].startswith("dev_")
    again = client.post(
        "/api/v1/enrolments",
        json={"enrolment_code": code, "public_key": public_key_to_pem(Phone.generate().public_key)},
    )
    _problem(again, 403, "invalid-enrolment-code")
    old, _ = staff_service.create_enrolment_code(
        db, member, now=NOW - timedelta(minutes=16), actor=SYSTEM
    )
    expired = client.post(
        "/api/v1/enrolments",
        json={"enrolment_code": old, "public_key": public_key_to_pem(Phone.generate().public_key)},
    )
    _problem(expired, 403, "invalid-enrolment-code")
    fresh, _ = staff_service.create_enrolment_code(db, member, now=NOW, actor=SYSTEM)
    reused_key = client.post(
        "/api/v1/enrolments", json={"enrolment_code": fresh, "public_key": public_key_to_pem(key)}
    )
    _problem(reused_key, 409, "device-key-in-use")


def test_a_shift_key_carries_the_derived_locks_for_nine_hours(client, field, app, clock):
    response = _shift(client, field)
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    key = read_shift_key(b64url_decode(body["shift_key"]))
    assert sorted(key.locks) == sorted(u.lock_id for u, _ in field["locks"])
    assert key.sub == field["member"].staff_number
    assert key.expires - key.not_before == timedelta(hours=app.config["SHIFT_HOURS"])
    assert {lock["kind"] for lock in body["locks"]} == {"door"}
    assert all("Testvej" in lock["address"] for lock in body["locks"])
    assert (
        body["token"]
        and body["bulletin_seq"] >= 1
        and response.headers["Cache-Control"] == "no-store"
    )


def test_shift_end_may_be_shorter_but_never_beyond_ten_hours(client, field, clock):
    now = int(NOW.timestamp())
    short = _shift(client, field, shift_end=now + 3600)
    assert short.status_code == 201
    assert short.get_json()["expires_at"].startswith(
        datetime.fromtimestamp(now + 3600, UTC).strftime("%Y-%m-%dT%H:%M")
    )
    _problem(_shift(client, field, shift_end=now + 10 * 3600 + 120), 422, "invalid-shift-end")
    _problem(_shift(client, field, shift_end=now - 60), 422, "invalid-shift-end")


def test_signature_time_and_nonce_are_checked(client, field, clock):
    f = field
    body = shift_body(f["phone"], f["device_id"], f["member"].staff_number)
    body["pin"] = "000000"  # changed after signing
    _problem(client.post("/api/v1/shifts", json=body), 401, "authentication-failed")
    stale = int((NOW - timedelta(minutes=6)).timestamp())
    _problem(_shift(client, f, timestamp=stale), 401, "stale-request")
    future = int((NOW + timedelta(minutes=6)).timestamp())
    _problem(_shift(client, f, timestamp=future), 401, "stale-request")
    assert _shift(client, f, nonce="n" * 22).status_code == 201
    _problem(_shift(client, f, nonce="n" * 22), 401, "replayed-request")
    other = Phone.generate()
    _problem(
        start_shift(client, other, f["device_id"], f["member"].staff_number),
        401,
        "authentication-failed",
    )
    _problem(
        start_shift(client, f["phone"], "dev_unknown", f["member"].staff_number),
        401,
        "authentication-failed",
    )
    wrong = start_shift(client, f["phone"], f["device_id"], "NOT-THEM")
    _problem(wrong, 401, "authentication-failed")


def test_five_wrong_pins_lock_until_a_coordinator_unlocks(client, db, field, clock):
    f = field
    for left in (4, 3, 2, 1):
        body = _problem(_shift(client, f, pin="999999"), 401, "wrong-pin")
        assert body["attempts_left"] == left
    _problem(_shift(client, f, pin="999999"), 403, "pin-locked")
    _problem(_shift(client, f), 403, "pin-locked")  # the right PIN no longer helps
    member = db.get(type(f["member"]), f["member"].id)
    db.refresh(member)
    staff_service.unlock_pin(db, member, now=NOW, actor=SYSTEM)
    assert _shift(client, f).status_code == 201
    actions = db.scalars(select(AuditRecord.action)).all()
    assert actions.count("shift_refused") == 6 and "staff_pin_locked" in actions
    assert "pin_unlocked" in actions and "shift_key_issued" in actions


def test_blocking_a_device_refuses_its_very_next_request(client, db, field, clock):
    f = field
    assert _shift(client, f).status_code == 201
    device = db.scalar(select(Device).where(Device.public_id == f["device_id"]))
    blocked = blocking.block_device(db, device.id, keystore_for(client), now=NOW, actor=SYSTEM)
    assert blocked.blocked_bulletin_seq >= 2
    _problem(_shift(client, f), 403, "device-blocked")
    bulletin = client.get("/api/v1/bulletin?since=0").get_json()
    assert bulletin["seq"] == blocked.blocked_bulletin_seq and bulletin["entries"] == 1
    assert client.get(f"/api/v1/bulletin?since={bulletin['seq']}").status_code == 204


def test_blocking_staff_refuses_every_device(client, db, field, clock):
    f = field
    blocking.block_staff(db, f["member"].id, keystore_for(client), now=NOW, actor=SYSTEM)
    _problem(_shift(client, f), 403, "staff-blocked")


def test_no_doors_is_a_clear_problem(client, db, clock):
    w = make_world(db)
    member = make_staff(db, [w.team_south])
    phone, device_id = enrol(client, db, member)
    _problem(start_shift(client, phone, device_id, member.staff_number), 409, "no-locks")


def keystore_for(client):
    with client.application.app_context():
        return keystore()


def test_whole_shift_offline_doors_then_upload(client, db, field, app, clock):
    f = field
    shift = _shift(client, f).get_json()
    lock_clock = SetClock(clock())  # the locks' own clock, which the test winds
    (unit_a, key_a), (unit_b, key_b) = f["locks"]
    lock_a, lock_b = (
        lock_for(unit_a, key_a, app, db, lock_clock),
        lock_for(unit_b, key_b, app, db, lock_clock),
    )
    visit_door(lock_a, f["phone"], shift, "open")
    lock_clock.advance(timedelta(minutes=20))
    visit_door(lock_a, f["phone"], shift, "close")
    visit_door(lock_b, f["phone"], shift, "open")
    lock_clock.advance(timedelta(minutes=15))
    visit_door(lock_b, f["phone"], shift, "lock")
    events = [b64url(e) for e in lock_a.events() + lock_b.events()]
    headers = {"Authorization": f"Bearer {shift['token']}"}
    up = client.post("/api/v1/events", json={"events": events + ["***", "AAAA"]}, headers=headers)
    assert up.status_code == 200
    assert up.get_json() == {
        "accepted": 4,
        "duplicates": 0,
        "rejected": [{"index": 4, "reason": "malformed"}, {"index": 5, "reason": "malformed"}],
    }
    again = client.post("/api/v1/events", json={"events": events}, headers=headers).get_json()
    assert (again["accepted"], again["duplicates"]) == (0, 4)
    visits = db.scalars(select(Visit).order_by(Visit.start)).all()
    assert [v.citizen_id for v in visits] == [c.id for c in f["citizens"]]
    assert all(v.staff_id == f["member"].id and v.end for v in visits)
    # Blocking the phone: the token stops working and the lock refuses the key once the
    # bulletin arrives (here carried by another phone's shift answer).
    device = db.scalar(select(Device).where(Device.public_id == f["device_id"]))
    blocking.block_device(db, device.id, keystore_for(client), now=NOW, actor=SYSTEM)
    _problem(
        client.post("/api/v1/events", json={"events": []}, headers=headers), 401, "invalid-token"
    )
    new_bulletin = client.get("/api/v1/bulletin").get_json()["bulletin"]
    lock_a.receive_bulletin(b64url_decode(new_bulletin))
    with pytest.raises(Denied) as denied:
        visit_door(lock_a, f["phone"], shift, "open")
    assert denied.value.reason == "revoked"


def test_events_need_a_live_bearer_token(client, field, clock):
    _problem(client.post("/api/v1/events", json={"events": []}), 401, "invalid-token")
    bad = client.post(
        "/api/v1/events", json={"events": []}, headers={"Authorization": "Bearer nope"}
    )
    assert bad.headers["WWW-Authenticate"].startswith("Bearer")
    _problem(bad, 401, "invalid-token")
    _problem(
        client.post("/api/v1/events", json={"events": []}, headers={"Authorization": "Basic eDp5"}),
        401,
        "invalid-token",
    )


def test_every_shift_request_is_audited(client, db, field, clock):
    before = db.scalar(select(func.count()).select_from(AuditRecord))
    _shift(client, field)
    _shift(client, field, pin="111111")
    _shift(client, field, timestamp=0)
    after = db.scalar(select(func.count()).select_from(AuditRecord))
    assert after - before >= 3


def test_the_shift_endpoint_is_rate_limited(client, app, field, clock):
    limit = int(app.config["SHIFT_RATE_LIMIT"].split()[0])
    codes = [_shift(client, field, timestamp=0).status_code for _ in range(limit + 1)]
    assert codes[-1] == 429 and set(codes[:-1]) == {401}
    _problem(_shift(client, field, timestamp=0), 429, "rate-limited")


def test_the_openapi_document_is_served_and_names_every_problem_type(client):
    from portal.access.problems import PROBLEMS

    response = client.get("/api/v1/openapi.json")
    doc = response.get_json()
    assert response.status_code == 200 and doc["openapi"].startswith("3.1")
    assert set(doc["paths"]) == {
        "/api/v1/enrolments",
        "/api/v1/shifts",
        "/api/v1/events",
        "/api/v1/bulletin",
        "/api/v1/openapi.json",
    }
    for slug in PROBLEMS:
        assert f"`{slug}`" in doc["info"]["description"]
