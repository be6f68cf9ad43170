"""The citizen's (or relative's) change requests: one question per page, check your answers,
a receipt with a reference, and the request's own page (answer, attach, withdraw)."""

from flask import abort, current_app, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from portal import clock
from portal.changes import bp, questions, rules, services, superseding
from portal.changes.models import ChangeRequest
from portal.changes.web import (
    clear_wizard,
    load_wizard,
    policy,
    save_wizard,
    source_of_principal,
)
from portal.extensions import db
from portal.web.auth import citizen_or_404, citizen_required
from portal.web.forms import ConfirmForm


def _me():
    return citizen_or_404(current_user.citizen.id)


def _refusal(citizen, kind=None):
    """Why this citizen cannot start a request (of `kind`) now, or None."""
    return superseding.refusal(db.session, citizen, kind, relative=current_user.is_relative)


@bp.route("/citizen/changes/")
@citizen_required
def start():
    """The three requests, and the citizen's requests with their status."""
    citizen = _me()
    own = db.session.scalars(
        select(ChangeRequest)
        .where(ChangeRequest.citizen_id == citizen.id)
        .order_by(ChangeRequest.created_at.desc())
    ).all()
    refusal = _refusal(citizen)
    relative = current_user.is_relative
    waiting = superseding.waiting_change(db.session, citizen.id, relative=relative)
    return render_template(
        "changes/start.html",
        requests=own,
        refusal=refusal.text() if refusal else None,
        waiting=waiting,
        replaces=superseding.chain(waiting),
        may_report={
            k: superseding.reportable(k, waiting, relative=relative) for k in superseding.REPORTS
        },
    )


@bp.route("/citizen/changes/<kind>/<step>", methods=["GET", "POST"])
@citizen_required
def question(kind, step):
    """One question of a request."""
    if kind not in questions.STEPS or step not in questions.STEPS[kind]:
        abort(404)
    citizen = _me()
    refusal = _refusal(citizen, kind)
    if refusal is not None:  # the start page says why, in its own box (a flash would repeat it)
        return redirect(url_for("changes.start"), 303)
    if request.args.get("start") == "new":
        clear_wizard()
    state = load_wizard(citizen.id, kind)
    if step not in questions.steps(kind, state):
        return redirect(
            url_for("changes.question", kind=kind, step=questions.steps(kind, state)[0]), 303
        )
    form, extra = questions.form_for(kind, step, state, citizen)
    if form.validate_on_submit():
        try:
            questions.check_answer(step, form, state, now=clock.now())
        except rules.ChangeError as error:
            form[error.field].errors = [error.text()]
        else:
            if step == "reason" and state.get("reason") != form.reason.data:
                state["answered"] = [s for s in state.get("answered", []) if s != "detail"]
            questions.store(step, form, state)
            save_wizard(state)
            return redirect(questions.next_url(kind, step, state), 303)
    return render_template(
        "changes/question.html",
        form=form,
        kind=kind,
        step=step,
        back=questions.back_url(kind, step, state),
        **extra,
    )


@bp.route("/citizen/changes/<kind>/check", methods=["GET", "POST"])
@citizen_required
def check(kind):
    """Check your answers, then send the request."""
    if kind not in questions.STEPS:
        abort(404)
    citizen = _me()
    state = load_wizard(citizen.id, kind)
    missing = [s for s in questions.steps(kind, state) if s not in state.get("answered", [])]
    if missing:
        return redirect(url_for("changes.question", kind=kind, step=missing[0]), 303)
    details = questions.details_of(state)
    waiting = rules.open_request(db.session, citizen.id)
    may = superseding.may_supersede(kind, details.reason, waiting)
    at_once = superseding.supersedes_at_once(kind, details.reason)
    replaces = (superseding.chain(waiting) if at_once else [waiting]) if may else []
    today = rules.local_today(clock.now(), current_app.config["TIMEZONE"])
    stops_on = superseding.stop_on(kind, details.reason, replaces, details.effective_on, today)
    form, error = ConfirmForm(), None
    if form.validate_on_submit():
        try:
            req = services.submit(
                db.session,
                citizen,
                kind,
                details,
                source=source_of_principal(),
                now=clock.now(),
                actor=current_user.actor,
                policy=policy(),
            )
        except rules.ChangeError as problem:
            db.session.rollback()
            # A request that became open meanwhile is explained as the start page does.
            error = (
                _refusal(citizen) if isinstance(problem, rules.AlreadyOpen) else None
            ) or problem
            error = error.text()
        else:
            db.session.commit()
            clear_wizard()
            return redirect(url_for("changes.receipt", reference=req.reference, sent=1), 303)
    return render_template(
        "changes/check.html",
        kind=kind,
        rows=questions.check_rows(kind, details, state, citizen),
        form=form,
        error=error,
        replaces=replaces,
        at_once=at_once,
        given=details.effective_on,
        stops_on=stops_on,
    )
