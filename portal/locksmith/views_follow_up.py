"""The coordinator's follow-up list: failed jobs of every kind whose citizen, owner or lock
still needs the coordinator (a call, a new job, or marking it handled)."""

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from portal import clock
from portal.extensions import db
from portal.locksmith import bp, queries
from portal.locksmith import follow_up as follow_ups
from portal.locksmith.models import Job, JobKind
from portal.locksmith.views import job_labels
from portal.web.auth import role_required

coordinator_required = role_required("coordinator")
FAIL_REASON_LABELS = {
    "not_home": _l("Nobody was at home"),
    "door_unsuitable": _l("The door is not suitable"),
    "declined": _l("The citizen declined"),
    "other": _l("Other reason"),
}


@bp.route("/coordinator/follow-up")
@coordinator_required
def follow_up():
    """Failed jobs waiting for the coordinator: kind, who, reason, when, phone, what to do."""
    rows = queries.follow_up(db.session)
    return render_template(
        "locksmith/follow_up.html",
        rows=rows,
        reasons=FAIL_REASON_LABELS,
        fitting=JobKind.FITTING,
        **job_labels(),
    )


def _act(job_id: int, action):
    # The CSRF token is checked for every POST (CSRFProtect) before this view runs.
    job = db.get_or_404(Job, job_id)
    try:
        result = action(db.session, job, now=clock.now(), actor=current_user.actor)
    except follow_ups.NotWaiting:
        db.session.rollback()
        flash(_("This job has already been followed up."), "info")
        return None
    db.session.commit()
    return result


@bp.route("/coordinator/follow-up/<int:job_id>/new-job", methods=["POST"])
@coordinator_required
def follow_up_new_job(job_id: int):
    """A new job of the same kind at the same place; the failed one leaves the list."""
    new = _act(job_id, follow_ups.new_job_after)
    if new is None:
        return redirect(url_for("locksmith.follow_up"), 303)
    flash(_("A new job is made. Give it to a locksmith and a day."), "success")
    return redirect(url_for("locksmith.job_detail", job_id=new.id), 303)


@bp.route("/coordinator/follow-up/<int:job_id>/handled", methods=["POST"])
@coordinator_required
def follow_up_handled(job_id: int):
    """The failed job is dealt with (no new visit); it leaves the list."""
    if _act(job_id, follow_ups.mark_handled) is not None:
        flash(_("The job is marked as handled."), "success")
    return redirect(url_for("locksmith.follow_up"), 303)
