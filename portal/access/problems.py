"""RFC 9457 problem details for the field API: one stable `type` URI per kind of error.

Every response under /api/v1 that is not a success is `application/problem+json`, including
404, 405, 413, 415, 429 and unexpected errors (logged with the trace, never shown). The type
URIs are tag URIs (RFC 4151): stable names that nobody is expected to dereference.
"""

import logging

from flask import jsonify, request
from werkzeug.exceptions import HTTPException

from portal.web.unavailable import RETRY_AFTER_SECONDS, database_gone, release_connection

log = logging.getLogger(__name__)
TYPE_BASE = "tag:keyless-care-portal,2026:problem:"
API_PREFIX = "/api/v1"
ROUTING_ERRORS = (404, 405)  # raised before a blueprint is known, so handled app-wide

PROBLEMS: dict[str, tuple[int, str]] = {
    "bad-request": (400, "The request could not be understood"),
    "malformed-json": (400, "The body is not valid JSON"),
    "invalid-request": (400, "The request does not match the API description"),
    "authentication-failed": (401, "The device, its signature or the staff number is not right"),
    "stale-request": (401, "The request timestamp is too far from the server's clock"),
    "replayed-request": (401, "This request nonce was used before"),
    "wrong-pin": (401, "The PIN is not right"),
    "invalid-token": (401, "The bearer token is missing, unknown or expired"),
    "pin-locked": (403, "Too many wrong PINs: a coordinator must unlock the staff member"),
    "device-blocked": (403, "This device is blocked"),
    "staff-blocked": (403, "This staff member is blocked"),
    "invalid-enrolment-code": (403, "The enrolment code is unknown, used or expired"),
    "not-found": (404, "There is nothing at this address"),
    "method-not-allowed": (405, "This method is not allowed here"),
    "no-locks": (409, "There are no doors this staff member may open now"),
    "device-key-in-use": (409, "This device key is already enrolled"),
    "payload-too-large": (413, "The request body is too large"),
    "unsupported-media-type": (415, "Send the body as application/json"),
    "invalid-device-key": (422, "The public key is not a P-256 key"),
    "invalid-shift-end": (422, "The shift must end in the future and within 10 hours"),
    "rate-limited": (429, "Too many requests: wait a little and try again"),
    "internal-error": (500, "Something went wrong on our side"),
    "http-error": (500, "The request failed"),
    "service-unavailable": (503, "The database cannot be reached just now: try again shortly"),
}
BY_STATUS = {
    400: "bad-request",
    404: "not-found",
    405: "method-not-allowed",
    413: "payload-too-large",
    415: "unsupported-media-type",
    429: "rate-limited",
    500: "internal-error",
}


class ApiProblem(Exception):
    """Raise in an API view to answer with that problem."""

    def __init__(self, slug: str, detail: str = "", status: int | None = None, **extra):
        super().__init__(slug)
        self.slug, self.detail, self.extra = slug, detail, extra
        self.status = status or PROBLEMS[slug][0]


def problem_response(slug: str, detail: str = "", status: int | None = None, **extra):
    """A problem+json response for a named problem."""
    default_status, title = PROBLEMS.get(slug, PROBLEMS["http-error"])
    status = status or default_status
    body = {"type": TYPE_BASE + slug, "title": title, "status": status}
    if detail:
        body["detail"] = detail
    body.update(extra)
    response = jsonify(body)
    response.status_code = status
    response.mimetype = "application/problem+json"
    response.headers["Cache-Control"] = "no-store"
    if slug == "invalid-token":
        response.headers["WWW-Authenticate"] = 'Bearer realm="field-api", error="invalid_token"'
    return response


def is_api_request() -> bool:
    """True for paths this module answers for."""
    path = request.path
    return path == API_PREFIX or path.startswith(API_PREFIX + "/")


def handle_api_problem(exc: ApiProblem):
    """ApiProblem -> response."""
    return problem_response(exc.slug, exc.detail, exc.status, **exc.extra)


def handle_http_error(exc: HTTPException):
    """Werkzeug errors: problem+json under /api/v1, the portal's own pages everywhere else."""
    if not is_api_request():
        from portal.web import errors

        return errors.handle_http(exc)
    code = exc.code or 500
    slug = BY_STATUS.get(code, "http-error")
    response = problem_response(slug, status=code)
    if code == 405 and getattr(exc, "valid_methods", None):
        response.headers["Allow"] = ", ".join(exc.valid_methods)
    return response


def handle_unexpected(exc: Exception):
    """A crash inside an API view: log the trace, answer a calm problem."""
    if isinstance(exc, HTTPException):
        return handle_http_error(exc)
    if isinstance(exc, ApiProblem):
        return handle_api_problem(exc)
    if database_gone(exc):
        release_connection()
        log.warning("database unavailable on %s %s", request.method, request.path)
        response = problem_response("service-unavailable")
        response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    log.exception("unhandled API error on %s %s", request.method, request.path)
    return problem_response("internal-error")


def register_blueprint_handlers(bp) -> None:
    """The API's own views: named problems, and anything unexpected (once, at import)."""
    bp.register_error_handler(ApiProblem, handle_api_problem)
    bp.register_error_handler(Exception, handle_unexpected)


def register(app) -> None:
    """App-level per-status handlers for routing errors (404/405 have no blueprint yet) that
    answer problem+json under /api/v1 and fall back to the portal's own pages elsewhere."""
    for code in ROUTING_ERRORS:
        app.register_error_handler(code, handle_http_error)
