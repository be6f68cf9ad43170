"""Schemathesis against the care-system API's served OpenAPI document, with a valid token of
every scope: no 500, and every response matches the document (status, content type, headers,
schema), negative cases refused (see tests/api_conformance.py). Bounded and deterministic:
15 examples per operation and mode, derandomised, no shrinking."""

import json
from pathlib import Path

import pytest

from tests.api_conformance import cases, conforms
from tests.careapi.support import make_token
from tests.changes.support import fitted_citizen, make_town
from tests.factories import NOW

DOCUMENT = json.loads((Path(__file__).parents[2] / "portal/careapi/openapi.json").read_text())
CASES = cases(DOCUMENT)


@pytest.fixture
def secret(db, clock):
    town = make_town(db)
    fitted_citizen(db, town)
    db.commit()
    return make_token(db, now=NOW)[1]


@pytest.mark.parametrize(("label", "mode"), CASES, ids=[f"{label} {mode}" for label, mode in CASES])
def test_care_api_conforms_to_its_openapi_document(app, secret, label, mode):
    headers = {"Authorization": f"Bearer {secret}"}
    conforms(app, "/api/v1/care/openapi.json", label, mode, max_examples=15, headers=headers)
