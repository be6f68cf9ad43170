"""Reports: the visit report (filters, keyset pages, CSV and XLSX exports) and time at the
citizen per provider per month (the billing basis), for coordinators (every visit) and
provider admins (only visits by their own provider's staff).

Plain service functions for other code and the benchmark: `visits.visit_page`,
`visits.iter_visit_rows`, `billing.billing`, with a `filters.Scope` saying whose visits.
"""

from flask import Blueprint
from flask_babel import lazy_gettext as _l

bp = Blueprint("reports", __name__)


def init_app(app):
    """Load the views and add the navigation links."""
    from portal.reports import views, views_billing  # noqa: F401
    from portal.web.panels import nav_item

    for role in ("coordinator", "provider_admin"):
        nav_item(role, "reports.visits", _l("Visit report"), order=90)
        nav_item(role, "reports.billing_page", _l("Time per provider"), order=91)
