"""One entrance: what would be fitted and the terms; grant, decline, withdraw or ask."""

from flask import abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from portal import clock
from portal.consent import bp, decisions, owner_queries, owner_questions, queries, terms
from portal.consent.decision_support import (
    DecisionError,
    PropertySold,
    Signature,
    windows_of,
)
from portal.consent.models import ConsentStatus
from portal.consent.owner_forms import (
    DeclineForm,
    GrantForm,
    QuestionForm,
    WithdrawForm,
    version_of,
)
from portal.consent.owner_labels import labels
from portal.consent.owner_pages import home_page
from portal.consent.owner_web import (
    SoldPage,
    blank_form,
    entrance_or_404,
    notice_days,
    oidc_signing,
    page_lang,
    problem_of,
    sold_page,
    terms_for,
    who,
)
from portal.extensions import db
from portal.web.auth import role_required

FORMS = {"grant": GrantForm, "decline": DeclineForm, "withdraw": WithdrawForm}


@bp.errorhandler(SoldPage)
def _sold(exc):
    return sold_page(exc.property)


def _entrance_page(entrance, forms=None, problem=None, failed=None):
    forms = dict(forms or {})
    for name, cls in FORMS.items():
        if name not in forms:
            forms[name] = blank_form(cls, name)
        forms[name].version.data = str(entrance.version)
    forms.setdefault("question", QuestionForm(prefix="question", formdata=None))
    forms["question"].entrance.data = str(entrance.id)
    lang = page_lang()
    text = terms_for(lang)
    forms["grant"].terms_hash.data = terms.terms_hash(text)
    org_id = entrance.property.owner_id
    return render_template(
        "consent/owner/entrance.html",
        entrance=entrance,
        prop=entrance.property,
        f=forms,
        failed=failed,
        problem=problem,
        terms=text.split("\n\n"),
        phrase=terms.confirmation_phrase(lang),
        expired_on=queries.expired_requests(db.session, [entrance.property], clock.now()).get(
            entrance.id
        ),
        windows=windows_of(db.session, entrance.id),
        questions=owner_queries.questions(db.session, org_id, entrance.id),
        decisions=owner_queries.decisions_of(db.session, org_id, entrance.id),
        notice_days=notice_days(),
        oidc=oidc_signing(),
        labels=labels(),
        ConsentStatus=ConsentStatus,
    )


@bp.route("/owner/entrances/<int:entrance_id>")
@role_required("owner")
def owner_entrance(entrance_id):
    """The entrance, the terms and the forms that fit its status."""
    return _entrance_page(entrance_or_404(entrance_id))


def _refused(exc, entrance_id, form, name):
    db.session.rollback()
    if isinstance(exc, PropertySold):
        return sold_page(exc.property)
    entrance = entrance_or_404(entrance_id)
    return _entrance_page(entrance, {name: form}, problem=problem_of(exc), failed=name)


@bp.route("/owner/entrances/<int:entrance_id>/grant", methods=["POST"])
@role_required("owner")
def owner_grant(entrance_id):
    """Consent, signed on the terms shown, with the fitter's windows."""
    entrance = entrance_or_404(entrance_id)
    form = GrantForm(prefix="grant")
    valid = form.validate_on_submit()
    windows = form.parse_windows()
    if form.method.data == "mitid_erhverv" and valid and windows is not None:
        if not oidc_signing():
            form.method.errors = [_("Signing with MitID Erhverv is not available here yet.")]
        else:  # the seam: a registered flow signs and comes back to record the decision
            return current_app.extensions["owner_signing"]["start"](entrance, form, windows)
    if not valid or windows is None or form.method.errors:
        return _entrance_page(entrance, {"grant": form}, failed="grant")
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
        decision = decisions.grant(
            db.session,
            who(),
            entrance.id,
            version_of(form),
            signature,
            windows,
            current_terms=terms_for(lang),
            now=clock.now(),
        )
    except DecisionError as exc:
        return _refused(exc, entrance_id, form, "grant")
    db.session.commit()
    flash(_("Thank you. Your consent is recorded; your receipt is ready below."), "success")
    return redirect(url_for("consent.owner_decision", decision_id=decision.id), 303)


@bp.route("/owner/entrances/<int:entrance_id>/decline", methods=["POST"])
@role_required("owner")
def owner_decline(entrance_id):
    """No, with a reason."""
    entrance = entrance_or_404(entrance_id)
    form = DeclineForm(prefix="decline")
    if not form.validate_on_submit():
        return _entrance_page(entrance, {"decline": form}, failed="decline")
    try:
        decision = decisions.decline(
            db.session,
            who(),
            entrance.id,
            version_of(form),
            reason=form.reason.data,
            signer_name=form.signer_name.data,
            signer_role=form.signer_role.data,
            lang=page_lang(),
            now=clock.now(),
        )
    except DecisionError as exc:
        return _refused(exc, entrance_id, form, "decline")
    db.session.commit()
    flash(_("Your answer is recorded. The municipality will be in touch."), "success")
    return redirect(url_for("consent.owner_decision", decision_id=decision.id), 303)


@bp.route("/owner/entrances/<int:entrance_id>/withdraw", methods=["POST"])
@role_required("owner")
def owner_withdraw(entrance_id):
    """Take a consent back with notice; booked fitting visits are cancelled."""
    entrance = entrance_or_404(entrance_id)
    form = WithdrawForm(prefix="withdraw")
    if not form.validate_on_submit():
        return _entrance_page(entrance, {"withdraw": form}, failed="withdraw")
    try:
        decision, _cancelled = decisions.withdraw(
            db.session,
            who(),
            entrance.id,
            version_of(form),
            reason=form.reason.data,
            signer_name=form.signer_name.data,
            signer_role=form.signer_role.data,
            lang=page_lang(),
            notice_days=notice_days(),
            timezone=current_app.config["TIMEZONE"],
            now=clock.now(),
        )
    except DecisionError as exc:
        return _refused(exc, entrance_id, form, "withdraw")
    db.session.commit()
    # The decision page says whether booked visits were cancelled (and stays saying it).
    flash(_("Your consent is withdrawn. Your receipt is ready below."), "success")
    return redirect(url_for("consent.owner_decision", decision_id=decision.id), 303)


@bp.route("/owner/questions", methods=["POST"])
@role_required("owner")
def owner_question():
    """A question to the municipality, about one entrance or in general."""
    form = QuestionForm(prefix="question")
    raw = (form.entrance.data or "").strip()
    entrance = None
    if raw:
        if not (raw.isascii() and raw.isdigit() and len(raw) < 10):
            abort(404)
        entrance = entrance_or_404(int(raw))
    if not form.validate_on_submit():
        if entrance is not None:
            return _entrance_page(entrance, {"question": form}, failed="question")
        return home_page(question=form)
    try:
        owner_questions.ask(
            db.session,
            who(),
            form.text.data,
            entrance_id=entrance.id if entrance else None,
            now=clock.now(),
        )
    except DecisionError as exc:
        return _refused(exc, entrance.id, form, "question")
    db.session.commit()
    flash(_("Your question has been sent. You will find the answer here."), "success")
    if entrance is not None:
        return redirect(
            url_for("consent.owner_entrance", entrance_id=entrance.id) + "#questions", 303
        )
    return redirect(url_for("consent.owner_home") + "#questions", 303)
