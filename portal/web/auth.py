"""Role guards and object-level authorisation: the one place that says who may see what."""

from collections.abc import Callable
from functools import wraps

from flask import abort
from flask_login import current_user

from portal.extensions import db
from portal.web.htmx import is_htmx, to_sign_in

# Feature packages register extra rules: rule(principal, citizen) -> True lets that principal
# see the citizen (e.g. a locksmith with a job at that door). Coordinators always may.
CITIZEN_VIEW_RULES: list[Callable] = []
# Features register how to load the records they guard (citizens registers "citizen"), so this
# module stays below them while every object-level check still lives here, in one place.
LOADERS: dict[str, Callable] = {}


def register_loader(kind: str, load: Callable) -> None:
    """Let `load(session, id)` fetch records of `kind` for the guards below."""
    LOADERS[kind] = load


def role_required(*roles: str):
    """Signed-in accounts with one of these roles; others 403 (on htmx: to sign in)."""

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return to_sign_in()
            if current_user.role not in roles:
                # htmx would not show a 403 page; the sign-in page offers the right account.
                if is_htmx():
                    return to_sign_in()
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


citizen_required = role_required("citizen")


def may_see_citizen(principal, citizen) -> bool:
    """A citizen (or their relative) sees only themself; staff by role and registered rules."""
    if not principal.is_authenticated or citizen is None:
        return False
    if principal.role == "citizen":
        return principal.citizen.id == citizen.id
    if principal.role == "coordinator":
        return True
    return any(rule(principal, citizen) for rule in CITIZEN_VIEW_RULES)


MAX_ID = 2**31 - 1  # PostgreSQL's INTEGER; Werkzeug's <int:> converter has no upper bound


def id_or_404(value: int) -> int:
    """An id from the URL that can exist; a larger number would crash the query, so 404."""
    if not 0 < value <= MAX_ID:
        abort(404)
    return value


def citizen_or_404(citizen_id: int):
    """Load a citizen the signed-in principal may see; anything else is a 404, never a 403."""
    citizen = LOADERS["citizen"](db.session, id_or_404(citizen_id))
    if not may_see_citizen(current_user, citizen):
        abort(404)
    return citizen


def owner_may_see_property(principal, prop) -> bool:
    """Owners see only their organisation's properties."""
    return (
        principal.is_authenticated
        and principal.role == "owner"
        and prop is not None
        and prop.owner_id == principal.owner_organisation_id
    ) or (principal.is_authenticated and principal.role == "coordinator" and prop is not None)


def owner_may_see_entrance(principal, entrance) -> bool:
    """Owners see only the entrances of their organisation's properties."""
    return entrance is not None and (
        principal.is_authenticated
        and principal.role == "owner"
        and entrance.property.owner_id == principal.owner_organisation_id
    )


def partner_admin_may_manage(principal, staff) -> bool:
    """A partner admin manages only the couriers of their own partner company."""
    return (
        staff is not None
        and principal.is_authenticated
        and principal.role == "partner_admin"
        and principal.partner_company_id is not None
        and staff.partner_company_id == principal.partner_company_id
    )
