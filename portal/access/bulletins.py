"""Revocation entries and the signed, sequence-numbered bulletins that carry them to the locks.

A bulletin is a snapshot of every entry still in force, so a lock that missed some is whole
again after the next one. Two writers racing for the same sequence number collide on the
primary key; the loser rolls back its savepoint and retries (see `retrying`).
"""

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from portal.access import issuer_keys
from portal.access.models_keys import Bulletin, RevocationEntry
from portal.keys import LEEWAY, MAX_LIFETIME

KINDS = ("cti", "device", "sub")


def latest(session) -> Bulletin | None:
    """The newest bulletin."""
    return session.scalar(select(Bulletin).order_by(Bulletin.seq.desc()).limit(1))


def current_seq(session) -> int:
    """The newest bulletin's sequence number (0 before the first)."""
    return session.scalar(select(func.max(Bulletin.seq))) or 0


def revoke(
    session,
    kind: str,
    value: str,
    *,
    reason: str,
    now: datetime,
    until: datetime | None = None,
    staff_id: int | None = None,
    device_id: int | None = None,
) -> RevocationEntry:
    """Add an entry for the next bulletin; by default it holds as long as any key could live."""
    if kind not in KINDS:
        raise ValueError(kind)
    entry = RevocationEntry(
        kind=kind,
        value=value,
        until=until or now + MAX_LIFETIME,
        created_at=now,
        reason=reason,
        staff_id=staff_id,
        device_id=device_id,
    )
    session.add(entry)
    session.flush()
    return entry


def lift(session, entries: list[RevocationEntry], *, now: datetime) -> None:
    """Leave these entries out of the next bulletin (kept, with the time, as the record).

    A lock replaces its list with each newer bulletin, so the next one lifts them at the doors;
    whoever lifts an entry must first cover what it still has to revoke by narrower entries.
    """
    for entry in entries:
        entry.lifted_at = now
    session.flush()


def _coded(entry: RevocationEntry) -> tuple[str, bytes | str, datetime]:
    value = entry.value if entry.kind == "sub" else bytes.fromhex(entry.value)
    return entry.kind, value, entry.until


def publish(session, store: issuer_keys.KeyStore, *, now: datetime) -> Bulletin:
    """Sign the next bulletin with every entry in force (flushes; the caller commits)."""
    issuer, key = issuer_keys.signer(session, store, now=now)
    seq = current_seq(session) + 1
    entries = list(
        session.scalars(
            select(RevocationEntry)
            .where(RevocationEntry.until > now - LEEWAY, RevocationEntry.lifted_at.is_(None))
            .order_by(RevocationEntry.id)
        )
    )
    retire = issuer_keys.retirements(session, now=now)
    data = issuer.bulletin(seq, [_coded(e) for e in entries], now, retire=retire)
    for entry in entries:
        if entry.bulletin_seq is None:
            entry.bulletin_seq = seq
    bulletin = Bulletin(seq=seq, kid=key.kid, issued_at=now, entry_count=len(entries), data=data)
    session.add(bulletin)
    session.flush()
    return bulletin


def ensure_published(session, store: issuer_keys.KeyStore, *, now: datetime) -> Bulletin:
    """The newest bulletin, publishing an empty first one if there is none (flushes then)."""
    found = latest(session)
    if found is not None:
        return found
    try:
        with session.begin_nested():  # losing the race keeps the caller's unit of work
            publish(session, store, now=now)
    except IntegrityError:
        pass  # a concurrent writer published the first one
    return latest(session)


def retrying(session, func_, attempts: int = 3):
    """Run func_() in a savepoint, again when a concurrent writer took the same sequence.

    A savepoint, not a rollback: the caller's unit of work stays intact and commits once.
    """
    for attempt in range(attempts):
        try:
            with session.begin_nested():
                return func_()
        except IntegrityError:
            if attempt == attempts - 1:
                raise
    return None
