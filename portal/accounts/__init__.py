"""Accounts: staff and owner sign-in, citizen and relative sign-in with the letter code."""

from flask import Blueprint

bp = Blueprint("accounts", __name__)


def init_app(app):
    """Register the account CLI commands."""
    from flask_babel import lazy_gettext as _l

    from portal.accounts import (  # noqa: F401
        cli,
        views,
        views_account,
        views_code_pause,
        views_mfa,
        views_oidc,
        views_password,
        views_recovery,
        views_staff,
    )
    from portal.accounts.models import STAFF_ROLES
    from portal.accounts.roles import actor_name
    from portal.web.panels import nav_item

    app.cli.add_command(cli.users_cli)
    # Any page that shows who did something ("user:7 Karin K (coordinator)" as stored).
    app.jinja_env.filters["actor_name"] = actor_name
    views_oidc.init_oidc(app)
    nav_item("coordinator", "accounts.staff_accounts", _l("Staff accounts"), order=90)
    for role in STAFF_ROLES:  # last in every staff menu: the app, a new phone, recovery codes
        nav_item(role, "accounts.your_account", _l("Your account"), order=99)
