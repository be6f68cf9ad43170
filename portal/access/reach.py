"""Has a block reached the doors? What a provider admin can be told truthfully.

A lock never reports which bulletin it holds (the sequence travels only in its unsigned
challenge). But it refuses a key naming a newer bulletin than its own, so an accepted opening
with a key issued under bulletin S proves that lock held S or newer (as `portal.insights.health`
counts for the municipality). The doors that matter for a block are those the blocked keys
could open: the locks in every key valid at the block. Once the last of those keys has expired,
no door opens with them, bulletin or not.
"""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from portal.access.models import LockUnit
from portal.access.models_events import LockEvent
from portal.access.models_keys import ShiftKey


@dataclass(frozen=True)
class Reach:
    """How far a block's bulletin has come at the doors the blocked keys could open."""

    seq: int
    doors: int  # doors (lock units) the keys valid at the block could open
    confirmed: int  # of those, doors that have shown they hold bulletin `seq` or newer
    keys_expire_at: datetime | None  # when the last of those keys expires (None: there were none)

    def settled(self, now: datetime) -> bool:
        """True when no key valid at the block can open any door any more."""
        return self.keys_expire_at is None or self.keys_expire_at <= now


def of_block(
    session,
    *,
    seq: int,
    blocked_at: datetime,
    staff_id: int | None = None,
    device_id: int | None = None,
) -> Reach:
    """The reach of a block of a staff member or of one phone, given its bulletin."""
    query = select(ShiftKey.locks, ShiftKey.expires_at).where(
        ShiftKey.issued_at <= blocked_at, ShiftKey.expires_at > blocked_at
    )
    if staff_id is not None:
        query = query.where(ShiftKey.staff_id == staff_id)
    if device_id is not None:
        query = query.where(ShiftKey.device_id == device_id)
    rows = session.execute(query).all()
    lock_ids = {int(x) for locks, _ in rows for x in (locks or [])}
    expiry = max((expires for _, expires in rows), default=None)
    confirmed = 0
    if lock_ids:
        confirmed = session.scalar(
            select(func.count(func.distinct(LockUnit.id)))
            .join(LockEvent, LockEvent.lock_unit_id == LockUnit.id)
            .join(ShiftKey, ShiftKey.cti == LockEvent.cti)
            .where(
                LockUnit.lock_id.in_(lock_ids),
                LockEvent.result == "ok",
                ShiftKey.bulletin_seq >= seq,
            )
        )
    return Reach(seq, len(lock_ids), int(confirmed or 0), expiry)


def live_keys_until(
    session, *, now: datetime, staff_id: int | None = None, device_id: int | None = None
) -> datetime | None:
    """When the last key of a staff member or a phone that still opens doors expires (None:
    it holds none): until a door has the block's bulletin, such a key still opens it."""
    query = select(func.max(ShiftKey.expires_at)).where(
        ShiftKey.expires_at > now, ShiftKey.revoked.is_(False)
    )
    if staff_id is not None:
        query = query.where(ShiftKey.staff_id == staff_id)
    if device_id is not None:
        query = query.where(ShiftKey.device_id == device_id)
    return session.scalar(query)
