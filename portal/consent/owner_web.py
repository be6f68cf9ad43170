"""What the owner's views share: who decides, the page language and its terms, loading an
entrance the organisation may see (404 or the "sold" page), and the problem texts."""

from flask import abort, current_app, render_template
from flask_babel import gettext as _
from flask_login import current_user

from portal.consent import terms
from portal.consent.decision_support import (
    BadWindows,
    DecisionConflict,
    NotAllowed,
    NotYours,
    PropertySold,
    RequestExpired,
    SignatureIncomplete,
    TermsChanged,
    entrance_for,
)
from portal.consent.decisions import Decider
from portal.extensions import db
from portal.i18n import current_language
from portal.web.auth import id_or_404


class SoldPage(Exception):
    """Raised by `entrance_or_404` so the view answers with the sold page."""

    def __init__(self, prop):
        super().__init__(prop.id)
        self.property = prop


def who() -> Decider:
    """The signed-in owner as a decider."""
    return Decider(current_user.id, current_user.owner_organisation_id, current_user.actor)


def blank_form(cls, prefix: str):
    """An empty owner form; one with a signer starts with the signed-in owner's name (editable:
    a colleague may sign at this screen)."""
    form = cls(prefix=prefix, formdata=None)
    if hasattr(form, "signer_name"):
        form.signer_name.data = current_user.name
    return form


def page_lang() -> str:
    """The page's language (one the terms exist in)."""
    lang = current_language()
    return lang if lang in terms.LANGUAGES else "da"


def notice_days() -> int:
    """The notice period of a withdrawal, in days (config CONSENT_NOTICE_DAYS)."""
    return int(current_app.config.get("CONSENT_NOTICE_DAYS", 30))


def terms_for(lang: str) -> str:
    """The terms in force in a language."""
    return terms.terms_text(lang, current_app.config["MUNICIPALITY_NAME"], notice_days())


def oidc_signing() -> bool:
    """True when signing with MitID Erhverv / BankID is configured (CONSENT_OIDC_SIGNING) and a
    signing flow is registered in app.extensions["owner_signing"]."""
    return bool(
        current_app.config.get("CONSENT_OIDC_SIGNING")
        and current_app.extensions.get("owner_signing")
    )


def entrance_or_404(entrance_id: int):
    """The entrance of the signed-in owner's organisation; 404 otherwise; SoldPage if sold."""
    try:
        return entrance_for(db.session, current_user.owner_organisation_id, id_or_404(entrance_id))
    except NotYours:
        abort(404)
    except PropertySold as exc:
        raise SoldPage(exc.property) from exc


def sold_page(prop):
    """The clear message for a property that has changed owner (409)."""
    return render_template("consent/owner/sold.html", prop=prop), 409


def problem_of(exc) -> str:
    """The message for a refused decision."""
    if isinstance(exc, DecisionConflict):
        return _(
            "Somebody else in your organisation decided for this entrance a moment ago. Your "
            "answer was not saved: read the status below, and send it again if it still applies."
        )
    if isinstance(exc, TermsChanged):
        return _(
            "The terms changed while you were reading them. Read the terms below again; what you "
            "typed is kept."
        )
    if isinstance(exc, RequestExpired):
        return _(
            "The request for this entrance has expired, so your answer was not saved. The "
            "municipality will contact you."
        )
    if isinstance(exc, NotAllowed):
        return _("This entrance's status does not allow that any more. Read the status below.")
    if isinstance(exc, BadWindows):
        return _("Check the times when the fitter may come.")
    if isinstance(exc, SignatureIncomplete):
        return _("Confirm that you may sign, and type the words shown.")
    return _("Your answer could not be saved. Try again.")
