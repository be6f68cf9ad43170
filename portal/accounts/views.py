"""Sign-in and sign-out views (thin: forms in, services do the rules)."""

from datetime import timedelta

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import format_date, format_time, to_user_timezone
from flask_babel import gettext as _
from flask_login import current_user, logout_user

from portal import clock
from portal.accounts import bp, citizen_auth, known_browsers, services, staff_auth, views_mfa
from portal.accounts.forms import CitizenSignInForm, RelativeSignInForm, StaffSignInForm
from portal.accounts.landing import home_for, start_session
from portal.accounts.principals import CitizenPrincipal
from portal.citizens import letter_codes
from portal.citizens.letter_codes import MalformedCode
from portal.citizens.validation import normalise_phone
from portal.extensions import db, limiter
from portal.web import pending
from portal.web.security import safe_next


def _staff_throttle() -> staff_auth.StaffThrottle:
    cfg = current_app.config
    lock = timedelta(minutes=cfg["STAFF_LOCK_MINUTES"])
    return staff_auth.StaffThrottle(
        cfg["STAFF_ACCOUNT_MAX_FAILURES"], cfg["STAFF_ADDRESS_MAX_FAILURES"], lock, lock
    )


def code_limit_key(code: str | None) -> str:
    """The per-code limit's key: every way of typing one code (case, dashes, dots, spaces)
    counts against the same code."""
    return "code:" + letter_codes.compact(code)[:40]


def _code_key() -> str:
    return code_limit_key(request.form.get("code"))


def _limit(name):
    return lambda: current_app.config[name]


def _failed(response) -> bool:
    # A sign-in that worked redirects (303); every other answer is a failed attempt.
    return response.status_code != 303


CODE_SCOPE = "citizen_code"

# Shared by the citizen and the relative page, so switching pages does not double the budget.
_per_client = limiter.shared_limit(
    _limit("CITIZEN_SIGNIN_LIMIT"), scope="citizen_sign_in", methods=["POST"]
)
# Only failures count against a code: a relative who signs in right ten times is no attacker.
_per_code = limiter.shared_limit(
    _limit("CITIZEN_CODE_LIMIT"),
    scope=CODE_SCOPE,
    methods=["POST"],
    key_func=_code_key,
    deduct_when=_failed,
)


@bp.route("/sign-in/staff", methods=["GET", "POST"])
@bp.route("/sign-in/owner", methods=["GET", "POST"], endpoint="owner_sign_in")
@limiter.limit(_limit("STAFF_SIGNIN_LIMIT"), methods=["POST"])
def staff_sign_in():
    """Email and password for coordinators, locksmiths, provider admins and owners."""
    form = StaffSignInForm()
    owner = request.endpoint == "accounts.owner_sign_in"
    problem = None
    # The code box shows once sign-ins are throttled (and stays while a code is being typed).
    locked = bool(form.code.data)
    if form.validate_on_submit():
        try:
            signed_in = staff_auth.sign_in_staff(
                db.session,
                form.email.data,
                form.password.data,
                now=clock.now(),
                address=request.remote_addr,
                known_ids=known_browsers.known_ids(),
                throttle=_staff_throttle(),
                code=form.code.data,
                keyring=current_app.extensions["keyring"],
            )
        except services.AccountLocked as exc:
            db.session.commit()  # a refusal is recorded too
            locked = True
            problem = _(
                "Too many wrong attempts. Try again after %(time)s.",
                time=format_time(exc.until, "short"),
            )
        except services.InvalidCredentials:
            db.session.commit()  # the failure count and its audit record stay
            problem = _("The email address or password is not right.")
        else:
            db.session.commit()
            user = signed_in.user
            target = safe_next(request.args.get("next"), home_for(user))
            if signed_in.second_factor is None and views_mfa.second_step_needed(user):
                return views_mfa.begin(user, target)
            start_session(user)
            return known_browsers.remember(redirect(target, 303), user.id)
    form.code.data = ""  # a code is good for one try: never typed in again for the user
    return render_template(
        "accounts/staff_sign_in.html", form=form, problem=problem, owner=owner, locked=locked
    )


PENDING_CODE = "letter_code"  # the code from a QR link, until the form is sent


def _citizen_sign_in(form, template: str, relative: bool):
    problem = None
    code_error = None
    if request.method == "POST":
        valid = form.validate_on_submit()
        dob = form.parse_dob()
        declaration = None
        if relative and valid:  # the form has checked the phone number (PhoneNumber)
            phone = normalise_phone(form.phone.data, current_app.config["COUNTRY"])
            declaration = citizen_auth.RelativeDeclaration(
                form.name.data, phone, form.relation.data
            )
        if valid and dob is not None:
            try:
                citizen, rel = citizen_auth.sign_in_citizen(
                    db.session,
                    current_app.extensions["keyring"],
                    form.code.data,
                    dob,
                    now=clock.now(),
                    relative=declaration,
                    max_failures=current_app.config["CODE_MAX_FAILURES"],
                    lock_minutes=current_app.config["CODE_LOCK_MINUTES"],
                    max_lock_minutes=current_app.config["CODE_LOCK_MAX_MINUTES"],
                )
            except MalformedCode:
                code_error = (
                    _(
                        "The code has a typing error. Check it against the letter: "
                        "12 letters and digits, for example ABCD-EFGH-JK23."
                    )
                    if relative
                    else _(
                        "The code has a typing error. Check it against your letter: "
                        "12 letters and digits, for example ABCD-EFGH-JK23."
                    )
                )
                form.code.errors.append(code_error)
            except services.CodeLocked as exc:
                db.session.commit()
                problem = _code_paused_words(exc.until)
            except services.InvalidCredentials:
                db.session.commit()  # the failure count and its audit record stay
                problem = _(
                    "The code or the date of birth is not right. Check both against the letter "
                    "and try again."
                )
            else:
                db.session.commit()
                start_session(CitizenPrincipal(citizen, rel))
                return redirect(safe_next(request.args.get("next"), url_for("citizens.home")), 303)
    elif request.args.get("code"):
        # The QR link carries the code: keep it in the session and show a clean address, so
        # the code stays out of the browser's history and every later log line.
        pending.keep(PENDING_CODE, request.args["code"][:40])
        rest = {k: v for k, v in request.args.items() if k != "code"}
        return redirect(url_for(request.endpoint, **rest), 303)
    else:
        code = pending.peek(PENDING_CODE)
        form.code.data = letter_codes.shown(str(code)) if code else None
    return render_template(template, form=form, problem=problem)


@bp.route("/sign-in/citizen", methods=["GET", "POST"])
@_per_client
@_per_code
def citizen_sign_in():
    """The citizen's letter code and date of birth."""
    return _citizen_sign_in(CitizenSignInForm(), "accounts/citizen_sign_in.html", relative=False)


@bp.route("/sign-in/relative", methods=["GET", "POST"])
@_per_client
@_per_code
def relative_sign_in():
    """A relative with the citizen's code and date of birth, declaring who they are."""
    return _citizen_sign_in(RelativeSignInForm(), "accounts/relative_sign_in.html", relative=True)


@bp.route("/sign-out", methods=["GET", "POST"])
def sign_out():
    """End the session here and on the server. A GET (a typed or bookmarked address) asks
    first: a GET never changes anything, so a link elsewhere cannot sign anyone out."""
    if request.method == "GET":
        if not current_user.is_authenticated:
            return redirect(url_for("pages.front"), 303)
        return render_template("accounts/sign_out.html", home=home_for(current_user))
    if current_user.is_authenticated:
        services.sign_out(db.session, current_user, now=clock.now())
        db.session.commit()
    logout_user()
    lang = session.get("lang")
    session.clear()
    if lang:
        session["lang"] = lang
    flash(_("You are signed out."), "success")
    return redirect(url_for("pages.front"), 303)


def _code_paused_words(until) -> str:
    """Until when the code is paused: the time, and the date too when the pause (up to
    CODE_LOCK_MAX_MINUTES) ends on another day than today ("after 02.15" alone would be read
    as tonight's or tomorrow's)."""
    phone, time = current_app.config["MUNICIPALITY_PHONE"], format_time(until, "short")
    if to_user_timezone(until).date() != to_user_timezone(clock.now()).date():
        return _(
            "There have been too many wrong attempts with this code. You can try again on "
            "%(date)s after %(time)s, or call us on %(phone)s.",
            date=format_date(until, "long"),
            time=time,
            phone=phone,
        )
    return _(
        "There have been too many wrong attempts with this code. You can try again "
        "after %(time)s, or call us on %(phone)s.",
        time=time,
        phone=phone,
    )
