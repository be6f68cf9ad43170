"""Consent: properties, entrances and their owners (the owner's consent flow builds on this)."""

from flask import Blueprint
from flask_babel import lazy_gettext as _l

bp = Blueprint("consent", __name__)


def weekday_name(weekday: int) -> str:
    """The weekday's name (Monday is 0) in the page's language, as CLDR writes it alone."""
    from babel.dates import get_day_names
    from flask_babel import get_locale

    return get_day_names("wide", "stand-alone", locale=get_locale())[int(weekday)]


def init_app(app):
    """Load views and add the owner's start page to the navigation."""
    from portal.consent import views, views_partners  # noqa: F401
    from portal.web.panels import nav_item

    app.jinja_env.filters["weekday_name"] = weekday_name

    nav_item("owner", "consent.owner_home", _l("My properties"), order=10)
    nav_item(
        "owner",
        "consent.owner_partners",
        _l("Partner access"),
        order=30,
        also=("access.owner_passages",),
    )
    nav_item("coordinator", "consent.partner_companies", _l("Partner companies"), order=90)
