"""A signed-in staff member or owner changes their own password."""

from datetime import timedelta

from flask import current_app, flash, redirect, render_template
from flask_babel import format_time
from flask_babel import gettext as _
from flask_login import current_user

from portal import clock
from portal.accounts import bp, services
from portal.accounts.forms import PasswordChangeForm
from portal.accounts.landing import home_for, start_session
from portal.accounts.models import ROLES, User
from portal.extensions import db, limiter
from portal.web.auth import role_required


@bp.route("/account/password", methods=["GET", "POST"])
@role_required(*ROLES)
@limiter.limit(lambda: current_app.config["STAFF_SIGNIN_LIMIT"], methods=["POST"])
def change_password():
    """The password in use, then a new one; every other session of the account ends."""
    form = PasswordChangeForm()
    if form.validate_on_submit():
        user = db.session.get(User, current_user.id)
        cfg = current_app.config
        try:
            services.change_password(
                db.session,
                user,
                form.current.data,
                form.password.data,
                now=clock.now(),
                limit=cfg["STAFF_ACCOUNT_MAX_FAILURES"],
                lock=timedelta(minutes=cfg["STAFF_LOCK_MINUTES"]),
            )
        except services.AccountLocked as exc:
            db.session.commit()  # the failure count and its audit record stay
            form.current.errors = [
                _(
                    "Too many wrong attempts. Try again after %(time)s.",
                    time=format_time(exc.until, "short"),
                )
            ]
        except services.InvalidCredentials:
            db.session.commit()
            form.current.errors = [_("This is not the password you use now.")]
        else:
            db.session.commit()
            start_session(user)  # the new session version: this browser stays signed in
            flash(
                _(
                    "Your password is changed. Anywhere else you were signed in, you are "
                    "signed out."
                ),
                "success",
            )
            return redirect(home_for(user), 303)
    return render_template("accounts/change_password.html", form=form)
