"""A booked fitting and a change of home: leaving keyless care cancels a future fitting (and
says so on the request's page); a move inside leaves it, with a warning for the coordinator."""

from datetime import date, timedelta

from sqlalchemy import select

from portal.audit.models import AuditRecord
from portal.booking import services as booking
from portal.booking.models import Appointment
from portal.changes import bookings, decisions, services
from portal.citizens.lifecycle import CitizenStatus
from portal.directory.queries import provider_on
from tests.booking.support import make_world
from tests.changes.support import CITIZEN, COORDINATOR, NOW, on, policy
from tests.factories import make_care_group, make_user
from tests.helpers import sign_in_staff


def _booked(db):
    world = make_world(db, now=NOW)
    citizen = world.citizens[0]
    slot = world.slots(db)[0]
    appointment = booking.book_slot(db, citizen.id, slot.id, now=NOW, cutoff=timedelta(0))
    db.flush()
    assert citizen.status == CitizenStatus.BOOKED
    return world, citizen, appointment


def _register(db, app, citizen, kind, details):
    return decisions.register(
        db,
        citizen,
        kind,
        details,
        source="care_system",
        now=NOW,
        actor=COORDINATOR,
        policy=policy(app),
    )


def test_care_ending_cancels_a_future_fitting_and_the_request_page_says_so(db, app, client, clock):
    _world, citizen, appointment = _booked(db)
    req = _register(db, app, citizen, "leave", on("2026-12-20", reason="care_ended"))
    assert appointment.status == "cancelled" and appointment.cancelled_at == NOW
    assert citizen.status != CitizenStatus.BOOKED
    actions = set(
        db.scalars(
            select(AuditRecord.action).where(
                AuditRecord.object_type == "change_request", AuditRecord.object_id == str(req.id)
            )
        )
    )
    assert "change.fitting_cancelled" in actions
    notes = bookings.notes(db, req, now=NOW)
    assert [category for category, _text in notes] == ["info"] and "2026" in notes[0][1]
    coordinator = make_user(db, "coordinator")
    db.commit()
    sign_in_staff(client, coordinator)
    page = client.get(f"/coordinator/changes/{req.id}").get_data(as_text=True)
    assert "has been cancelled, because the citizen leaves keyless care" in page


def test_an_opt_out_cancels_the_fitting_too_but_a_past_one_is_left_alone(db, app):
    _world, citizen, appointment = _booked(db)
    later = NOW + timedelta(days=30)  # the fitting's time has passed
    assert bookings.cancel_future_fitting(db, _fake(citizen), now=later, actor=CITIZEN) is None
    assert appointment.status == "booked"
    _register(
        db, app, citizen, "leave", on("2026-12-20", reason="opted_out", alternative="key_box")
    )
    assert appointment.status == "cancelled"


def _fake(citizen):
    class Req:
        citizen_id = citizen.id
        id = 0
        reference = "X"

    return Req()


def test_a_move_inside_keeps_the_fitting_and_warns_the_coordinator(db, app, client, clock):
    world, citizen, appointment = _booked(db)
    provider = provider_on(db, citizen.id, date(2026, 11, 23))
    make_care_group(db, provider, [world.district])
    db.flush()
    details = on("2026-12-20", inside=True, address="Nyvej 3", postcode=citizen.postcode, city="By")
    req = services.submit(
        db, citizen, "move", details, source="citizen", now=NOW, actor=CITIZEN, policy=policy(app)
    )
    decisions.approve(
        db, req, effective_on=date(2026, 12, 20), now=NOW, actor=COORDINATOR, policy=policy(app)
    )
    assert appointment.status == "booked"
    notes = bookings.notes(db, req, now=NOW)
    assert [category for category, _text in notes] == ["warning"] and "2026" in notes[0][1]
    assert db.scalar(select(Appointment.status)) == "booked"
    coordinator = make_user(db, "coordinator")
    db.commit()
    sign_in_staff(client, coordinator)
    page = client.get(f"/coordinator/changes/{req.id}").get_data(as_text=True)
    assert "is booked for" in page and "at the old address" in page
