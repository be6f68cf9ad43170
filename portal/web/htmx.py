"""The only reader of HX-* headers: decides between a fragment and a whole page."""

from flask import make_response, render_template, request


def wants_fragment() -> bool:
    """A plain htmx request: not boosted navigation and not a history restore."""
    headers = request.headers
    return (
        headers.get("HX-Request") == "true"
        and headers.get("HX-Boosted") != "true"
        and headers.get("HX-History-Restore-Request") != "true"
    )


def render(page: str, fragment: str, status: int = 200, **context):
    """Render the fragment for htmx, the page otherwise; always Vary on HX-Request."""
    body = render_template(fragment if wants_fragment() else page, **context)
    response = make_response(body, status)
    response.vary.add("HX-Request")
    return response


def hx_redirect(url: str):
    """Tell htmx to navigate (a real 303 for everyone else)."""
    if wants_fragment():
        response = make_response("", 204)
        response.headers["HX-Redirect"] = url
        return response
    response = make_response("", 303)
    response.headers["Location"] = url
    return response


def add_vary(response):
    """after_request hook: every HTML response may differ by HX-Request."""
    if response.mimetype == "text/html":
        response.vary.add("HX-Request")
    return response
