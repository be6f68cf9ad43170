"""The coordinator's jobs: the list with filters, a job made by hand, assign and cancel.

The list is a GET form that htmx enhances (only the results are swapped); every other action
is a real form POST that commits once and answers 303.
"""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from portal import clock
from portal.consent.models import Entrance
from portal.extensions import db
from portal.locksmith import bp, queries, services
from portal.locksmith.forms import KIND_LABELS
from portal.locksmith.forms_coordinator import AssignForm, CancelForm, JobFilterForm, NewJobForm
from portal.locksmith.models import Job
from portal.locksmith.views import job_labels
from portal.web.auth import role_required
from portal.web.htmx import render

coordinator_required = role_required("coordinator")
FILTER_ARGS = ("status", "kind", "locksmith", "day")


def _id(value) -> int | None:
    text = str(value or "")
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 9 else None


@bp.route("/coordinator/jobs")
@coordinator_required
def jobs():
    """Every job, open ones first; filter by status, kind, locksmith and day."""
    form = JobFilterForm(request.args)
    form.set_locksmiths(queries.locksmiths(db.session))
    form.validate()  # a bad filter is shown next to its field and ignored
    filters = queries.JobFilter(
        status=form.status.data if not form.status.errors else None,
        kind=form.kind.data if form.kind.data in KIND_LABELS and not form.kind.errors else None,
        locksmith_id=_id(form.locksmith.data) if not form.locksmith.errors else None,
        day=form.day.data if not form.day.errors else None,
    )
    result = db.paginate(
        queries.job_list_statement(filters),
        page=_id(request.args.get("page")) or 1,
        per_page=queries.PAGE_SIZE,
        error_out=False,
        count=True,
    )
    args = {k: request.args[k] for k in FILTER_ARGS if request.args.get(k)}
    return render(
        "locksmith/jobs.html",
        "locksmith/_jobs_results.html",
        form=form,
        result=result,
        page_url=lambda n: url_for("locksmith.jobs", page=n, **args),
        **job_labels(),
    )


def _entrance_choices():
    entrances = db.session.scalars(
        select(Entrance).options(joinedload(Entrance.property)).order_by(Entrance.id)
    ).all()
    return [("", _("None"))] + [(str(e.id), services.address_of(entrance=e)) for e in entrances]


@bp.route("/coordinator/jobs/new", methods=["GET", "POST"])
@coordinator_required
def new_job():
    """A job made by hand (repair, battery, removal, relocation, entrance unit)."""
    form = NewJobForm()
    form.set_locksmiths(queries.locksmiths(db.session))
    form.entrance.choices = _entrance_choices()
    if form.validate_on_submit():
        try:
            job = services.create_by_hand(
                db.session,
                form.kind.data,
                lock_number=form.lock.data,
                citizen_external_id=form.citizen.data,
                entrance_id=_id(form.entrance.data),
                instructions=form.instructions.data,
                locksmith_id=_id(form.locksmith.data),
                day=form.day.data,
                now=clock.now(),
                actor=current_user.actor,
            )
        except services.NoPlace as exc:
            db.session.rollback()
            field = {"citizen": form.citizen, "entrance": form.entrance}.get(str(exc), form.lock)
            field.errors.append(
                {
                    "citizen": _("No citizen has this external id"),
                    "entrance": _("Choose the entrance"),
                }.get(str(exc), _("No lock has this number"))
            )
        except services.NotALocksmith:
            db.session.rollback()
            form.locksmith.errors.append(_("Choose a locksmith from the list"))
        else:
            db.session.commit()
            flash(_("The job is created."), "success")
            return redirect(url_for("locksmith.job_detail", job_id=job.id), 303)
    return render_template("locksmith/new_job.html", form=form, **job_labels())


def _detail(job, assign_form=None, cancel_form=None, status=200):
    if assign_form is None:
        assign_form = AssignForm(formdata=None, locksmith=str(job.locksmith_id or ""), day=job.day)
    assign_form.set_locksmiths(queries.locksmiths(db.session))
    body = render_template(
        "locksmith/job_detail.html",
        job=job,
        assign_form=assign_form,
        cancel_form=cancel_form or CancelForm(formdata=None),
        **job_labels(),
    )
    return body, status


@bp.route("/coordinator/jobs/<int:job_id>")
@coordinator_required
def job_detail(job_id: int):
    """One job: where, what, for whom, its result; assign it or cancel it."""
    return _detail(db.get_or_404(Job, job_id))


@bp.route("/coordinator/jobs/<int:job_id>/assign", methods=["POST"])
@coordinator_required
def assign(job_id: int):
    """Give the job to a locksmith on a day."""
    job = db.get_or_404(Job, job_id)
    form = AssignForm()
    form.set_locksmiths(queries.locksmiths(db.session))
    if not form.validate_on_submit():
        return _detail(job, assign_form=form)
    try:
        services.assign(
            db.session,
            job,
            int(form.locksmith.data),
            form.day.data,
            now=clock.now(),
            actor=current_user.actor,
        )
    except services.NotALocksmith:
        db.session.rollback()
        form.locksmith.errors.append(_("Choose a locksmith from the list"))
        return _detail(job, assign_form=form)
    except services.BookedTime:
        db.session.rollback()
        form.day.errors.append(_("This job keeps its booked day. Move the booking instead."))
        return _detail(job, assign_form=form)
    except services.OutsideWindows:
        db.session.rollback()
        form.day.errors.append(_("Choose a day on which the owner lets the fitter come"))
        return _detail(job, assign_form=form)
    except services.JobClosed:
        db.session.rollback()
        flash(_("This job is already closed."), "info")
        return redirect(url_for("locksmith.job_detail", job_id=job_id), 303)
    db.session.commit()
    flash(_("The job is assigned."), "success")
    return redirect(url_for("locksmith.job_detail", job_id=job_id), 303)


@bp.route("/coordinator/jobs/<int:job_id>/cancel", methods=["POST"])
@coordinator_required
def cancel(job_id: int):
    """Cancel a job still to be done (a booked fitting is cancelled with its booking)."""
    job = db.get_or_404(Job, job_id)
    if job.appointment_id is not None:
        abort(409)
    form = CancelForm()
    if not form.validate_on_submit():
        return _detail(job, cancel_form=form)
    try:
        services.cancel_job(
            db.session, job, now=clock.now(), actor=current_user.actor, note=form.note.data
        )
    except services.JobClosed:
        db.session.rollback()
        flash(_("This job is already closed."), "info")
    else:
        db.session.commit()
        flash(_("The job is cancelled."), "success")
    return redirect(url_for("locksmith.job_detail", job_id=job_id), 303)
