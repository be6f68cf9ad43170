"""Access: staff, devices, shift keys, lock units, lock events, visits and the field API.

`bp` holds the portal pages (provider admins and coordinators); `api.api_bp` the JSON field
API under /api/v1 (CSRF-exempt, problem+json errors). The pure key module `portal.keys` does
the cryptography; this package decides who gets which key and keeps the records.
"""

from flask import Blueprint
from flask_babel import lazy_gettext as _l

bp = Blueprint("access", __name__)

# Settings this feature reads; the lead moves them into portal.config.Defaults.
DEFAULTS = {
    "SHIFT_HOURS": 9,
    "PIN_MAX_FAILURES": 5,
    "REQUEST_SKEW_SECONDS": 300,
    "ENROLMENT_CODE_MINUTES": 15,
    "BATTERY_ALERT_PERCENT": 20,
    "SHIFT_RATE_LIMIT": "20 per minute",
    "SHIFT_ADDRESS_RATE_LIMIT": "300 per minute",
    "ENROLMENT_RATE_LIMIT": "20 per minute",
    "EVENTS_RATE_LIMIT": "120 per minute",
    "API_MAX_EVENTS": 500,
    "KEY_ISSUER": None,
    "ISSUER_KEY_DIR": None,
}


def init_app(app):
    """Views, the field API blueprint, CLI, navigation, panels and config defaults."""
    from portal.access import (  # noqa: F401
        api,
        cli,
        panels,
        partner_passages,
        problems,
        views,
        views_inventory,
        views_locks,
        views_partners,
    )
    from portal.access.partner_keys import on_access_narrowed
    from portal.consent.partner_signals import partner_access_narrowed
    from portal.extensions import csrf
    from portal.web.panels import nav_item

    for key, value in DEFAULTS.items():
        app.config.setdefault(key, value)
    from portal.access import issuer_keys, key_protection

    store = issuer_keys.KeyStore.from_config(app.config, app.instance_path)
    key_protection.encrypt_on_start(app, store.directory, store.iss)
    csrf.exempt(api.api_bp)
    problems.register(app)
    app.register_blueprint(api.api_bp)
    app.cli.add_command(cli.keys_cli)
    partner_access_narrowed.connect(on_access_narrowed)
    nav_item("provider_admin", "access.staff_list", _l("Staff and devices"), order=20)
    nav_item("provider_admin", "access.provider_visits", _l("Visits"), order=30)
    nav_item("partner_admin", "access.partner_staff_list", _l("Couriers and phones"), order=20)
    nav_item("coordinator", "access.staff_list", _l("Staff and devices"), order=60)
    nav_item("coordinator", "access.lock_list", _l("Locks"), order=70)
    nav_item("coordinator", "access.inventory_list", _l("Lock inventory"), order=72)
