"""The second sign-in step for staff (TOTP or a recovery code), enrolment, and the
coordinator's reset of another staff member's second factor."""

import segno
from cryptography.exceptions import InvalidTag
from flask import abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from markupsafe import Markup, escape
from wtforms import StringField
from wtforms.validators import DataRequired, Length

from portal import clock
from portal.accounts import bp, known_browsers, mfa, views_account, views_recovery
from portal.accounts.landing import home_for, start_session
from portal.accounts.models import STAFF_ROLES, SecondFactor, User
from portal.accounts.roles import ROLE_LABELS
from portal.extensions import db, limiter
from portal.web.auth import role_required
from portal.web.forms import PortalForm, YesForm
from portal.web.security import safe_next

PENDING = "mfa"  # {"uid", "v" (session version), "at" (epoch s), "next"} between the steps
ENROLLING = "mfa_secret"  # noqa: S105 (a session key, not a password); the secret being enrolled, until its first code confirms it


def _enrolling_secret(user) -> str:
    """The authenticator secret this session is setting up, sealed in the cookie with the
    keyring (bound to the user and their session version) as the recovery codes are: the
    signed cookie is readable, and a set-up left unfinished would keep the secret readable in
    the browser. A seal that does not open (another user's, an old one) starts afresh."""
    keyring, purpose = (
        current_app.extensions["keyring"],
        f"mfa-enrolling:{user.id}:{user.session_version}",
    )
    sealed = session.get(ENROLLING)
    if sealed:
        try:
            return keyring.decrypt(sealed, purpose)
        except (InvalidTag, TypeError, ValueError):
            pass
    secret = mfa.new_secret()
    session[ENROLLING] = keyring.encrypt(secret, purpose)
    return secret


PENDING_SECONDS = 10 * 60


CODE_LENGTH = Length(max=20, message=_l("The code is at most 20 characters"))


class CodeForm(PortalForm):
    """The six digits from the authenticator app, or a recovery code."""

    code = StringField(
        _l("Code"),
        validators=[DataRequired(_l("Enter the code from your authenticator app")), CODE_LENGTH],
    )


class RecoveryForm(PortalForm):
    """A recovery code, for whoever no longer has the phone with the app."""

    code = StringField(
        _l("Recovery code"),
        validators=[DataRequired(_l("Enter one of your recovery codes")), CODE_LENGTH],
    )


class ReplaceForm(PortalForm):
    """Setting up a new app while one is in use: a code from each."""

    current = StringField(
        _l("Code from the app you use now"),
        validators=[
            DataRequired(_l("Enter a code from the app you use now, or a recovery code")),
            CODE_LENGTH,
        ],
    )
    code = StringField(
        _l("Code from the new app"),
        validators=[DataRequired(_l("Enter the code from your authenticator app")), CODE_LENGTH],
    )


def second_step_needed(user: User) -> bool:
    """True when this staff member must pass (or first set up) a second factor."""
    return mfa.factor_of(db.session, user.id) is not None or mfa.required_for(
        user, current_app.config
    )


def begin(user: User, target: str):
    """Remember who passed the password and send them to the second step (303)."""
    lang = session.get("lang")
    session.clear()
    if lang:
        session["lang"] = lang
    session[PENDING] = {
        "uid": user.id,
        "v": user.session_version,
        "at": int(clock.now().timestamp()),
        "next": target,
    }
    enrolled = mfa.factor_of(db.session, user.id) is not None
    return redirect(url_for("accounts.second_factor" if enrolled else "accounts.mfa_setup"), 303)


def _pending_user() -> User | None:
    pending = session.get(PENDING)
    if not isinstance(pending, dict):
        return None
    if int(clock.now().timestamp()) - int(pending.get("at", 0)) > PENDING_SECONDS:
        return None
    user = db.session.get(User, pending.get("uid"))
    if user is None or not user.active or user.session_version != pending.get("v"):
        return None
    return user


def _finish(user: User, kind: str | None = None, codes: list[str] | None = None):
    target = session.get(PENDING, {}).get("next") or home_for(user)
    start_session(user)
    if kind == "recovery":  # a page that says how many codes are left and leads to a new phone
        views_account.mark_recovered(user, safe_next(target, home_for(user)))
        target = url_for("accounts.recovered")
    if codes:  # sealed, never plain in the cookie
        views_recovery.keep(user, codes, safe_next(target, home_for(user)))
        target = url_for("accounts.recovery_codes")
    return known_browsers.remember(redirect(safe_next(target, home_for(user)), 303), user.id)


def _expired():
    flash(_("Please sign in again."), "info")
    return redirect(url_for("accounts.staff_sign_in"), 303)


@bp.route("/sign-in/second-factor", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["STAFF_SIGNIN_LIMIT"], methods=["POST"])
def second_factor():
    """The code from the authenticator app (or a recovery code) after the password."""
    user = _pending_user()
    if user is None or mfa.factor_of(db.session, user.id) is None:
        return _expired()
    with_recovery = request.args.get("with") == "recovery"
    form = RecoveryForm() if with_recovery else CodeForm()
    problem = None
    if form.validate_on_submit():
        try:
            kind = mfa.verify(
                db.session, current_app.extensions["keyring"], user, form.code.data, now=clock.now()
            )
        except mfa.TooManyWrongCodes as exc:
            db.session.commit()
            problem = views_account.too_many_message(exc)
        except mfa.WrongCode:
            db.session.commit()  # the failure count and its audit record stay
            problem = views_account.wrong_code_message(form.code.data)
        else:
            db.session.commit()
            return _finish(user, kind)
        form.code.errors = [problem]
    return render_template("accounts/second_factor.html", form=form, with_recovery=with_recovery)


def _setup_user() -> tuple[User | None, bool]:
    pending = _pending_user()
    if pending is not None:
        return pending, True
    if current_user.is_authenticated and getattr(current_user, "role", None) in STAFF_ROLES:
        return db.session.get(User, current_user.id), False
    return None, False


def _qr(uri: str) -> Markup:
    label = escape(_("QR code for your authenticator app"))
    svg = segno.make(uri, error="m").svg_inline(omitsize=True, svgclass="mfa-qr", lineclass=None)
    return Markup(svg.replace("<svg ", f'<svg role="img" aria-label="{label}" ', 1))  # noqa: S704


@bp.route("/sign-in/second-factor/setup", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["STAFF_SIGNIN_LIMIT"], methods=["POST"])
def mfa_setup():
    """Set up an authenticator app: scan the QR code, confirm with its first code."""
    user, pending = _setup_user()
    if user is None:
        return _expired()
    if pending and mfa.factor_of(db.session, user.id) is not None:
        # The password alone never replaces an authenticator: that takes the old one first.
        return redirect(url_for("accounts.second_factor"), 303)
    # A signed-in session alone never replaces an authenticator either: a code from it does.
    replacing = not pending and mfa.factor_of(db.session, user.id) is not None
    # ...unless this session signed in with a recovery code moments ago: that was the proof.
    recovered_at = views_account.recovered_at(user) if replacing else None
    going_to = views_account.after_recovery_target(user) if replacing else None
    proven = mfa.recovered_recently(recovered_at, clock.now())
    secret = _enrolling_secret(user)
    form = ReplaceForm() if replacing and not proven else CodeForm()
    if form.validate_on_submit():
        keyring, now = current_app.extensions["keyring"], clock.now()
        try:
            if replacing:
                current = None if proven else form.current.data
                codes = mfa.replace(
                    db.session,
                    keyring,
                    user,
                    current,
                    secret,
                    form.code.data,
                    now=now,
                    recovered_at=recovered_at,
                )
            else:
                codes = mfa.enrol(db.session, keyring, user, secret, form.code.data, now=now)
        except mfa.WrongNewCode:
            form.code.errors = [_("The code is not right. Type the six digits the app shows now.")]
        except mfa.TooManyWrongCodes as exc:
            db.session.commit()  # the failure count and its audit record stay
            form.current.errors = [views_account.too_many_message(exc)]
        except mfa.WrongCode:
            db.session.commit()
            form.current.errors = [
                _("The code is not right. Codes change every 30 seconds: try the newest.")
            ]
        else:
            db.session.commit()
            session.pop(ENROLLING, None)
            if pending:
                return _finish(user, codes=codes)
            target = going_to or home_for(user)
            if replacing:  # the other sessions ended with the old app; this one goes on
                start_session(user)
            views_recovery.keep(user, codes, target)
            return redirect(url_for("accounts.recovery_codes"), 303)
    uri = mfa.provisioning_uri(secret, user.email, current_app.config["MUNICIPALITY_NAME"])
    grouped = " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))
    return render_template(
        "accounts/mfa_setup.html",
        form=form,
        qr=_qr(uri),
        secret=grouped,
        pending=pending,
        replacing=replacing,
        proven=proven,
    )


@bp.route("/coordinator/staff-accounts/<int:user_id>/second-factor/reset", methods=["GET", "POST"])
@role_required("coordinator")
def reset_second_factor(user_id: int):
    """Are you sure? Then remove a staff member's authenticator; they set up a new one at
    their next sign-in."""
    user = db.session.get(User, user_id)
    if user is None or user.role not in STAFF_ROLES or user.id == current_user.id:
        abort(404)
    back = url_for("accounts.staff_accounts")
    if db.session.get(SecondFactor, user.id) is None:
        flash(_("%(name)s has no authenticator app set up.", name=user.name), "info")
        return redirect(back, 303)
    form = YesForm()
    if form.validate_on_submit():
        mfa.reset(db.session, user, now=clock.now(), actor=current_user.actor)
        db.session.commit()
        flash(_("The second factor of %(name)s is reset.", name=user.name), "success")
        return redirect(back, 303)
    # A POST without the "Yes" (a script, a page from before the question) gets the question.
    return render_template(
        "accounts/reset_second_factor.html", user=user, form=form, back=back, roles=ROLE_LABELS
    )
