"""Completing a relocation or removal job (My day), and the coordinator's view of its photo."""

from flask import abort, flash, make_response, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal import clock
from portal.extensions import db
from portal.locksmith import bp, change_completion, photos, services
from portal.locksmith.forms import CHECK_MESSAGE
from portal.locksmith.forms_change import (
    PARTS_MESSAGE,
    PHOTO_MESSAGES,
    SIGNED_MESSAGE,
    ChangeDoneForm,
)
from portal.locksmith.models import Job, JobKind
from portal.locksmith.registry import keys_held
from portal.locksmith.views import _closed_or_not_due, _job_or_404, _tz, job_labels
from portal.web.auth import role_required

CHANGE_KINDS = (JobKind.RELOCATION, JobKind.REMOVAL)


def _page(job, form):
    held = keys_held(db.session, job.citizen_id) if job.kind == JobKind.REMOVAL else []
    return render_template(
        "locksmith/complete_change.html", form=form, job=job, keys=held, **job_labels()
    )


@bp.route("/locksmith/jobs/<int:job_id>/restore", methods=["GET", "POST"])
@role_required("locksmith")
def complete_change(job_id: int):
    """Report a relocation or removal done: checklist, parts, keys, photo, note."""
    job = _job_or_404(job_id)
    if job.kind not in CHANGE_KINDS:
        abort(404)
    if not job.is_open:
        return _closed_or_not_due(services.JobClosed())
    needed = change_completion.checklist_for(db.session, job)
    form = ChangeDoneForm().setup(needed, relocation=job.kind == JobKind.RELOCATION)
    if not form.validate_on_submit():
        return _page(job, form)
    try:
        change_completion.complete_change(
            db.session,
            job.id,
            locksmith_id=current_user.id,
            checklist=set(form.checklist.data or ()),
            signed_by=form.signed_by.data,
            parts_stored=form.parts_stored.data,
            note=form.note.data,
            photo=form.photo_bytes(),
            now=clock.now(),
            actor=current_user.actor,
            tz=_tz(),
        )
    except services.ChecklistIncomplete:
        form.checklist.errors.append(CHECK_MESSAGE)
    except change_completion.SignatureMissing:
        form.signed_by.errors.append(SIGNED_MESSAGE)
    except change_completion.PartsPlaceMissing:
        form.parts_stored.errors.append(PARTS_MESSAGE)
    except photos.PhotoRejected as exc:
        db.session.rollback()
        form.photo.errors.append(PHOTO_MESSAGES[str(exc)])
    except change_completion.UnitGone:
        db.session.rollback()
        flash(
            _("The unit is no longer on this door. Report the job as not done and tell why."),
            "warning",
        )
        return redirect(url_for("locksmith.fail", job_id=job_id), 303)
    except (services.JobClosed, services.JobNotDue) as exc:
        return _closed_or_not_due(exc)
    else:
        db.session.commit()
        flash(_("The job is completed."), "success")
        return redirect(url_for("locksmith.my_day"), 303)
    db.session.rollback()
    return _page(job, form)


@bp.route("/coordinator/jobs/<int:job_id>/photo")
@role_required("coordinator")
def job_photo(job_id: int):
    """The restored door's photo (re-encoded JPEG, never sniffed, never cached elsewhere)."""
    job = db.get_or_404(Job, job_id)
    photo = photos.photo_of(db.session, job.id)
    if photo is None:
        abort(404)
    response = make_response(photo.data)
    response.headers["Content-Type"] = "image/jpeg"
    response.headers["Content-Disposition"] = f'inline; filename="job-{job.id}.jpg"'
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    return response
