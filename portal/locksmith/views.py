"""The locksmith's pages: "My day", complete a job (a form per kind), fail a job.

Only the locksmith's own jobs exist here: anybody else's is a 404. Each POST commits once.
"""

from zoneinfo import ZoneInfo

from flask import abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal import clock
from portal.access.lock_units import DuplicateLockUnit, InvalidLockKey
from portal.citizens.relations import relation_label
from portal.citizens.validation import display_phone
from portal.extensions import db
from portal.locksmith import bp, completion, queries, services
from portal.locksmith.forms import (
    CHECK_MESSAGE,
    KIND_LABELS,
    NOTE_REQUIRED_MESSAGE,
    STATUS_LABELS,
    BatteryDoneForm,
    CompleteJobForm,
    DoneForm,
    FailJobForm,
)
from portal.locksmith.models import JobKind
from portal.phones import tel_link
from portal.web.auth import role_required

locksmith_required = role_required("locksmith")
FAIL_LABELS = dict(FailJobForm.reason.kwargs["choices"])
UNIT_KINDS = (JobKind.FITTING, JobKind.ENTRANCE_UNIT)


def _tz() -> ZoneInfo:
    return ZoneInfo(current_app.config["TIMEZONE"])


def _phone(value) -> str:
    return display_phone(value, current_app.config["COUNTRY"])


def call_link(value):
    """A stored phone number as a tap-to-call link, written as people write it ("–" if none)."""
    if not value:
        return "–"
    country = current_app.config["COUNTRY"]
    return tel_link(display_phone(value, country), country)


def _job_or_404(job_id: int):
    try:
        return queries.job_for(db.session, job_id, current_user.id)
    except services.JobNotFound:
        abort(404)


def job_labels() -> dict:
    """What the job templates need to name kinds, statuses and reasons."""
    return {
        "kinds": KIND_LABELS,
        "statuses": STATUS_LABELS,
        "fail_labels": FAIL_LABELS,
        "call": call_link,
        "relation": relation_label,
    }


@bp.route("/locksmith/")
@locksmith_required
def my_day():
    """Today's jobs in route order with everything needed at the door; then the next days."""
    today = clock.now().astimezone(_tz()).date()
    days = queries.my_days(db.session, current_user.id, today=today)
    return render_template(
        "locksmith/my_day.html", today=days[0], later=days[1:], phone=_phone, **job_labels()
    )


def _closed_or_not_due(exc):
    db.session.rollback()
    if isinstance(exc, services.JobNotDue):
        flash(_("This job is on a later day. Complete it on the day of the visit."), "warning")
    else:
        flash(_("This job has already been reported."), "info")
    return redirect(url_for("locksmith.my_day"), 303)


def _form_for(job):
    if job.kind in UNIT_KINDS:
        form = CompleteJobForm()
        if job.kind == JobKind.ENTRANCE_UNIT:  # nobody lives at an entrance
            form.citizen_told.label.text = _("The owner's contact knows the unit is fitted")
        return form
    if job.kind == JobKind.BATTERY:
        return BatteryDoneForm()
    return DoneForm()


def _report(job, form):
    common = {
        "locksmith_id": current_user.id,
        "now": clock.now(),
        "actor": current_user.actor,
        "tz": _tz(),
    }
    if job.kind in UNIT_KINDS:
        return completion.complete_fitting(
            db.session,
            job.id,
            serial=form.serial.data,
            public_key_text=form.public_key.data,
            checklist=form.ticked(),
            **common,
        )
    if job.kind == JobKind.BATTERY:
        return completion.complete_battery(
            db.session, job.id, level=form.percent, note=form.note.data, **common
        )
    return completion.complete_job(db.session, job.id, note=form.note.data, **common)


@bp.route("/locksmith/jobs/<int:job_id>/complete", methods=["GET", "POST"])
@locksmith_required
def complete(job_id: int):
    """Report a job done: the fitted unit and checklist, the new battery level, or a note."""
    job = _job_or_404(job_id)
    if job.kind in (JobKind.RELOCATION, JobKind.REMOVAL):  # their own checklist and photo
        return redirect(url_for("locksmith.complete_change", job_id=job.id), 303)
    if not job.is_open:
        return _closed_or_not_due(services.JobClosed())
    form = _form_for(job)
    if form.validate_on_submit():
        try:
            _report(job, form)
        except InvalidLockKey:
            db.session.rollback()
            form.public_key.errors.append(
                _(
                    "This is not a valid P-256 public key. Copy it again from the unit's label "
                    "or app: PEM text or base64."
                )
            )
        except DuplicateLockUnit:
            db.session.rollback()
            form.serial.errors.append(_("A unit with this serial number is already registered."))
        except services.ChecklistIncomplete:
            form.checklist_errors.append(CHECK_MESSAGE)
        except (services.JobClosed, services.JobNotDue) as exc:
            return _closed_or_not_due(exc)
        else:
            db.session.commit()
            if job.kind in UNIT_KINDS:
                flash(_("The job is completed and the unit is registered."), "success")
            else:
                flash(_("The job is completed."), "success")
            return redirect(url_for("locksmith.my_day"), 303)
    return render_template("locksmith/complete.html", form=form, job=job, **job_labels())


@bp.route("/locksmith/jobs/<int:job_id>/fail", methods=["GET", "POST"])
@locksmith_required
def fail(job_id: int):
    """The job could not be done: why (a note is needed for "other")."""
    job = _job_or_404(job_id)
    if not job.is_open:
        return _closed_or_not_due(services.JobClosed())
    form = FailJobForm()
    if job.kind == JobKind.FITTING:
        form.reason.label.text = _("Why could the lock not be fitted?")
    if form.validate_on_submit():
        try:
            completion.fail_job(
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
            db.session.commit()
            if job.kind == JobKind.FITTING:
                flash(
                    _("The job is reported as not fitted. The coordinator will follow up."),
                    "success",
                )
            else:
                flash(
                    _("The job is reported as not done. The coordinator will follow up."),
                    "success",
                )
            return redirect(url_for("locksmith.my_day"), 303)
    return render_template("locksmith/fail.html", form=form, job=job, **job_labels())
