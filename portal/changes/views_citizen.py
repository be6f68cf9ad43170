"""The citizen's (or relative's) change requests: one question per page, check your answers,
a receipt with a reference, and the request's own page (answer, attach, withdraw)."""

from datetime import date

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import format_date
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from portal import clock
from portal.changes import bp, documents, rules, services
from portal.changes.forms import (
    AddressForm,
    AlternativeForm,
    AnswerForm,
    DateForm,
    DocumentForm,
    EstateForm,
    InsideForm,
    ProviderForm,
    ReasonForm,
)
from portal.changes.models import ChangeRequest
from portal.changes.web import (
    ALTERNATIVE_LABELS,
    REASON_LABELS,
    clear_wizard,
    load_wizard,
    max_upload,
    own_request_or_404,
    policy,
    save_wizard,
    source_of_principal,
)
from portal.directory.queries import provider_on, today
from portal.extensions import db
from portal.web.auth import citizen_or_404, citizen_required
from portal.web.forms import ConfirmForm

STEPS = {
    "switch": ("provider", "date"),
    "move": ("inside", "address", "date"),
    "leave": ("reason", "detail", "date"),
}


def _me():
    return citizen_or_404(current_user.citizen.id)


def _steps(kind: str, state: dict) -> tuple[str, ...]:
    steps = STEPS[kind]
    if kind == "leave" and state.get("reason") not in ("opted_out", "deceased"):
        steps = tuple(s for s in steps if s != "detail")
    return steps


def _next(kind: str, step: str, state: dict):
    steps = _steps(kind, state)
    later = steps[steps.index(step) + 1 :] if step in steps else ()
    for following in later:
        if following not in state.get("answered", []):
            return url_for("changes.question", kind=kind, step=following)
    return url_for("changes.check", kind=kind)


def _provider_choices(citizen):
    current = provider_on(db.session, citizen.id, today())
    return [
        (str(p.id), p.name)
        for p in rules.approved_providers(db.session, citizen.district_id)
        if current is None or p.id != current.id
    ]


def _reason_choices():
    reasons = ["opted_out", "care_ended"] + (["deceased"] if current_user.is_relative else [])
    return [(r, REASON_LABELS[r]) for r in reasons]


def _form_for(kind, step, state, citizen):
    """(form, template variables) of one question."""
    if step == "provider":
        form = ProviderForm(data={"provider": state.get("provider")})
        form.provider.choices = _provider_choices(citizen)
        return form, {"heading": _("Which home-care provider do you want?")}
    if step == "inside":
        form = InsideForm(data={"inside": state.get("inside")})
        form.inside.choices = [
            ("yes", _("Yes, within the municipality")),
            ("no", _("No, away from the municipality")),
        ]
        return form, {"heading": _("Are you moving within the municipality?")}
    if step == "address":
        return AddressForm(data=state.get("address") or {}), {
            "heading": _("What is your new address?")
        }
    if step == "reason":
        form = ReasonForm(data={"reason": state.get("reason")})
        form.reason.choices = _reason_choices()
        return form, {"heading": _("What has changed?")}
    if step == "detail" and state.get("reason") == "opted_out":
        form = AlternativeForm(data={"alternative": state.get("alternative")})
        form.alternative.choices = list(ALTERNATIVE_LABELS.items())
        return form, {"heading": _("How will home care get in instead?")}
    if step == "detail":
        form = EstateForm(data={"estate_contact": state.get("estate_contact")})
        return form, {"heading": _("Who is the contact person for the estate?")}
    form = DateForm(
        data={"effective_on": date.fromisoformat(state["effective_on"])}
        if state.get("effective_on")
        else None
    )
    headings = {
        "switch": _("From which date?"),
        "move": _("When are you moving?"),
        "leave": _("From which date?"),
    }
    return form, {"heading": headings[kind]}


def _store(step, form, state) -> None:
    if step == "address":
        state["address"] = {k: form[k].data.strip() for k in ("address", "postcode", "city")}
    elif step == "date":
        state["effective_on"] = form.effective_on.data.isoformat()
    elif step == "detail":
        key = "alternative" if state.get("reason") == "opted_out" else "estate_contact"
        state[key] = form[key].data.strip() if key == "estate_contact" else form[key].data
    else:
        state[step] = form[step].data
    state["answered"] = sorted(set(state.get("answered", [])) | {step})


def _refusal(citizen):
    """Why this citizen cannot start a request now, or None."""
    found = rules.open_request(db.session, citizen.id)
    if found is not None:
        return rules.AlreadyOpen(reference=found.reference)
    try:
        rules.check_citizen(citizen)
    except rules.ChangeError as error:
        return error
    return None


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
    return render_template(
        "changes/start.html", requests=own, refusal=refusal.text() if refusal else None
    )


@bp.route("/citizen/changes/<kind>/<step>", methods=["GET", "POST"])
@citizen_required
def question(kind, step):
    """One question of a request."""
    if kind not in STEPS or step not in STEPS[kind]:
        abort(404)
    citizen = _me()
    refusal = _refusal(citizen)
    if refusal is not None:
        flash(refusal.text(), "warning")
        return redirect(url_for("changes.start"), 303)
    if request.args.get("start") == "new":
        clear_wizard()
    state = load_wizard(citizen.id, kind)
    if step not in _steps(kind, state):
        return redirect(url_for("changes.question", kind=kind, step=_steps(kind, state)[0]), 303)
    form, extra = _form_for(kind, step, state, citizen)
    date_error = None
    if form.validate_on_submit():
        if step == "date":
            try:
                p = policy()
                rules.check_date(
                    form.effective_on.data, now=clock.now(), tz=p.tz, max_days=p.max_days
                )
            except rules.ChangeError as error:
                date_error = error.text()
                form.effective_on.errors = [date_error]
        if date_error is None:
            if step == "reason" and state.get("reason") != form.reason.data:
                state["answered"] = [s for s in state.get("answered", []) if s != "detail"]
            _store(step, form, state)
            save_wizard(state)
            return redirect(_next(kind, step, state), 303)
    return render_template(
        "changes/question.html",
        form=form,
        kind=kind,
        step=step,
        back=_back(kind, step, state),
        **extra,
    )


def _back(kind, step, state):
    steps = _steps(kind, state)
    if step in steps and steps.index(step) > 0:
        return url_for("changes.question", kind=kind, step=steps[steps.index(step) - 1])
    return url_for("changes.start")


def _details(state) -> services.Details:
    address = state.get("address") or {}
    return services.Details(
        effective_on=date.fromisoformat(state["effective_on"]),
        provider_id=int(state["provider"]) if state.get("provider") else None,
        inside=state.get("inside") == "yes" if state.get("inside") else None,
        address=address.get("address"),
        postcode=address.get("postcode"),
        city=address.get("city"),
        reason=state.get("reason"),
        alternative=state.get("alternative"),
        estate_contact=state.get("estate_contact"),
    )


@bp.route("/citizen/changes/<kind>/check", methods=["GET", "POST"])
@citizen_required
def check(kind):
    """Check your answers, then send the request."""
    if kind not in STEPS:
        abort(404)
    citizen = _me()
    state = load_wizard(citizen.id, kind)
    missing = [s for s in _steps(kind, state) if s not in state.get("answered", [])]
    if missing:
        return redirect(url_for("changes.question", kind=kind, step=missing[0]), 303)
    details = _details(state)
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
            error = problem.text()
        else:
            db.session.commit()
            clear_wizard()
            return redirect(url_for("changes.receipt", reference=req.reference, sent=1), 303)
    return render_template(
        "changes/check.html",
        kind=kind,
        rows=_check_rows(kind, details, state, citizen),
        form=form,
        error=error,
    )


def _check_rows(kind, d: services.Details, state, citizen) -> list[dict]:
    def link(step):
        return url_for("changes.question", kind=kind, step=step)

    rows = []
    if kind == "switch":
        names = dict(_provider_choices(citizen))
        rows.append(
            {
                "key": _("New provider"),
                "value": names.get(str(d.provider_id), "–"),
                "change_href": link("provider"),
            }
        )
    elif kind == "move":
        rows.append(
            {
                "key": _("Within the municipality"),
                "value": _("Yes") if d.inside else _("No"),
                "change_href": link("inside"),
            }
        )
        rows.append(
            {
                "key": _("New address"),
                "value": f"{d.address}, {d.postcode} {d.city}",
                "change_href": link("address"),
            }
        )
    else:
        rows.append(
            {
                "key": _("What has changed"),
                "value": REASON_LABELS[d.reason],
                "change_href": link("reason"),
            }
        )
        if d.reason == "opted_out":
            rows.append(
                {
                    "key": _("Way in instead"),
                    "value": ALTERNATIVE_LABELS.get(d.alternative, "–"),
                    "change_href": link("detail"),
                }
            )
        if d.reason == "deceased":
            rows.append(
                {
                    "key": _("Contact person for the estate"),
                    "value": d.estate_contact,
                    "change_href": link("detail"),
                }
            )
    rows.append(
        {
            "key": _("Date"),
            "value": format_date(d.effective_on, "long"),
            "change_href": link("date"),
        }
    )
    return rows


@bp.route("/citizen/changes/r/<reference>")
@citizen_required
def receipt(reference):
    """The request: status, what happens next, the coordinator's question, withdraw."""
    req = own_request_or_404(reference)
    return render_template(
        "changes/request.html",
        req=req,
        sent=request.args.get("sent") == "1",
        answer_form=AnswerForm(),
        document_form=DocumentForm(),
        confirm=ConfirmForm(),
        reasons=REASON_LABELS,
        alternatives=ALTERNATIVE_LABELS,
    )


@bp.route("/citizen/changes/r/<reference>/withdraw", methods=["POST"])
@citizen_required
def withdraw(reference):
    """Withdraw a request that is not decided yet."""
    req = own_request_or_404(reference)
    if ConfirmForm().validate_on_submit():
        try:
            services.withdraw(db.session, req, now=clock.now(), actor=current_user.actor)
        except rules.ChangeError as problem:
            flash(problem.text(), "warning")
        else:
            db.session.commit()
            flash(_("Your request has been withdrawn."), "success")
    return redirect(url_for("changes.receipt", reference=req.reference), 303)


@bp.route("/citizen/changes/r/<reference>/answer", methods=["POST"])
@citizen_required
def answer(reference):
    """Answer the coordinator's question."""
    req = own_request_or_404(reference)
    form = AnswerForm()
    if form.validate_on_submit():
        try:
            services.answer(
                db.session, req, form.answer.data, now=clock.now(), actor=current_user.actor
            )
        except rules.ChangeError as problem:
            flash(problem.text(), "warning")
        else:
            db.session.commit()
            flash(_("Thank you. Your answer has been sent."), "success")
            return redirect(url_for("changes.receipt", reference=req.reference), 303)
    return render_template(
        "changes/request.html",
        req=req,
        sent=False,
        answer_form=form,
        document_form=DocumentForm(),
        confirm=ConfirmForm(),
        reasons=REASON_LABELS,
        alternatives=ALTERNATIVE_LABELS,
    )


@bp.route("/citizen/changes/r/<reference>/documents", methods=["POST"])
@citizen_required
def attach(reference):
    """Attach a document (PDF, JPEG or PNG) to one's own open request."""
    req = own_request_or_404(reference)
    form = DocumentForm()
    if form.validate_on_submit() and req.is_open:
        upload = form.document.data
        data = upload.read(max_upload() + 1) if upload else b""
        try:
            documents.attach(
                db.session,
                req,
                getattr(upload, "filename", "") or "",
                data,
                max_bytes=max_upload(),
                now=clock.now(),
                actor=current_user.actor,
            )
        except rules.ChangeError as problem:
            form.document.errors = [problem.text()]
        else:
            db.session.commit()
            flash(_("The document has been attached."), "success")
            return redirect(url_for("changes.receipt", reference=req.reference), 303)
    elif not req.is_open:
        form.document.errors = [
            _("This request has already been decided, so it cannot be changed any more.")
        ]
    return render_template(
        "changes/request.html",
        req=req,
        sent=False,
        answer_form=AnswerForm(),
        document_form=form,
        confirm=ConfirmForm(),
        reasons=REASON_LABELS,
        alternatives=ALTERNATIVE_LABELS,
    )
