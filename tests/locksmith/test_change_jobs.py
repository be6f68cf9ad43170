"""Relocation and removal jobs: made from the register's signals, completed by the locksmith."""

from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from portal import clock
from portal.access import inventory
from portal.access.derivation import allowed_locks
from portal.access.models import LockUnit
from portal.audit.models import AuditRecord
from portal.audit.services import SYSTEM
from portal.citizens.lifecycle import CitizenStatus
from portal.locksmith import change_completion as cc
from portal.locksmith import completion, photos, services
from portal.locksmith.change_jobs import NoJob
from portal.locksmith.models import Job, JobKind, JobStatus
from portal.locksmith.models_photos import JobPhoto
from portal.locksmith.registry import KEY_SOURCES, HeldKey
from tests.factories import make_citizen
from tests.locksmith.change_support import fitted, jpeg, leave, planned_today, relocate
from tests.locksmith.support import hand_job

TZ = ZoneInfo("Europe/Copenhagen")
RELOCATION_TICKS = set(cc.RELOCATION_CHECKLIST)


def _done(db, job, smith, **kw):
    kw.setdefault("checklist", set(cc.checklist_for(db, job)))
    return cc.complete_change(
        db, job.id, locksmith_id=smith.id, now=clock.now(), actor=SYSTEM, tz=TZ, **kw
    )


def test_a_move_makes_a_relocation_job_for_the_same_unit(db):
    citizen, unit = fitted(db, address="Gammelvej 1")
    job = relocate(db, citizen, "Nyvej 5")
    assert isinstance(job, Job) and job.kind == JobKind.RELOCATION
    assert job.status == JobStatus.OPEN and job.lock_unit_id == unit.id
    assert job.address.startswith("Gammelvej 1") and job.destination.startswith("Nyvej 5")
    assert job.effective_on is not None
    actions = set(
        db.scalars(select(AuditRecord.action).where(AuditRecord.object_id == str(job.id)))
    )
    assert "job_created" in actions


def test_completing_the_relocation_moves_the_unit_and_fits_the_citizen(db):
    citizen, unit = fitted(db, address="Gammelvej 1")
    job = relocate(db, citizen, "Nyvej 5")
    smith = planned_today(db, job)
    missing = {"door_restored"}
    with pytest.raises(services.ChecklistIncomplete):
        _done(db, job, smith, checklist=missing, parts_stored="home")
    with pytest.raises(cc.PartsPlaceMissing):
        _done(db, job, smith, parts_stored="attic")
    _done(db, job, smith, parts_stored="home", photo=jpeg())
    db.commit()
    db.expire_all()
    assert job.status == JobStatus.DONE and citizen.status == CitizenStatus.FITTED
    assert unit.state == "fitted" and unit.active and unit.citizen_id == citizen.id
    assert unit.parts_stored == "home"
    steps = inventory.history(db, unit.id)
    assert steps[0].action == "move" and steps[0].place.startswith("Nyvej 5")
    assert photos.photo_of(db, job.id).content_type == "image/jpeg"


def test_care_ending_makes_a_removal_job_and_completing_it_ends_the_door_rights(db):
    citizen, unit = fitted(db)
    job = leave(db, citizen, "care_ended")
    assert job.kind == JobKind.REMOVAL and job.leave_reason == "care_ended"
    assert job.estate_contact is None
    smith = planned_today(db, job)
    assert set(cc.checklist_for(db, job)) == set(cc.REMOVAL_CHECKLIST)  # no keys held
    _done(db, job, smith, note="Dør som før")
    db.commit()
    db.expire_all()
    assert unit.state == "removed" and not unit.active and unit.citizen_id is None
    assert unit.parts_stored == "returned"
    assert citizen.status == CitizenStatus.DOOR_RESTORED
    assert inventory.history(db, unit.id)[0].action == "remove"


def test_a_death_keeps_the_estate_contact(db):
    citizen, _unit = fitted(db)
    job = leave(db, citizen, "deceased", estate_contact="Kim Dødsbo, 20 11 22 33")
    assert job.estate_contact == "Kim Dødsbo, 20 11 22 33"
    other, _ = fitted(db)
    assert leave(db, other, "moved_away", estate_contact="ignored").estate_contact is None


def test_a_citizen_without_a_lock_gets_no_job_and_an_unbooked_fitting_is_cancelled(db):
    citizen = make_citizen(db, status="letter_sent")
    fitting = hand_job(db, JobKind.FITTING, citizen_id=citizen.id)
    assert leave(db, citizen, "opted_out") == NoJob("no_unit")
    db.expire_all()
    assert fitting.status == JobStatus.CANCELLED
    assert db.scalar(select(Job).where(Job.kind == JobKind.REMOVAL)) is None


def test_a_move_without_a_lock_sends_the_open_fitting_to_the_new_address(db):
    citizen = make_citizen(db, status="letter_sent", address="Gammelvej 1")
    fitting = hand_job(db, JobKind.FITTING, citizen_id=citizen.id)
    assert relocate(db, citizen, "Nyvej 5") == NoJob("no_unit")
    db.expire_all()
    assert fitting.is_open and fitting.address.startswith("Nyvej 5")


def test_a_unit_already_gone_gives_no_second_removal(db):
    citizen, unit = fitted(db)
    job = leave(db, citizen)
    _done(db, job, planned_today(db, job))
    db.commit()
    assert leave(db, citizen) == NoJob("unit_gone")
    assert db.scalar(select(Job.id).where(Job.kind == JobKind.REMOVAL, Job.id != job.id)) is None


def test_the_same_leaving_twice_keeps_one_removal_and_a_removal_replaces_a_relocation(db):
    citizen, _unit = fitted(db)
    relocation = relocate(db, citizen, "Nyvej 5")
    removal = leave(db, citizen, "moved_away")
    again = leave(db, citizen, "deceased", estate_contact="Boet")
    db.expire_all()
    assert again.id == removal.id and again.estate_contact == "Boet"
    assert relocation.status == JobStatus.CANCELLED
    assert removal.address == relocation.address  # the unit is still at the old home


def test_completing_when_the_unit_was_taken_off_meanwhile_is_refused(db):
    citizen, unit = fitted(db)
    job = leave(db, citizen)
    smith = planned_today(db, job)
    inventory.remove(db, unit, now=clock.now(), actor=SYSTEM)
    db.commit()
    with pytest.raises(cc.UnitGone):
        _done(db, job, smith)


def test_keys_held_need_a_signature_and_are_part_of_the_checklist(db):
    citizen, _unit = fitted(db)

    def source(session, citizen_id):
        return [HeldKey(1, "day", "Skab A")] if citizen_id == citizen.id else []

    KEY_SOURCES.append(source)
    try:
        job = leave(db, citizen)
        smith = planned_today(db, job)
        assert "keys_returned" in cc.checklist_for(db, job)
        with pytest.raises(services.ChecklistIncomplete):
            _done(db, job, smith, checklist=set(cc.REMOVAL_CHECKLIST), signed_by="Ane")
        with pytest.raises(cc.SignatureMissing):
            _done(db, job, smith, signed_by="   ")
        _done(db, job, smith, signed_by="Ane Arving")
        assert job.signed_by == "Ane Arving"
    finally:
        KEY_SOURCES.remove(source)


def test_a_change_job_can_fail_like_any_job_and_the_unit_stays(db):
    citizen, unit = fitted(db)
    job = leave(db, citizen)
    smith = planned_today(db, job)
    completion.fail_job(
        db,
        job.id,
        locksmith_id=smith.id,
        reason="not_home",
        note=None,
        now=clock.now(),
        actor=SYSTEM,
        tz=TZ,
    )
    db.commit()
    assert job.status == JobStatus.FAILED and unit.state == "fitted" and unit.active


def test_only_relocations_and_removals_complete_here(db):
    citizen, unit = fitted(db)
    job = hand_job(db, JobKind.REPAIR, lock_unit_id=unit.id)
    smith = planned_today(db, job)
    with pytest.raises(services.JobNotFound):
        _done(db, job, smith, checklist=set())


@pytest.mark.parametrize(
    "raw, why",
    [
        (b"<svg onload=alert(1)>", "not_image"),
        (b"GIF89a" + b"\0" * 20, "not_image"),
        (b"\xff\xd8\xff" + b"x" * 30, "not_image"),
        (b"0" * (photos.MAX_BYTES + 1), "too_large"),
    ],
)
def test_photos_that_are_not_pictures_or_too_large_are_refused(raw, why):
    with pytest.raises(photos.PhotoRejected) as caught:
        photos.prepare(raw)
    assert str(caught.value) == why


def test_a_photo_is_re_encoded_without_metadata(db):
    png = jpeg(size=(3000, 10), fmt="PNG")
    cleaned = photos.prepare(png)
    assert cleaned[:3] == b"\xff\xd8\xff" and b"Exif" not in cleaned


def test_door_rights_end_when_the_unit_is_removed(db):
    from portal.access.models import Staff
    from tests.factories import make_care_group, make_district

    district = make_district(db)
    group = make_care_group(db, districts=[district])
    citizen, unit = fitted(db, district=district, care_group=group)
    staff = Staff(
        provider_id=group.provider_id,
        staff_number="FW1",
        first_name="A",
        last_name="B",
        pin_hash="x",
        created_at=clock.now(),
        care_groups=[group],
    )
    db.add(staff)
    db.commit()
    tz = "Europe/Copenhagen"
    assert unit in allowed_locks(db, staff, None, now=clock.now(), tz=tz)
    job = leave(db, citizen)
    _done(db, job, planned_today(db, job))
    db.commit()
    assert db.get(LockUnit, unit.id) not in allowed_locks(db, staff, None, now=clock.now(), tz=tz)
    assert db.scalar(select(JobPhoto)) is None


def test_the_inventory_shows_the_unit_on_the_old_door_until_the_move_is_done(db):
    citizen, unit = fitted(db, address="Gammelvej 1")
    job = relocate(db, citizen, "Nyvej 5")
    assert inventory.places(db, [unit])[unit.id].startswith("Gammelvej 1")
    _done(db, job, planned_today(db, job), parts_stored="depot")
    assert inventory.places(db, [unit])[unit.id].startswith("Nyvej 5")


def test_a_coordinators_removal_job_for_a_citizen_finds_the_unit_on_the_door(db):
    citizen, unit = fitted(db)
    job = hand_job(db, JobKind.REMOVAL, citizen_id=citizen.id)
    assert job.lock_unit_id is None
    _done(db, job, planned_today(db, job))
    assert job.lock_unit_id == unit.id and unit.state == "removed"
    bare = make_citizen(db, status="letter_sent")
    nothing = hand_job(db, JobKind.REMOVAL, citizen_id=bare.id)
    with pytest.raises(cc.UnitGone):
        _done(db, nothing, planned_today(db, nothing))


def test_a_second_move_before_the_first_is_done_restores_the_first_door(db):
    citizen, _unit = fitted(db, address="Første vej 1")
    first = relocate(db, citizen, "Anden vej 2")
    second = relocate(db, citizen, "Tredje vej 3")
    db.expire_all()
    assert first.status == JobStatus.CANCELLED
    assert second.address.startswith("Første vej 1") and second.destination.startswith("Tredje")
