"""The database went away: a calm 503 that keeps the user's answers, and a pool that recovers.

A lost connection (the server restarted, a fail-over, a network blip) raises OperationalError
(or DisconnectionError) in the middle of a request. The transaction never committed, so nothing
half-written remains; the session is rolled back, which also hands the broken connection back
to the pool to be thrown away (SQLAlchemy invalidates it), and `portal.connections` looks at
every pooled connection's socket before the next request uses it (a server that restarted has
closed them all), so the portal recovers without a restart.

The user gets the 503 page. After a form POST it carries the form's fields again (apart from
secrets and the CSRF token, which is made anew) in a "Try again" form that posts to the same
address, so nothing they chose is lost; answers kept in the session (the booking questions)
stay there too. When even the page's own look-ups fail (the database is still down), a plain
page that needs no database is sent instead.
"""

import contextlib
import logging

from flask import current_app, render_template, request
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import DisconnectionError, OperationalError

from portal.extensions import db
from portal.web.errors import handle_unexpected, render_error

log = logging.getLogger(__name__)
RETRY_AFTER_SECONDS = 30
UNAVAILABLE_HEADER = "X-Portal-Unavailable"
# Never echoed back into the page: secrets, and the CSRF token (a fresh one is issued).
SECRET_PARTS = ("password", "pin", "secret", "token", "otp", "national", "cpr", "personnummer")
MAX_FIELDS = 60
TITLE = _l("The portal cannot reach its database just now")
ADVICE = _l("Nothing was saved. Your answers are kept: wait a moment, then press Try again.")


def kept_fields() -> list[tuple[str, str]]:
    """The POSTed form fields that may be sent again (no secrets, no CSRF token, no files)."""
    if request.method != "POST" or not request.form:
        return []
    fields = [
        (name, value)
        for name, value in request.form.items(multi=True)
        if not any(part in name.lower() for part in SECRET_PARTS)
    ]
    return fields[:MAX_FIELDS]


# SQLite's OperationalError also means a bad statement ("no such table"): only these are the
# file going away or being busy. On a server database every OperationalError is about the
# connection or the server (lost, refused, shutting down, out of resources).
SQLITE_TRANSIENT = ("unable to open database file", "disk i/o error", "database is locked")


def database_gone(exc: BaseException) -> bool:
    """True when the error means the database is unreachable for now, not a bug."""
    if isinstance(exc, DisconnectionError):
        return True
    if not isinstance(exc, OperationalError):
        return False
    if exc.connection_invalidated:
        return True
    if type(exc.orig).__module__.startswith("sqlite3"):
        return any(part in str(exc.orig).lower() for part in SQLITE_TRANSIENT)
    return True


def release_connection() -> None:
    """Roll back, never raising: the broken connection goes back to the pool to be discarded."""
    # Rolling back returns the connection to the pool, which discards it if it was broken.
    with contextlib.suppress(Exception):
        db.session.rollback()


def handle_database_gone(exc: Exception):
    """A lost database: roll back, log once, answer 503 (never a trace); a bug stays a 500."""
    if not database_gone(exc):
        return handle_unexpected(exc)
    release_connection()
    log.warning(
        "database unavailable on %s %s: %s", request.method, request.path, type(exc).__name__
    )
    # The header tells the page's script (static/js/portal.js) that this 503 is the database,
    # not maintenance or a proxy: nothing was saved and the form can be sent again.
    headers = {"Retry-After": str(RETRY_AFTER_SECONDS), UNAVAILABLE_HEADER: "database"}
    if request.path.startswith("/api/"):
        body, code = render_error(503, detail=str(TITLE)), 503
        return body, code, headers
    context = {
        "title": TITLE,
        "advice": ADVICE,
        "resend": request.method == "POST",  # else "Try again" is a link to the same page
        "fields": kept_fields(),
        "action": request.full_path.rstrip("?"),
    }
    try:
        html = render_template("errors/unavailable.html", **context)
    except Exception:  # the page's own look-ups need the database too: send the plain one
        release_connection()
        # Straight from the Jinja environment: the context processors (the signed-in user)
        # would ask the database again.
        plain = current_app.jinja_env.get_template("errors/unavailable_plain.html")
        html = plain.render(**context)
    return html, 503, headers


def register(app) -> None:
    """Wire the handlers (more specific than the catch-all 500 handler)."""
    app.register_error_handler(OperationalError, handle_database_gone)
    app.register_error_handler(DisconnectionError, handle_database_gone)
