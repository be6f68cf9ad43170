"""Booking services without HTTP: book, cut-off, districts, rebook atomically, cancel."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from portal.audit.models import AuditRecord
from portal.audit.services import Actor
from portal.booking import by_time, errors, services
from portal.booking.details import AccessDetails
from portal.booking.errors import SlotUnavailable
from portal.booking.models import ACTIVE_STATUSES, Appointment, Slot
from portal.booking.words import WORDS
from portal.citizens import lifecycle
from portal.notify.models import OutboxMessage
from tests.booking.support import make_campaign, make_world
from tests.factories import make_citizen, make_district

ACTOR = Actor("citizen", 1)


def _active(db):
    return db.scalar(select(func.count()).where(Appointment.status.in_(ACTIVE_STATUSES)))


def test_booking_takes_the_slot_and_marks_the_citizen(db, now):
    world = make_world(db, now=now)
    citizen, slot = world.citizens[0], world.slots(db)[0]
    lifecycle.letter_sent(citizen)
    db.commit()
    appointment = services.book_slot(db, citizen.id, slot.id, now=now, actor=ACTOR)
    assert appointment.status == "booked" and appointment.slot_id == slot.id
    assert appointment.reference.startswith("KF-") and len(appointment.reference) == 12
    adjective, noun = appointment.door_password.split(" ")
    assert adjective in WORDS["da"][0].split() and noun in WORDS["da"][1].split()
    assert citizen.status == "booked" and appointment.previous_status == "letter_sent"
    assert db.scalar(select(AuditRecord).where(AuditRecord.action == "appointment_booked"))


def test_door_password_follows_the_citizens_language(db, now):
    world = make_world(db, now=now)
    world.citizens[0].language = "sv"
    db.commit()
    appointment = services.book_slot(db, world.citizens[0].id, world.slots(db)[0].id, now=now)
    assert appointment.door_password.split(" ")[1] in WORDS["sv"][1].split()


def test_cut_off_refuses_a_slot_too_soon(db, now):
    world = make_world(db, now=now)
    slot = world.slots(db)[0]
    too_late = slot.starts_at - timedelta(hours=23)
    with pytest.raises(SlotUnavailable):
        services.book_slot(db, world.citizens[0].id, slot.id, now=too_late)
    ok = services.book_slot(
        db, world.citizens[0].id, slot.id, now=too_late, cutoff=timedelta(hours=12)
    )
    assert ok.slot_id == slot.id


def test_slots_of_other_districts_drafts_and_withdrawn_slots_are_unavailable(db, now):
    world = make_world(db, now=now)
    stranger = make_citizen(db, district=make_district(db))
    db.commit()
    slot = world.slots(db)[0]
    with pytest.raises(SlotUnavailable):
        services.book_slot(db, stranger.id, slot.id, now=now)
    world.campaign.status = "draft"
    db.commit()
    with pytest.raises(SlotUnavailable):
        services.book_slot(db, world.citizens[0].id, slot.id, now=now)
    world.campaign.status = "running"
    slot.status = "withdrawn"
    db.commit()
    with pytest.raises(SlotUnavailable):
        services.book_slot(db, world.citizens[0].id, slot.id, now=now)
    with pytest.raises(SlotUnavailable):
        services.book_slot(db, world.citizens[0].id, 999999, now=now)


def test_a_taken_slot_and_a_second_booking_are_refused(db, now):
    world = make_world(db, citizens=2, now=now)
    first, second = world.slots(db)[:2]
    services.book_slot(db, world.citizens[0].id, first.id, now=now)
    db.commit()  # a lost race rolls the session back: the view has committed the first by then
    with pytest.raises(SlotUnavailable):
        services.book_slot(db, world.citizens[1].id, first.id, now=now)
    with pytest.raises(errors.AlreadyBooked):
        services.book_slot(db, world.citizens[0].id, second.id, now=now)
    assert _active(db) == 1


def test_a_found_slot_is_still_decided_by_the_database(db, now):
    # book_found_slot skips re-reading the slot, not the unique indexes.
    world = make_world(db, citizens=3, now=now)
    first, second = world.slots(db)[:2]
    one, two, three = world.citizens
    booked = services.book_found_slot(db, one.id, first.id, now=now, actor=ACTOR)
    assert booked.slot_id == first.id and booked.status == "booked"
    db.commit()
    with pytest.raises(SlotUnavailable):
        services.book_found_slot(db, two.id, first.id, now=now)
    with pytest.raises(errors.AlreadyBooked):
        services.book_found_slot(db, one.id, second.id, now=now)
    lifecycle.fitted(three)
    db.commit()
    with pytest.raises(errors.NotBookable):
        services.book_found_slot(db, three.id, second.id, now=now)
    assert _active(db) == 1
    record = db.scalars(select(AuditRecord).where(AuditRecord.action == "appointment_booked")).one()
    assert record.data["slot"] == first.id


def test_fitted_or_care_ended_citizens_cannot_book(db, now):
    world = make_world(db, citizens=2, now=now)
    lifecycle.fitted(world.citizens[0])
    lifecycle.care_ended(world.citizens[1])
    db.commit()
    for citizen in world.citizens:
        with pytest.raises(errors.NotBookable):
            services.book_slot(db, citizen.id, world.slots(db)[0].id, now=now)


def test_rebook_moves_the_one_booking(db, now):
    world = make_world(db, now=now)
    first, second = world.slots(db)[:2]
    booked = services.book_slot(db, world.citizens[0].id, first.id, now=now)
    moved = services.rebook(db, booked.id, second.id, now=now, actor=ACTOR)
    assert moved.id == booked.id and moved.slot_id == second.id
    assert _active(db) == 1
    assert moved.reference == booked.reference


def test_rebook_to_a_taken_slot_keeps_the_old_booking(db, now):
    world = make_world(db, citizens=2, now=now)
    first, second = world.slots(db)[:2]
    mine = services.book_slot(db, world.citizens[0].id, first.id, now=now)
    services.book_slot(db, world.citizens[1].id, second.id, now=now)
    db.commit()
    with pytest.raises(SlotUnavailable):
        services.rebook(db, mine.id, second.id, now=now, actor=ACTOR)
    db.expire_all()
    assert db.get(Appointment, mine.id).slot_id == first.id
    assert db.get(Appointment, mine.id).status == "booked"
    assert _active(db) == 2


def test_rebook_and_cancel_stop_at_the_cut_off(db, now):
    world = make_world(db, now=now)
    first, second = world.slots(db)[:2]
    booked = services.book_slot(db, world.citizens[0].id, second.id, now=now)
    late = second.starts_at - timedelta(hours=2)
    with pytest.raises(errors.TooLate):
        services.rebook(db, booked.id, first.id, now=late, actor=ACTOR)
    with pytest.raises(errors.TooLate):
        services.cancel(db, booked.id, now=late, actor=ACTOR)
    # The municipality has no cut-off.
    services.cancel(db, booked.id, now=late, actor=ACTOR, cutoff=None)
    assert db.get(Appointment, booked.id).status == "cancelled"


def test_cancel_frees_the_slot_and_restores_the_status(db, now):
    world = make_world(db, citizens=2, now=now)
    citizen = world.citizens[0]
    lifecycle.letter_sent(citizen)
    db.commit()
    slot = world.slots(db)[0]
    booked = services.book_slot(db, citizen.id, slot.id, now=now)
    services.cancel(db, booked.id, now=now, actor=ACTOR)
    assert citizen.status == "letter_sent"
    again = services.book_slot(db, world.citizens[1].id, slot.id, now=now)
    assert again.slot_id == slot.id
    with pytest.raises(errors.NoSuchAppointment):
        services.cancel(db, booked.id, now=now, actor=ACTOR)


def test_book_time_takes_any_locksmith_free_at_that_time(db, now):
    world = make_world(db, citizens=2, locksmiths=2, now=now)
    first_time = world.slots(db)[0].starts_at
    a = by_time.book_time(
        db,
        world.citizens[0].id,
        first_time,
        now=now,
        actor=ACTOR,
        details=None,
        cutoff=timedelta(hours=24),
    )
    b = by_time.book_time(
        db,
        world.citizens[1].id,
        first_time,
        now=now,
        actor=ACTOR,
        details=None,
        cutoff=timedelta(hours=24),
    )
    assert a.slot.starts_at == b.slot.starts_at and a.slot.locksmith_id != b.slot.locksmith_id
    db.commit()
    third = make_citizen(db, district=world.district)
    db.commit()
    with pytest.raises(SlotUnavailable):
        by_time.book_time(
            db, third.id, first_time, now=now, actor=ACTOR, details=None, cutoff=timedelta(hours=24)
        )


def test_book_time_and_rebook_time_keep_the_cut_off(db, now):
    # A time exactly at the cut-off may be booked; a microsecond inside it may not, although
    # its slots are free (the cut-off is checked before the look-up, not in its SQL).
    world = make_world(db, citizens=2, locksmiths=2, now=now)
    first_time, last_time = world.slots(db)[0].starts_at, world.slots(db)[-1].starts_at
    assert first_time < last_time
    kwargs = {"now": now, "actor": ACTOR, "details": None}
    at, inside = first_time - now, first_time - now + timedelta(microseconds=1)
    with pytest.raises(SlotUnavailable):
        by_time.book_time(db, world.citizens[0].id, first_time, cutoff=inside, **kwargs)
    assert by_time.free_slots_at(db, world.district.id, first_time, now + inside) == []
    assert len(by_time.free_slots_at(db, world.district.id, first_time, now + at)) == 2
    booked = by_time.book_time(db, world.citizens[0].id, first_time, cutoff=at, **kwargs)
    assert booked.slot.starts_at == first_time
    # Moving a later booking to the first time: refused inside the cut-off, allowed at it.
    later = by_time.book_time(db, world.citizens[1].id, last_time, cutoff=at, **kwargs)
    db.commit()
    with pytest.raises(SlotUnavailable):
        by_time.rebook_time(db, later.id, first_time, cutoff=inside, **kwargs)
    moved = by_time.rebook_time(db, later.id, first_time, cutoff=at, **kwargs)
    assert moved.slot.starts_at == first_time and moved.slot_id != booked.slot_id


def test_access_details_are_stored_and_trimmed(db, now):
    world = make_world(db, now=now)
    details = AccessDetails(
        opener="bogus",
        call_phone="+4520123456",
        door_code=" 1234 ",
        interpreter=True,
        interpreter_language="Arabisk",
        note="x" * 900,
    )
    booked = services.book_slot(
        db, world.citizens[0].id, world.slots(db)[0].id, now=now, details=details
    )
    assert booked.opener == "self" and booked.door_code == "1234"
    assert booked.interpreter_language == "Arabisk" and len(booked.note) == 500


def test_email_is_queued_without_national_id_or_notes(db, now, keyring):
    world = make_world(db, now=now)
    citizen = world.citizens[0]
    citizen.email = "borger@example.org"
    db.commit()
    details = AccessDetails(note="Har diabetes og en hund", call_phone="+4520123456")
    booked = services.book_slot(db, citizen.id, world.slots(db)[0].id, now=now, details=details)
    services.rebook(db, booked.id, world.slots(db)[1].id, now=now, actor=ACTOR)
    services.cancel(db, booked.id, now=now, actor=ACTOR)
    messages = db.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()
    assert [m.kind for m in messages] == ["booked", "changed", "cancelled"]
    from portal.citizens.register import national_id_of

    cpr = national_id_of(keyring, citizen)
    for message in messages:
        assert cpr not in message.body and cpr[:6] not in message.body
        assert "diabetes" not in message.body
        assert message.to_address == "borger@example.org"
    assert booked.reference in messages[0].body and booked.door_password in messages[0].body


def test_campaign_window_bounds_the_slots(db, now):
    district = make_district(db)
    world = make_world(db, now=now)
    other = make_campaign(db, district, starts_on=world.first_day, ends_on=world.first_day)
    db.commit()
    days = {s.local_date for s in world.slots(db)}
    assert min(days) >= world.campaign.starts_on and max(days) <= world.campaign.ends_on
    assert not db.scalars(select(Slot).where(Slot.campaign_id == other.id)).all()


def test_the_mail_consumer_is_woken_after_the_commit_and_never_after_a_rollback(
    db, now, monkeypatch
):
    woken = []
    monkeypatch.setattr("portal.notify.tasks.kick", lambda: woken.append("kick"))
    world = make_world(db, citizens=2, now=now)
    for citizen in world.citizens:
        citizen.email = "borger@example.org"
    db.commit()
    slots = world.slots(db)
    services.book_slot(db, world.citizens[0].id, slots[0].id, now=now)
    assert woken == []  # the service queued the e-mail but the booking is not durable yet
    db.commit()
    assert woken == ["kick"]
    services.book_slot(db, world.citizens[1].id, slots[1].id, now=now)
    db.rollback()  # the view failed after the service: no e-mail, no wake-up
    db.commit()
    assert woken == ["kick"]
