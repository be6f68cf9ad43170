"""Staff accounts: the coordinator's list, adding a locksmith or coordinator with an
invitation e-mail (and a new one when it ran out), and the invited person's password page."""

from cryptography.exceptions import InvalidTag
from flask import abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from portal import clock
from portal.accounts import bp, invitations, views_mfa
from portal.accounts.forms_staff import ChoosePasswordForm, StaffAccountForm
from portal.accounts.landing import home_for, start_session
from portal.accounts.models import STAFF_ROLES, SecondFactor, User
from portal.accounts.roles import ROLE_LABELS
from portal.extensions import db, limiter
from portal.web import pending
from portal.web.auth import role_required
from portal.web.forms import ConfirmForm

INVITE = "staff_invitation"  # the token between opening the link and choosing the password
SEAL = "staff-invitation"  # the keyring purpose of the token kept in the session


def _keep_token(token: str) -> None:
    # Sealed: Flask's session cookie is signed, not encrypted, and a token readable there
    # would work on its own for the link's 72 hours, long after pending's 30 minutes.
    pending.keep(INVITE, current_app.extensions["keyring"].encrypt(token, SEAL))


def _kept_token() -> str | None:
    sealed = pending.peek(INVITE)
    try:
        return current_app.extensions["keyring"].decrypt(sealed, SEAL) if sealed else None
    except (InvalidTag, KeyError, TypeError, ValueError):  # tampered with, or an old key's
        pending.drop(INVITE)
        return None


def _limit():
    return current_app.config["STAFF_SIGNIN_LIMIT"]


def _page(form: StaffAccountForm, status: int = 200):
    users = db.session.scalars(
        select(User).where(User.role.in_(STAFF_ROLES)).order_by(User.name, User.id)
    ).all()
    return (
        render_template(
            "accounts/staff_accounts.html",
            users=users,
            enrolled=set(db.session.scalars(select(SecondFactor.user_id))),
            invited=invitations.awaiting(db.session, [u.id for u in users]),
            now=clock.now(),
            roles=ROLE_LABELS,
            form=form,
            resend=ConfirmForm(),
        ),
        status,
    )


@bp.route("/coordinator/staff-accounts", methods=["GET", "POST"])
@role_required("coordinator")
def staff_accounts():
    """Staff accounts with their second factor and invitation; add a locksmith or coordinator."""
    form = StaffAccountForm(language=current_app.config["BABEL_DEFAULT_LOCALE"])
    if form.validate_on_submit():
        try:
            user, _token = invitations.invite_staff(
                db.session,
                current_user,
                name=form.name.data,
                email=form.email.data,
                role=form.role.data,
                language=form.language.data,
                now=clock.now(),
                config=current_app.config,
            )
        except invitations.EmailInUse:
            db.session.rollback()
            form.email.errors.append(_("An account already uses this email address."))
        else:
            db.session.commit()
            flash(
                _(
                    "%(name)s is added. An invitation to choose a password has been sent"
                    " to %(email)s.",
                    name=user.name,
                    email=user.email,
                ),
                "success",
            )
            return redirect(url_for("accounts.staff_accounts"), 303)
    return _page(form)


@bp.route("/coordinator/staff-accounts/<int:user_id>/invitation", methods=["POST"])
@role_required("coordinator")
def resend_invitation(user_id: int):
    """A new invitation e-mail for someone who has not chosen a password; older links stop."""
    user = db.session.get(User, user_id)
    if user is None or user.role not in STAFF_ROLES:
        abort(404)
    back = url_for("accounts.staff_accounts")
    if not ConfirmForm().validate_on_submit():
        return redirect(back, 303)
    try:
        invitations.reinvite(
            db.session, user, current_user, now=clock.now(), config=current_app.config
        )
    except invitations.InvitationUsed:
        db.session.rollback()
        flash(_("%(name)s has already chosen a password.", name=user.name), "info")
    except invitations.AccountSwitchedOff:
        db.session.rollback()
        flash(
            _("The account of %(name)s is switched off: no invitation was sent.", name=user.name),
            "warning",
        )
    else:
        db.session.commit()
        flash(
            _(
                "A new invitation has been sent to %(email)s. The link in any earlier"
                " invitation no longer works.",
                email=user.email,
            ),
            "success",
        )
    return redirect(back, 303)


def problem_text(exc: invitations.InvitationProblem) -> tuple[str, int]:
    """What the invited person reads about a link that does not work, and the status."""
    ask = _("Ask the coordinator who added you to send you a new invitation.")
    if isinstance(exc, invitations.InvitationExpired):
        return _("This invitation has expired.") + " " + ask, 410
    if isinstance(exc, invitations.InvitationUsed):
        used = _(
            "This invitation has been used already. Sign in with your email address and the"
            " password you chose. If that was not you, tell your coordinator at once."
        )
        return used, 410
    if isinstance(exc, invitations.InvitationVoided):
        replaced = _("This invitation has been replaced by a newer one, or withdrawn.")
        newest = _(
            "Use the link in the newest invitation e-mail. If it does not work either, ask the"
            " coordinator who added you to send you a new invitation."
        )
        return replaced + " " + newest, 410
    unknown = _("This link does not work. Check that you opened the whole link from the e-mail.")
    return unknown + " " + ask, 404


def _refused(exc: invitations.InvitationProblem):
    pending.drop(INVITE)
    message, status = problem_text(exc)
    return render_template("accounts/invitation_problem.html", message=message), status


@bp.route("/sign-in/invitation/<token>")
@limiter.limit(_limit)
def open_invitation(token: str):
    """The e-mailed link: checked, kept in the session, and out of the address bar."""
    try:
        invitations.check(db.session, token, now=clock.now())
    except invitations.InvitationProblem as exc:
        return _refused(exc)
    _keep_token(token)  # gone after 30 minutes: the e-mail's link opens it again
    return redirect(url_for("accounts.choose_password"), 303)


@bp.route("/sign-in/invitation", methods=["GET", "POST"])
@limiter.limit(_limit, methods=["POST"])
def choose_password():
    """The invited person chooses a password, then sets up the authenticator app."""
    token = _kept_token()
    if token is None:  # never opened here, or opened too long ago (portal.web.pending)
        message = _(
            "Open the link from the e-mail again. If it no longer works, ask the coordinator"
            " who added you to send you a new invitation."
        )
        return render_template("accounts/invitation_problem.html", message=message), 404
    try:
        invitation = invitations.check(db.session, token, now=clock.now())
    except invitations.InvitationProblem as exc:
        return _refused(exc)
    user = db.session.get(User, invitation.user_id)
    form = ChoosePasswordForm()
    if form.validate_on_submit():
        try:
            user = invitations.accept(db.session, token, form.password.data, now=clock.now())
        except invitations.InvitationProblem as exc:
            db.session.rollback()
            return _refused(exc)
        db.session.commit()
        pending.drop(INVITE)
        if views_mfa.second_step_needed(user):
            return views_mfa.begin(user, home_for(user))
        start_session(user)
        flash(_("Your password is saved. You are signed in."), "success")
        return redirect(home_for(user), 303)
    return render_template("accounts/choose_password.html", form=form, user=user)
