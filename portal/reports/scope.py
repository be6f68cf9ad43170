"""Who may read which report rows, decided from the signed-in account only."""

from flask import abort, current_app
from flask_login import current_user

from portal.directory import queries as directory
from portal.extensions import db
from portal.reports.filters import Scope
from portal.web.auth import role_required

report_reader = role_required("coordinator", "provider_admin")


def current_scope() -> Scope:
    """Every visit for a coordinator; a provider admin's own provider's visits (403 without)."""
    if current_user.role == "coordinator":
        return Scope.everything()
    if not current_user.provider_id:
        abort(403)
    return Scope.provider(current_user.provider_id)


def timezone() -> str:
    """The municipality's time zone name."""
    return current_app.config["TIMEZONE"]


def choices_for(scope: Scope):
    """(care groups, districts, providers) a reader may filter by."""
    groups = directory.care_groups(db.session, scope.provider_id)
    providers = directory.providers(db.session) if scope.provider_id is None else []
    return groups, directory.districts(db.session), providers
