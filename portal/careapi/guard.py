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


def _stored(token: ApiToken, key: str, digest: str, now):
    try:
        return idempotency.stored(db.session, token.id, key, digest, now=now)
    except idempotency.KeyReused:
        raise refusal("idempotency-key-reused") from None


def _replay(found):
    if not found.status:  # claimed by a request still running
        raise refusal("idempotency-key-in-use")
    response = make_response(found.body, found.status)
    response.mimetype = "application/json"
    response.headers["Idempotent-Replayed"] = "true"
    response.headers["Cache-Control"] = "no-store"
    return response


def idempotent(token: ApiToken, now, view, kwargs):
    """Run a write once per Idempotency-Key: replay a stored answer, refuse a reused or busy
    key, else claim the key, run the view and keep its answer (all in the caller's commit)."""
    key = _key()
    if (request.content_length or 0) > MAX_BODY:
        raise refusal("payload-too-large", f"at most {MAX_BODY} bytes")
    request.max_content_length = MAX_BODY
    digest = idempotency.fingerprint(request.method, request.path, request.get_data(cache=True))
    found = _stored(token, key, digest, now)
    if found is not None:
        return _replay(found)
    hours = int(current_app.config["CAREAPI_IDEMPOTENCY_HOURS"])
    token_id = token.id
    try:
        # The claim is this request's first write, so no savepoint: on SQLite, releasing a
        # savepoint that opened the transaction would commit the claim before the write.
        claimed = idempotency.claim(db.session, token_id, key, digest, now=now, hours=hours)
    except IntegrityError:  # a twin with the same key committed while this one waited
        db.session.rollback()  # nothing else is written yet
        token = db.session.get(ApiToken, token_id)
        found = _stored(token, key, digest, now)
        if found is None:
            raise refusal("idempotency-key-in-use") from None
        return _replay(found)
    response = view(token, now, **kwargs)
    idempotency.settle(db.session, claimed, response.status_code, response.get_data())
    return response
