"""Write and verify the hash-chained audit log."""

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import bindparam, select

from portal.audit.models import AuditHead, AuditRecord

GENESIS = "0" * 64


@dataclass(frozen=True)
class Actor:
    """Who did something: kind (user/citizen/relative/staff/system), id, label, and for whom."""

    kind: str
    id: int | None = None
    label: str = ""
    on_behalf_of: str | None = None

    def describe(self) -> str:
        """A stable text such as 'relative:4 Anna Jensen'."""
        ident = f"{self.kind}:{self.id}" if self.id is not None else self.kind
        return f"{ident} {self.label}".strip()


SYSTEM = Actor("system", label="portal")


def _digest(seq, at, actor, on_behalf_of, action, object_type, object_id, data, prev) -> str:
    body = json.dumps(
        [seq, at.isoformat(), actor, on_behalf_of, action, object_type, object_id, data, prev],
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
        default=str,
    )
    return hashlib.sha256(body.encode()).hexdigest()


def digest_of(rec) -> str:
    """The hash a stored record should carry, recomputed from its fields."""
    return _digest(
        rec.seq,
        rec.at,
        rec.actor,
        rec.on_behalf_of,
        rec.action,
        rec.object_type,
        rec.object_id,
        rec.data,
        rec.prev_hash,
    )


_HEAD = AuditHead.__table__
_RECORDS = AuditRecord.__table__
_BUMP = (
    _HEAD.update()
    .where(_HEAD.c.id == 1)
    .values(seq=_HEAD.c.seq + 1)
    .returning(_HEAD.c.seq, _HEAD.c.hash)
)
_SET_TIP = _HEAD.update().where(_HEAD.c.id == 1).values(hash=bindparam("tip"))


def _advance_head(session) -> tuple[int, str]:
    """Take the chain's next number and the tip's hash, holding the write lock to commit.

    The UPDATE takes the lock first (row lock on PostgreSQL, RESERVED on SQLite), so two
    transactions can never both read the same tip and fork the chain. Plain Core statements
    with RETURNING: one round trip, and none of the ORM's bulk-update bookkeeping.
    """
    conn = session.connection()
    row = conn.execute(_BUMP).first()
    if row is None:
        conn.execute(_HEAD.insert().values(id=1, seq=0, hash=GENESIS))
        row = conn.execute(_BUMP).first()
    return row.seq, row.hash


def record(
    session,
    actor: Actor,
    action: str,
    *,
    now: datetime,
    object_type: str | None = None,
    object_id=None,
    data: dict | None = None,
) -> AuditRecord:
    """Append an audit record in the caller's transaction (never commits).

    Pending ORM changes are flushed first (so the record follows what it describes); the
    record and the new tip are then written with two Core statements. The returned
    AuditRecord is a detached copy of what was written, for the caller's information.
    """
    # The hash covers the time as read back (UTC), so a local-time `now` must not break it.
    now = now.astimezone(UTC)
    session.flush()
    seq, prev = _advance_head(session)
    clean = json.loads(json.dumps(data or {}, default=str))
    oid = None if object_id is None else str(object_id)
    who = actor.describe()
    digest = _digest(seq, now, who, actor.on_behalf_of, action, object_type, oid, clean, prev)
    values = {
        "seq": seq,
        "at": now,
        "actor": who,
        "on_behalf_of": actor.on_behalf_of,
        "action": action,
        "object_type": object_type,
        "object_id": oid,
        "data": clean,
        "prev_hash": prev,
        "hash": digest,
    }
    conn = session.connection()
    conn.execute(_RECORDS.insert(), values)
    conn.execute(_SET_TIP, {"tip": digest})
    return AuditRecord(**values)


@dataclass
class ChainProblem:
    """The first place the chain does not hold."""

    seq: int
    reason: str


def verify_chain(
    session, batch: int = 1000, *, after: int = 0, prev: str = GENESIS
) -> tuple[int, ChainProblem | None]:
    """Walk the chain in order; return (records checked, first problem or None).

    `after`/`prev` start the walk behind a record already trusted (seq and hash, e.g. a
    signed checkpoint's), so a new checkpoint need not re-read the whole log.
    """
    expected, checked, last_id = after + 1, 0, after
    while True:
        rows = (
            session.execute(
                select(AuditRecord)
                .where(AuditRecord.seq >= expected)
                .order_by(AuditRecord.seq)
                .limit(batch)
            )
            .scalars()
            .all()
        )
        if not rows:
            break
        for rec in rows:
            if rec.seq != expected:
                return checked, ChainProblem(expected, "missing (removed)")
            if rec.prev_hash != prev:
                return checked, ChainProblem(rec.seq, "previous hash does not match")
            digest = digest_of(rec)
            if digest != rec.hash:
                return checked, ChainProblem(rec.seq, "content altered")
            prev, expected, checked, last_id = rec.hash, expected + 1, checked + 1, rec.seq
    head = session.get(AuditHead, 1)
    if head is not None and (head.seq != last_id or head.hash != prev):
        return checked, ChainProblem(last_id + 1, "missing (removed at the end)")
    return checked, None
