"""Schemathesis against a served OpenAPI document: no 500, every response matches the document.

Uses `schemathesis.openapi.from_wsgi` and each operation's Hypothesis strategy directly (the
installed schemathesis 4.32's lazy pytest loader trips over pytest 9's node ids). Bounded: a
few dozen examples per operation and mode, no shrinking, derandomised.
"""

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


@schemathesis.check
def negative_data_refused(ctx, response, case):
    """Schemathesis's negative-data check, with 413 counted as a refusal: a body over the
    documented size limit is refused before its fields are read (the document lists the 413)."""
    if response.status_code == 413:
        return None
    return negative_data_rejection(ctx, response, case)


CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    negative_data_refused,
]
MODES = (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)


def cases(document: dict) -> list[tuple[str, GenerationMode]]:
    """Every operation in both modes, except negative cases where there is nothing to negate."""
    return [
        (f"{method.upper()} {path}", mode)
        for path, item in document["paths"].items()
        for method, operation in item.items()
        for mode in MODES
        if mode is GenerationMode.POSITIVE
        or operation.get("parameters")
        or operation.get("requestBody")
    ]


def conforms(app, url: str, label: str, mode, max_examples: int, headers=None) -> None:
    """Drive one operation of the document at `url` with generated cases and check each."""
    schema = schemathesis.openapi.from_wsgi(url, app)
    operation = schema.find_operation_by_label(label)
    assert operation is not None, label
    strategy = operation.as_strategy(generation_mode=mode)

    @given(case=strategy)
    @settings(
        max_examples=max_examples,
        deadline=None,
        derandomize=True,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def run(case):
        if headers:
            case.headers = {**(case.headers or {}), **headers}
        case.call_and_validate(checks=CHECKS)

    run()
