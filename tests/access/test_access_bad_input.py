"""Bad input never gets a 500, an HTML page or a stack trace: only problem+json with a type."""

import json

import pytest

from tests.access.support import citizen_in, enrol, make_lock, make_staff, make_world, shift_body
from tests.factories import NOW, make_user
from tests.helpers import sign_in_staff

ENDPOINTS = ("/api/v1/enrolments", "/api/v1/shifts")
HOSTILE = [
    "",
    " ",
    "\x00",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "\ud800",
    "é" * 40,
    "A" * 100_000,
    "../../etc/passwd",
    "${jndi:ldap://x}",
    "\u202e",
    "12\n",
]


def _is_problem(response, status=None):
    assert response.mimetype == "application/problem+json", (
        response.status_code,
        response.get_data(as_text=True)[:200],
    )
    body = response.get_json()
    assert body["type"].startswith("tag:keyless-care-portal,2026:problem:")
    assert "Traceback" not in response.get_data(as_text=True)
    if status:
        assert response.status_code == status, body
    return body


@pytest.mark.parametrize("path", ENDPOINTS)
def test_malformed_bodies(client, path):
    _is_problem(client.post(path), 415)
    _is_problem(client.post(path, data="{}", content_type="text/plain"), 415)
    _is_problem(client.post(path, data="", content_type="application/json"), 400)
    _is_problem(client.post(path, data="{", content_type="application/json"), 400)
    _is_problem(client.post(path, data=b"\xff\xfe\x00", content_type="application/json"), 400)
    _is_problem(client.post(path, data="[]", content_type="application/json"), 400)
    _is_problem(client.post(path, data="null", content_type="application/json"), 400)
    _is_problem(client.post(path, data='{"a": NaN}', content_type="application/json"), 400)
    _is_problem(
        client.post(path, data="[" * 5000 + "]" * 5000, content_type="application/json"), 400
    )
    _is_problem(
        client.post(path, data='{"x": ' + "9" * 5000 + "}", content_type="application/json"), 400
    )
    _is_problem(
        client.post(path, data='{"pin": "1", "pin": "2"}', content_type="application/json"), 400
    )
    _is_problem(
        client.post(path, data=json.dumps({"x": "y" * 20_000}), content_type="application/json"),
        413,
    )


@pytest.mark.parametrize("value", HOSTILE + [None, 12, 1.5, True, [], {}, -1, 2**70])
def test_hostile_values_in_every_field(client, value):
    for field in (
        "staff_number",
        "pin",
        "device_id",
        "nonce",
        "signature",
        "timestamp",
        "shift_end",
    ):
        body = {
            "staff_number": "A-1",
            "pin": "123456",
            "device_id": "dev_x",
            "timestamp": 1,
            "nonce": "n" * 22,
            "signature": "A" * 86,
            field: value,
        }
        response = client.post(
            "/api/v1/shifts", data=json.dumps(body), content_type="application/json"
        )
        assert response.status_code in (400, 401, 413), (field, value, response.get_json())
        _is_problem(response)
    for field in ("enrolment_code", "public_key"):
        body = {"enrolment_code": "ABCDE-FGHJK", "public_key": "AAAA", field: value}
        response = client.post(
            "/api/v1/enrolments", data=json.dumps(body), content_type="application/json"
        )
        assert response.status_code in (400, 403, 413, 422), (field, value)
        _is_problem(response)


def test_bad_base64_and_bad_keys_at_enrolment(client, db, clock):
    w = make_world(db)
    member = make_staff(db, [w.team_north])

    from portal.access.staff import create_enrolment_code
    from portal.audit.services import SYSTEM

    code, _ = create_enrolment_code(db, member, now=NOW, actor=SYSTEM)
    for key in (
        "%%%",
        "AAAA",
        "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----",
        "é",
        "MCowBQYDK2VwAyEA" + "A" * 43,
    ):
        response = client.post(
            "/api/v1/enrolments", json={"enrolment_code": code, "public_key": key}
        )
        _is_problem(response, 422)


def test_bad_signature_encodings(client, db, clock):
    w = make_world(db)
    make_lock(db, citizen_in(db, w))
    member = make_staff(db, [w.team_north])
    phone, device_id = enrol(client, db, member)
    body = shift_body(phone, device_id, member.staff_number)
    for signature in ("A" * 86 + "==", "A" * 87, "!" * 86, "A" * 85 + "=", "_" * 88):
        response = client.post("/api/v1/shifts", json={**body, "signature": signature})
        assert response.status_code in (400, 401)
        _is_problem(response)
    extra = client.post("/api/v1/shifts", json={**body, "admin": True})
    _is_problem(extra, 400)


def test_events_bad_input(client, db, clock):
    w = make_world(db)
    make_lock(db, citizen_in(db, w))
    member = make_staff(db, [w.team_north])
    phone, device_id = enrol(client, db, member)
    token = client.post(
        "/api/v1/shifts", json=shift_body(phone, device_id, member.staff_number)
    ).get_json()["token"]
    auth = {"Authorization": f"Bearer {token}"}
    ok = client.post(
        "/api/v1/events", json={"events": ["", "=", "A", "AAAA====", "%%", "\u00e9"]}, headers=auth
    )
    assert (
        ok.status_code == 200
        and [r["reason"] for r in ok.get_json()["rejected"]] == ["malformed"] * 6
    )
    _is_problem(client.post("/api/v1/events", json={"events": "AAAA"}, headers=auth), 400)
    _is_problem(client.post("/api/v1/events", json={"events": [1]}, headers=auth), 400)
    _is_problem(client.post("/api/v1/events", json={"events": ["A" * 3000]}, headers=auth), 400)
    _is_problem(client.post("/api/v1/events", json={"events": ["AAAA"] * 501}, headers=auth), 400)
    _is_problem(client.post("/api/v1/events", json={}, headers=auth), 400)
    _is_problem(
        client.post(
            "/api/v1/events", json={"events": []}, headers={"Authorization": "Bearer " + "x" * 5000}
        ),
        401,
    )


def test_errors_under_the_api_are_always_problems(client):
    _is_problem(client.get("/api/v1/nowhere"), 404)
    _is_problem(client.get("/api/v1"), 404)
    _is_problem(client.delete("/api/v1/shifts"), 405)
    assert client.delete("/api/v1/shifts").headers["Allow"]
    _is_problem(client.get("/api/v1/bulletin?since=-1"), 400)
    _is_problem(client.get("/api/v1/bulletin?since=1e3"), 400)
    _is_problem(client.get("/api/v1/bulletin?since=" + "9" * 40), 400)
    assert client.get("/nowhere").mimetype == "text/html"  # the portal's own pages stay HTML


def test_hostile_text_in_forms_is_escaped(client, db, clock):
    w = make_world(db)
    admin = make_user(db, "provider_admin", provider_id=w.municipal.id)
    db.commit()
    sign_in_staff(client, admin)
    page = client.post(
        "/provider/staff/new",
        data={
            "first_name": "<script>alert(1)</script>",
            "last_name": "x" * 500,
            "staff_number": "<b>",
            "care_groups": ["x"],
        },
    ).get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page
    created = client.post(
        "/provider/staff/new",
        data={
            "first_name": "<img src=x>",
            "last_name": "Ok",
            "staff_number": "OK-1",
            "care_groups": [w.team_north.id],
        },
    )
    assert created.status_code == 200
    listing = client.get("/provider/staff").get_data(as_text=True)
    assert "<img src=x>" not in listing and "&lt;img src=x&gt;" in listing
