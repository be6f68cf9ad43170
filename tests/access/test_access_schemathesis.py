"""Schemathesis against the served OpenAPI file: no 500, every response matches the document.

Uses `schemathesis.openapi.from_wsgi` and each operation's Hypothesis strategy directly (the
installed schemathesis 4.32's lazy pytest loader trips over pytest 9's node ids). Bounded: a
few dozen examples per operation and mode, no shrinking, derandomised.
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

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    negative_data_rejection,
]
DOCUMENT = json.loads((Path(__file__).parents[2] / "portal/access/openapi.json").read_text())
EXAMPLES = {GenerationMode.POSITIVE: 60, GenerationMode.NEGATIVE: 60}
# Every operation in both modes, except negative cases where there is nothing to negate.
CASES = [
    (f"{method.upper()} {path}", mode)
    for path, item in DOCUMENT["paths"].items()
    for method, operation in item.items()
    for mode in EXAMPLES
    if mode is GenerationMode.POSITIVE
    or operation.get("parameters")
    or operation.get("requestBody")
]


@pytest.mark.parametrize(("label", "mode"), CASES, ids=[f"{label} {mode}" for label, mode in CASES])
def test_field_api_conforms_to_its_openapi_document(app, label, mode):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    operation = schema.find_operation_by_label(label)
    assert operation is not None, label
    strategy = operation.as_strategy(generation_mode=mode)

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
        case.call_and_validate(checks=CHECKS)

    run()
