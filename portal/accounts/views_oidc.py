"""Sign-in through an OpenID Connect provider (a MitID/BankID broker), when configured.

Settings: OIDC_ISSUER (discovery at <issuer>/.well-known/openid-configuration),
OIDC_CLIENT_ID, OIDC_CLIENT_SECRET, OIDC_SCOPES, OIDC_NATIONAL_ID_CLAIM (the claim holding
the CPR/personnummer), OIDC_ORG_NUMBER_CLAIM (an owner's organisation number, see
portal.accounts.oidc) and OIDC_LABEL (the button's name, e.g. "MitID"). Authlib runs the
authorization-code flow with PKCE (S256), state and nonce, and checks the ID token's
signature (the provider's JWKS), issuer, audience, expiry and nonce.
"""

from authlib.common.errors import AuthlibBaseError
from authlib.integrations.flask_client import OAuth
from flask import abort, current_app, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from joserfc.errors import JoseError
from requests import RequestException

from portal import clock
from portal.accounts import bp, oidc, services
from portal.accounts.landing import home_for, start_session
from portal.accounts.principals import CitizenPrincipal
from portal.extensions import db, limiter
from portal.web.safe_methods import writes_on_get
from portal.web.security import safe_next

NEXT = "oidc_next"


def init_oidc(app) -> None:
    """Register the provider with Authlib when OIDC_ISSUER is set."""
    if not app.config.get("OIDC_ISSUER"):
        return
    oauth = OAuth(app)
    issuer = app.config["OIDC_ISSUER"].rstrip("/")
    oauth.register(
        "eid",
        client_id=app.config["OIDC_CLIENT_ID"],
        client_secret=app.config.get("OIDC_CLIENT_SECRET"),
        server_metadata_url=f"{issuer}/.well-known/openid-configuration",
        client_kwargs={
            "scope": app.config.get("OIDC_SCOPES") or "openid",
            "code_challenge_method": "S256",
        },
    )
    app.extensions["portal.oidc"] = oauth


def _client():
    oauth = current_app.extensions.get("portal.oidc")
    if oauth is None:
        abort(404)
    return oauth.eid


@bp.route("/sign-in/eid")
@limiter.limit(lambda: current_app.config["CITIZEN_SIGNIN_LIMIT"])
def oidc_start():
    """Send the citizen to the eID provider (state, nonce and PKCE kept in the session)."""
    client = _client()
    session[NEXT] = safe_next(request.args.get("next"), url_for("citizens.home"))
    try:
        return client.authorize_redirect(url_for("accounts.oidc_callback", _external=True))
    except (AuthlibBaseError, RequestException):
        return _failed(_("The sign-in service cannot be reached just now. Try again later."))


def _failed(message: str):
    page = render_template("accounts/oidc_failed.html", message=message)
    return page, 400


@bp.route("/sign-in/eid/callback")
@writes_on_get  # the provider sends the browser back with a GET; `state` guards it, not CSRF
@limiter.limit(lambda: current_app.config["CITIZEN_SIGNIN_LIMIT"])
def oidc_callback():
    """Back from the provider: check everything, then sign the citizen in."""
    client = _client()
    try:
        token = client.authorize_access_token(leeway=60)
    except (AuthlibBaseError, JoseError, RequestException, ValueError, KeyError):
        return _failed(_("The sign-in could not be completed. Please start again."))
    claims = token.get("userinfo")
    if not claims:  # no ID token, or no nonce to check it against: never trust it
        return _failed(_("The sign-in could not be completed. Please start again."))
    cfg = current_app.config
    owner = oidc.owner_for(
        db.session,
        dict(claims),
        claim=cfg.get("OIDC_ORG_NUMBER_CLAIM"),
        issuer=cfg["OIDC_ISSUER"],
        now=clock.now(),
    )
    if owner is not None:
        db.session.commit()
        session.pop(NEXT, None)
        start_session(owner)
        return redirect(home_for(owner), 303)
    try:
        citizen = oidc.sign_in_citizen(
            db.session,
            current_app.extensions["keyring"],
            dict(claims),
            claim=cfg["OIDC_NATIONAL_ID_CLAIM"],
            country=cfg["COUNTRY"],
            issuer=cfg["OIDC_ISSUER"],
            now=clock.now(),
        )
    except services.InvalidCredentials:
        db.session.commit()  # the refusal's audit record stays
        return _failed(
            _(
                "You are not in our register of citizens with keyless home care. "
                "Call us on %(phone)s if you think you should be.",
                phone=cfg["MUNICIPALITY_PHONE"],
            )
        )
    db.session.commit()
    target = session.get(NEXT) or url_for("citizens.home")
    start_session(CitizenPrincipal(citizen))
    return redirect(safe_next(target, url_for("citizens.home")), 303)
