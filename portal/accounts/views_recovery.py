"""The ten recovery codes right after setting up the authenticator app (or making new codes):
printed or downloaded while this session shows them (a reload shows them again), and left only
once the staff member says they are saved; then they are never shown again.

From the moment they are made (the redirect from the set-up page included) the codes travel in
the session sealed with the keyring (AES-GCM, bound to the user and their session version):
Flask's session cookie is signed, not encrypted, so plain codes there would be readable by
anyone who sees the cookie. They are kept for at most SHOWN_SECONDS; "Continue" removes them,
and so does signing out.
"""

import json

from cryptography.exceptions import InvalidTag
from flask import current_app, redirect, render_template, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms import BooleanField
from wtforms.validators import InputRequired

from portal import clock
from portal.accounts import bp
from portal.accounts.landing import home_for
from portal.accounts.models import STAFF_ROLES
from portal.web.auth import role_required
from portal.web.forms import PortalForm

SHOWN = "mfa_codes_shown"  # {"c": the sealed codes, "at": epoch s, "next": where Continue goes}
SHOWN_SECONDS = 15 * 60


class SavedForm(PortalForm):
    """Continue only once the codes are saved."""

    saved = BooleanField(
        _l("I have saved my recovery codes"),
        validators=[InputRequired(_l("Tick the box once you have saved your recovery codes"))],
    )


def _purpose(user) -> str:
    return f"recovery-codes:{user.id}:{user.session_version}"


def keep(user, codes: list[str], target: str) -> None:
    """Seal new recovery codes into the session for the page that shows them, and where its
    Continue goes (call after start_session, which would drop them)."""
    sealed = current_app.extensions["keyring"].encrypt(json.dumps(codes), _purpose(user))
    session[SHOWN] = {"c": sealed, "at": int(clock.now().timestamp()), "next": target}


def _shown() -> tuple[list[str], str] | tuple[None, None]:
    """The codes this session showed, and where Continue goes, while they may still be shown."""
    kept = session.get(SHOWN)
    if not isinstance(kept, dict):
        return None, None
    if int(clock.now().timestamp()) - int(kept.get("at", 0)) > SHOWN_SECONDS:
        session.pop(SHOWN, None)
        return None, None
    try:
        codes = json.loads(
            current_app.extensions["keyring"].decrypt(kept["c"], _purpose(current_user))
        )
    except (InvalidTag, KeyError, TypeError, ValueError):  # another user's, an old session
        # version's, or tampered with
        session.pop(SHOWN, None)
        return None, None
    return codes, kept.get("next") or home_for(current_user)


@bp.route("/sign-in/second-factor/recovery-codes", methods=["GET", "POST"])
@role_required(*STAFF_ROLES)
def recovery_codes():
    """The ten new recovery codes, shown until they are said to be saved (a reload shows them
    again), then never again."""
    codes, target = _shown()
    if not codes:
        return redirect(home_for(current_user), 303)
    form = SavedForm()
    if form.validate_on_submit():
        session.pop(SHOWN, None)
        return redirect(target, 303)
    return render_template("accounts/recovery_codes.html", codes=codes, form=form)


@bp.route("/sign-in/second-factor/recovery-codes.txt")
@role_required(*STAFF_ROLES)
def recovery_codes_file():
    """The codes this session shows, as a text file to keep (never cached, never again later)."""
    codes, _target = _shown()
    if not codes:
        return redirect(url_for("accounts.recovery_codes"), 303)
    lines = [
        _("Recovery codes for %(email)s", email=current_user.email),
        current_app.config["MUNICIPALITY_NAME"],
        "",
        _("If you lose your phone, each code signs you in once instead of the app."),
        "",
        *codes,
        "",
    ]
    response = current_app.response_class("\n".join(lines), mimetype="text/plain")
    response.headers["Content-Disposition"] = 'attachment; filename="recovery-codes.txt"'
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
