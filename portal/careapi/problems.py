"""The care-system API's problem types, answered through the field API's RFC 9457 module."""

from portal.access.problems import ApiProblem

# slug: (status, title); the OpenAPI description lists the same (a test keeps them equal).
PROBLEMS: dict[str, tuple[int, str]] = {
    "bad-request": (400, "The request could not be understood"),
    "malformed-json": (400, "The body is not valid JSON"),
    "invalid-request": (400, "The request does not match the API description"),
    "idempotency-key-missing": (400, "Send an Idempotency-Key header with every write"),
    "invalid-cursor": (400, "The cursor is not one this server handed out for this list"),
    "invalid-token": (401, "The bearer token is missing, unknown, revoked or expired"),
    "insufficient-scope": (403, "This token may not do that"),
    "not-found": (404, "There is nothing at this address"),
    "unknown-citizen": (404, "No citizen has this external id"),
    "method-not-allowed": (405, "This method is not allowed here"),
    "citizen-exists": (409, "A citizen with this external id or national id is registered already"),
    "idempotency-key-in-use": (409, "A request with this Idempotency-Key is still being handled"),
    "payload-too-large": (413, "The request body is too large"),
    "unsupported-media-type": (415, "Send the body as application/json"),
    "idempotency-key-reused": (422, "This Idempotency-Key was used for a different request"),
    "invalid-citizen": (422, "The citizen does not pass the register's rules"),
    "unknown-reference": (422, "A provider, care group or district named is unknown"),
    "change-refused": (422, "The change cannot be made"),
    "rate-limited": (429, "Too many requests: wait a little and try again"),
    "internal-error": (500, "Something went wrong on our side"),
}


def refusal(slug: str, detail: str = "", **extra) -> ApiProblem:
    """An ApiProblem of this API (raise it)."""
    status, title = PROBLEMS[slug]
    return ApiProblem(slug, detail, status, title=title, **extra)
