"""Consent for the whole portfolio (present and future properties), decisions and receipts."""

from flask import current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from portal import clock
from portal.consent import blanket, bp, owner_queries, terms
from portal.consent.decision_support import DecisionError, Signature
from portal.consent.owner_forms import BlanketForm, WithdrawForm
from portal.consent.owner_labels import labels
from portal.consent.owner_pages import blanket_or_404, decision_or_404, decision_page, pdf_response
from portal.consent.owner_web import (
    blank_form,
    notice_days,
    oidc_signing,
    page_lang,
    problem_of,
    terms_for,
    who,
)
from portal.extensions import db
from portal.web.auth import role_required


def _blanket_page(grant=None, withdraw=None, problem=None, failed=None):
    org_id = current_user.owner_organisation_id
    grant = grant or blank_form(BlanketForm, "grant")
    withdraw = withdraw or blank_form(WithdrawForm, "withdraw")
    lang = page_lang()
    text = terms_for(lang)
    grant.terms_hash.data = terms.terms_hash(text)
    properties, _waiting, expired = (
        owner_queries.tasks(db.session, org_id, clock.now()) if org_id else ([], 0, {})
    )
    return render_template(
        "consent/owner/blanket.html",
        active=blanket.active_blanket(db.session, org_id),
        history=owner_queries.blankets_of(db.session, org_id) if org_id else [],
        properties=properties,
        expired=expired,
        grant=grant,
        withdraw=withdraw,
        problem=problem,
        failed=failed,
        terms=text.split("\n\n"),
        phrase=terms.confirmation_phrase(lang),
        notice_days=notice_days(),
        oidc=oidc_signing(),
        labels=labels(),
    )


@bp.route("/owner/all")
@role_required("owner")
def owner_blanket():
    """One consent for every property the organisation has now and buys later."""
    return _blanket_page()


@bp.route("/owner/all/grant", methods=["POST"])
@role_required("owner")
def owner_blanket_grant():
    """Sign the blanket consent."""
    form = BlanketForm(prefix="grant")
    valid = form.validate_on_submit()
    windows = form.parse_windows()
    if form.method.data == "mitid_erhverv" and not oidc_signing():
        form.method.errors = [_("Signing with MitID Erhverv is not available here yet.")]
    if not valid or windows is None or form.method.errors:
        return _blanket_page(grant=form, failed="grant")
    lang = page_lang()
    signature = Signature(
        name=form.signer_name.data,
        role=form.signer_role.data,
        may_sign=bool(form.may_sign.data),
        typed=form.typed.data,
        terms_hash=(form.terms_hash.data or "")[:64],
        lang=lang,
    )
    try:
        blanket.grant_blanket(
            db.session, who(), signature, windows, current_terms=terms_for(lang), now=clock.now()
        )
    except blanket.BlanketExists:
        db.session.rollback()
        return _blanket_page(
            grant=form,
            failed="grant",
            problem=_("Your organisation has already given consent for all properties."),
        )
    except DecisionError as exc:
        db.session.rollback()
        return _blanket_page(grant=form, failed="grant", problem=problem_of(exc))
    db.session.commit()
    flash(
        _("Thank you. Your consent for all properties is recorded; your receipt is below."),
        "success",
    )
    return redirect(url_for("consent.owner_blanket"), 303)


@bp.route("/owner/all/withdraw", methods=["POST"])
@role_required("owner")
def owner_blanket_withdraw():
    """Withdraw the blanket consent and the entrances it granted, with notice."""
    form = WithdrawForm(prefix="withdraw")
    if not form.validate_on_submit():
        return _blanket_page(withdraw=form, failed="withdraw")
    try:
        _consent, cancelled = blanket.withdraw_blanket(
            db.session,
            who(),
            reason=form.reason.data or "",
            signer_name=form.signer_name.data,
            signer_role=form.signer_role.data,
            lang=page_lang(),
            notice_days=notice_days(),
            timezone=current_app.config["TIMEZONE"],
            now=clock.now(),
        )
    except blanket.NoBlanket:
        db.session.rollback()
        return _blanket_page(
            withdraw=form,
            failed="withdraw",
            problem=_("Your organisation has no consent for all properties to withdraw."),
        )
    except DecisionError as exc:
        db.session.rollback()
        return _blanket_page(withdraw=form, failed="withdraw", problem=problem_of(exc))
    db.session.commit()
    flash(_("Your consent for all properties is withdrawn. Your receipt is below."), "success")
    if cancelled:
        flash(
            ngettext(
                "%(num)d booked fitting visit has been cancelled.",
                "%(num)d booked fitting visits have been cancelled.",
                cancelled,
            ),
            "info",
        )
    return redirect(url_for("consent.owner_blanket"), 303)


@bp.route("/owner/all/<int:blanket_id>/receipt.pdf")
@role_required("owner")
def owner_blanket_receipt(blanket_id):
    """The blanket consent's receipt."""
    consent = blanket_or_404(blanket_id)
    return pdf_response(consent.receipt_pdf, f"consent-all-{consent.id}.pdf")


@bp.route("/owner/all/<int:blanket_id>/withdrawal.pdf")
@role_required("owner")
def owner_blanket_withdrawal_receipt(blanket_id):
    """The receipt of the blanket consent's withdrawal."""
    consent = blanket_or_404(blanket_id)
    return pdf_response(consent.withdrawal_receipt_pdf, f"withdrawal-all-{consent.id}.pdf")


@bp.route("/owner/decisions/<int:decision_id>")
@role_required("owner")
def owner_decision(decision_id):
    """A decision and its receipt."""
    return decision_page(decision_or_404(decision_id))


@bp.route("/owner/decisions/<int:decision_id>/receipt.pdf")
@role_required("owner")
def owner_receipt(decision_id):
    """A decision's receipt, as it was made then."""
    decision = decision_or_404(decision_id)
    return pdf_response(decision.receipt_pdf, f"{decision.kind}-{decision.id}.pdf")
