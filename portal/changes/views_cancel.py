"""A coordinator cancels an approved change that has not taken effect yet: a confirmation
page with a reason, then back to the request's page."""

from flask import current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal import clock
from portal.changes import bp, cancelling, rules
from portal.changes.forms import CancelForm
from portal.changes.web import KIND_LABELS, request_or_404
from portal.extensions import db
from portal.web.auth import role_required


@bp.route("/coordinator/changes/<int:request_id>/cancel", methods=["GET", "POST"])
@role_required("coordinator")
def cancel(request_id):
    """Confirm, with a reason, that an approved change will not happen after all."""
    req = request_or_404(request_id)
    tz = current_app.config["TIMEZONE"]
    back = url_for("changes.detail", request_id=req.id)
    if not cancellable(req, tz):
        flash(str(cancelling.NotCancellable.message), "error")
        return redirect(back, 303)
    form = CancelForm()
    if form.validate_on_submit():
        try:
            cancelling.cancel(
                db.session,
                req,
                form.reason.data,
                now=clock.now(),
                actor=current_user.actor,
                tz=tz,
            )
        except rules.ChangeError as problem:
            db.session.rollback()
            flash(problem.text(), "error")
            return redirect(back, 303)
        db.session.commit()
        flash(_("The change has been cancelled. Nothing of it will happen."), "success")
        return redirect(back, 303)
    return render_template("changes/cancel.html", req=req, form=form, kinds=KIND_LABELS, back=back)


def cancellable(req, tz: str) -> bool:
    """May this request be cancelled now."""
    return cancelling.cancellable(req, now=clock.now(), tz=tz)
