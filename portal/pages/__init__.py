"""Public pages: the front page, the accessibility statement, the language switch."""

from flask import Blueprint

bp = Blueprint("pages", __name__)


def init_app(app):
    """Load the views."""
    from portal.pages import views  # noqa: F401
