"""Each push from the care system changes the register exactly as the coordinator's own
registration of the same change does (`changes.decisions.register`, source care_system)."""

from datetime import date

import pytest
from sqlalchemy import select

from portal.audit.models import AuditRecord
from portal.changes import decisions
from portal.changes.models import ChangeRequest
from portal.citizens.lifecycle import CitizenStatus
from portal.citizens.models import Citizen
from portal.directory.queries import provider_on
from tests.careapi.support import PROBLEM, call, make_token
from tests.changes.support import COORDINATOR, fitted_citizen, make_town, on, policy
from tests.factories import NOW, make_citizen, valid_cpr

TODAY = "2026-11-23"  # NOW is 10:00 in Copenhagen: a change for today applies at once
LATER = "2026-12-10"
PUSHES = {
    "provider-change": (
        {"effective_on": TODAY, "provider": "omsorg a/s"},
        lambda town: on(TODAY, provider_id=town.omsorg.id),
        "switch",
    ),
    "move": (
        {
            "effective_on": LATER,
            "inside": True,
            "address": "Nyvej 2",
            "postcode": "4200",
            "city": "Sydby",
        },
        lambda town: on(LATER, inside=True, address="Nyvej 2", postcode="4200", city="Sydby"),
        "move",
    ),
    "care-ended": (
        {"effective_on": TODAY, "note": "Hospital"},
        lambda town: on(TODAY, reason="care_ended", note="Hospital"),
        "leave",
    ),
    "death": (
        {"effective_on": TODAY, "estate_contact": "Bo Boet, 20 30 40 50"},
        lambda town: on(TODAY, reason="deceased", estate_contact="Bo Boet, 20 30 40 50"),
        "leave",
    ),
}


def snapshot(db, citizen, on_day):
    """What a change touches: status, home, provider, and the request it left."""
    db.expire_all()
    req = db.scalar(select(ChangeRequest).where(ChangeRequest.citizen_id == citizen.id))
    provider = provider_on(db, citizen.id, on_day)
    return {
        "status": citizen.status,
        "home": (citizen.address, citizen.postcode, citizen.city, citizen.district_id),
        "provider": provider.id if provider else None,
        "request": (
            req.kind,
            req.status,
            req.source,
            req.reason,
            req.effective_on,
            req.estate_contact,
            req.new_address,
            req.new_district_id,
            req.note,
        ),
    }


@pytest.mark.parametrize("kind", list(PUSHES))
def test_each_push_does_what_the_coordinators_registration_does(db, app, client, clock, kind):
    body, details, service_kind = PUSHES[kind]
    town = make_town(db)
    make_citizen(db, district=town.south, provider=town.hjem, postcode="4200")
    pushed, by_hand = (fitted_citizen(db, town, address="Gammelvej 1") for _ in range(2))
    _, secret = make_token(db, ["citizens:write"], now=NOW)
    response = call(client, "POST", f"/citizens/{pushed.external_id}/{kind}", secret, body)
    assert response.status_code == 201, response.json
    decisions.register(
        db,
        by_hand,
        service_kind,
        details(town),
        source="care_system",
        now=NOW,
        actor=COORDINATOR,
        policy=policy(app),
    )
    db.commit()
    day = date.fromisoformat(body["effective_on"])
    got, want = snapshot(db, pushed, day), snapshot(db, by_hand, day)
    assert got == want
    assert response.json["reference"] and response.json["source"] == "care_system"
    assert response.json["status"] == want["request"][1]
    if kind == "provider-change":
        assert got["provider"] == town.omsorg.id
    if kind in ("care-ended", "death"):
        assert got["status"] in (CitizenStatus.CARE_ENDED, CitizenStatus.DOOR_RESTORED) or (
            got["request"][1] == "approved"
        )
    actors = db.scalars(
        select(AuditRecord.actor).where(AuditRecord.action == "change.approved")
    ).all()
    assert any(a.startswith("api_token:") for a in actors)


def _new_citizen(n=900, **extra):
    return {
        "external_id": f"EHR-{n}",
        "national_id": valid_cpr(n),
        "name": "Ingrid Import",
        "date_of_birth": "1940-03-24",
        "address": "Åvej 3",
        "postcode": "4100",
        "city": "Nordby",
        "district": "Nord",
        "provider": "Hjemmeplejen",
        "care_group": "Hjem Nord",
        "emergency_alarm": True,
        "language": "sv",
        **extra,
    }


def test_a_new_citizen_is_registered_as_an_import_row_would_be(db, client, clock):
    town = make_town(db)
    _, secret = make_token(db, ["citizens:write"], now=NOW)
    response = call(client, "POST", "/citizens", secret, _new_citizen())
    assert response.status_code == 201, response.json
    assert response.json == {
        "external_id": "EHR-900",
        "status": "registered",
        "district": "Nord",
        "provider": "Hjemmeplejen",
    }
    citizen = db.scalar(select(Citizen).where(Citizen.external_id == "EHR-900"))
    assert citizen.national_id_masked == "240340-****" and citizen.language == "sv"
    assert citizen.emergency_alarm is True and citizen.district_id == town.north.id
    assert provider_on(db, citizen.id, date(2026, 11, 23)).id == town.hjem.id
    # The same person again (same national id under another external id) is refused.
    again = call(client, "POST", "/citizens", secret, _new_citizen(external_id="EHR-901"))
    assert again.status_code == 409 and again.json["type"] == PROBLEM + "citizen-exists"


def test_a_new_citizen_breaking_the_register_rules_is_refused_field_by_field(db, client, clock):
    make_town(db)
    _, secret = make_token(db, ["citizens:write"], now=NOW)
    bad = _new_citizen(national_id="3213401234", district="Atlantis", phone="not a phone")
    response = call(client, "POST", "/citizens", secret, bad)
    assert response.status_code == 422
    assert response.json["type"] == PROBLEM + "invalid-citizen"
    fields = {e["field"] for e in response.json["errors"]}
    assert {"national_id", "district", "phone"} <= fields
    assert db.scalar(select(Citizen.id)) is None


def test_a_refused_change_says_why_and_changes_nothing(db, client, clock):
    town = make_town(db)
    citizen = fitted_citizen(db, town)
    _, secret = make_token(db, ["citizens:write"], now=NOW)
    same = call(
        client,
        "POST",
        f"/citizens/{citizen.external_id}/provider-change",
        secret,
        {"effective_on": TODAY, "provider": "Hjemmeplejen"},
    )
    assert same.status_code == 422 and same.json["type"] == PROBLEM + "change-refused"
    assert same.json["errors"][0]["field"] == "provider"
    past = call(
        client,
        "POST",
        f"/citizens/{citizen.external_id}/care-ended",
        secret,
        {"effective_on": "2026-11-01"},
    )
    assert past.status_code == 422 and past.json["errors"][0]["field"] == "effective_on"
    unknown = call(client, "POST", "/citizens/NOBODY/care-ended", secret, {"effective_on": TODAY})
    assert unknown.status_code == 404 and unknown.json["type"] == PROBLEM + "unknown-citizen"
    ghost = call(
        client,
        "POST",
        f"/citizens/{citizen.external_id}/provider-change",
        secret,
        {"effective_on": TODAY, "provider": "Ghost Care"},
    )
    assert ghost.status_code == 422 and ghost.json["type"] == PROBLEM + "unknown-reference"
    assert db.scalar(select(ChangeRequest.id)) is None
