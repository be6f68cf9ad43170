"""The owner comes in: the invitation code (typed, or from the QR link), then an account with
email and password; a signed-in owner may invite a colleague with a one-time code."""

from flask import current_app, redirect, render_template, request, session, url_for
from flask_babel import format_date
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup

from portal import clock
from portal.accounts.landing import start_session
from portal.citizens import letter_codes
from portal.citizens.letter_codes import MalformedCode
from portal.consent import bp, invitations, owner_accounts
from portal.consent.models import OwnerInvitation
from portal.consent.owner_forms import AccountForm, ColleagueForm, InvitationForm
from portal.extensions import db, limiter
from portal.web import pending
from portal.web.auth import role_required
from portal.web.panels import panel

SESSION_KEY = "owner_invitation"
PENDING_CODE = "owner_code"  # the code from a QR link, until the form is sent


def _code_key() -> str:
    return "owner-code:" + letter_codes.compact(request.form.get("code"))[:40]


_per_client = limiter.limit(
    lambda: current_app.config.get("OWNER_SIGNIN_LIMIT", "30 per 15 minutes"), methods=["POST"]
)
_per_code = limiter.limit(
    lambda: current_app.config.get("OWNER_CODE_LIMIT", "10 per 15 minutes"),
    methods=["POST"],
    key_func=_code_key,
)


def problem_text(exc) -> str:
    """What an owner reads when their code cannot be used."""
    phone = current_app.config["MUNICIPALITY_PHONE"]
    if isinstance(exc, invitations.InvitationUsed):
        return _(
            "This code has already been used to create an account. Sign in with the email "
            "address and password that were chosen then, or ask that colleague to invite you."
        )
    if isinstance(exc, invitations.InvitationExpired):
        expires = getattr(exc.request, "expires_at", None)
        return _(
            "This invitation expired on %(date)s. Call us on %(phone)s and we will send a new one.",
            date=format_date(expires, "long") if expires else "",
            phone=phone,
        )
    if isinstance(exc, invitations.InviterSwitchedOff):
        return _(
            "The colleague who invited you can no longer sign in here, so this invitation no "
            "longer works. Ask another colleague to invite you, or call us on %(phone)s.",
            phone=phone,
        )
    if isinstance(exc, invitations.InvitationCancelled):
        return _(
            "This invitation has been withdrawn, for example because the property has changed "
            "owner. Call us on %(phone)s if you think this is wrong.",
            phone=phone,
        )
    return _(
        "We cannot find this code. Check it against the letter and try again, or call us on "
        "%(phone)s.",
        phone=phone,
    )


@bp.route("/owner/invitation", methods=["GET", "POST"])
@_per_client
@_per_code
def owner_invitation():
    """Step 1: the invitation code from the letter."""
    if request.method == "GET" and request.args.get("code"):
        # The QR link carries the code, and the code alone makes the organisation's account:
        # keep it in the session and show a clean address, out of history and access logs.
        pending.keep(PENDING_CODE, request.args["code"][:40])
        rest = {k: v for k, v in request.args.items() if k != "code"}
        return redirect(url_for("consent.owner_invitation", **rest), 303)
    form = InvitationForm()
    problem = None
    code = pending.peek(PENDING_CODE) if request.method == "GET" else None
    if code:
        form.code.data = str(code)[:40]
    if form.validate_on_submit():
        try:
            found = invitations.check_code(
                db.session, current_app.extensions["keyring"], form.code.data, now=clock.now()
            )
        except MalformedCode:
            form.code.errors.append(
                _(
                    "The code has a typing error. Check it against the letter: 12 letters and "
                    "digits, for example ABCD-EFGH-JK23."
                )
            )
        except invitations.InvitationProblem as exc:
            db.session.commit()  # the refusal's count and audit record stay
            problem = problem_text(exc)
        else:
            db.session.commit()
            kind = "colleague" if isinstance(found, OwnerInvitation) else "request"
            pending.drop(PENDING_CODE)
            pending.keep(SESSION_KEY, {"kind": kind, "id": found.id})
            return redirect(url_for("consent.owner_account_setup"), 303)
    return render_template("consent/owner/invitation.html", form=form, problem=problem)


@panel("owner_sign_in", order=10)
def invitation_code_box() -> Markup:
    """First on the owner's sign-in page: the code from the letter, for an owner with no account."""
    form = InvitationForm(formdata=None)
    return Markup(  # noqa: S704 (our own autoescaped template)
        render_template("consent/owner/_code_box.html", form=form)
    )


@bp.route("/owner/invitation/account", methods=["GET", "POST"])
@_per_client
def owner_account_setup():
    """Step 2: name, email and password; the account belongs to the organisation invited."""
    invite = pending.peek(SESSION_KEY)
    if not isinstance(invite, dict) or not isinstance(invite.get("id"), int):
        return redirect(url_for("consent.owner_invitation"), 303)
    form = AccountForm()
    problem = None
    if request.method == "GET" and invite.get("kind") == "colleague":
        found = db.session.get(OwnerInvitation, invite["id"])
        if found is not None:
            form.name.data, form.email.data = found.name, found.email
    if form.validate_on_submit():
        try:
            user = owner_accounts.create_owner_account(
                db.session,
                invite["id"],
                name=form.name.data,
                email=form.email.data,
                password=form.password.data,
                now=clock.now(),
                colleague=invite.get("kind") == "colleague",
            )
        except owner_accounts.EmailTaken:
            db.session.rollback()
            form.email.errors.append(
                _("An account already uses this email address. Choose another, or sign in.")
            )
        except invitations.InvitationProblem as exc:
            db.session.rollback()
            problem = problem_text(exc)
        else:
            db.session.commit()
            start_session(user)
            return redirect(url_for("consent.owner_home"), 303)
    return render_template("consent/owner/account.html", form=form, problem=problem)


@bp.route("/owner/colleagues", methods=["GET", "POST"])
@role_required("owner")
def owner_colleagues():
    """Invite a colleague who may also sign: they get a one-time code, shown once."""
    if current_user.owner_organisation_id is None:
        return redirect(url_for("consent.owner_home"), 303)
    form = ColleagueForm()
    if form.validate_on_submit():
        if owner_accounts.email_taken(db.session, form.email.data):
            form.email.errors.append(_("An account already uses this email address."))
        else:
            _invitation, plain = invitations.invite_colleague(
                db.session,
                current_app.extensions["keyring"],
                current_user,
                name=form.name.data,
                email=form.email.data,
                now=clock.now(),
            )
            db.session.commit()
            session["colleague_code"] = letter_codes.grouped(plain)
            return redirect(url_for("consent.owner_colleagues"), 303)
    code = session.pop("colleague_code", None) if request.method == "GET" else None
    link = url_for("consent.owner_invitation", code=code, _external=True) if code else None
    return render_template("consent/owner/colleagues.html", form=form, code=code, link=link)
