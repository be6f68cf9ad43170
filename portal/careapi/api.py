"""The care-system API under /api/v1/care (JSON, CSRF-exempt, problem+json errors): its
blueprint, its OpenAPI document (served at /api/v1/care/openapi.json, the one source of the
request schemas), and `endpoint`, through which every call passes: the token and its scope,
the answers of idempotent writes, an audit record of each use, and the one commit.
The views themselves are in `views_api`.
"""

import json
from functools import cache, wraps
from pathlib import Path

import jsonschema_rs
from flask import Blueprint, request

from portal import clock
from portal.access import problems
from portal.access.api_input import json_body
from portal.access.problems import ApiProblem
from portal.careapi import guard, tokens
from portal.careapi.guard import MAX_BODY
from portal.careapi.models import ApiToken
from portal.careapi.problems import refusal
from portal.citizens.validation import has_control
from portal.extensions import db

CONTROL_MESSAGE = "must not contain a line break, tab, other control character or bidi override"

OPENAPI_PATH = Path(__file__).with_name("openapi.json")
care_bp = Blueprint("careapi_api", __name__, url_prefix="/api/v1/care")
problems.register_blueprint_handlers(care_bp)


@cache
def document() -> dict:
    """The parsed OpenAPI document."""
    return json.loads(OPENAPI_PATH.read_text(encoding="utf-8"))


@cache
def _validator(name: str):
    return jsonschema_rs.Draft202012Validator(document()["components"]["schemas"][name])


def validated_body(name: str) -> dict:
    """The JSON body if it matches the named schema, else an invalid-request problem."""
    body = json_body(MAX_BODY)
    found = [
        {"field": "/".join(str(p) for p in e.instance_path) or "(body)", "message": e.message[:200]}
        for e in _validator(name).iter_errors(body)
    ]
    if not found:
        # The schema's patterns refuse C0 controls; the same check as the import and the
        # forms also refuses the rest (U+0085, U+2028, bidirectional overrides such as U+202E).
        found = [
            {"field": key, "message": CONTROL_MESSAGE}
            for key, value in body.items()
            if isinstance(value, str) and has_control(value)
        ]
    if found:
        raise refusal("invalid-request", errors=found[:20])
    return body


def _note(token_id: int, status: int, now) -> None:
    token = db.session.get(ApiToken, token_id)
    tokens.used(db.session, token, request.method, request.path, status, now=now)
    db.session.commit()


def endpoint(scope: str, *, write: bool = False):
    """Guard a view `f(token, now, **kwargs)`: token, scope, idempotency, audit, one commit."""

    def decorate(view):
        @wraps(view)
        def wrapper(**kwargs):
            now = clock.now()
            token = tokens.authenticate(db.session, guard.presented_token(), now=now)
            if token is None:
                raise ApiProblem("invalid-token")
            token_id = token.id
            try:
                if scope not in token.scope_set:
                    raise refusal("insufficient-scope", f"this needs the scope {scope}")
                if write:
                    response = guard.idempotent(token, now, view, kwargs)
                else:
                    response = view(token, now, **kwargs)
            except ApiProblem as problem:
                db.session.rollback()
                _note(token_id, problem.status, now)
                raise
            except Exception as exc:  # an HTTP error (413...) keeps its code in the audit
                db.session.rollback()
                _note(token_id, getattr(exc, "code", None) or 500, now)
                raise
            tokens.used(
                db.session, token, request.method, request.path, response.status_code, now=now
            )
            db.session.commit()
            return response

        return wrapper

    return decorate
