"""Roll-out: campaigns per district, locksmith availability, progress and follow-up lists."""

from flask import Blueprint
from flask_babel import lazy_gettext as _l

bp = Blueprint("rollout", __name__)


def init_app(app):
    """Load the views and add the coordinator's roll-out pages to the navigation."""
    from portal.rollout import views, views_availability  # noqa: F401
    from portal.web.panels import nav_item

    nav_item("coordinator", "rollout.campaigns", _l("Campaigns"), order=30)
    nav_item("coordinator", "rollout.follow_up", _l("Follow-up"), order=40)
