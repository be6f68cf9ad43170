"""The owner's start page (the task list), a decision with its receipt, and the receipts."""

from flask import abort, current_app, render_template
from flask_login import current_user
from sqlalchemy import select

from portal import clock
from portal.audit.models import AuditRecord
from portal.consent import owner_queries, terms
from portal.consent.blanket import active_blanket
from portal.consent.models import (
    PENDING_STATUSES,
    BlanketConsent,
    ConsentDecision,
    DecisionKind,
    OwnerOrganisation,
)
from portal.consent.owner_forms import QuestionForm
from portal.consent.owner_labels import labels
from portal.consent.owner_web import page_lang, terms_for
from portal.extensions import db
from portal.web.auth import id_or_404


def home_page(question=None):
    """Every property and entrance, what waits for a decision, questions and answers."""
    org_id = current_user.owner_organisation_id
    org = db.session.get(OwnerOrganisation, org_id) if org_id else None
    if org is None:
        return render_template(
            "consent/owner/home.html", org=None, properties=[], waiting=0, labels=labels()
        )
    properties, waiting, expired = owner_queries.tasks(db.session, org.id, clock.now())
    return render_template(
        "consent/owner/home.html",
        org=org,
        properties=properties,
        waiting=waiting,
        expired=expired,
        pending=PENDING_STATUSES,
        questions=owner_queries.questions(db.session, org.id),
        blanket=active_blanket(db.session, org.id),
        contact=owner_queries.contact_person(db.session, org.id),
        question=question or QuestionForm(prefix="question", formdata=None),
        terms=terms_for(page_lang()).split("\n\n"),
        failed="question" if question is not None else None,
        labels=labels(),
    ), 200


def decision_or_404(decision_id: int) -> ConsentDecision:
    """A decision made by the signed-in owner's organisation; anything else is a 404."""
    decision = db.session.get(ConsentDecision, id_or_404(decision_id))
    org_id = current_user.owner_organisation_id
    if decision is None or org_id is None or decision.owner_id != org_id:
        abort(404)
    return decision


def blanket_or_404(blanket_id: int) -> BlanketConsent:
    """A blanket consent of the signed-in owner's organisation; anything else is a 404."""
    consent = db.session.get(BlanketConsent, id_or_404(blanket_id))
    org_id = current_user.owner_organisation_id
    if consent is None or org_id is None or consent.owner_id != org_id:
        abort(404)
    return consent


def pdf_response(data: bytes | None, name: str):
    """A stored receipt as a download (404 when there is none)."""
    if not data:
        abort(404)
    response = current_app.response_class(data, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


def booked_visits_cancelled(session, decision: ConsentDecision) -> int | None:
    """How many booked fitting visits a withdrawal cancelled, as its audit record says; None
    when the record does not know (a withdrawal from before the visits were counted)."""
    if decision.kind != DecisionKind.WITHDRAWN:
        return 0
    records = session.scalars(
        select(AuditRecord.data).where(
            AuditRecord.object_type == "entrance",
            AuditRecord.object_id == str(decision.entrance_id),
            AuditRecord.action == "consent.withdrawn",
        )
    )
    for data in records:
        if isinstance(data, dict) and data.get("decision") == decision.id:
            return int(data.get("cancelled_jobs") or 0) if data.get("visits_counted") else None
    return None


def decision_page(decision: ConsentDecision):
    """What was decided, and the receipt to download."""
    return render_template(
        "consent/owner/decision.html",
        decision=decision,
        cancelled=booked_visits_cancelled(db.session, decision),
        entrance=decision.entrance,
        prop=decision.entrance.property,
        labels=labels(),
        phrase=terms.confirmation_phrase,
    )
