"""The care-system API's views: validate the body, call one push or read one feed, shape the
answer. `api.endpoint` does the token, scope, idempotency, audit and commit around each."""

from flask import current_app, jsonify, request, send_file

from portal.careapi import cursor, pushes, queries, tokens
from portal.careapi.api import OPENAPI_PATH, care_bp, endpoint, validated_body
from portal.careapi.guard import rate_key
from portal.careapi.problems import refusal
from portal.changes.rules import ChangeError
from portal.changes.web import policy
from portal.directory.queries import local_date, provider_on
from portal.extensions import db, limiter

CHANGE_SCHEMAS = {
    "provider-change": "ProviderChange",
    "move": "Move",
    "care-ended": "CareEnded",
    "death": "Death",
}


def _secret() -> bytes:
    key = current_app.secret_key
    return key if isinstance(key, bytes) else str(key).encode()


def _ok(body: dict, status: int = 200):
    response = jsonify(body)
    response.status_code = status
    response.headers["Cache-Control"] = "no-store"
    return response


def _limit():
    return current_app.config["CAREAPI_RATE_LIMIT"]


def _refused(refused: pushes.PushRefused):
    return refusal(
        refused.slug, refused.detail, **({"errors": refused.errors} if refused.errors else {})
    )


@care_bp.get("/openapi.json")
def openapi():
    """The OpenAPI 3.1 description of this API."""
    return send_file(OPENAPI_PATH, mimetype="application/json", max_age=300)


@care_bp.post("/citizens")
@limiter.limit(_limit, key_func=rate_key)
@endpoint("citizens:write", write=True)
def create_citizen(token, now):
    """Register a new citizen, checked as one row of an import."""
    body = validated_body("NewCitizen")
    cfg = current_app.config
    on = local_date(now, cfg["TIMEZONE"])
    try:
        citizen = pushes.new_citizen(
            db.session,
            current_app.extensions["keyring"],
            body,
            on=on,
            country=cfg["COUNTRY"],
            default_language=cfg["BABEL_DEFAULT_LOCALE"],
            now=now,
            actor=tokens.actor_of(token),
            provider_id=token.provider_id,
        )
    except pushes.PushRefused as refused:
        raise _refused(refused) from None
    provider = provider_on(db.session, citizen.id, on)
    return _ok(
        {
            "external_id": citizen.external_id,
            "status": str(citizen.status),
            "district": citizen.district.name,
            "provider": provider.name if provider else None,
        },
        201,
    )


@care_bp.post(
    "/citizens/<external_id>/<any('provider-change', 'move', 'care-ended', 'death'):kind>"
)
@limiter.limit(_limit, key_func=rate_key)
@endpoint("citizens:write", write=True)
def push_change(token, now, external_id, kind):
    """Register a change from the care system: approved at once, as a coordinator would."""
    body = validated_body(CHANGE_SCHEMAS[kind])
    on = local_date(now, current_app.config["TIMEZONE"])
    citizen = pushes.citizen_by_external_id(
        db.session, external_id, provider_id=token.provider_id, on=on
    )
    if citizen is None:
        raise refusal("unknown-citizen")
    try:
        req = pushes.change(
            db.session, citizen, kind, body, now=now, actor=tokens.actor_of(token), policy=policy()
        )
    except pushes.PushRefused as refused:
        raise _refused(refused) from None
    except ChangeError as problem:
        extra = {"errors": [{"field": problem.field, "message": problem.text()}]}
        raise refusal(
            "change-refused", problem.text(), **(extra if problem.field else {})
        ) from None
    return _ok(queries.request_view(req), 201)


def _page_args(feed: str) -> tuple[int, int]:
    text = request.args.get("limit", "100")
    if not (text.isascii() and text.isdigit() and len(text) <= 3 and 1 <= int(text) <= 500):
        raise refusal("invalid-request", errors=[{"field": "limit", "message": "must be 1-500"}])
    try:
        after = cursor.decode(_secret(), feed, request.args.get("cursor"))
    except cursor.BadCursor:
        raise refusal("invalid-cursor") from None
    return after, int(text)


def _page(feed: str, after: int, limit: int, items: list[dict]):
    more = len(items) > limit
    items = items[:limit]
    last = items[-1]["id"] if items else after
    next_cursor = cursor.encode(_secret(), feed, last)
    return _ok({"items": items, "next_cursor": next_cursor, "has_more": more})


@care_bp.get("/visits")
@limiter.limit(_limit, key_func=rate_key)
@endpoint("visits:read")
def visits(token, now):
    """Visits after the cursor (a provider-bound token sees its provider's staff only)."""
    after, limit = _page_args("visits")
    items = queries.visits_after(db.session, after, limit + 1, provider_id=token.provider_id)
    return _page("visits", after, limit, items)


@care_bp.get("/requests")
@limiter.limit(_limit, key_func=rate_key)
@endpoint("requests:read")
def requests(token, now):
    """Change requests after the cursor (a provider-bound token: its provider's citizens)."""
    after, limit = _page_args("requests")
    on = local_date(now, current_app.config["TIMEZONE"])
    items = queries.requests_after(
        db.session, after, limit + 1, provider_id=token.provider_id, on=on
    )
    return _page("requests", after, limit, items)


@care_bp.get("/requests/<reference>")
@limiter.limit(_limit, key_func=rate_key)
@endpoint("requests:read")
def request_status(token, now, reference):
    """One change request's status by its reference."""
    on = local_date(now, current_app.config["TIMEZONE"])
    req = queries.request_by_reference(db.session, reference, provider_id=token.provider_id, on=on)
    if req is None:
        raise refusal("not-found")
    return _ok(queries.request_view(req))
