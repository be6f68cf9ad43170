"""The database goes away in the middle of a booking POST and comes back (SQLite and PostgreSQL).

The user gets a 503 page that lets them send the same answers again, nothing half-written is
left, and the next request works on the same app (the pool recovers without a restart).
"""

import re

from sqlalchemy import func, select

from portal.booking.models import Appointment
from portal.extensions import db as _db
from tests.booking.support import DETAILS, make_world, walk_to_check
from tests.faults.outage import inserts_into, outage
from tests.helpers import sign_in_citizen


def _counts(db):
    db.expire_all()
    appointments = db.scalar(select(func.count()).select_from(Appointment))
    slots = db.scalar(select(func.count(func.distinct(Appointment.slot_id))))
    return appointments, slots


def _try_again_form(html: str) -> tuple[str, dict]:
    action = re.search(r'<form method="post" action="([^"]+)" data-try-again>', html)
    form = html[action.start() : html.index("</form>", action.start())]
    fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', form))
    fields.pop("csrf_token", None)
    return action.group(1), fields


def test_connection_lost_while_booking_gives_503_then_the_same_answers_book(app, db, client):
    world = make_world(db)
    citizen = world.citizens[0]
    sign_in_citizen(client, citizen)
    walk_to_check(client)
    with outage(_db.engine, when=inserts_into("appointment")) as left:
        response = client.post("/citizen/booking/check", headers={"Accept-Language": "da"})
    assert left["n"] == 0, "the hook never fired: the booking did not reach its INSERT"
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "30"
    assert response.headers["X-Portal-Unavailable"] == "database"  # the page's script reads it
    page = response.get_data(as_text=True)
    assert "Portalen kan ikke nå sin database lige nu" in page
    assert "Prøv igen" in page and "Traceback" not in page
    assert _counts(db) == (0, 0)  # nothing half-written: no appointment, no slot taken
    action, _fields = _try_again_form(page)
    assert action == "/citizen/booking/check"
    # The answers are still there: the check page shows them, and "Try again" books.
    check = client.get("/citizen/booking/check").get_data(as_text=True)
    assert DETAILS["door_code"] in check and DETAILS["note"] in check
    again = client.post(action)
    assert again.status_code == 303, again.get_data(as_text=True)[:500]
    assert _counts(db) == (1, 1)
    assert client.get(again.headers["Location"]).status_code == 200


def test_a_dead_database_on_a_form_post_sends_the_plain_page_with_the_answers(app, db, client):
    world = make_world(db)
    sign_in_citizen(client, world.citizens[0])
    walk_to_check(client, details=DETAILS)
    hostile = dict(DETAILS, note='"><script>alert(1)</script>')
    with outage(_db.engine, times=50):  # every statement fails: even the page's own look-ups
        response = client.post(
            "/citizen/booking/details",
            data=dict(hostile, password="never-echoed"),
            headers={"Accept-Language": "sv"},
        )
    assert response.status_code == 503
    page = response.get_data(as_text=True)
    assert "Portalen når inte sin databas just nu" in page
    assert "<script>alert(1)</script>" not in page and "never-echoed" not in page
    action, fields = _try_again_form(page)
    assert action == "/citizen/booking/details"
    assert fields["door_code"] == "4711" and fields["interpreter_language"] == "Arabisk"
    assert "password" not in fields
    with outage(_db.engine, times=50):
        page = client.get("/citizen/booking/day?start=new").get_data(as_text=True)
    assert 'href="/citizen/booking/day?start=new" data-try-again' in page  # a GET: a link
    # Back again: the same request works on the same app, no restart.
    assert client.post(action, data=DETAILS).status_code == 303
    assert client.get("/citizen/booking/check").status_code == 200


def test_the_api_answers_problem_json_with_retry_after(app, db, client):
    with outage(_db.engine, times=50):
        response = client.get("/api/v1/bulletin")
    assert response.status_code == 503
    assert response.mimetype == "application/problem+json"
    assert response.headers["Retry-After"] == "30"
    assert client.get("/healthz").status_code == 200


def test_a_bad_statement_on_sqlite_is_a_bug_not_an_outage():
    import sqlite3

    from sqlalchemy.exc import OperationalError

    from portal.web.unavailable import database_gone

    def error(message):
        return OperationalError("SELECT 1", {}, sqlite3.OperationalError(message))

    assert database_gone(error("unable to open database file"))
    assert database_gone(error("database is locked"))
    assert not database_gone(error("no such table: no_such_table"))
    assert not database_gone(ValueError("database is locked"))
