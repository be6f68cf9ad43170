"""Arrange data the letter tests need from other features (an appointment, a finished batch)."""

from datetime import UTC, date, datetime
from pathlib import Path

from portal.letters.models import Letter, LetterBatch
from tests.booking.support import make_campaign
from tests.factories import NOW, make_user

SLOT_START = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)  # Tuesday 1 December, 10:00 in Copenhagen
SLOT_END = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)


def make_appointment(session, citizen, locksmith_name="Lars Låsesmed", password="blå hest"):
    """A booked fitting for the citizen (campaign, slot and appointment, flushed)."""
    from portal.booking.models import Appointment, Slot

    smith = make_user(session, "locksmith")
    smith.name = locksmith_name
    campaign = make_campaign(
        session,
        citizen.district,
        starts_on=date(2026, 12, 1),
        ends_on=date(2026, 12, 31),
        name="Wave 1",
    )
    slot = Slot(
        campaign_id=campaign.id,
        locksmith_id=smith.id,
        starts_at=SLOT_START,
        ends_at=SLOT_END,
        local_date=date(2026, 12, 1),
        status="booked",
    )
    session.add(slot)
    session.flush()
    appointment = Appointment(
        reference=f"B7K{slot.id:03d}",
        citizen_id=citizen.id,
        slot_id=slot.id,
        door_password=password,
        status="booked",
        booked_at=NOW,
    )
    session.add(appointment)
    session.flush()
    return appointment


def make_finished_batch(session, citizen, directory: Path) -> tuple[LetterBatch, Letter]:
    """A batch marked done with one letter, and stand-in files on disk (no rendering)."""
    directory.mkdir(parents=True, exist_ok=True)
    batch = LetterBatch(
        district_id=citizen.district_id,
        scope_label="Test",
        status="done",
        directory=str(directory),
        total=1,
        created_at=NOW,
        merged_pages=2,
    )
    session.add(batch)
    session.flush()
    letter = Letter(
        citizen_id=citizen.id,
        batch_id=batch.id,
        reference="NH-1",
        status="done",
        filename="NH-1.pdf",
        pages=2,
        created_at=NOW,
    )
    session.add(letter)
    session.flush()
    for name in ("merged.pdf", "NH-1.pdf"):
        (directory / name).write_bytes(b"%PDF-1.7\n% stand-in\n")
    (directory / "manifest.csv").write_text("reference,name,address,file,pages,sha256\n")
    return batch, letter
