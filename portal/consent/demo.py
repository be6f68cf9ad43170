"""Demo consent requests: a few owners asked at different times, one reminded, questions.

Codes come from their own fixed random source, so the steps after this one draw the same
numbers from the seed context as before.
"""

import random
from datetime import timedelta

from portal.audit.services import Actor
from portal.citizens.letter_codes import grouped
from portal.consent import requests
from portal.consent.history import log
from portal.consent.models import ConsentQuestion, EventKind

ORDER = 20  # after the foundation's properties (10)
DEMO = Actor("system", label="demo data")
OWNER_USER = "ejer@demo.example"


def seed(ctx):
    """Ask about eight properties (some weeks ago), with one question answered, one open."""
    props = ctx.made.get("properties") or []
    if len(props) < 8:
        return
    rng = random.Random(20261203)
    sent = []
    for days, chunk in ((40, props[:3]), (12, props[3:6]), (2, props[6:8])):
        sent += requests.send_requests(
            ctx.session,
            ctx.keyring,
            [p.id for p in chunk],
            config=ctx.config,
            now=ctx.now - timedelta(days=days),
            actor=DEMO,
            rng=rng,
        )
    requests.remind_due(
        ctx.session, ctx.keyring, config=ctx.config, now=ctx.now - timedelta(days=20), actor=DEMO
    )
    owner_user = ctx.made.get("users", {}).get(OWNER_USER)
    first = props[0]
    for days, text, answer in (
        (30, "Hvem betaler strømmen til enheden?", "Kommunen betaler; enheden bruger under 1 W."),
        (1, "Kan vi få enheden fjernet, hvis vi skifter dørtelefon?", None),
    ):
        asked = ctx.now - timedelta(days=days)
        question = ConsentQuestion(
            owner_id=first.owner_id,
            property_id=first.id,
            entrance_id=first.entrances[0].id,
            asked_by_user_id=owner_user.id if owner_user else None,
            asked_at=asked,
            text=text,
        )
        ctx.session.add(question)
        ctx.session.flush()
        log(
            ctx.session,
            first.id,
            EventKind.QUESTION,
            now=asked,
            actor=DEMO,
            question_id=question.id,
        )
        if answer:
            requests.answer_question(
                ctx.session, question.id, answer, now=asked + timedelta(hours=3), actor=DEMO
            )
    ctx.lines.append("Consent invitation codes (owner, code):")
    ctx.lines += [
        f"  {grouped(requests.code_of(ctx.keyring, r))}  {r.owner.name}" for r in sent[:5]
    ]
