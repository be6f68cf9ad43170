"""Insights: charts of visits and roll-out, the battery fleet, and operational health.

Coordinators see everything; a provider admin sees the visit charts for their own provider's
visits only. Every figure is counted in SQL over a bounded period (default the last 30 days).
"""

from flask import Blueprint
from flask_babel import lazy_gettext as _l

bp = Blueprint("insights", __name__, url_prefix="/insights")


def init_app(app):
    """Load the views and add the insight pages to the coordinator's and provider admin's menu."""
    from portal.insights import models, views  # noqa: F401
    from portal.web.panels import nav_item

    nav_item("coordinator", "insights.charts", _l("Insights"), order=85, also=("insights.*",))
    nav_item("provider_admin", "insights.charts", _l("Insights"), order=35)
