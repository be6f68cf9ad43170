"""Block a phone or a staff member at once: the portal refuses them now, the locks from the
next revocation bulletin, and every shift key they hold is revoked.

A phone's block is final (a found phone is enrolled again: a new key pair). A staff member can
be unblocked: see `unblock_staff`.
"""

from datetime import datetime

from sqlalchemy import select, update

from portal.access import bulletins, issuer_keys
from portal.access.issuer_keys import KeyStore
from portal.access.models import Device, Staff
from portal.access.models_keys import RevocationEntry, ShiftKey
from portal.audit.services import Actor, record
from portal.keys import LEEWAY


def _revoke_keys(session, *, now, **where) -> None:
    session.execute(
        update(ShiftKey)
        .where(*(getattr(ShiftKey, k) == v for k, v in where.items()))
        .where(ShiftKey.expires_at > now, ShiftKey.revoked.is_(False))
        .values(revoked=True, revoked_at=now)
    )


def block_device(
    session, device_id: int, store: KeyStore, *, now: datetime, actor: Actor
) -> Device:
    """Block a phone at once: refused by the portal now, by the locks from the next bulletin."""

    issuer_keys.ensure_keys(session, store, now=now)  # first use makes the keys (a savepoint)

    def work():
        device = session.get(Device, device_id)
        if not device.active:
            return device
        device.status, device.blocked_at = "blocked", now
        bulletins.revoke(
            session,
            "device",
            device.thumbprint,
            reason="device_blocked",
            now=now,
            staff_id=device.staff_id,
            device_id=device.id,
        )
        _revoke_keys(session, now=now, device_id=device.id)
        device.blocked_bulletin_seq = bulletins.publish(session, store, now=now).seq
        record(
            session,
            actor,
            "device_blocked",
            now=now,
            object_type="device",
            object_id=device.id,
            data={"bulletin_seq": device.blocked_bulletin_seq},
        )
        return device

    return bulletins.retrying(session, work)


def block_staff(session, staff_id: int, store: KeyStore, *, now: datetime, actor: Actor) -> Staff:
    """Block a staff member at once (every device, every key): the portal and the locks refuse."""

    issuer_keys.ensure_keys(session, store, now=now)

    def work():
        staff = session.get(Staff, staff_id)
        if not staff.active:
            return staff
        staff.status, staff.blocked_at = "blocked", now
        bulletins.revoke(
            session, "sub", staff.staff_number, reason="staff_blocked", now=now, staff_id=staff.id
        )
        _revoke_keys(session, now=now, staff_id=staff.id)
        staff.blocked_bulletin_seq = bulletins.publish(session, store, now=now).seq
        record(
            session,
            actor,
            "staff_blocked",
            now=now,
            object_type="staff",
            object_id=staff.id,
            data={"bulletin_seq": staff.blocked_bulletin_seq},
        )
        return staff

    return bulletins.retrying(session, work)


def _keep_keys_revoked(session, staff: Staff, *, now: datetime) -> int:
    """List by cti, until it expires, every key of the staff member a lock could still accept
    (all issued before the block: the portal refused new ones); returns how many were added."""
    live = session.scalars(
        select(ShiftKey)
        .where(ShiftKey.staff_id == staff.id, ShiftKey.expires_at > now - LEEWAY)
        .order_by(ShiftKey.id)
    ).all()
    listed = set(
        session.scalars(
            select(RevocationEntry.value).where(
                RevocationEntry.kind == "cti",
                RevocationEntry.lifted_at.is_(None),
                RevocationEntry.until > now - LEEWAY,
            )
        )
    )
    added = 0
    for key in live:
        if not key.revoked:
            key.revoked, key.revoked_at = True, now
        if key.cti in listed:
            continue
        bulletins.revoke(
            session,
            "cti",
            key.cti,
            reason="staff_unblocked",
            now=now,
            until=key.expires_at,
            staff_id=staff.id,
            device_id=key.device_id,
        )
        added += 1
    return added


def unblock_staff(
    session, staff_id: int, store: KeyStore, *, now: datetime, actor: Actor
) -> tuple[Staff, int | None]:
    """Unblock a staff member: the portal issues shift keys again from now on. Returns the
    staff member and the bulletin that lifts the block (None if they were not blocked).

    A lock replaces its revocation list with each newer bulletin, so the next bulletin lifts the
    staff-wide entry at the doors; before that, every key issued before the block gets its own
    entry (its cti, until it expires), so those keys stay revoked at every door. A phone
    blocked on its own stays blocked. The phone hands the new bulletin to a door that lacks it
    before the door checks a new key (which names that bulletin), so new keys open at once.
    """

    issuer_keys.ensure_keys(session, store, now=now)

    def work():
        staff = session.get(Staff, staff_id)
        if staff.active:
            return staff, None
        kept = _keep_keys_revoked(session, staff, now=now)
        lifted = session.scalars(
            select(RevocationEntry).where(
                RevocationEntry.kind == "sub",
                RevocationEntry.value == staff.staff_number,
                RevocationEntry.lifted_at.is_(None),
            )
        ).all()
        bulletins.lift(session, list(lifted), now=now)
        staff.status = "active"
        seq = bulletins.publish(session, store, now=now).seq
        record(
            session,
            actor,
            "staff_unblocked",
            now=now,
            object_type="staff",
            object_id=staff.id,
            data={
                "bulletin_seq": seq,
                "blocked_bulletin_seq": staff.blocked_bulletin_seq,
                "keys_kept_revoked": kept,
            },
        )
        return staff, seq

    return bulletins.retrying(session, work)
