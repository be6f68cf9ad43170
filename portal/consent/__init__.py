"""Consent: properties, entrances and their owners (the owner's consent flow builds on this)."""

from flask import Blueprint
from flask_babel import lazy_gettext as _l

bp = Blueprint("consent", __name__)


def init_app(app):
    """Load views and add the owner's start page to the navigation."""
    import portal.consent.views_owner  # noqa: F401
    from portal.consent import views  # noqa: F401
    from portal.web.panels import nav_item

    nav_item("owner", "consent.owner_home", _l("My properties"), order=10)
