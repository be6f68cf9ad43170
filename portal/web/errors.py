"""Error pages in the design system, translated; problem+json under /api; never a trace."""

import logging

from flask import jsonify, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from werkzeug.exceptions import HTTPException, InternalServerError

from portal.documents.pool import TaskTimeout
from portal.web.redact import redact

log = logging.getLogger(__name__)

MESSAGES = {
    400: (_l("The request could not be understood"), _l("Please go back and try again.")),
    403: (
        _l("You do not have access to this page"),
        _l("Sign in with an account that has access, or go to the front page."),
    ),
    404: (_l("Page not found"), _l("Check the address, or go to the front page.")),
    405: (
        _l("That action is not possible here"),
        _l("Please go back and use the buttons on the page."),
    ),
    409: (
        _l("Something changed while you were working"),
        _l("Reload the page to see the latest version and try again."),
    ),
    413: (_l("The file is too large"), _l("Choose a smaller file and try again.")),
    429: (_l("Too many attempts"), _l("Please wait a few minutes and try again, or call us.")),
    500: (_l("Sorry, something went wrong on our side"), _l("Please try again later, or call us.")),
    503: (_l("The portal is closed for maintenance"), _l("Please try again later, or call us.")),
}


def _wants_json() -> bool:
    return request.path.startswith("/api/")


def render_error(code: int, detail: str | None = None):
    """The error page (or problem+json) for an HTTP status."""
    title, advice = MESSAGES.get(code, MESSAGES[500])
    if _wants_json():
        body = {"type": f"about:blank#{code}", "title": str(title), "status": code}
        if detail:
            body["detail"] = detail
        response = jsonify(body)
        response.status_code = code
        response.mimetype = "application/problem+json"
        return response
    html = render_template(
        "errors/error.html", code=code, title=title, advice=advice, detail=detail
    )
    return html, code


def handle_http(exc: HTTPException):
    """Any werkzeug HTTP error."""
    if exc.code is None or exc.code < 400:
        return exc
    response = render_error(exc.code)
    if exc.code == 405 and not isinstance(response, tuple):
        return response
    if exc.code == 405 and hasattr(exc, "valid_methods") and exc.valid_methods:
        html, code = response
        return html, code, {"Allow": ", ".join(exc.valid_methods)}
    return response


def handle_unexpected(exc: Exception):
    """Anything unhandled: log it with the trace, show the user a calm 500."""
    if isinstance(exc, HTTPException):
        return handle_http(exc)
    # redact: a path may carry a secret (a staff invitation's token)
    log.exception("unhandled error on %s %s", request.method, redact(request.path))
    return render_error(InternalServerError.code)


def handle_render_timeout(exc: TaskTimeout):
    """A PDF (receipt, export) that ran past PDF_RENDER_TIMEOUT: its worker was stopped; say
    so in words. Letters have their own words (portal.letters.downloads)."""
    log.error("a PDF took longer than %s s to render on %s", exc.seconds, request.path)
    detail = ngettext(
        "Making this PDF took longer than %(seconds)s second, so it was stopped. Try again in a "
        "moment. If it happens again, call us.",
        "Making this PDF took longer than %(seconds)s seconds, so it was stopped. Try again in a "
        "moment. If it happens again, call us.",
        1 if exc.seconds == 1 else 2,  # the limit may have decimals: "1.5 seconds"
        seconds=f"{exc.seconds:g}",
    )
    if request.method == "POST":  # every caller renders before it commits: the whole request
        detail += " " + _("Nothing was saved.")
    return render_error(InternalServerError.code, detail=detail)


def register(app) -> None:
    """Wire the handlers into the app."""
    app.register_error_handler(HTTPException, handle_http)
    app.register_error_handler(TaskTimeout, handle_render_timeout)
    app.register_error_handler(Exception, handle_unexpected)
