"""Locksmith: "My day", completing a job with its lock unit, or failing it with a reason."""

from flask import Blueprint
from flask_babel import lazy_gettext as _l

bp = Blueprint("locksmith", __name__)


def init_app(app):
    """Load the views and add "My day" to the locksmith's navigation."""
    from portal.locksmith import views, views_follow_up  # noqa: F401
    from portal.web.panels import nav_item

    nav_item("locksmith", "locksmith.my_day", _l("My day"), order=10)
    nav_item("coordinator", "locksmith.follow_up", _l("Follow-up"), order=40)
