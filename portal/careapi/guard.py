"""What every care-system API call needs before its view runs: the bearer token, the rate-limit
key, and for a write the Idempotency-Key (a stored answer replayed, a new one kept)."""

from flask import current_app, make_response, request
from sqlalchemy.exc import IntegrityError

from portal.careapi import idempotency, tokens
from portal.careapi.models import ApiToken
from portal.careapi.problems import refusal
from portal.extensions import db

MAX_BODY = 16 * 1024


def presented_token() -> str:
    """The bearer token text of the request ("" when there is none)."""
    scheme, _, value = request.headers.get("Authorization", "").partition(" ")
    return value.strip() if scheme.lower() == "bearer" else ""


def rate_key() -> str:
    """Rate limits count per token (its public prefix), else per address."""
    prefix = tokens.prefix_of(presented_token())
    return f"careapi:{prefix}" if prefix else f"careapi-addr:{request.remote_addr or '?'}"


def _key() -> str:
    key = request.headers.get("Idempotency-Key", "")
    if not 1 <= len(key) <= 100 or not all(33 <= ord(ch) <= 126 for ch in key):
        raise refusal("idempotency-key-missing")
    return key


def idempotent(token: ApiToken, now, view, kwargs):
    key = _key()
    if (request.content_length or 0) > MAX_BODY:
        raise refusal("payload-too-large", f"at most {MAX_BODY} bytes")
    request.max_content_length = MAX_BODY
    digest = idempotency.fingerprint(request.method, request.path, request.get_data(cache=True))
    try:
        found = idempotency.stored(db.session, token.id, key, digest, now=now)
    except idempotency.KeyReused:
        raise refusal("idempotency-key-reused") from None
    if found is not None:
        response = make_response(found.body, found.status)
        response.mimetype = "application/json"
        response.headers["Idempotent-Replayed"] = "true"
        response.headers["Cache-Control"] = "no-store"
        return response
    response = view(token, now, **kwargs)
    hours = int(current_app.config["CAREAPI_IDEMPOTENCY_HOURS"])
    try:
        with db.session.begin_nested():
            idempotency.keep(
                db.session,
                token.id,
                key,
                digest,
                response.status_code,
                response.get_data(),
                now=now,
                hours=hours,
            )
    except IntegrityError:  # a twin with the same key got there first
        raise refusal("idempotency-key-in-use") from None
    return response
