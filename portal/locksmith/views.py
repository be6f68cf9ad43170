"""The locksmith's pages: "My day", complete a job, fail a job. Only their own jobs exist."""

from zoneinfo import ZoneInfo

from flask import abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal import clock
from portal.access.lock_units import DuplicateLockUnit, InvalidLockKey
from portal.citizens.validation import display_phone
from portal.extensions import db
from portal.locksmith import bp, services
from portal.locksmith.forms import (
    CHECK_MESSAGE,
    NOTE_REQUIRED_MESSAGE,
    CompleteJobForm,
    FailJobForm,
)
from portal.web.auth import role_required

locksmith_required = role_required("locksmith")
FAIL_LABELS = dict(FailJobForm.reason.kwargs["choices"])


def _tz() -> ZoneInfo:
    return ZoneInfo(current_app.config["TIMEZONE"])


def _phone(value) -> str:
    return display_phone(value, current_app.config["COUNTRY"])


def _job_or_404(appointment_id: int):
    try:
        return services.job_for(db.session, appointment_id, current_user.id)
    except services.JobNotFound:
        abort(404)


@bp.route("/locksmith/")
@locksmith_required
def my_day():
    """Today's jobs in route (time) order with everything needed at the door; then next days."""
    today = clock.now().astimezone(_tz()).date()
    days = services.my_days(db.session, current_user.id, today=today)
    return render_template(
        "locksmith/my_day.html",
        today=days[0],
        later=days[1:],
        phone=_phone,
        fail_labels=FAIL_LABELS,
    )


def _closed_or_not_due(exc):
    if isinstance(exc, services.JobNotDue):
        flash(_("This job is on a later day. Complete it on the day of the visit."), "warning")
    else:
        flash(_("This job has already been reported."), "info")
    return redirect(url_for("locksmith.my_day"), 303)


@bp.route("/locksmith/jobs/<int:appointment_id>/complete", methods=["GET", "POST"])
@locksmith_required
def complete(appointment_id: int):
    """Register the fitted unit (serial and P-256 public key) and tick the checklist."""
    job = _job_or_404(appointment_id)
    if job.status != "booked":
        return _closed_or_not_due(services.JobClosed())
    form = CompleteJobForm()
    if form.validate_on_submit():
        try:
            services.complete_job(
                db.session,
                job.id,
                locksmith_id=current_user.id,
                serial=form.serial.data,
                public_key_text=form.public_key.data,
                checklist=form.ticked(),
                now=clock.now(),
                actor=current_user.actor,
                tz=_tz(),
            )
        except InvalidLockKey:
            form.public_key.errors.append(
                _(
                    "This is not a valid P-256 public key. Copy it again from the unit's label "
                    "or app: PEM text or base64."
                )
            )
        except DuplicateLockUnit:
            form.serial.errors.append(_("A unit with this serial number is already registered."))
        except services.ChecklistIncomplete:
            form.checklist_errors.append(CHECK_MESSAGE)
        except (services.JobClosed, services.JobNotDue) as exc:
            return _closed_or_not_due(exc)
        else:
            flash(_("The job is completed and the unit is registered."), "success")
            return redirect(url_for("locksmith.my_day"), 303)
    return render_template("locksmith/complete.html", form=form, job=job)


@bp.route("/locksmith/jobs/<int:appointment_id>/fail", methods=["GET", "POST"])
@locksmith_required
def fail(appointment_id: int):
    """The lock could not be fitted: why (a note is needed for "other")."""
    job = _job_or_404(appointment_id)
    if job.status != "booked":
        return _closed_or_not_due(services.JobClosed())
    form = FailJobForm()
    if form.validate_on_submit():
        try:
            services.fail_job(
                db.session,
                job.id,
                locksmith_id=current_user.id,
                reason=form.reason.data,
                note=form.note.data,
                now=clock.now(),
                actor=current_user.actor,
                tz=_tz(),
            )
        except services.ReasonMissing:
            form.note.errors.append(NOTE_REQUIRED_MESSAGE)
        except (services.JobClosed, services.JobNotDue) as exc:
            return _closed_or_not_due(exc)
        else:
            flash(
                _("The job is reported as not fitted. The coordinator will follow up."), "success"
            )
            return redirect(url_for("locksmith.my_day"), 303)
    return render_template("locksmith/fail.html", form=form, job=job)
