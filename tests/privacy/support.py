"""One record of every kind the portal holds about a citizen, for the export and retention."""

from datetime import date, timedelta

from portal.changes.keycabinet_models import CabinetKey, CabinetKeyEvent, KeyCabinet
from portal.changes.models import ChangeDocument, ChangeRequest, ProviderNotice
from portal.citizens.lifecycle import CitizenStatus
from portal.citizens.models import Relative
from portal.consent.register_models import EntranceCitizen
from portal.directory.models import ProviderAssignment
from portal.letters.models import Letter
from portal.locksmith.models import Job
from portal.locksmith.models_photos import JobPhoto
from portal.notify.models import OutboxMessage
from tests.access.support import make_lock, make_staff, make_visits
from tests.factories import (
    NOW,
    make_care_group,
    make_citizen,
    make_district,
    make_property,
    make_provider,
    set_status,
)
from tests.letters.support import make_appointment

# Marker strings the export must carry, one per kind of record.
MARK = "Spor-"


def make_everything(db, *, ended_on: date | None = None, name="Agnes Testesen"):
    """A citizen with one row in every citizen table (and rows hanging from them).

    ended_on: their care ended on that day (an end assignment, status care_ended).
    Returns (citizen, {table: id}).
    """
    district = make_district(db)
    provider = make_provider(db)
    group = make_care_group(db, provider, [district])
    prop = make_property(db, district=district)
    citizen = make_citizen(
        db,
        name=name,
        district=district,
        provider=provider,
        care_group=group,
        provider_from=date(2026, 1, 1),
        property_id=prop.id,
        email="agnes@example.org",
    )
    ids = {}

    def add(row):
        db.add(row)
        db.flush()
        ids[row.__tablename__] = row.id
        return row

    add(Relative(citizen_id=citizen.id, name="Bo Testesen", phone="+4520000000", relation="son"))
    add(EntranceCitizen(entrance_id=prop.entrances[0].id, citizen_id=citizen.id, needed=True))
    add(
        Letter(
            citizen_id=citizen.id,
            reference=f"{MARK}letter",
            kind="information",
            status="posted",
        )
    )
    add(
        OutboxMessage(
            kind="booking",
            to_address="agnes@example.org",
            subject=f"{MARK}message",
            body="Hej",
            citizen_id=citizen.id,
            created_at=NOW,
        )
    )
    appointment = make_appointment(db, citizen)
    ids["appointment"] = appointment.id
    job = add(
        Job(
            kind="fitting",
            address=f"{MARK}job",
            citizen_id=citizen.id,
            appointment_id=appointment.id,
            created_at=NOW,
            source="booking",
        )
    )
    add(
        JobPhoto(
            job_id=job.id,
            content_type="image/png",
            size=3,
            sha256="0" * 64,
            data=b"png",
            uploaded_at=NOW,
        )
    )
    unit, key = make_lock(db, citizen=citizen)
    ids["lock_unit"] = unit.id
    member = make_staff(db, [group])
    make_visits(db, unit, key, member, count=1, start=NOW)
    from portal.access.models_events import Visit

    ids["visit"] = db.query(Visit.id).filter_by(citizen_id=citizen.id).scalar()
    request = add(
        ChangeRequest(
            reference=f"R{citizen.id}",
            citizen_id=citizen.id,
            kind="leave",
            source="citizen",
            status="done",
            requested_by=f"citizen:{citizen.id}",
            effective_on=date(2026, 6, 1),
            created_at=NOW,
        )
    )
    add(
        ChangeDocument(
            request_id=request.id,
            filename="doc.pdf",
            content_type="application/pdf",
            size=4,
            sha256="1" * 64,
            data=b"%PDF",
            uploaded_by="citizen",
            created_at=NOW,
        )
    )
    add(
        ProviderNotice(
            provider_id=provider.id,
            request_id=request.id,
            citizen_id=citizen.id,
            role="losing",
            effective_on=date(2026, 6, 1),
            created_at=NOW,
        )
    )
    cabinet = KeyCabinet(provider_id=provider.id, name="Skab", location="Kælder", created_at=NOW)
    db.add(cabinet)
    db.flush()
    cabinet_key = add(
        CabinetKey(
            cabinet_id=cabinet.id,
            citizen_id=citizen.id,
            kind="day",
            tag=f"{MARK}key",
            created_at=NOW,
        )
    )
    db.add(CabinetKeyEvent(key_id=cabinet_key.id, at=NOW, action="received", actor="user:1"))
    ids["provider_assignment"] = (
        db.query(ProviderAssignment.id).filter_by(citizen_id=citizen.id).scalar()
    )
    if ended_on is not None:
        db.add(
            ProviderAssignment(
                citizen_id=citizen.id, provider_id=None, effective_from=ended_on, created_at=NOW
            )
        )
        set_status(citizen, CitizenStatus.CARE_ENDED)
    db.flush()
    return citizen, ids


def days(n: int) -> timedelta:
    """n days."""
    return timedelta(days=n)
