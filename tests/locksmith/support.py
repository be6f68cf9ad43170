"""Arranging locksmith jobs for tests: booked fittings moved to now, locks, hand-made jobs."""

import base64
from datetime import timedelta

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from portal import clock
from portal.audit.services import SYSTEM
from portal.booking import services as booking
from portal.locksmith import services
from portal.locksmith.services import job_of_appointment
from tests.booking.support import TZ

CHECKS = {"turns_both_ways": "y", "battery_read": "y", "door_closes": "y", "citizen_told": "y"}


def pem(curve=None) -> str:
    """A fresh public key in PEM (P-256 unless told otherwise)."""
    key = ec.generate_private_key(curve or ec.SECP256R1()).public_key()
    return key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode()


def der_b64() -> str:
    """A fresh P-256 public key as base64 DER."""
    key = ec.generate_private_key(ec.SECP256R1()).public_key()
    der = key.public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return base64.b64encode(der).decode()


def happening_now(db, appointment, now=None):
    """Move a booking's slot, and so its job, to now (as if the day had come)."""
    now = (now or clock.now()).replace(second=0, microsecond=0)
    slot = appointment.slot
    slot.starts_at, slot.ends_at = now - timedelta(minutes=5), now + timedelta(minutes=15)
    slot.local_date = now.astimezone(TZ).date()
    job = job_of_appointment(db, appointment.id)
    job.day, job.window_start, job.window_end = slot.local_date, slot.starts_at, slot.ends_at
    db.commit()
    return job


def booked_job_today(db, world, citizen_index=0):
    """Book a slot for a citizen and move it to now; returns (appointment, job)."""
    slot = world.slots(db)[citizen_index]
    appointment = booking.book_slot(
        db, world.citizens[citizen_index].id, slot.id, now=clock.now(), cutoff=timedelta(0)
    )
    db.commit()
    return appointment, happening_now(db, appointment)


def hand_job(db, kind, *, smith=None, day=None, **where):
    """A coordinator's job (planned for the locksmith and day when given)."""
    job = services.create_job(
        db,
        kind,
        now=clock.now(),
        actor=SYSTEM,
        locksmith_id=smith.id if smith else None,
        day=day,
        instructions="Tjek enheden",
        **where,
    )
    db.commit()
    return job
