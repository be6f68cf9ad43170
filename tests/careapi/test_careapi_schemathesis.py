"""Schemathesis against the care-system API's served OpenAPI document, with a valid token of
every scope: no 500, and every response matches the document (status, content type, schema).

Bounded and deterministic: a few examples per operation and mode, derandomised, no shrinking.
Each operation's strategy is driven directly (see tests/access/test_access_schemathesis.py).
"""

import json
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.careapi.support import make_token
from tests.changes.support import fitted_citizen, make_town
from tests.factories import NOW

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
DOCUMENT = json.loads((Path(__file__).parents[2] / "portal/careapi/openapi.json").read_text())
EXAMPLES = {GenerationMode.POSITIVE: 15, GenerationMode.NEGATIVE: 15}
CASES = [
    (f"{method.upper()} {path}", mode)
    for path, item in DOCUMENT["paths"].items()
    for method, operation in item.items()
    for mode in EXAMPLES
    if mode is GenerationMode.POSITIVE
    or operation.get("parameters")
    or operation.get("requestBody")
]


@pytest.fixture
def secret(db, clock):
    town = make_town(db)
    fitted_citizen(db, town)
    db.commit()
    return make_token(db, now=NOW)[1]


@pytest.mark.parametrize(("label", "mode"), CASES, ids=[f"{label} {mode}" for label, mode in CASES])
def test_care_api_conforms_to_its_openapi_document(app, secret, label, mode):
    schema = schemathesis.openapi.from_wsgi("/api/v1/care/openapi.json", app)
    operation = schema.find_operation_by_label(label)
    assert operation is not None, label
    strategy = operation.as_strategy(generation_mode=mode)
    # Negative cases must be refused, except where a header we set ourselves is the one negated.
    checks = CHECKS + ([negative_data_rejection] if mode is GenerationMode.NEGATIVE else [])

    @given(case=strategy)
    @settings(
        max_examples=EXAMPLES[mode],
        deadline=None,
        derandomize=True,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def run(case):
        case.headers = {**(case.headers or {}), "Authorization": f"Bearer {secret}"}
        case.call_and_validate(checks=checks)

    run()
