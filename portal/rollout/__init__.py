"""Roll-out: campaigns per district, their progress, and the citizens who have not booked."""

from flask import Blueprint
from flask_babel import lazy_gettext as _l

bp = Blueprint("rollout", __name__)


def init_app(app):
    """Load the views and add the coordinator's roll-out pages to the navigation."""
    from portal.rollout import views  # noqa: F401
    from portal.web.panels import nav_item

    nav_item("coordinator", "rollout.campaigns", _l("Campaigns"), order=30)
