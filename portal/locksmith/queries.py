"""Reads for the locksmith's pages and the coordinator's follow-up list."""

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from portal.booking.models import Appointment
from portal.citizens.lifecycle import CitizenStatus
from portal.citizens.models import Citizen
from portal.locksmith.models import JobReport


def follow_up(session) -> list[tuple[Appointment, JobReport]]:
    """Failed fittings whose citizen still needs a call, the latest report first."""
    return list(
        session.execute(
            select(Appointment, JobReport)
            .join(JobReport, JobReport.appointment_id == Appointment.id)
            .join(Citizen, Citizen.id == Appointment.citizen_id)
            .where(Appointment.status == "failed", Citizen.status == CitizenStatus.FOLLOW_UP)
            .options(joinedload(Appointment.citizen), joinedload(Appointment.slot))
            .order_by(JobReport.reported_at.desc())
        ).all()
    )
