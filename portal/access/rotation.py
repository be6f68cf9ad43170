"""Issuer key rotation: make next current, retire the old key, tell the locks in a bulletin.

Apart from issuer_keys, because it publishes a bulletin and bulletins are signed by the keys.
"""

from datetime import datetime

from sqlalchemy import func, select

from portal.access import bulletins, issuer_keys
from portal.access.models_keys import IssuerKey, ShiftKey
from portal.audit.services import Actor, record
from portal.keys import MAX_LIFETIME


def rotate(session, store: issuer_keys.KeyStore, *, now: datetime, actor: Actor) -> IssuerKey:
    """Make the next key current; the old one stays trusted until its last shift key expires."""
    old = issuer_keys.ensure_keys(session, store, now=now)
    upcoming = issuer_keys.next_key(session)
    # Until the last key it signed expires: a key issued at R lives at most until R + 10 h, and
    # a request that read the old kid just before R may still be finishing, hence the margin.
    last_exp = session.scalar(select(func.max(ShiftKey.expires_at)).where(ShiftKey.kid == old.kid))
    old.retired_at = now
    old.trusted_until = max(last_exp or now, now + MAX_LIFETIME + issuer_keys.ROTATION_MARGIN)
    top = session.scalar(select(func.max(IssuerKey.generation))) or 0
    if upcoming is None:
        upcoming = issuer_keys.new_record(store, top + 1, now, True)
        session.add(upcoming)
        top += 1
    upcoming.activated_at = now
    session.add(issuer_keys.new_record(store, top + 1, now, False))
    session.flush()
    bulletin = bulletins.publish(session, store, now=now)
    record(
        session,
        actor,
        "issuer_key_rotated",
        now=now,
        object_type="issuer_key",
        object_id=upcoming.kid,
        data={"retired": old.kid, "trusted_until": old.trusted_until, "bulletin_seq": bulletin.seq},
    )
    return upcoming
