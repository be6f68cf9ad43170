"""Schemathesis against the field API's served OpenAPI file: no 500, every response matches the
document, negative cases refused (see tests/api_conformance.py). Bounded and deterministic."""

import json
from pathlib import Path

import pytest

from tests.api_conformance import cases, conforms

DOCUMENT = json.loads((Path(__file__).parents[2] / "portal/access/openapi.json").read_text())
CASES = cases(DOCUMENT)


@pytest.mark.parametrize(("label", "mode"), CASES, ids=[f"{label} {mode}" for label, mode in CASES])
def test_field_api_conforms_to_its_openapi_document(app, label, mode):
    conforms(app, "/api/v1/openapi.json", label, mode, max_examples=60)
