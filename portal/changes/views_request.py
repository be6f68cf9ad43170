"""A citizen's own request: the receipt and status page, answering a question, attaching a
document, withdrawing."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal import clock
from portal.changes import bp, decisions, rules
from portal.changes.forms import AnswerForm, DocumentForm, WithdrawForm
from portal.changes.web import (
    ALTERNATIVE_LABELS,
    REASON_LABELS,
    attach_upload,
    own_request_or_404,
)
from portal.extensions import db
from portal.web.auth import citizen_required


def _page(req, *, sent=False, answer_form=None, document_form=None):
    return render_template(
        "changes/request.html",
        req=req,
        sent=sent,
        has_lock=rules.has_lock(db.session, req.citizen_id),
        answer_form=answer_form or AnswerForm(),
        document_form=document_form or DocumentForm(),
        reasons=REASON_LABELS,
        alternatives=ALTERNATIVE_LABELS,
    )


@bp.route("/citizen/changes/r/<reference>")
@citizen_required
def receipt(reference):
    """The request: status, what happens next, the coordinator's question, a link to withdraw."""
    req = own_request_or_404(reference)
    return _page(req, sent=request.args.get("sent") == "1")


@bp.route("/citizen/changes/r/<reference>/withdraw", methods=["GET", "POST"])
@citizen_required
def withdraw(reference):
    """Are you sure? Then withdraw a request that is not decided yet."""
    req = own_request_or_404(reference)
    back = url_for("changes.receipt", reference=req.reference)
    if req.status not in ("pending", "question"):
        flash(rules.NotOpen().text(), "warning")
        return redirect(back, 303)
    form = WithdrawForm()
    if form.validate_on_submit():
        try:
            decisions.withdraw(db.session, req, now=clock.now(), actor=current_user.actor)
        except rules.ChangeError as problem:
            flash(problem.text(), "warning")
        else:
            db.session.commit()
            flash(_("The request has been withdrawn."), "success")
        return redirect(back, 303)
    # A POST without the confirmation (a receipt page from before the question was asked)
    # gets the question too: nothing is withdrawn on one tap.
    return render_template("changes/withdraw.html", req=req, form=form, back=back)


@bp.route("/citizen/changes/r/<reference>/answer", methods=["POST"])
@citizen_required
def answer(reference):
    """Answer the coordinator's question."""
    req = own_request_or_404(reference)
    form = AnswerForm()
    if form.validate_on_submit():
        try:
            decisions.answer(
                db.session, req, form.answer.data, now=clock.now(), actor=current_user.actor
            )
        except rules.ChangeError as problem:
            flash(problem.text(), "warning")
        else:
            db.session.commit()
            flash(_("Thank you. Your answer has been sent."), "success")
            return redirect(url_for("changes.receipt", reference=req.reference), 303)
    return _page(req, answer_form=form)


@bp.route("/citizen/changes/r/<reference>/documents", methods=["POST"])
@citizen_required
def attach(reference):
    """Attach a document (PDF, JPEG or PNG) to one's own open request."""
    req = own_request_or_404(reference)
    form = DocumentForm()
    if form.validate_on_submit() and req.is_open:
        if attach_upload(req, form, from_citizen=True):
            db.session.commit()
            flash(_("The document has been attached."), "success")
            return redirect(url_for("changes.receipt", reference=req.reference), 303)
    elif not req.is_open:
        form.document.errors = [
            _("This request has already been decided, so it cannot be changed any more.")
        ]
    return _page(req, document_form=form)
