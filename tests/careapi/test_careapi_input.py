"""Idempotency keys on writes, and hostile input: always a problem+json 4xx, never a 500."""

import json
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from portal.careapi.models import IdempotentAnswer
from portal.changes.models import ChangeRequest
from portal.citizens.models import Citizen
from tests.careapi.support import PROBLEM, call, make_token
from tests.changes.support import fitted_citizen, make_town
from tests.factories import NOW


@pytest.fixture
def setup(db, clock):
    town = make_town(db)
    citizen = fitted_citizen(db, town)
    db.commit()
    token, secret = make_token(db, ["citizens:write"], now=NOW)
    return {"citizen": citizen, "secret": secret, "token": token, "town": town}


def test_the_same_key_and_body_replays_the_stored_answer(db, client, clock, setup):
    path = f"/citizens/{setup['citizen'].external_id}/care-ended"
    first = call(client, "POST", path, setup["secret"], {"effective_on": "2026-12-01"}, key="A1")
    # The same body spelled differently (spacing, member order) is the same request.
    again = call(
        client, "POST", path, setup["secret"], key="A1", raw='{ "effective_on" : "2026-12-01" }'
    )
    assert first.status_code == again.status_code == 201
    assert again.json == first.json and again.headers["Idempotent-Replayed"] == "true"
    assert db.scalar(select(func.count(ChangeRequest.id))) == 1
    # Without the key the second identical call is a new write: refused, one request open.
    fresh = call(client, "POST", path, setup["secret"], {"effective_on": "2026-12-01"})
    assert fresh.status_code == 422 and fresh.json["type"] == PROBLEM + "change-refused"


def test_the_same_key_with_another_body_is_refused(db, client, clock, setup):
    path = f"/citizens/{setup['citizen'].external_id}/care-ended"
    call(client, "POST", path, setup["secret"], {"effective_on": "2026-12-01"}, key="B1")
    other = call(client, "POST", path, setup["secret"], {"effective_on": "2026-12-02"}, key="B1")
    assert other.status_code == 422 and other.json["type"] == PROBLEM + "idempotency-key-reused"
    elsewhere = call(
        client,
        "POST",
        "/citizens/EXT-0/death",
        setup["secret"],
        {"effective_on": "2026-12-01"},
        key="B1",
    )
    assert elsewhere.status_code == 422


def test_keys_are_per_token_and_expire(db, client, clock, setup):
    path = f"/citizens/{setup['citizen'].external_id}/care-ended"
    call(client, "POST", path, setup["secret"], {"effective_on": "2026-12-01"}, key="C1")
    _, other_secret = make_token(db, ["citizens:write"], now=NOW, name="Other")
    # Another client's same key is its own: a new write (refused: one request is open).
    theirs = call(client, "POST", path, other_secret, {"effective_on": "2026-12-02"}, key="C1")
    assert theirs.json["type"] == PROBLEM + "change-refused"
    clock.advance(timedelta(hours=25))
    later = call(client, "POST", path, setup["secret"], {"effective_on": "2026-12-03"}, key="C1")
    assert later.json["type"] == PROBLEM + "change-refused"  # not a key conflict: it expired


def test_a_write_without_a_key_is_refused(db, client, clock, setup):
    path = f"/citizens/{setup['citizen'].external_id}/care-ended"
    for key in (None, "", "x" * 101, "has space", "ü"):
        headers = {} if key is None else {"Idempotency-Key": key}
        response = call(
            client,
            "POST",
            path,
            setup["secret"],
            {"effective_on": "2026-12-01"},
            key=None,
            headers=headers,
        )
        assert response.status_code == 400, key
        assert response.json["type"] == PROBLEM + "idempotency-key-missing"
    assert db.scalar(select(ChangeRequest.id)) is None


VALID = {"effective_on": "2026-12-01", "estate_contact": "Bo Boet"}
HOSTILE = [
    ({**VALID, "effective_on": 20261201}, "invalid-request"),
    ({**VALID, "effective_on": "2026-02-30"}, "invalid-request"),
    ({**VALID, "effective_on": "tomorrow"}, "invalid-request"),
    ({**VALID, "estate_contact": "x" * 301}, "invalid-request"),
    ({**VALID, "estate_contact": "Bo\x00Boet"}, "invalid-request"),
    ({**VALID, "estate_contact": None}, "invalid-request"),
    ({**VALID, "estate_contact": ["Bo"]}, "invalid-request"),
    ({"effective_on": "2026-12-01"}, "invalid-request"),
    ({**VALID, "admin": True}, "invalid-request"),
    ({**VALID, "note": "<script>alert(1)</script>' OR 1=1 --"}, None),
]


@pytest.mark.parametrize(("body", "slug"), HOSTILE)
def test_hostile_bodies_get_a_problem_never_a_500(db, client, clock, setup, body, slug):
    path = f"/citizens/{setup['citizen'].external_id}/death"
    response = call(client, "POST", path, setup["secret"], body)
    if slug is None:
        assert response.status_code == 201
        assert db.scalar(select(ChangeRequest.note)) == body["note"]
        return
    assert response.status_code == 400, response.json
    assert response.mimetype == "application/problem+json"
    assert response.json["type"] == PROBLEM + slug and response.json["errors"]
    assert db.scalar(select(ChangeRequest.id)) is None


@pytest.mark.parametrize(
    ("raw", "content_type", "status", "slug"),
    [
        ("{", "application/json", 400, "malformed-json"),
        ('{"a": 1, "a": 2}', "application/json", 400, "malformed-json"),
        ("[1, 2]", "application/json", 400, "invalid-request"),
        ('"text"', "application/json", 400, "invalid-request"),
        ("NaN", "application/json", 400, "malformed-json"),
        ("[" * 100000 + "]" * 100000, "application/json", 413, "payload-too-large"),
        (
            "effective_on=2026-12-01",
            "application/x-www-form-urlencoded",
            415,
            "unsupported-media-type",
        ),
    ],
)
def test_malformed_bodies_get_a_problem(db, client, clock, setup, raw, content_type, status, slug):
    response = client.post(
        f"/api/v1/care/citizens/{setup['citizen'].external_id}/care-ended",
        data=raw,
        content_type=content_type,
        headers={"Authorization": f"Bearer {setup['secret']}", "Idempotency-Key": "m1"},
    )
    assert response.status_code == status and response.json["type"] == PROBLEM + slug


def test_a_new_citizen_with_wrong_types_and_sizes_is_refused_by_the_schema(db, client, setup):
    body = {
        "external_id": "a/b",
        "national_id": 2403401234,
        "name": "x" * 201,
        "date_of_birth": "1940-03-24",
        "address": "A",
        "postcode": "12345678901",
        "city": "C",
        "district": "Nord",
        "provider": "Hjemmeplejen",
        "emergency_alarm": "yes",
        "language": "fr",
        "extra": 1,
    }
    response = call(client, "POST", "/citizens", setup["secret"], body)
    assert response.status_code == 400
    fields = {e["field"] for e in response.json["errors"]}
    assert {
        "external_id",
        "national_id",
        "name",
        "postcode",
        "emergency_alarm",
        "language",
        "(body)",
    } <= fields
    assert db.scalar(select(func.count(Citizen.id))) == 1  # only the setup's citizen


def test_unknown_addresses_and_methods_are_problems(db, client, setup):
    assert call(client, "GET", "/nothing", setup["secret"]).status_code == 404
    response = call(client, "DELETE", "/visits", setup["secret"])
    assert response.status_code == 405 and response.mimetype == "application/problem+json"
    document = client.get("/api/v1/care/openapi.json")
    assert document.status_code == 200 and json.loads(document.data)["openapi"] == "3.1.0"


def test_the_document_lists_every_problem_type_the_api_answers_with():
    from portal.careapi.api import document
    from portal.careapi.problems import PROBLEMS

    description = document()["info"]["description"]
    for slug, (status, title) in PROBLEMS.items():
        assert f"- `{slug}` ({status}): {title}" in description


def test_a_key_claimed_by_a_request_still_running_is_busy_not_written_twice(
    db, client, clock, setup
):
    from portal.careapi import idempotency

    path = f"/api/v1/care/citizens/{setup['citizen'].external_id}/care-ended"
    body = json.dumps({"effective_on": "2026-12-01"}).encode()
    digest = idempotency.fingerprint("POST", path, body)
    idempotency.claim(db, setup["token"].id, "D1", digest, now=NOW, hours=24)
    db.commit()  # as a twin request would look from here while it runs
    busy = call(
        client,
        "POST",
        path.removeprefix("/api/v1/care"),
        setup["secret"],
        key="D1",
        raw=body.decode(),
    )
    assert busy.status_code == 409 and busy.json["type"] == PROBLEM + "idempotency-key-in-use"
    assert db.scalar(select(ChangeRequest.id)) is None


def test_parallel_requests_with_one_key_write_once(app, db, clock, setup):
    import threading

    from tests.web.support import english_client

    threads_n = 6
    path = f"/citizens/{setup['citizen'].external_id}/care-ended"
    barrier = threading.Barrier(threads_n)
    answers = [None] * threads_n

    def send(index):
        own = english_client(app, addr=f"10.0.1.{index + 1}")
        barrier.wait()
        answers[index] = call(
            own, "POST", path, setup["secret"], {"effective_on": "2026-12-01"}, key="P1"
        )

    threads = [threading.Thread(target=send, args=(i,)) for i in range(threads_n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    statuses = sorted(a.status_code for a in answers)
    assert set(statuses) <= {201, 409} and statuses.count(201) >= 1, statuses
    written = [a for a in answers if a.status_code == 201]
    assert len({a.json["reference"] for a in written}) == 1
    assert sum(a.headers.get("Idempotent-Replayed") != "true" for a in written) == 1
    db.expire_all()
    assert db.scalar(select(func.count(ChangeRequest.id))) == 1


def test_a_refused_write_leaves_its_key_free_for_the_retry(db, client, clock, setup):
    path = f"/citizens/{setup['citizen'].external_id}/provider-change"
    body = {"effective_on": "2026-11-23", "provider": "Omsorg A/S"}
    first = call(client, "POST", path, setup["secret"], {**body, "provider": "Ghost"}, key="R1")
    assert first.status_code == 422
    db.expire_all()
    assert db.scalar(select(func.count(IdempotentAnswer.id))) == 0
    retry = call(client, "POST", path, setup["secret"], body, key="R1")
    assert retry.status_code == 201
    again = call(client, "POST", path, setup["secret"], body, key="R1")
    assert again.status_code == 201 and again.headers["Idempotent-Replayed"] == "true"
