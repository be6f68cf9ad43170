"""Arranging relocations and removals: a fitted citizen, the register's signals, a plan."""

import io
from datetime import timedelta
from zoneinfo import ZoneInfo

from flask import current_app
from PIL import Image

from portal import clock
from portal.access.lock_units import register_lock_unit
from portal.audit.services import SYSTEM
from portal.citizens import lifecycle
from portal.citizens.signals import citizen_leaving, citizen_relocating
from portal.locksmith import services
from portal.locksmith.change_jobs import on_citizen_leaving, on_citizen_relocating
from tests.factories import make_citizen, make_user
from tests.locksmith.support import pem

_serials = iter(range(1, 10**6))


def fitted(db, **overrides):
    """A fitted citizen with a registered door unit; returns (citizen, unit)."""
    citizen = make_citizen(db, status="fitted", **overrides)
    unit = register_lock_unit(
        db,
        serial=f"FW-{next(_serials)}",
        public_key_text=pem(),
        citizen_id=citizen.id,
        now=clock.now(),
        actor=SYSTEM,
        parts_stored="depot",
    )
    db.commit()
    return citizen, unit


def _result(replies, receiver):
    return next(value for func, value in replies if func is receiver)


def relocate(db, citizen, new_address="Nyvej 5", days=14, commit=True):
    """What changes does when a move inside the municipality is approved: status moving, then
    the signal (the citizen keeps the old address until the moving day). Returns what the
    locksmith's receiver answered."""
    old = f"{citizen.address}, {citizen.postcode} {citizen.city}"
    lifecycle.moving(citizen)
    now = clock.now()
    replies = citizen_relocating.send(
        db,
        citizen=citizen,
        from_address=old,
        to_address=f"{new_address}, {citizen.postcode} {citizen.city}",
        on=today() + timedelta(days=days),
        now=now,
        actor=SYSTEM,
    )
    if commit:
        db.commit()
    return _result(replies, on_citizen_relocating)


def leave(db, citizen, reason="care_ended", estate_contact=None, commit=True):
    """What changes does when care ends (or the citizen moves away or dies)."""
    now = clock.now()
    replies = citizen_leaving.send(
        db,
        citizen=citizen,
        reason=reason,
        on=today(),
        estate_contact=estate_contact,
        now=now,
        actor=SYSTEM,
    )
    if commit:
        db.commit()
    return _result(replies, on_citizen_leaving)


def today():
    """The municipality's date now."""
    return clock.today_in(ZoneInfo(current_app.config["TIMEZONE"]))


def planned_today(db, job, smith=None):
    """Give the job to a locksmith for today; returns the locksmith."""
    smith = smith or make_user(db, "locksmith")
    services.assign(db, job, smith.id, today(), now=clock.now(), actor=SYSTEM)
    db.commit()
    return smith


def jpeg(size=(40, 30), fmt="JPEG") -> bytes:
    """A small picture."""
    out = io.BytesIO()
    Image.new("RGB", size, (200, 10, 10)).save(out, fmt)
    return out.getvalue()
