"""The coordinator's queue of change requests, one request's page and its decisions, and the
registration of a change from a phone call or the care system."""

import io

from flask import (
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from portal import clock
from portal.changes import bookings, bp, cancelling, decisions, queries, rules
from portal.changes.forms import (
    ApproveForm,
    DocumentForm,
    FilterForm,
    QuestionForm,
    RefuseForm,
)
from portal.changes.models import KINDS, STATUSES, ChangeDocument
from portal.changes.web import (
    ALTERNATIVE_LABELS,
    KIND_LABELS,
    REASON_LABELS,
    SOURCE_LABELS,
    STATUS_LABELS,
    answered_line,
    asked_by,
    asked_whom,
    attach_upload,
    decision_line,
    moment,
    policy,
    request_or_404,
)
from portal.directory import queries as directory
from portal.extensions import db
from portal.web.auth import id_or_404, role_required
from portal.web.pagination import paginate
from portal.web.params import to_id

coordinator = role_required("coordinator")


def _filters():
    form = FilterForm(request.args)
    form.kind.choices = [("", _("All kinds"))] + [(k, KIND_LABELS[k]) for k in KINDS]
    form.status.choices = [("", _("Open requests")), ("all", _("All"))] + [
        (s, STATUS_LABELS[s]) for s in STATUSES
    ]
    form.district.choices = [("", _("All districts"))] + [
        (str(d.id), d.name) for d in directory.districts(db.session)
    ]
    kind = form.kind.data if form.kind.data in KINDS else None
    status = form.status.data if form.status.data in (*STATUSES, "all") else None
    district_id = to_id(form.district.data)
    return form, kind, status, district_id


@bp.route("/coordinator/changes")
@coordinator
def queue():
    """Every request, oldest open first, with filters by kind, status and district."""
    form, kind, status, district_id = _filters()
    page = paginate(queries.queue(kind=kind, status=status, district_id=district_id))
    today, tz = directory.today(), current_app.config["TIMEZONE"]
    ages = {r.id: (today - rules.local_today(r.created_at, tz)).days for r in page.items}
    args = {k: v for k, v in request.args.items() if k in ("kind", "status", "district")}
    return render_template(
        "changes/queue.html",
        form=form,
        page=page,
        ages=ages,
        kinds=KIND_LABELS,
        statuses=STATUS_LABELS,
        sources=SOURCE_LABELS,
        page_url=lambda n: url_for("changes.queue", page=n, **args),
    )


def _switch_asked(req):
    """The approved switch this move would replace (its provider is what the citizen asked
    for), or None."""
    waiting = req.supersedes
    if req.kind == "move" and req.inside and waiting is not None and waiting.kind == "switch":
        return waiting if waiting.status == "approved" else None
    return None


def _approve_form(req, data=None):
    district = req.new_district_id or req.citizen.district_id
    serving = rules.approved_providers(db.session, district)
    switch = _switch_asked(req)
    # A date asked for that has passed cannot be approved any more: today is the first that can.
    default = {"effective_on": max(req.effective_on, directory.today())}
    # The citizen asked for that provider and it was approved: keep their choice when it
    # serves the new district; the coordinator still sees both and may keep the current one.
    if switch is not None and any(p.id == switch.to_provider_id for p in serving):
        default["provider"] = str(switch.to_provider_id)
    form = ApproveForm(data=data or default)
    form.provider.choices = [("", _("Keep the current provider"))] + [
        (str(p.id), p.name) for p in serving
    ]
    form.switch_hint = _switch_hint(switch, serving)
    return form


def _switch_hint(switch, serving) -> str | None:
    if switch is None:
        return None
    name = switch.to_provider.name if switch.to_provider else "?"
    values = {"name": name, "reference": switch.reference}
    if any(p.id == switch.to_provider_id for p in serving):
        return _(
            "The citizen asked to switch to %(name)s (request %(reference)s), so it is chosen "
            "here. That switch is cancelled when you approve this move.",
            **values,
        )
    return _(
        "The citizen asked to switch to %(name)s (request %(reference)s), but %(name)s does "
        "not serve the new address. That switch is cancelled when you approve this move.",
        **values,
    )


def _page(req, **forms):
    forms.setdefault("approve_form", _approve_form(req))
    forms.setdefault("question_form", QuestionForm())
    forms.setdefault("refuse_form", RefuseForm())
    forms.setdefault("document_form", DocumentForm())
    # The question goes to whoever sent the request: a relative, by name, or the citizen.
    forms["question_form"].question.label.text = _("Question to %(whom)s", whom=asked_whom(req))
    return render_template(
        "changes/detail.html",
        req=req,
        death_limit=decisions.death_limit(req, current_app.config["TIMEZONE"], clock.now()),
        asked=asked_whom(req),
        kinds=KIND_LABELS,
        statuses=STATUS_LABELS,
        sources=SOURCE_LABELS,
        reasons=REASON_LABELS,
        alternatives=ALTERNATIVE_LABELS,
        booking_notes=bookings.notes(db.session, req, now=clock.now()),
        asked_by=asked_by(req),
        answered=answered_line(req),
        relatives=queries.relatives_of(db.session, req),
        decision=decision_line(req),
        received=moment(req.created_at),
        **forms,
    )


@bp.route("/coordinator/changes/<int:request_id>")
@coordinator
def detail(request_id):
    """One request: what is asked, by whom, documents, and the decision forms."""
    return _page(request_or_404(request_id))


def _done(req, message):
    db.session.commit()
    flash(message, "success")
    return redirect(url_for("changes.detail", request_id=req.id), 303)


@bp.route("/coordinator/changes/<int:request_id>/approve", methods=["POST"])
@coordinator
def approve(request_id):
    """Approve with an effective date (and, for a move, the provider at the new address)."""
    req = request_or_404(request_id)
    form = _approve_form(req)
    if form.validate_on_submit():
        chosen = form.provider.data
        waiting = req.supersedes if req.supersedes and req.supersedes.status == "approved" else None
        try:
            decisions.approve(
                db.session,
                req,
                effective_on=form.effective_on.data,
                now=clock.now(),
                actor=current_user.actor,
                policy=policy(),
                provider_id=to_id(chosen),
            )
        except rules.ChangeError as problem:
            db.session.rollback()
            req = request_or_404(request_id)
            target = form.provider if problem.field == "provider" else form.effective_on
            target.errors = [problem.text()]
            return _page(req, approve_form=form)
        if waiting is not None and cancelling.replaced_by(waiting) is req:
            return _done(
                req,
                _(
                    "The request has been approved. Request %(reference)s has been cancelled, "
                    "because this request replaces it, and its providers have been told.",
                    reference=waiting.reference,
                ),
            )
        return _done(req, _("The request has been approved."))
    return _page(req, approve_form=form)


@bp.route("/coordinator/changes/<int:request_id>/ask", methods=["POST"])
@coordinator
def ask(request_id):
    """Ask whoever sent the request (the citizen, or the relative) a question; they answer on
    the request's page."""
    req = request_or_404(request_id)
    form = QuestionForm()
    if form.validate_on_submit():
        try:
            decisions.ask(
                db.session, req, form.question.data, now=clock.now(), actor=current_user.actor
            )
        except rules.ChangeError as problem:
            form.question.errors = [problem.text()]
        else:
            return _done(req, _("The question has been sent to %(whom)s.", whom=asked_whom(req)))
    return _page(req, question_form=form)


@bp.route("/coordinator/changes/<int:request_id>/refuse", methods=["POST"])
@coordinator
def refuse(request_id):
    """Refuse with a reason the citizen reads."""
    req = request_or_404(request_id)
    form = RefuseForm()
    if form.validate_on_submit():
        try:
            decisions.refuse(
                db.session, req, form.reason.data, now=clock.now(), actor=current_user.actor
            )
        except rules.ChangeError as problem:
            form.reason.errors = [problem.text()]
        else:
            return _done(req, _("The request has been refused."))
    return _page(req, refuse_form=form)


@bp.route("/coordinator/changes/<int:request_id>/documents", methods=["POST"])
@coordinator
def coordinator_attach(request_id):
    """Attach a document to a request (a letter from the care system, a death certificate)."""
    req = request_or_404(request_id)
    form = DocumentForm()
    if form.validate_on_submit() and attach_upload(req, form, from_citizen=False):
        return _done(req, _("The document has been attached."))
    return _page(req, document_form=form)


@bp.route("/coordinator/changes/documents/<int:document_id>")
@coordinator
def document(document_id):
    """Download an attached document (never shown inline: it is the uploader's file)."""
    doc = db.session.get(ChangeDocument, id_or_404(document_id))
    if doc is None:
        abort(404)
    # send_file writes a name outside Latin-1 (Cyrillic, Polish, Chinese) as RFC 6266's
    # filename*: put into the header as it is, the server could not send the download at all.
    response = send_file(
        io.BytesIO(doc.data),
        mimetype=doc.content_type,
        as_attachment=True,
        download_name=doc.filename,
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "no-store"  # send_file's own "no-cache" would keep it
    return response
