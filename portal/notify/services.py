"""The outbox: queue messages in the caller's transaction (flush, never commit).

notify is a generic outbox below every feature: it knows no feature's messages; features
compose their own texts and queue them here. Delivery is in portal.notify.runner.
"""

import logging
from datetime import timedelta

from portal.notify.models import OutboxMessage

log = logging.getLogger(__name__)
LEASE = timedelta(minutes=5)
MAX_BACKOFF = timedelta(hours=6)


def queue(session, *, kind, to, subject, body, now, citizen_id=None, dedupe_key=None):
    """Add a message to the outbox in the caller's transaction (never commits)."""
    message = OutboxMessage(
        kind=kind,
        to_address=to,
        # one line: a line break in a header is refused when the message is built
        subject=" ".join(subject.split())[:200],
        body=body,
        citizen_id=citizen_id,
        dedupe_key=dedupe_key,
        status="pending",
        next_attempt_at=now,
        created_at=now,
    )
    session.add(message)
    return message


def backoff(attempts: int) -> timedelta:
    """1, 2, 4, 8 ... minutes after each failed attempt, at most six hours."""
    return min(timedelta(minutes=2 ** max(0, attempts - 1)), MAX_BACKOFF)
