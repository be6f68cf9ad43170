"""URLs of the page chrome (static files, pages without arguments, the language switch), built
once per file, page or language instead of through url_for on every page."""

from functools import lru_cache
from urllib.parse import urlencode

from flask import current_app, request, url_for
from werkzeug.exceptions import HTTPException
from werkzeug.routing import RequestRedirect

# The characters werkzeug's url_for leaves unquoted in a query value.
_QUERY_SAFE = "!$'()*,/:;?@"


def asset_url(filename: str) -> str:
    """The URL of a file under static/ (the same as url_for('static', filename=...))."""
    return _url(request.script_root, current_app.static_url_path, "static", filename=filename)


def chrome_url(endpoint: str) -> str:
    """The URL of a page that takes no arguments (the same as url_for(endpoint))."""
    return _url(request.script_root, None, endpoint)


def language_url(lang: str, next_path: str) -> str:
    """The language switch to `lang` that comes back to `next_path`."""
    query = urlencode({"next": next_path}, safe=_QUERY_SAFE)
    return f"{_url(request.script_root, None, 'pages.language', lang=lang)}?{query}"


@lru_cache(maxsize=1024)
def _url(_root: str, _static: str | None, endpoint: str, **values) -> str:
    """url_for(endpoint, **values), once for each mount point (and, for a static file, static
    path: Flask works that out anew on each call, so only asset_url asks for it); only endpoint
    names and values from templates come here, never a request's input."""
    return url_for(endpoint, **values)


def language_return_path() -> str:
    """Where the language switch comes back to: this page's address, or, for a page that
    answers a form sent to an address only a form may use (a key handed out, a document
    attached: POST only), the nearest address above it that a browser can load (the key's
    page), so switching language there is not a "405" dead end."""
    if request.method in ("GET", "HEAD"):
        return request.full_path.rstrip("?")
    adapter = current_app.url_map.bind_to_environ(request.environ)
    path = request.path
    while path not in ("", "/"):
        try:
            adapter.match(path, method="GET")
        except RequestRedirect:
            return path  # the same page with or without its trailing slash
        except HTTPException:
            path = path.rstrip("/").rsplit("/", 1)[0]
            continue
        return path if path != request.path else request.full_path.rstrip("?")
    return "/"
