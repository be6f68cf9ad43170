"""A staff member's own account page (the second factor: move the app to a new phone, make
new recovery codes, how many are left), and the short page after signing in with a recovery
code that says how many codes are left and leads to setting up the app on a new phone.

Every page here acts on the signed-in staff member only (no id in any address). A session
that has passed the password but not the second factor is not signed in, so it never gets
here.
"""

from datetime import UTC, datetime

from flask import current_app, flash, redirect, render_template, session, url_for
from flask_babel import format_time
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms import StringField
from wtforms.validators import DataRequired, Length

from portal import clock
from portal.accounts import bp, mfa, views_recovery
from portal.accounts.landing import home_for
from portal.accounts.models import STAFF_ROLES, User
from portal.extensions import db, limiter
from portal.web.auth import role_required
from portal.web.forms import PortalForm
from portal.web.security import safe_next

# {"uid", "v" (session version), "at" (epoch s), "next"}: this session signed in with a
# recovery code; the page after it says how many are left, and for RECOVERY_PROOF the set-up
# page takes that sign-in as the proof (the lost phone cannot give a code).
RECOVERED = "mfa_recovered"


class RenewForm(PortalForm):
    """A code from the app (or a recovery code) before new recovery codes are made."""

    current = StringField(
        _l("Code from your authenticator app, or a recovery code"),
        validators=[
            DataRequired(_l("Enter a code from the app you use now, or a recovery code")),
            Length(max=20, message=_l("The code is at most 20 characters")),
        ],
    )


def mark_recovered(user: User, target: str) -> None:
    """Remember that this session signed in with a recovery code (call after start_session)."""
    session[RECOVERED] = {
        "uid": user.id,
        "v": user.session_version,
        "at": int(clock.now().timestamp()),
        "next": target,
    }


def _recovered(user) -> dict | None:
    kept = session.get(RECOVERED)
    if not isinstance(kept, dict) or kept.get("uid") != user.id:
        return None
    if kept.get("v") != user.session_version:
        return None
    return kept


def recovered_at(user) -> datetime | None:
    """When this session signed in with a recovery code, if it did (and is the same user's)."""
    kept = _recovered(user)
    if kept is None:
        return None
    return datetime.fromtimestamp(int(kept.get("at", 0)), UTC)


def after_recovery_target(user) -> str | None:
    """Where the staff member was going when they signed in with a recovery code."""
    kept = _recovered(user)
    return safe_next(kept.get("next"), home_for(user)) if kept else None


def _me() -> User:
    return db.session.get(User, current_user.id)


@bp.route("/sign-in/second-factor/recovered")
@role_required(*STAFF_ROLES)
def recovered():
    """After a sign-in with a recovery code: codes left, set up the new phone, or continue."""
    user = _me()
    target = after_recovery_target(user)
    if target is None:
        return redirect(home_for(user), 303)
    return render_template(
        "accounts/recovered.html",
        state=mfa.state_of(db.session, user.id),
        target=target,
        proof=mfa.recovered_recently(recovered_at(user), clock.now()),
    )


@bp.route("/account")
@role_required(*STAFF_ROLES)
def your_account():
    """The signed-in staff member's own account: the app, and the recovery codes left."""
    user = _me()
    return render_template(
        "accounts/your_account.html", user=user, state=mfa.state_of(db.session, user.id)
    )


@bp.route("/account/recovery-codes/new", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["STAFF_SIGNIN_LIMIT"], methods=["POST"])
@role_required(*STAFF_ROLES)
def renew_recovery_codes():
    """Make ten new recovery codes (the old ones stop working) after a code from the app."""
    user = _me()
    if mfa.factor_of(db.session, user.id) is None:
        flash(_("Set up the authenticator app first: that makes your recovery codes."), "info")
        return redirect(url_for("accounts.your_account"), 303)
    form = RenewForm()
    if form.validate_on_submit():
        keyring, now = current_app.extensions["keyring"], clock.now()
        try:
            codes = mfa.renew_recovery_codes(db.session, keyring, user, form.current.data, now=now)
        except mfa.TooManyWrongCodes as exc:
            db.session.commit()  # the failure count and its audit record stay
            form.current.errors = [too_many_message(exc)]
        except mfa.WrongCode:
            db.session.commit()
            form.current.errors = [wrong_code_message(form.current.data)]
        else:
            db.session.commit()
            views_recovery.keep(user, codes, url_for("accounts.your_account"))
            return redirect(url_for("accounts.recovery_codes"), 303)
    return render_template(
        "accounts/renew_recovery_codes.html", form=form, state=mfa.state_of(db.session, user.id)
    )


def too_many_message(exc: mfa.TooManyWrongCodes) -> str:
    """Wrong codes have paused the account; say until when."""
    return _(
        "Too many wrong codes. Try again after %(time)s.", time=format_time(exc.until, "short")
    )


def wrong_code_message(code: str) -> str:
    """Six digits were meant as the app's code; anything else as a recovery code."""
    if mfa.looks_like_totp(code):
        return _("The code is not right. Codes change every 30 seconds: try the newest.")
    return _(
        "That recovery code is not right, or it has been used already. Check it against your"
        " list: each code works only once."
    )
