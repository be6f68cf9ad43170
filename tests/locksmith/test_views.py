"""The locksmith's pages: my day, complete with a key, fail with a reason."""

from sqlalchemy import select

from portal import clock
from portal.booking import services
from portal.booking.models import Appointment, Slot
from portal.locksmith.services import job_of_appointment
from tests.booking.support import make_world
from tests.helpers import sign_in_staff
from tests.locksmith.support import CHECKS, booked_job_today
from tests.locksmith.support import pem as _pem


def _today_job(db, world, citizen_index=0):
    """A booking happening now; returns its job (with .booking for the appointment)."""
    appointment, job = booked_job_today(db, world, citizen_index)
    job.booking = appointment
    return job


def test_my_day_lists_today_in_order_with_what_is_needed(db, client):
    world = make_world(db, citizens=2)
    job = _today_job(db, world)
    job.booking.door_code, job.booking.note = "1234", "Hund"
    password = job.booking.door_password
    db.commit()
    sign_in_staff(client, world.locksmiths[0])
    page = client.get("/locksmith/").get_data(as_text=True)
    citizen = world.citizens[0]
    for text in (citizen.name, citizen.address, password, "1234", "Hund", "20 12 34 56"):
        assert text in page
    assert f"/locksmith/jobs/{job.id}/complete" in page


def test_complete_a_job_and_the_citizen_is_fitted(db, client):
    world = make_world(db)
    job = _today_job(db, world)
    sign_in_staff(client, world.locksmiths[0])
    url = f"/locksmith/jobs/{job.id}/complete"
    missing = client.post(url, data={"serial": "SN-9", "public_key": _pem()})
    assert "Sæt flueben ved alle punkter" in missing.get_data(as_text=True)
    bad_key = client.post(url, data={"serial": "SN-9", "public_key": "abc", **CHECKS})
    body = bad_key.get_data(as_text=True)
    assert "ikke en gyldig offentlig P-256-nøgle" in body and 'value="SN-9"' in body
    done = client.post(url, data={"serial": "SN-9", "public_key": _pem(), **CHECKS})
    assert done.status_code == 303
    db.expire_all()
    assert db.get(Appointment, job.appointment_id).status == "completed"
    assert world.citizens[0].status == "fitted"
    assert client.get(url).status_code == 303  # already reported


def test_fail_a_job_with_a_reason(db, client):
    world = make_world(db)
    job = _today_job(db, world)
    sign_in_staff(client, world.locksmiths[0])
    url = f"/locksmith/jobs/{job.id}/fail"
    need_note = client.post(url, data={"reason": "other", "note": ""})
    assert "Skriv en kort bemærkning" in need_note.get_data(as_text=True)
    assert client.post(url, data={"reason": "not_home"}).status_code == 303
    db.expire_all()
    assert db.get(Appointment, job.appointment_id).status == "failed"
    assert world.citizens[0].status == "follow_up"


def test_a_future_job_cannot_be_completed_yet(db, client):
    world = make_world(db)
    slot = db.scalar(select(Slot).order_by(Slot.starts_at.desc()))
    booked = services.book_slot(db, world.citizens[0].id, slot.id, now=clock.now())
    db.commit()
    job = job_of_appointment(db, booked.id)
    sign_in_staff(client, world.locksmiths[0])
    response = client.post(f"/locksmith/jobs/{job.id}/fail", data={"reason": "not_home"})
    assert response.status_code == 303
    assert "senere dag" in client.get("/locksmith/").get_data(as_text=True)
    db.expire_all()
    assert db.get(Appointment, booked.id).status == "booked"
