"""Security headers, idle session timeouts and safe redirects."""

from urllib.parse import urlsplit

from flask import current_app, flash, request, session
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, logout_user

from portal import clock
from portal.web.htmx import SIGNED_IN_PREFIXES, is_htmx, to_sign_in

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "frame-ancestors 'none'; form-action 'self'"
)


SEEN_GRANULARITY_S = 60

PRIVATE_PREFIXES = (*SIGNED_IN_PREFIXES, "/sign-in")


def security_headers(response):
    """after_request hook: CSP and friends on every response."""
    response.headers.setdefault("Content-Security-Policy", CSP)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    response.headers.setdefault("X-Frame-Options", "DENY")
    hsts = current_app.config.get("HSTS_SECONDS")
    if hsts:
        response.headers.setdefault(
            "Strict-Transport-Security", f"max-age={hsts}; includeSubDomains"
        )
    # Nothing personal may be kept by the browser or a proxy: any page of a signed-in user
    # (the /staff start page was missed by the old path list), and the sign-in pages, which
    # echo a typed code and date of birth.
    if request.endpoint != "static" and (
        request.path.startswith(PRIVATE_PREFIXES) or current_user.is_authenticated
    ):
        response.headers.setdefault("Cache-Control", "no-store")
    return response


def enforce_idle_timeout():
    """before_request hook: sign out after the role's idle limit (citizens 30 min, staff 8 h)
    and, however busy, SESSION_MAX_HOURS after signing in (a cookie re-signed once a minute
    would otherwise live as long as it is used)."""
    if request.endpoint == "static" or not current_user.is_authenticated:
        return
    cfg = current_app.config
    minutes = (
        cfg["CITIZEN_IDLE_MINUTES"] if current_user.kind == "citizen" else cfg["STAFF_IDLE_MINUTES"]
    )
    now = clock.now().timestamp()
    seen = session.get("seen")
    # Sign-in stamps the time: a session without it was never stamped, so it counts as idle.
    if not isinstance(seen, int | float) or now - seen > minutes * 60:
        return _sign_out(_("You were signed out because you were away for a while."))
    since = session.get("since")
    if not isinstance(since, int | float):
        session["since"] = since = int(now)  # signed in before the limit existed: from now
    if now - since > cfg["SESSION_MAX_HOURS"] * 3600:
        return _sign_out(
            ngettext(
                "You were signed out because a sign-in lasts at most %(num)s hour. "
                "Please sign in again.",
                "You were signed out because a sign-in lasts at most %(num)s hours. "
                "Please sign in again.",
                cfg["SESSION_MAX_HOURS"],
            )
        )
    # Written at most once a minute (and SESSION_REFRESH_EACH_REQUEST is off), so a page that
    # changes nothing else does not re-sign and re-send the session cookie on every request.
    if now - seen >= SEEN_GRANULARITY_S:
        session["seen"] = int(now)
    if not session.permanent:
        session.permanent = True


def _sign_out(message: str):
    """End the session (keeping the chosen language) and say why on the sign-in page."""
    kind = _sign_in_kind(current_user)
    logout_user()
    lang = session.get("lang")
    session.clear()
    if lang:
        session["lang"] = lang
    flash(message, "info")
    # htmx would swap the sign-in page into a fragment: have the browser go there.
    return to_sign_in(kind) if is_htmx() else None


def _sign_in_kind(principal) -> str:
    # The sign-in page of the one who was signed out, whichever page they were on.
    if principal.kind == "citizen":
        return "citizen"
    return "owner" if principal.role == "owner" else "staff"


def safe_next(target: str | None, default: str) -> str:
    """Only same-site relative paths are followed after sign-in or a language switch."""
    if not target:
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return default
    # A backslash is a slash to browsers; a control character (a line break would split the
    # Location header, which werkzeug refuses with a 500) has no place in our own addresses.
    if "\\" in target or any(ord(c) < 0x20 or ord(c) == 0x7F for c in target):
        return default
    return target
