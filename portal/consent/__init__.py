"""Consent: the property register, requests for the owners' consent, and their decisions."""

from flask import Blueprint
from flask_babel import lazy_gettext as _l

bp = Blueprint("consent", __name__)


def init_app(app):
    """Load views and the reminder job; navigation for owners and coordinators."""
    import portal.consent.views_owner  # noqa: F401
    from portal.consent import tasks, views, views_import, views_register, views_requests  # noqa: F401
    from portal.consent.labels import template_globals
    from portal.web.panels import nav_item

    app.jinja_env.globals.update(template_globals())
    nav_item("owner", "consent.owner_home", _l("My properties"), order=10)
    nav_item("coordinator", "consent.properties", _l("Properties"), order=45)
    nav_item("coordinator", "consent.board_page", _l("Consent"), order=46)
