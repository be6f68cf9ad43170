"""The care-system API: the municipality's care system (EHR) pushes citizen changes and pulls
visits and request statuses under /api/v1/care, with scoped tokens coordinators create and
revoke on /coordinator/care-system-api.

`bp` holds the token page (`views`); `api.care_bp` the JSON API (`views_api`) (CSRF-exempt, problem+json errors).
"""

from flask import Blueprint
from flask_babel import lazy_gettext as _l

bp = Blueprint("careapi", __name__)


def init_app(app):
    """Views, the API blueprint, settings and the coordinator's navigation link."""
    from portal.careapi import api, views, views_api  # noqa: F401
    from portal.extensions import csrf
    from portal.web.panels import nav_item

    csrf.exempt(api.care_bp)
    app.register_blueprint(api.care_bp)
    nav_item("coordinator", "careapi.tokens_page", _l("Care-system API"), order=90)
