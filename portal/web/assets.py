"""URLs of the page chrome (static files, pages without arguments, the language switch), built
once per file, page or language instead of through url_for on every page."""

from functools import lru_cache
from urllib.parse import urlencode

from flask import current_app, request, url_for

# The characters werkzeug's url_for leaves unquoted in a query value.
_QUERY_SAFE = "!$'()*,/:;?@"


def asset_url(filename: str) -> str:
    """The URL of a file under static/ (the same as url_for('static', filename=...))."""
    return _asset_url(request.script_root, current_app.static_url_path, filename)


@lru_cache(maxsize=256)
def _asset_url(_root: str, _static: str, filename: str) -> str:
    return url_for("static", filename=filename)


def chrome_url(endpoint: str) -> str:
    """The URL of a page that takes no arguments (the same as url_for(endpoint))."""
    return _chrome_url(request.script_root, endpoint)


@lru_cache(maxsize=512)
def _chrome_url(_root: str, endpoint: str) -> str:
    return url_for(endpoint)


def language_url(lang: str, next_path: str) -> str:
    """The language switch to `lang` that comes back to `next_path`."""
    return f"{_language_url(request.script_root, lang)}?{urlencode({'next': next_path}, safe=_QUERY_SAFE)}"


@lru_cache(maxsize=64)
def _language_url(_root: str, lang: str) -> str:
    return url_for("pages.language", lang=lang)
