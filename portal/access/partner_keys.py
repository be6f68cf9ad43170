"""Entrance-only keys for partner companies' couriers, and their revocation.

The rule (see `portal.consent.partner_models`): a courier of company P may open the unit at
entrance E at time T when P is active and approved in a category C, E's owner has opted E in to
C with a window on T's local weekday around T's local time, E's consent is granted, the unit is
active and fitted at the entrance (never at a citizen's door), and E's owner has not blocked P.
A key lives no longer than the earliest window it relies on (`derivation.key_end`).

When access narrows (an owner blocks a company or closes an entrance, the municipality
suspends a company or withdraws an approval) the keys that named the affected locks are
revoked by cti in the next signed bulletin, at once.
"""

from datetime import datetime
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import select

from portal.access import bulletins, issuer_keys
from portal.access.models import LockUnit, Staff
from portal.access.models_keys import ShiftKey
from portal.audit.services import Actor, record
from portal.consent.models import (
    ConsentStatus,
    Entrance,
    PartnerApproval,
    PartnerBlock,
    PartnerCompany,
    PartnerWindow,
    Property,
)


def partner_locks(
    session, staff: Staff, *, now: datetime, tz: str
) -> list[tuple[LockUnit, datetime]]:
    """The entrance units `staff` (a partner's courier) may open now, each with its window's end."""
    company = session.get(PartnerCompany, staff.partner_company_id) if staff.is_partner else None
    if company is None or not company.active or not staff.active:
        return []
    local = now.astimezone(ZoneInfo(tz))
    blocked = select(PartnerBlock.owner_id).where(PartnerBlock.company_id == company.id)
    rows = session.execute(
        select(LockUnit, PartnerWindow)
        .join(Entrance, Entrance.id == LockUnit.entrance_id)
        .join(Property, Property.id == Entrance.property_id)
        .join(PartnerWindow, PartnerWindow.entrance_id == Entrance.id)
        .join(
            PartnerApproval,
            (PartnerApproval.category == PartnerWindow.category)
            & (PartnerApproval.company_id == company.id),
        )
        .where(
            LockUnit.active.is_(True),
            LockUnit.citizen_id.is_(None),
            LockUnit.kind == "entrance",
            Entrance.consent_status == ConsentStatus.GRANTED,
            PartnerWindow.weekday == local.weekday(),
            Property.owner_id.not_in(blocked),
        )
        .order_by(LockUnit.lock_id)
    ).all()
    found: dict[int, tuple[LockUnit, datetime]] = {}
    now_time = local.time().replace(tzinfo=None)
    for unit, window in rows:
        if not window.starts <= now_time < window.ends:
            continue
        until = datetime.combine(local.date(), window.ends, tzinfo=local.tzinfo).astimezone(
            now.tzinfo
        )
        if unit.id not in found or found[unit.id][1] < until:
            found[unit.id] = (unit, until)
    return sorted(found.values(), key=lambda pair: pair[0].lock_id)


def _keys_to_revoke(session, *, now, company_id=None, lock_ids=None) -> list[ShiftKey]:
    stmt = (
        select(ShiftKey)
        .join(Staff, Staff.id == ShiftKey.staff_id)
        .where(
            Staff.partner_company_id.is_not(None),
            ShiftKey.expires_at > now,
            ShiftKey.revoked.is_(False),
        )
    )
    if company_id is not None:
        stmt = stmt.where(Staff.partner_company_id == company_id)
    keys = list(session.scalars(stmt.order_by(ShiftKey.id)))
    if lock_ids is not None:
        wanted = set(lock_ids)
        keys = [k for k in keys if wanted & set(k.locks or [])]
    return keys


def revoke_partner_keys(
    session,
    store: issuer_keys.KeyStore,
    *,
    reason: str,
    now: datetime,
    actor: Actor,
    company_id: int | None = None,
    lock_ids=None,
) -> int | None:
    """Revoke the partner keys of a company and/or naming these locks; the bulletin's seq."""
    keys = _keys_to_revoke(session, now=now, company_id=company_id, lock_ids=lock_ids)
    if not keys:
        return None
    issuer_keys.ensure_keys(session, store, now=now)

    def work():
        for key in keys:
            key.revoked, key.revoked_at = True, now
            bulletins.revoke(
                session,
                "cti",
                key.cti,
                reason=reason,
                now=now,
                until=key.expires_at,
                staff_id=key.staff_id,
                device_id=key.device_id,
            )
        return bulletins.publish(session, store, now=now).seq

    seq = bulletins.retrying(session, work)
    record(
        session,
        actor,
        "partner_keys_revoked",
        now=now,
        object_type="partner_company",
        object_id=company_id,
        data={"reason": reason, "keys": [k.cti for k in keys], "bulletin_seq": seq},
    )
    return seq


def entrance_lock_ids(session, *, entrance_ids=None, owner_id=None) -> list[int]:
    """Lock ids of the entrance units at these entrances, or at every entrance of an owner."""
    stmt = select(LockUnit.lock_id).join(Entrance, Entrance.id == LockUnit.entrance_id)
    if entrance_ids is not None:
        stmt = stmt.where(Entrance.id.in_(list(entrance_ids)))
    if owner_id is not None:
        stmt = stmt.join(Property, Property.id == Entrance.property_id).where(
            Property.owner_id == owner_id
        )
    return list(session.scalars(stmt))


def on_access_narrowed(
    session, *, reason, now, actor, company_id=None, entrance_ids=None, owner_id=None, **_extra
) -> None:
    """Receiver of consent's partner_access_narrowed: revoke the affected keys at once."""
    lock_ids = None
    if entrance_ids is not None or owner_id is not None:
        lock_ids = entrance_lock_ids(session, entrance_ids=entrance_ids, owner_id=owner_id)
        if not lock_ids:
            return
    revoke_partner_keys(
        session,
        issuer_keys.KeyStore.from_config(current_app.config, current_app.instance_path),
        reason=reason,
        now=now,
        actor=actor,
        company_id=company_id,
        lock_ids=lock_ids,
    )
