"""Demo data: the locksmiths' reports of the visits booking's demo step made in the past."""

from datetime import timedelta

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from portal.access.lock_units import register_lock_unit
from portal.audit.services import Actor
from portal.locksmith.models import CHECKLIST, JobReport

ORDER = 35  # after booking (30), which leaves ctx.made["visits_done"]
DEMO_KEY_CURVE = ec.SECP256R1()
REPORT_DELAY = timedelta(minutes=5)  # the locksmith reports just after the visit


def _report(ctx, appointment, slot, locksmith, outcome):
    reported_at = slot.ends_at + REPORT_DELAY
    unit_id = None
    if outcome == "completed":
        key = ec.generate_private_key(DEMO_KEY_CURVE).public_key()
        pem = key.public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        ).decode()
        unit = register_lock_unit(
            ctx.session,
            serial=f"DEMO-{appointment.id:05d}",
            public_key_text=pem,
            citizen_id=appointment.citizen_id,
            now=reported_at,
            actor=Actor("user", locksmith.id, locksmith.name),
        )
        unit_id = unit.id
    ctx.session.add(
        JobReport(
            appointment_id=appointment.id,
            outcome=outcome,
            lock_unit_id=unit_id,
            reason="not_home" if outcome == "failed" else None,
            checklist=",".join(CHECKLIST) if unit_id else None,
            reported_at=reported_at,
            reported_by=locksmith.id,
        )
    )


def seed(ctx):
    """A report (and for a fitting, the lock unit) for every visit that already happened."""
    for appointment, slot, locksmith, outcome in ctx.made.get("visits_done", []):
        _report(ctx, appointment, slot, locksmith, outcome)
