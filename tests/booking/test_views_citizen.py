"""The citizen's booking pages over HTTP: the questions, taken times, change, cancel, cut-off."""

from datetime import timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from portal.booking import services
from portal.booking.models import Appointment
from portal.citizens import lifecycle
from tests.booking.support import DETAILS, make_world, options, walk_to_check
from tests.factories import NOW, make_citizen
from tests.helpers import sign_in_citizen


def _booked(db, citizen_id):
    db.expire_all()
    return db.scalar(
        select(Appointment).where(
            Appointment.citizen_id == citizen_id, Appointment.status == "booked"
        )
    )


def test_a_citizen_books_through_the_questions(db, client, clock):
    world = make_world(db, locksmiths=2)
    citizen = world.citizens[0]
    sign_in_citizen(client, citizen)
    start = client.get("/citizen/booking/").get_data(as_text=True)
    assert "/citizen/booking/day?start=new" in start
    walk_to_check(client)
    check = client.get("/citizen/booking/check").get_data(as_text=True)
    assert "4711" in check and "Arabisk" in check and "Hunden bider ikke" in check
    response = client.post("/citizen/booking/check")
    assert response.status_code == 303
    appointment = _booked(db, citizen.id)
    assert response.headers["Location"].endswith(f"/citizen/booking/{appointment.id}?done=booked")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert appointment.reference in page and appointment.door_password in page
    assert appointment.call_phone == "+4520123456" and appointment.interpreter
    home = client.get("/citizen/").get_data(as_text=True)
    assert "Booket" in home and appointment.locksmith_first_name in home


def test_questions_in_order_and_nothing_skipped(db, client, clock):
    world = make_world(db)
    sign_in_citizen(client, world.citizens[0])
    client.get("/citizen/booking/day?start=new")
    assert client.get("/citizen/booking/time").headers["Location"].endswith("/citizen/booking/day")
    assert client.get("/citizen/booking/details").status_code == 303
    assert client.get("/citizen/booking/check").status_code == 303
    assert client.post("/citizen/booking/check").status_code == 303
    assert _booked(db, world.citizens[0].id) is None


def test_that_time_was_just_taken_keeps_everything_typed(db, client, clock):
    world = make_world(db, citizens=2)
    me, rival = world.citizens
    sign_in_citizen(client, me)
    chosen = walk_to_check(client)
    slot = [s for s in world.slots(db) if s.starts_at.strftime("%Y%m%dT%H%M%SZ") == chosen["time"]]
    services.book_slot(db, rival.id, slot[0].id, now=NOW)
    response = client.post("/citizen/booking/check")
    assert response.headers["Location"].endswith("/citizen/booking/time")
    page = client.get("/citizen/booking/time").get_data(as_text=True)
    assert "Tiden blev netop taget" in page
    fresh = options(page, "time")
    assert chosen["time"] not in fresh and fresh
    client.post("/citizen/booking/time", data={"time": fresh[0]})
    check = client.get("/citizen/booking/check").get_data(as_text=True)
    assert "4711" in check and "Hunden bider ikke" in check  # details kept
    assert client.post("/citizen/booking/check").status_code == 303
    assert _booked(db, me.id).slot.starts_at.strftime("%Y%m%dT%H%M%SZ") == fresh[0]


def test_a_full_day_sends_the_citizen_back_to_the_days(db, client, clock):
    world = make_world(db, citizens=1)
    sign_in_citizen(client, world.citizens[0])
    page = client.get("/citizen/booking/day?start=new").get_data(as_text=True)
    day = options(page, "day")[0]
    client.post("/citizen/booking/day", data={"day": day})
    for slot in world.slots(db):
        if slot.local_date.isoformat() == day:
            slot.status = "withdrawn"
    db.commit()
    assert client.get("/citizen/booking/time").headers["Location"].endswith("/booking/day")
    page = client.get("/citizen/booking/day").get_data(as_text=True)
    assert "ikke flere ledige tider" in page and day not in options(page, "day")


def test_change_moves_the_booking_and_keeps_the_reference(db, client, clock):
    world = make_world(db)
    citizen = world.citizens[0]
    sign_in_citizen(client, citizen)
    walk_to_check(client)
    client.post("/citizen/booking/check")
    first = _booked(db, citizen.id)
    assert client.get("/citizen/booking/change").headers["Location"].endswith("/booking/day")
    details = client.get("/citizen/booking/details")  # not yet: time first
    assert details.status_code == 303
    walk_to_check(client, day_index=1, start=None, details=DETAILS | {"door_code": "9999"})
    response = client.post("/citizen/booking/check")
    assert "done=changed" in response.headers["Location"]
    moved = _booked(db, citizen.id)
    assert moved.id == first.id and moved.reference == first.reference
    assert moved.door_code == "9999"
    assert db.scalar(select(Appointment).where(Appointment.status != "booked")) is None


def test_cancel_asks_first_then_frees_the_time(db, client, clock):
    world = make_world(db)
    citizen = world.citizens[0]
    sign_in_citizen(client, citizen)
    walk_to_check(client)
    client.post("/citizen/booking/check")
    page = client.get("/citizen/booking/cancel").get_data(as_text=True)
    assert "Ja, aflys tiden" in page
    assert client.post("/citizen/booking/cancel").status_code == 303
    assert _booked(db, citizen.id) is None
    assert "Book en tid" in client.get("/citizen/booking/").get_data(as_text=True)


def test_after_the_cut_off_the_page_gives_the_phone_number(app, db, client, clock):
    world = make_world(db)
    citizen = world.citizens[0]
    slot = world.slots(db)[0]
    services.book_slot(db, citizen.id, slot.id, now=NOW, cutoff=timedelta(0))
    sign_in_citizen(client, citizen)
    app.config["BOOKING_CUTOFF_HOURS"] = 24 * 30
    try:
        page = client.get("/citizen/booking/").get_data(as_text=True)
        assert "+45 70 10 20 30" in page and "/citizen/booking/change" not in page
        assert client.get("/citizen/booking/change").headers["Location"].endswith("/booking/")
        assert client.post("/citizen/booking/cancel").status_code == 303
        assert _booked(db, citizen.id) is not None
    finally:
        del app.config["BOOKING_CUTOFF_HOURS"]


def test_calendar_file_and_printable_confirmation(db, client, clock):
    world = make_world(db)
    citizen = world.citizens[0]
    sign_in_citizen(client, citizen)
    walk_to_check(client)
    client.post("/citizen/booking/check")
    appointment = _booked(db, citizen.id)
    ics = client.get(f"/citizen/booking/{appointment.id}/calendar.ics")
    assert ics.mimetype == "text/calendar"
    body = ics.get_data(as_text=True)
    assert "BEGIN:VEVENT" in body and f"UID:{appointment.reference}@" in body
    local = appointment.starts_at.astimezone(ZoneInfo("Europe/Copenhagen"))
    assert local.strftime("DTSTART;TZID=Europe/Copenhagen:%Y%m%dT%H%M%S") in body
    printable = client.get(f"/citizen/booking/{appointment.id}/print").get_data(as_text=True)
    assert appointment.door_password in printable and citizen.name in printable


def test_a_relative_books_and_is_recorded_as_themself(db, client, clock):
    world = make_world(db)
    citizen = world.citizens[0]
    sign_in_citizen(
        client,
        citizen,
        relative={"name": "Karen Hansen", "phone": "20 30 40 50", "relation": "child"},
    )
    page = client.get("/citizen/booking/details")
    walk_to_check(client)
    assert page.status_code == 303
    client.post("/citizen/booking/check")
    appointment = _booked(db, citizen.id)
    assert "Karen Hansen" in appointment.booked_by


def test_citizens_without_a_campaign_are_told_there_are_no_times(db, client, clock):
    make_world(db)
    stranger = make_citizen(db)
    db.commit()
    sign_in_citizen(client, stranger)
    assert "ingen ledige tider" in client.get("/citizen/booking/").get_data(as_text=True)
    page = client.get("/citizen/booking/day?start=new").get_data(as_text=True)
    assert "Ingen ledige tider lige nu" in page


def test_pages_are_boosted_for_htmx_and_work_as_whole_pages(db, client, clock):
    world = make_world(db)
    sign_in_citizen(client, world.citizens[0])
    boosted = {"HX-Request": "true", "HX-Boosted": "true"}
    page = client.get("/citizen/booking/day?start=new", headers=boosted)
    assert "<html" in page.get_data(as_text=True) and "HX-Request" in page.headers["Vary"]
    assert 'hx-boost="true"' in page.get_data(as_text=True)


def _booked_while_another_tab_holds_the_answers(db, client):
    """Book through the questions, then hold the session of a tab still on the check page."""
    world = make_world(db, locksmiths=2)
    citizen = world.citizens[0]
    sign_in_citizen(client, citizen)
    walk_to_check(client)
    cookie = client.get_cookie("portal_session").value
    assert client.post("/citizen/booking/check").headers["Location"].endswith("?done=booked")
    client.set_cookie("portal_session", cookie)  # the other tab still holds the answers
    return citizen


def test_a_second_submit_from_another_tab_books_nothing_more(db, client, clock):
    # The check page's POST leaves the "already booked" decision to the booking transaction.
    citizen = _booked_while_another_tab_holds_the_answers(db, client)
    again = client.post("/citizen/booking/check")
    assert again.status_code == 303 and again.headers["Location"].endswith("/citizen/booking/")
    page = client.get("/citizen/booking/").get_data(as_text=True)
    assert "meantime" in page or "i mellemtiden" in page
    db.expire_all()
    rows = db.scalars(select(Appointment).where(Appointment.citizen_id == citizen.id)).all()
    assert [a.status for a in rows] == ["booked"]


def test_a_fitted_citizen_cannot_book_by_posting_the_check_page(db, client, clock):
    world = make_world(db)
    citizen = world.citizens[0]
    sign_in_citizen(client, citizen)
    walk_to_check(client)
    lifecycle.fitted(citizen)
    db.commit()
    response = client.post("/citizen/booking/check")
    assert response.headers["Location"].endswith("/citizen/booking/")
    assert _booked(db, citizen.id) is None


def test_a_booked_citizen_on_a_question_page_of_another_tab_is_sent_to_the_booking(
    db, client, clock
):
    # The question pages tell "may book" from the citizen's status alone: booked is not one.
    _booked_while_another_tab_holds_the_answers(db, client)
    for page in ("day", "time", "details", "check"):
        response = client.get(f"/citizen/booking/{page}")
        assert response.status_code == 303, page
        assert response.headers["Location"].endswith("/citizen/booking/"), page
