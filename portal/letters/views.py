"""Coordinator pages: choose letters, start a batch, follow its progress, act on it."""

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal import clock
from portal.extensions import db
from portal.letters import bp, jobs, queries, scope, services
from portal.letters.forms import ActionForm, ChooseForm, StartForm
from portal.letters.models import LetterBatch
from portal.letters.progress import failures_of, progress_of, skipped_of
from portal.web.auth import role_required
from portal.web.forms import YesForm
from portal.web.htmx import hx_redirect, render, wants_fragment
from portal.web.pagination import paginate

HTMX_STOP_POLLING = 286  # htmx 2 stops an "every 2s" trigger on this status


def _choose_form() -> ChooseForm:
    form = ChooseForm(request.args)
    groups = scope.choices(db.session)
    choices = {None: [("", _("Choose…"))]}
    if groups["campaigns"]:
        choices[_("Campaigns")] = groups["campaigns"]
    choices[_("Districts")] = groups["districts"]
    form.scope.choices = choices
    return form


def _times_to_book(district_id: int) -> bool:
    """Whether a citizen of the district who follows the letter finds a time to book now."""
    from portal.booking.queries import free_days  # the booking feature owns the times
    from portal.booking.web import cutoff

    return bool(free_days(db.session, district_id, not_before=clock.now() + cutoff()))


@bp.route("/coordinator/letters")
@role_required("coordinator")
def index():
    """Choose a campaign or district, see the count and a preview, start the batch."""
    form = _choose_form()
    chosen = counts = first_id = None
    left_out = []
    no_times = False
    if "scope" in request.args and form.validate():
        try:
            chosen = scope.scope_from_key(db.session, form.scope.data)
        except scope.ScopeNotFound:
            form.scope.errors = [_("Choose a campaign or a district")]
        else:
            counts = scope.count_by_language(db.session, chosen, form.only_new.data)
            first_id = scope.first_recipient_id(db.session, chosen, form.only_new.data)
            left_out = scope.left_out(db.session, chosen, form.only_new.data)
            no_times = not _times_to_book(chosen.district_id)
    start = StartForm(
        prefix="start",
        scope=chosen.key if chosen else "",
        only_new="y" if form.only_new.data else "",
    )
    batches = queries.recent_batches(db.session)
    now = clock.now()
    return render(
        "letters/index.html",
        "letters/_choice.html",
        form=form,
        chosen=chosen,
        counts=counts,
        total=sum(counts.values()) if counts else 0,
        first_id=first_id,
        left_out=left_out,
        no_times=no_times,
        start_form=start,
        batches=[(b, progress_of(db.session, b, now, current_app.config)) for b in batches],
    )


@bp.route("/coordinator/letters/batches", methods=["POST"])
@role_required("coordinator")
def start():
    """Create the batch and queue it; the next page shows its progress."""
    form = StartForm(prefix="start")
    if not form.validate_on_submit():
        abort(400)
    try:
        chosen = scope.scope_from_key(db.session, form.scope.data)
        batch = services.create_batch(
            db.session,
            chosen,
            only_new=form.only_new.data == "y",
            actor=current_user.actor,
            now=clock.now(),
            created_by=current_user.id,
        )
    except scope.ScopeNotFound:
        abort(400)
    except services.NothingToSend:
        flash(_("There are no letters to make for this choice."), "warning")
        return redirect(url_for("letters.index"), 303)
    db.session.commit()
    # Only now: the job reads the batch from the database (and, in immediate mode, runs here in
    # this session, which an after_commit hook could not use).
    jobs.enqueue_batch(batch.id)
    return redirect(url_for("letters.batch", batch_id=batch.id), 303)


@bp.route("/coordinator/letters/batches/<int:batch_id>")
@role_required("coordinator")
def batch(batch_id: int):
    """The batch and its progress; htmx polls the progress fragment until the run ends."""
    batch = db.get_or_404(LetterBatch, batch_id)
    db.session.refresh(batch)
    progress = progress_of(db.session, batch, clock.now(), current_app.config)
    response = render(
        "letters/batch.html",
        "letters/_progress.html",
        batch=batch,
        progress=progress,
        failures=failures_of(db.session, batch.id) if progress.failed else [],
        skipped=skipped_of(db.session, batch.id) if progress.skipped else [],
        form=ActionForm(),
    )
    if wants_fragment() and not progress.active:
        response.status_code = HTMX_STOP_POLLING
    return response


@bp.route("/coordinator/letters/batches/<int:batch_id>/letters")
@role_required("coordinator")
def batch_letters(batch_id: int):
    """Every letter of a batch with its file, a page at a time."""
    batch = db.get_or_404(LetterBatch, batch_id)
    result = paginate(queries.letters_of_batch(batch.id))
    return render_template(
        "letters/batch_letters.html",
        batch=batch,
        letters=result.items,
        page=result.page,
        pages=result.pages,
        page_url=lambda n: url_for("letters.batch_letters", batch_id=batch.id, page=n),
    )


def _act(batch_id: int, action, done_message: str):
    form = ActionForm()
    if not form.validate_on_submit():
        abort(400)
    db.get_or_404(LetterBatch, batch_id)
    try:
        action(db.session, batch_id, actor=current_user.actor, now=clock.now())
    except services.BatchStateError:
        flash(_("That is not possible while the batch is in this state."), "warning")
        return None
    db.session.commit()
    flash(done_message, "success")
    return True


@bp.route("/coordinator/letters/batches/<int:batch_id>/cancel", methods=["POST"])
@role_required("coordinator")
def cancel(batch_id: int):
    """Stop the batch after the letters in hand."""
    _act(batch_id, services.cancel_batch, _("The batch is being stopped."))
    return redirect(url_for("letters.batch", batch_id=batch_id), 303)


@bp.route("/coordinator/letters/batches/<int:batch_id>/resume", methods=["POST"])
@role_required("coordinator")
def resume(batch_id: int):
    """Queue the batch again; only missing letters are made."""
    if _act(batch_id, services.resume_batch, _("The batch continues with the missing letters.")):
        jobs.enqueue_batch(batch_id)
    return redirect(url_for("letters.batch", batch_id=batch_id), 303)


@bp.route("/coordinator/letters/batches/<int:batch_id>/posted", methods=["GET", "POST"])
@role_required("coordinator")
def posted(batch_id: int):
    """Are the letters posted today? A POST with the "Yes" records it; anything else asks."""
    batch = db.get_or_404(LetterBatch, batch_id)
    back = url_for("letters.batch", batch_id=batch.id)
    if batch.status != "done":
        flash(_("That is not possible while the batch is in this state."), "warning")
        return hx_redirect(back)
    form = YesForm()
    if form.validate_on_submit():
        _act(batch_id, _mark_posted, _("The letters are recorded as posted."))
        return hx_redirect(back)
    letters, promoted = queries.posting_counts(db.session, batch.id)
    return render(
        "letters/confirm_posted.html",
        "letters/_confirm_posted.html",
        batch=batch,
        form=form,
        letters=letters,
        promoted=promoted,
        today=clock.now(),
        back=back,
    )


def _mark_posted(session, batch_id, *, actor, now):
    return services.mark_posted(session, batch_id, actor=actor, now=now, user_id=current_user.id)
