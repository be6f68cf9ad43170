"""Idempotency keys on writes: the same key with the same request gets the stored answer.

Kept per token until `expires_at`. The request's fingerprint is the method, the path and the
body (as canonical JSON when it parses, so spacing and member order do not matter). Only
successful answers are kept: a refused write changed nothing, so repeating it is safe. A key
is claimed before the write runs, so two concurrent requests with one key never both write.
"""

import hashlib
import json
from datetime import datetime, timedelta

from sqlalchemy import delete, select

from portal.careapi.models import IdempotentAnswer


class KeyReused(Exception):
    """The key was used before for a different request."""


def fingerprint(method: str, path: str, raw: bytes) -> str:
    """SHA-256 over the method, the path and the (canonical) body."""
    try:
        body = json.dumps(json.loads(raw), sort_keys=True, separators=(",", ":")).encode()
    except (ValueError, RecursionError):
        body = raw
    return hashlib.sha256(method.encode() + b" " + path.encode() + b"\n" + body).hexdigest()


def stored(session, token_id: int, key: str, digest: str, *, now: datetime):
    """The stored answer for this key, None when there is none (or it expired), or KeyReused."""
    found = session.scalar(
        select(IdempotentAnswer).where(
            IdempotentAnswer.token_id == token_id, IdempotentAnswer.key == key
        )
    )
    if found is None:
        return None
    if found.expires_at <= now:
        session.delete(found)
        session.flush()
        return None
    if found.request_hash != digest:
        raise KeyReused(key)
    return found


def claim(session, token_id: int, key: str, digest: str, *, now: datetime, hours: int):
    """Claim a key before the write runs (flush): a concurrent twin with the same key then
    waits on the unique index and fails, instead of repeating the write. Status 0 = running."""
    session.execute(
        delete(IdempotentAnswer).where(
            IdempotentAnswer.token_id == token_id, IdempotentAnswer.expires_at <= now
        )
    )
    answer = IdempotentAnswer(
        token_id=token_id,
        key=key,
        request_hash=digest,
        status=0,
        body=b"",
        created_at=now,
        expires_at=now + timedelta(hours=hours),
    )
    session.add(answer)
    session.flush()
    return answer


def settle(session, answer: IdempotentAnswer, status: int, body: bytes) -> None:
    """Keep the answer of a claimed key (flush; it is seen once the write commits)."""
    answer.status, answer.body = status, body
    session.flush()
