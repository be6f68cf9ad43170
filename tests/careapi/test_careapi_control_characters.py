"""Names and addresses pushed by the care system: no line break, tab, NUL, line separator or
bidirectional override gets into the register (a line break splits the letter's address
block), and the problem names the field."""

import pytest
from sqlalchemy import select

from portal.changes.models import ChangeRequest
from portal.citizens.models import Citizen
from tests.careapi.support import PROBLEM, call, make_token
from tests.careapi.test_careapi_push import _new_citizen
from tests.changes.support import fitted_citizen, make_town
from tests.factories import NOW

BAD = {
    "line break": "Anna\nHansen",
    "tab": "Anna\tHansen",
    "NUL": "Anna\x00Hansen",
    "next line U+0085": "Anna\u0085Hansen",
    "line separator U+2028": "Anna\u2028Hansen",
    "right-to-left override U+202E": "Anna \u202enesnaH",
    "first-strong isolate U+2068": "Anna \u2068Hansen",
}


@pytest.mark.parametrize("text", BAD.values(), ids=BAD.keys())
@pytest.mark.parametrize("field", ["name", "address", "city"])
def test_a_new_citizen_with_a_control_character_is_refused_naming_the_field(
    db, client, clock, field, text
):
    make_town(db)
    _, secret = make_token(db, ["citizens:write"], now=NOW)
    response = call(client, "POST", "/citizens", secret, _new_citizen(**{field: text}))
    assert response.status_code == 400, response.json
    assert response.mimetype == "application/problem+json"
    assert response.json["type"] == PROBLEM + "invalid-request"
    assert [e["field"] for e in response.json["errors"]] == [field]
    assert db.scalar(select(Citizen.id)) is None


@pytest.mark.parametrize("text", BAD.values(), ids=BAD.keys())
@pytest.mark.parametrize(
    ("kind", "body", "field"),
    [
        ("move", {"inside": True, "postcode": "4100", "city": "Nordby"}, "address"),
        ("move", {"inside": True, "address": "Åvej 3", "postcode": "4100"}, "city"),
        ("death", {}, "estate_contact"),
    ],
)
def test_a_change_with_a_control_character_in_an_address_or_name_is_refused(
    db, client, clock, kind, body, field, text
):
    town = make_town(db)
    citizen = fitted_citizen(db, town)
    _, secret = make_token(db, ["citizens:write"], now=NOW)
    body = {"effective_on": "2026-12-10", **body, field: text}
    response = call(client, "POST", f"/citizens/{citizen.external_id}/{kind}", secret, body)
    assert response.status_code == 400, response.json
    assert response.json["type"] == PROBLEM + "invalid-request"
    assert [e["field"] for e in response.json["errors"]] == [field]
    assert db.scalar(select(ChangeRequest.id)) is None


def test_plain_names_with_accents_markup_and_long_text_are_judged_by_their_shape(db, client, clock):
    make_town(db)
    _, secret = make_token(db, ["citizens:write"], now=NOW)
    too_long = call(client, "POST", "/citizens", secret, _new_citizen(name="x" * 201))
    assert too_long.status_code == 400 and too_long.json["errors"][0]["field"] == "name"
    # Markup is text like any other: stored as it is, escaped wherever it is shown.
    name = "Åse Ødegård-Lindström <b>O'Brien</b> عائشة"
    made = call(client, "POST", "/citizens", secret, _new_citizen(name=name))
    assert made.status_code == 201, made.json
    assert db.scalar(select(Citizen.name)) == name
