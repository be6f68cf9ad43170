"""A batch run's bookkeeping in the database: claiming the batch by a token, the heartbeat
that proves the run is alive, a cancel request, and counts by letter status."""

import secrets

from sqlalchemy import and_, func, literal, or_, select, update

from portal.db_types import UTCDateTime
from portal.letters.models import Letter, LetterBatch
from portal.letters.services import stale_after


def claim(session, batch_id: int, *, now, config) -> str | None:
    """Take the batch for this run if it is queued, or running but silent; returns the token."""
    token = secrets.token_hex(16)
    stale = now - stale_after(config)
    taken = session.execute(
        update(LetterBatch)
        .where(
            LetterBatch.id == batch_id,
            or_(
                LetterBatch.status == "queued",
                and_(LetterBatch.status == "running", LetterBatch.heartbeat_at < stale),
            ),
        )
        .values(
            status="running",
            run_token=token,
            heartbeat_at=now,
            run_started_at=now,
            started_at=func.coalesce(LetterBatch.started_at, literal(now, UTCDateTime())),
        )
    ).rowcount
    if not taken:
        session.rollback()
        return None
    session.commit()
    return token


def count(session, batch_id: int, status: str) -> int:
    """How many of the batch's letters are in this status."""
    return session.scalar(
        select(func.count()).where(Letter.batch_id == batch_id, Letter.status == status)
    )


def heartbeat(session, batch_id: int, token: str, now) -> bool:
    """Refresh the heartbeat; False when this run no longer owns the batch."""
    return bool(
        session.execute(
            update(LetterBatch)
            .where(LetterBatch.id == batch_id, LetterBatch.run_token == token)
            .values(heartbeat_at=now)
        ).rowcount
    )


def cancel_requested(session, batch_id: int) -> bool:
    """A coordinator has asked the batch to stop."""
    return bool(
        session.scalar(select(LetterBatch.cancel_requested).where(LetterBatch.id == batch_id))
    )
