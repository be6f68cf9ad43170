"""An owner's question to the municipality: it lands with the coordinator (who answers it in
the portal) and in the property's history."""

from datetime import datetime

from portal.audit.services import record
from portal.consent.decision_support import entrance_for, history, request_for
from portal.consent.decisions import Decider
from portal.consent.models import ConsentQuestion, ConsentRequest, EventKind


class EmptyQuestion(ValueError):
    """A question needs words."""


def ask(
    session, who: Decider, text: str, *, entrance_id: int | None = None, now: datetime
) -> ConsentQuestion:
    """Ask about one entrance (NotYours / PropertySold apply) or about the request in general."""
    text = (text or "").strip()
    if not text:
        raise EmptyQuestion()
    entrance = entrance_for(session, who.org_id, entrance_id) if entrance_id else None
    request = (
        request_for(session, who.org_id, entrance.property_id)
        if entrance
        else session.query(ConsentRequest)
        .filter(ConsentRequest.owner_id == who.org_id)
        .order_by(ConsentRequest.sent_at.desc(), ConsentRequest.id.desc())
        .first()
    )
    question = ConsentQuestion(
        owner_id=who.org_id,
        request_id=request.id if request else None,
        property_id=entrance.property_id if entrance else None,
        entrance_id=entrance.id if entrance else None,
        asked_by_user_id=who.user_id,
        asked_at=now,
        text=text,
    )
    session.add(question)
    session.flush()
    if entrance is not None:
        history(
            session,
            entrance,
            EventKind.QUESTION,
            now=now,
            actor=who.actor,
            question=question,
            request=request,
            note=text[:500],
        )
    else:
        record(
            session,
            who.actor,
            "consent.question",
            now=now,
            object_type="consent_question",
            object_id=question.id,
        )
    return question
