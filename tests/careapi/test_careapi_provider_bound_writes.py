"""A token bound to one provider sees only that provider's citizens and requests; its writes
are bound the same way: it cannot report a death, an end of care, a move or a provider change
for another provider's citizen, nor register a citizen for another provider (found by the
attack on the new reports: Omsorg's care system ended Hjemmeplejen's citizen's care)."""

import pytest
from sqlalchemy import select

from portal.changes.models import ChangeRequest
from portal.citizens.lifecycle import CitizenStatus
from portal.citizens.models import Citizen
from tests.careapi.support import PROBLEM, call, make_token
from tests.careapi.test_careapi_push import PUSHES, _new_citizen
from tests.changes.support import fitted_citizen, make_town
from tests.factories import NOW


@pytest.mark.parametrize("kind", list(PUSHES))
def test_a_provider_bound_token_cannot_change_another_providers_citizen(db, client, clock, kind):
    town = make_town(db)
    theirs = fitted_citizen(db, town)  # served by Hjemmeplejen
    _, secret = make_token(db, ["citizens:write"], provider=town.omsorg, now=NOW)
    body = dict(PUSHES[kind][0])
    if kind == "provider-change":
        body["provider"] = "Omsorg A/S"
    response = call(client, "POST", f"/citizens/{theirs.external_id}/{kind}", secret, body)
    # As for an unknown id: the token does not learn that the citizen exists.
    assert response.status_code == 404, response.json
    assert response.json["type"] == PROBLEM + "unknown-citizen"
    db.expire_all()
    assert db.scalar(select(ChangeRequest.id)) is None
    assert db.get(Citizen, theirs.id).status == CitizenStatus.FITTED


def test_a_provider_bound_token_still_changes_its_own_providers_citizen(db, client, clock):
    town = make_town(db)
    own = fitted_citizen(db, town)
    _, secret = make_token(db, ["citizens:write"], provider=town.hjem, now=NOW)
    body = PUSHES["care-ended"][0]
    response = call(client, "POST", f"/citizens/{own.external_id}/care-ended", secret, body)
    assert response.status_code == 201, response.json


def test_a_provider_bound_token_registers_citizens_for_its_own_provider_only(db, client, clock):
    town = make_town(db)
    _, secret = make_token(db, ["citizens:write"], provider=town.omsorg, now=NOW)
    response = call(client, "POST", "/citizens", secret, _new_citizen(provider="Hjemmeplejen"))
    assert response.status_code == 422, response.json
    assert response.json["type"] == PROBLEM + "invalid-citizen"
    assert response.json["errors"][0]["field"] == "provider"
    assert db.scalar(select(Citizen.id)) is None
    own = _new_citizen(provider="Omsorg A/S", care_group="Omsorg Nord")
    assert call(client, "POST", "/citizens", secret, own).status_code == 201
