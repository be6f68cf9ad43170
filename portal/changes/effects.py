"""What an approved change does, in two steps (flush, never commit).

On approval: the dated facts are written at once, so every page and every shift key issued
from then on follows by itself: the provider assignment from the new date (a switch, a move
to another provider's district), an end of the assignments (a move away, care ending, a
death); the status says a change is under way; both providers of a switch are told; the
locksmith feature is told through `portal.citizens.signals` (only when a lock is fitted: a
citizen without one needs no locksmith, only the data change), so it can plan the job.

At 00:00 local time on the effective date (`apply`, run by the scheduled job, or at once when
that moment has passed): a move inside the municipality changes the citizen's address and
district (until then the door stays with the old district's staff), the status reaches its
end state, and every live shift key that
carried the citizen's door to someone who may no longer open it is revoked through a new
revocation bulletin. `apply` claims the request with a conditional update, so two runs of the
job, or a late one, apply each change exactly once.
"""

import logging
from datetime import datetime

from sqlalchemy import select, update

from portal.access import bulletins, issuer_keys
from portal.access.derivation import served_citizen_ids
from portal.access.models import LockUnit, Staff
from portal.access.models_keys import ShiftKey
from portal.audit.services import Actor, record
from portal.changes import bookings, notices, rules
from portal.changes.models import ChangeRequest
from portal.citizens import lifecycle
from portal.citizens.lifecycle import CitizenStatus
from portal.citizens.signals import citizen_leaving, citizen_relocating
from portal.directory.models import Provider
from portal.directory.queries import provider_on
from portal.directory.services import assign_provider, end_assignment

log = logging.getLogger(__name__)


def one_line(citizen) -> str:
    """The citizen's address on one line."""
    return f"{citizen.address}, {citizen.postcode} {citizen.city}"


def new_one_line(req: ChangeRequest) -> str:
    """The new address of a move on one line."""
    return f"{req.new_address}, {req.new_postcode} {req.new_city}"


def leaving_reason(req: ChangeRequest) -> str | None:
    """Why the citizen leaves keyless care with this change, or None (a switch, a move inside)."""
    if req.kind == "move":
        return None if req.inside else "moved_away"
    return req.reason if req.kind == "leave" else None


def _switch(session, req, *, now, actor):
    citizen = req.citizen
    group = rules.group_for(session, req.to_provider_id, citizen.district_id)
    req.to_care_group_id = group.id if group else None
    assign_provider(
        session,
        citizen.id,
        req.to_provider_id,
        req.to_care_group_id,
        req.effective_on,
        now=now,
        actor=actor,
    )
    if citizen.status == CitizenStatus.FITTED:
        lifecycle.switching_provider(citizen)
    notices.switch_notices(session, req, now=now)


def _move_inside(session, req, *, now, actor, tz, provider_id):
    citizen = req.citizen
    current = provider_on(session, citizen.id, max(rules.local_today(now, tz), req.effective_on))
    target = provider_id or (current.id if current else None)
    group = None
    if target is not None:
        group = rules.group_for(session, target, req.new_district_id)
        if group is None:
            named = session.get(Provider, target)
            raise rules.ProviderNotServing(provider=named.name if named else "?")
    # The address and district change on the moving day (`apply`), not now.
    req.old_address = one_line(citizen)
    if group is not None:
        # The care group serving the new district, and possibly a new provider, from the day.
        req.from_provider_id = current.id if current else None
        req.to_provider_id, req.to_care_group_id = target, group.id
        assign_provider(
            session, citizen.id, target, group.id, req.effective_on, now=now, actor=actor
        )
    if lifecycle.allowed("moving", citizen.status):
        lifecycle.moving(citizen)
    session.flush()
    if rules.has_lock(session, citizen.id):
        citizen_relocating.send(
            session,
            citizen=citizen,
            from_address=req.old_address,
            to_address=new_one_line(req),
            on=req.effective_on,
            now=now,
            actor=actor,
        )


def _leave(session, req, reason, *, now, actor):
    citizen = req.citizen
    bookings.cancel_future_fitting(session, req, now=now, actor=actor)
    if reason != "opted_out":
        end_assignment(session, citizen.id, req.effective_on, now=now, actor=actor, reason=reason)
    if reason == "moved_away" and lifecycle.allowed("moving", citizen.status):
        lifecycle.moving(citizen)
    session.flush()
    if rules.has_lock(session, citizen.id):
        citizen_leaving.send(
            session,
            citizen=citizen,
            reason=reason,
            on=req.effective_on,
            estate_contact=req.estate_contact,
            now=now,
            actor=actor,
        )


def on_approval(
    session,
    req: ChangeRequest,
    *,
    now: datetime,
    actor: Actor,
    tz: str,
    provider_id: int | None = None,
) -> None:
    """Write the dated facts of an approved change and tell whoever must act before the date."""
    if req.kind == "switch":
        _switch(session, req, now=now, actor=actor)
    elif req.kind == "move" and req.inside:
        _move_inside(session, req, now=now, actor=actor, tz=tz, provider_id=provider_id)
    else:
        _leave(session, req, leaving_reason(req), now=now, actor=actor)
    session.flush()


def _move_register(req: ChangeRequest) -> None:
    """A move inside the municipality: the citizen lives at the new address from now."""
    citizen = req.citizen
    citizen.address, citizen.postcode, citizen.city = (
        req.new_address,
        req.new_postcode,
        req.new_city,
    )
    citizen.district_id = req.new_district_id


def _final_status(session, req: ChangeRequest) -> None:
    citizen = req.citizen
    reason = leaving_reason(req)
    if req.kind == "switch":
        if citizen.status == CitizenStatus.SWITCHING_PROVIDER:
            lifecycle.provider_switched(citizen)
    elif reason == "opted_out":
        if lifecycle.allowed("opted_out", citizen.status):
            lifecycle.opted_out(citizen)
    elif reason is not None:
        lifecycle.care_ended(citizen)
    elif citizen.status == CitizenStatus.MOVING and not rules.has_lock(session, citizen.id):
        lifecycle.moved(citizen)  # no lock follows: the citizen starts over at the new home


def revoke_door_keys(session, citizen_id: int, store, *, now: datetime, tz: str) -> list[str]:
    """Revoke every live shift key that carries the citizen's door to staff who may no longer
    open it (by derivation at `now`), in a new bulletin; returns the revoked ctis."""
    lock_ids = set(
        session.scalars(select(LockUnit.lock_id).where(LockUnit.citizen_id == citizen_id))
    )
    if not lock_ids:
        return []
    live = session.scalars(
        select(ShiftKey).where(ShiftKey.expires_at > now, ShiftKey.revoked.is_(False))
    ).all()
    carrying = [k for k in live if lock_ids & {int(x) for x in (k.locks or [])}]
    revoked = []
    for key in carrying:
        staff = session.get(Staff, key.staff_id)
        if citizen_id in served_citizen_ids(session, staff, now=now, tz=tz):
            continue  # still theirs (a night patrol of the district, say)
        bulletins.revoke(
            session,
            "cti",
            key.cti,
            reason="door_changed",
            now=now,
            until=key.expires_at,
            staff_id=key.staff_id,
            device_id=key.device_id,
        )
        key.revoked, key.revoked_at = True, now
        revoked.append(key.cti)
    if revoked:
        issuer_keys.ensure_keys(session, store, now=now)
        bulletins.retrying(session, lambda: bulletins.publish(session, store, now=now))
    return revoked


def apply(session, req: ChangeRequest, *, now: datetime, actor: Actor, tz: str, store) -> bool:
    """Put an approved change in force once: claim it, move the citizen's address (a move
    inside), set the end status, revoke the keys that lost the door (audited). False when
    another run got there first."""
    claimed = session.execute(
        update(ChangeRequest)
        .where(ChangeRequest.id == req.id, ChangeRequest.status == "approved")
        .values(status="done", applied_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount
    if claimed != 1:
        return False
    session.refresh(req)
    if req.kind == "move" and req.inside:
        _move_register(req)
    _final_status(session, req)
    session.flush()
    revoked = revoke_door_keys(session, req.citizen_id, store, now=now, tz=tz)
    record(
        session,
        actor,
        "change.applied",
        now=now,
        object_type="change_request",
        object_id=req.id,
        data={"reference": req.reference, "citizen_id": req.citizen_id, "revoked": len(revoked)},
    )
    return True


def apply_due(session, *, now: datetime, actor: Actor, tz: str, store) -> list[str]:
    """Apply every approved change whose 00:00 has come (also late ones); returns references."""
    today = rules.local_today(now, tz)
    due = session.scalars(
        select(ChangeRequest)
        .where(ChangeRequest.status == "approved", ChangeRequest.effective_on <= today)
        .order_by(ChangeRequest.effective_on, ChangeRequest.id)
    ).all()
    done = []
    for req in due:
        if rules.effective_moment(req.effective_on, tz) > now:
            continue
        try:
            with session.begin_nested():  # one broken change must not hold up the others
                if apply(session, req, now=now, actor=actor, tz=tz, store=store):
                    done.append(req.reference)
        except Exception:
            session.expire(req)  # back to what the database says: still approved
            log.exception("change %s could not be applied; the next run tries again", req.id)
    return done
