"""The only reader of HX-* headers (through flask-htmx): fragment or whole page, Vary, and
HX-Redirect to the sign-in page when an htmx request finds no session."""

from urllib.parse import urlsplit

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_htmx import make_response
from flask_login import current_user

from portal.extensions import htmx
from portal.web.errors import handle_http

# Pages only a signed-in user sees: a refused token there means the session is gone.
SIGNED_IN_PREFIXES = (
    "/coordinator",
    "/citizen",
    "/locksmith",
    "/provider",
    "/owner",
    "/staff",
    "/partner",
)


def is_htmx() -> bool:
    """Any request made by htmx (boosted and history restores included)."""
    return bool(htmx)


def wants_fragment() -> bool:
    """A plain htmx request: not boosted navigation and not a history restore."""
    return bool(htmx) and not htmx.boosted and not htmx.history_restore_request


def render(page: str, fragment: str, status: int = 200, **context):
    """Render the fragment for htmx, the page otherwise; always Vary on HX-Request."""
    body = render_template(fragment if wants_fragment() else page, **context)
    response = make_response(body, status)
    response.vary.add("HX-Request")
    return response


def hx_redirect(url: str):
    """Tell htmx to navigate (a real 303 for everyone else)."""
    if wants_fragment():
        return _client_redirect(url)
    return redirect(url, 303)


def _client_redirect(url: str):
    # 204: htmx follows HX-Redirect before it looks at the body, and swaps nothing.
    response = make_response("", 204, redirect=url)
    response.vary.add("HX-Request")
    return response


def page_path() -> str:
    """The page the user is on: for htmx the browser's address (HX-Current-URL), since the
    request itself may be a fragment that cannot stand alone; else the requested path."""
    if htmx and htmx.current_url:
        parts = urlsplit(htmx.current_url)
        if parts.netloc in ("", request.host):
            return parts.path + (f"?{parts.query}" if parts.query else "")
    return request.full_path.rstrip("?")


# Each kind of user has its own sign-in page; the page asked for tells which one fits.
SIGN_IN_ENDPOINTS = {
    "citizen": "accounts.citizen_sign_in",
    "owner": "accounts.owner_sign_in",
    "staff": "accounts.staff_sign_in",
}
# /owner/invitation (the letter's code) is public, so it never sends anybody to sign in.
_PATH_KINDS = (("/citizen", "citizen"), ("/owner", "owner"))


def sign_in_kind(path: str) -> str:
    """Whose sign-in page fits a path: "citizen", "owner" or "staff"."""
    for prefix, kind in _PATH_KINDS:
        if path == prefix or path.startswith((prefix + "/", prefix + "?")):
            return kind
    return "staff"


def sign_in_url(kind: str | None = None) -> str:
    """The sign-in page that fits the page asked for (or `kind`), coming back to it afterwards."""
    nxt = page_path()
    endpoint = SIGN_IN_ENDPOINTS.get(kind or sign_in_kind(nxt), SIGN_IN_ENDPOINTS["staff"])
    return url_for(endpoint, next=nxt)


def to_sign_in(kind: str | None = None):
    """Send the user to sign in: HX-Redirect for htmx (never a sign-in page swapped into a
    fragment), a plain redirect otherwise."""
    url = sign_in_url(kind)
    if is_htmx():
        return _client_redirect(url)
    return redirect(url)


def unauthorized():
    """Flask-Login's unauthorized handler: the same as our guards, with its message."""
    flash(_("Please sign in to see that page."), "info")
    return to_sign_in()


def csrf_failure(exc):
    """A refused CSRF token on an htmx request from a signed-in page whose session is gone:
    to sign in. Anything else gets the 400 (the page's script says what to do)."""
    gone = not current_user.is_authenticated and page_path().startswith(SIGNED_IN_PREFIXES)
    if is_htmx() and gone:
        return to_sign_in()
    return handle_http(exc)


def add_vary(response):
    """after_request hook: every HTML response may differ by HX-Request."""
    if response.mimetype == "text/html":
        response.vary.add("HX-Request")
    return response
