"""Consent: the property register, requests for the owners' consent, and their decisions."""

from flask import Blueprint
from flask_babel import lazy_gettext as _l

bp = Blueprint("consent", __name__)


def weekday_name(weekday: int) -> str:
    """The weekday's name (Monday is 0) in the page's language, as CLDR writes it alone."""
    from babel.dates import get_day_names
    from flask_babel import get_locale

    return get_day_names("wide", "stand-alone", locale=get_locale())[int(weekday)]


def init_app(app):
    """Load views and the reminder job; navigation for owners and coordinators."""
    import portal.consent.views_owner  # noqa: F401
    from portal.accounts.oidc import ORGANISATION_LOOKUPS
    from portal.consent import (  # noqa: F401
        tasks,
        views,
        views_entrances,
        views_import,
        views_partners,
        views_register,
        views_requests,
    )
    from portal.consent.labels import template_globals
    from portal.consent.owner_accounts import owner_by_org_number
    from portal.web.panels import nav_item

    if owner_by_org_number not in ORGANISATION_LOOKUPS:  # MitID Erhverv / BankID: CVR -> owner
        ORGANISATION_LOOKUPS.append(owner_by_org_number)
    app.jinja_env.globals.update(template_globals())
    app.jinja_env.filters["weekday_name"] = weekday_name
    nav_item("owner", "consent.owner_home", _l("My properties"), order=10)
    nav_item(
        "owner",
        "consent.owner_partners",
        _l("Partner access"),
        order=30,
        also=("access.owner_passages",),
    )
    nav_item("coordinator", "consent.properties", _l("Properties"), order=45)
    nav_item("coordinator", "consent.board_page", _l("Consent"), order=46)
    nav_item("coordinator", "consent.partner_companies", _l("Partner companies"), order=90)
