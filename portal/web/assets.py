"""Static file URLs for the page chrome, built once per file instead of on every page."""

from functools import lru_cache

from flask import current_app, request, url_for


def asset_url(filename: str) -> str:
    """The URL of a file under static/ (the same as url_for('static', filename=...))."""
    return _asset_url(request.script_root, current_app.static_url_path, filename)


@lru_cache(maxsize=256)
def _asset_url(_root: str, _static: str, filename: str) -> str:
    return url_for("static", filename=filename)
