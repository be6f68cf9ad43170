"""The consent request letter to a property owner: properties, terms, invitation code and QR.

Consent (a floor below) owns the request and its code; letters only lays the letter out, in
the owner's language, with the same letterhead, window and tagged PDF as a citizen's letter.
"""

from flask import abort, current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from portal import clock
from portal.citizens.letter_codes import grouped
from portal.consent import emails, requests
from portal.consent.models import ConsentRequest
from portal.extensions import db
from portal.i18n import force_locale
from portal.letters import bp, content
from portal.letters.downloads import _pdf
from portal.web.auth import id_or_404, role_required
from portal.web.errors import render_error
from portal.web.limits import render_limit

TEMPLATE = "consent/letter.html"
# Why a request's letter is no longer to be posted (portal.consent.requests.why_no_letter).
NOT_DUE = {
    "decided": _l(
        "The owner has answered for every entrance in this request, so its letter is no "
        "longer to be posted."
    ),
    "expired": _l(
        "This request has expired, so its letter is no longer to be posted. Ask the owner "
        "again from the consent pages."
    ),
    "cancelled": _l(
        "This request was cancelled (for example because the property was sold), so its "
        "letter is no longer to be posted."
    ),
}


class LetterNotDue(Exception):
    """The request was decided, expired or cancelled after it was sent: no letter now."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def recipient_of(owner) -> dict:
    """The owner's name, contact person and postal address for the window."""
    if not (owner.postal_address or "").strip() or not (owner.postcode or "").strip():
        raise content.LetterProblem("address_missing")
    lines = [owner.name]
    if owner.contact_person:
        lines.append(f"Att. {owner.contact_person}")
    lines += [owner.postal_address, f"{owner.postcode} {owner.city or ''}".strip()]
    return {"name": owner.contact_person or owner.name, "lines": lines}


def consent_context(request: ConsentRequest, *, config, keyring, now) -> dict:
    """Everything the consent letter shows, in the owner's language."""
    owner = request.owner
    lang = emails.language_of(owner, config)
    code = requests.code_of(keyring, request)
    payload = emails.invitation_url(config, code)
    context = content.common_context(config, lang, now)
    with force_locale(lang):
        qr_title = _("QR code that opens the sign-in page with your code filled in")
    context.update(
        recipient=recipient_of(owner),
        reference=f"{config.get('LETTER_REFERENCE_PREFIX', 'NH')}-E{request.id:06d}",
        owner=owner,
        properties=request.properties,
        expires_at=request.expires_at,
        code_grouped=grouped(code),
        portal_address=content.portal_address(config),
        qr_payload=payload,
        qr_svg=content.qr_svg(payload, qr_title),
    )
    return context


def consent_letter_pdf(session, request_id: int, *, config, keyring, now) -> bytes:
    """The request letter as a tagged PDF; LetterProblem when the owner has no address,
    LetterNotDue when the request no longer waits for the owner at `now`."""
    request = session.get(ConsentRequest, request_id)
    if request is None:
        raise content.LetterProblem("not_found")
    reason = requests.why_no_letter(request, now)
    if reason is not None:
        raise LetterNotDue(reason)
    context = consent_context(request, config=config, keyring=keyring, now=request.sent_at)
    html = content.render_letter(TEMPLATE, context)
    return content.letter_pdf(html, config)


@bp.route("/coordinator/letters/consent/<int:request_id>.pdf")
@role_required("coordinator")
@render_limit
def consent_letter(request_id: int):
    """A consent request's letter, freshly rendered, for printing and posting."""
    try:
        pdf = consent_letter_pdf(
            db.session,
            id_or_404(request_id),
            config=current_app.config,
            keyring=current_app.extensions["keyring"],
            now=clock.now(),
        )
    except content.LetterProblem:
        abort(404)
    except LetterNotDue as exc:
        return render_error(409, detail=str(NOT_DUE[exc.reason]))
    return _pdf(pdf, f"consent-{request_id}.pdf")
