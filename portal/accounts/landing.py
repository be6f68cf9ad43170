"""Starting a signed-in session and where each role lands (shared by the sign-in views)."""

from flask import session, url_for
from flask_login import login_user

from portal import clock

HOME_BY_ROLE = {
    "coordinator": "citizens.register",
    "locksmith": "locksmith.my_day",
    "provider_admin": "pages.staff_home",
    "owner": "consent.owner_home",
    "partner_admin": "access.partner_staff_list",
    "citizen": "citizens.home",
}


def home_for(principal) -> str:
    """Where a principal lands after signing in."""
    return url_for(HOME_BY_ROLE.get(principal.role, "pages.front"))


def start_session(principal) -> None:
    """A fresh session for the principal (keeps only the chosen language)."""
    lang = session.get("lang")
    session.clear()
    if lang:
        session["lang"] = lang
    login_user(principal)
    session.permanent = True
    # The idle clock starts now: a cookie without it would live for the whole session lifetime.
    session["seen"] = session["since"] = int(clock.now().timestamp())
