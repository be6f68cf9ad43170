"""Block a phone or a staff member at once: the portal refuses them now, the locks from the
next revocation bulletin, and every shift key they hold is revoked."""

from datetime import datetime

from sqlalchemy import update

from portal.access import bulletins, issuer_keys
from portal.access.issuer_keys import KeyStore
from portal.access.models import Device, Staff
from portal.access.models_keys import ShiftKey
from portal.audit.services import Actor, record


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
