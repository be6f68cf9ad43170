"""The coordinator's job pages and the locksmith's forms per kind, through the test client:
bad input comes back next to its field with nothing lost, and only the assigned locksmith acts."""

import pytest
from sqlalchemy import func, select

from portal import clock
from portal.locksmith.models import Job
from tests.access.support import citizen_in, make_lock
from tests.access.support import make_world as access_world
from tests.booking.support import TZ
from tests.factories import make_user
from tests.helpers import sign_in_staff
from tests.locksmith.support import hand_job
from tests.web.support import english_client


@pytest.fixture
def place(db):
    w = access_world(db)
    citizen = citizen_in(db, w, external_id="EXT-77", address="Låsevej 7")
    unit, _key = make_lock(db, citizen=citizen)
    smith = make_user(db, "locksmith")
    db.commit()
    return unit, smith


@pytest.fixture
def coordinator(app, db):
    client = english_client(app)
    user = make_user(db, "coordinator")
    db.commit()
    sign_in_staff(client, user)
    return client


def _today():
    return clock.now().astimezone(TZ).date()


def _jobs(db):
    return db.scalar(select(func.count()).select_from(Job))


def test_a_coordinator_makes_a_repair_and_the_locksmith_sees_it(app, db, coordinator, place):
    unit, smith = place
    form = {
        "kind": "repair",
        "lock": str(unit.lock_id),
        "instructions": "Beslaget sidder løst",
        "locksmith": str(smith.id),
        "day": _today().isoformat(),
    }
    response = coordinator.post("/coordinator/jobs/new", data=form)
    assert response.status_code == 303
    job = db.scalar(select(Job))
    assert response.headers["Location"].endswith(f"/coordinator/jobs/{job.id}")
    assert (job.kind, job.status, job.lock_unit_id) == ("repair", "planned", unit.id)
    assert job.address.startswith("Låsevej 7") and job.source.startswith("user:")
    mine = english_client(app)
    sign_in_staff(mine, smith)
    page = mine.get("/locksmith/").get_data(as_text=True)
    assert "Beslaget sidder løst" in page and "Låsevej 7" in page
    assert f"/locksmith/jobs/{job.id}/complete" in page


LONG = "x" * 2001


@pytest.mark.parametrize(
    "changes, field, message",
    [
        ({"kind": ""}, "kind", "Choose what the job is"),
        ({"kind": "fitting"}, "kind", "Choose one of the options"),
        ({"kind": "<script>alert(1)</script>"}, "kind", "Choose one of the options"),
        ({"instructions": ""}, "instructions", "Describe the job"),
        ({"instructions": LONG}, "instructions", "at most 2000"),
        ({"lock": "12ab"}, "lock", "digits only"),
        ({"lock": "", "citizen": "x" * 65}, "citizen", "at most 64"),
        ({"lock": ""}, "lock", "Give one place"),
        ({"citizen": "EXT-77"}, "lock", "Give one place"),
        ({"lock": "4242424242"}, "lock", "No lock has this number"),
        ({"lock": "", "citizen": "<b>nobody</b>"}, "citizen", "No citizen has this external"),
        ({"day": "not-a-date"}, "day", "Enter or choose a valid date"),
        ({"day": ""}, "day", "both a locksmith and a day"),
        ({"locksmith": "999999"}, "locksmith", "Choose one of the options"),
    ],
)
def test_bad_input_on_a_new_job_comes_back_with_the_message(
    db, coordinator, place, changes, field, message
):
    unit, smith = place
    form = {
        "kind": "repair",
        "lock": str(unit.lock_id),
        "instructions": "Tjek <b>døren</b>",
        "locksmith": str(smith.id),
        "day": _today().isoformat(),
    }
    form.update(changes)
    response = coordinator.post("/coordinator/jobs/new", data=form)
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and message in body, body[:3000]
    assert f'href="#{field}' in body  # the error summary leads to the field
    assert "<b>nobody</b>" not in body and "<script>alert" not in body
    if form["instructions"] != LONG and form["instructions"]:
        assert "Tjek &lt;b&gt;døren&lt;/b&gt;" in body  # kept, escaped
    assert _jobs(db) == 0


def test_assign_and_cancel(app, db, coordinator, place):
    unit, smith = place
    job = hand_job(db, "battery", lock_unit_id=unit.id)
    url = f"/coordinator/jobs/{job.id}"
    assert "Not assigned" in coordinator.get(url).get_data(as_text=True)
    for bad, message in (
        ({"locksmith": "", "day": "2027-01-04"}, "Choose a locksmith"),
        ({"locksmith": str(smith.id), "day": "04-01-2027x"}, "Enter or choose a valid date"),
        ({"locksmith": "abc", "day": "2027-01-04"}, "Choose one of the options"),
    ):
        body = coordinator.post(url + "/assign", data=bad).get_data(as_text=True)
        assert message in body, message
    db.expire_all()
    assert db.get(Job, job.id).status == "open"
    data = {"locksmith": str(smith.id), "day": _today().isoformat()}
    assert coordinator.post(url + "/assign", data=data).status_code == 303
    db.expire_all()
    assert (db.get(Job, job.id).status, db.get(Job, job.id).locksmith_id) == ("planned", smith.id)
    assert coordinator.post(url + "/cancel", data={"note": "Dobbelt"}).status_code == 303
    db.expire_all()
    assert (db.get(Job, job.id).status, db.get(Job, job.id).note) == ("cancelled", "Dobbelt")
    page = coordinator.get(url).get_data(as_text=True)
    assert "Cancelled" in page and "/assign" not in page
    assert coordinator.post(url + "/assign", data=data).status_code == 303  # closed: told so
    db.expire_all()
    assert db.get(Job, job.id).status == "cancelled"


def test_the_list_filters_and_htmx_gets_only_the_results(db, coordinator, place):
    unit, smith = place
    hand_job(db, "battery", lock_unit_id=unit.id)
    hand_job(db, "repair", lock_unit_id=unit.id, smith=smith, day=_today())
    every = coordinator.get("/coordinator/jobs").get_data(as_text=True)
    assert "Battery change" in every and "Repair" in every and "2 jobs found" in every
    battery = coordinator.get("/coordinator/jobs?kind=battery").get_data(as_text=True)
    assert "1 job found" in battery and "Battery change" in battery
    mine = coordinator.get(f"/coordinator/jobs?locksmith={smith.id}&status=planned")
    assert "1 job found" in mine.get_data(as_text=True)
    day = coordinator.get(f"/coordinator/jobs?day={_today().isoformat()}&status=todo")
    assert "1 job found" in day.get_data(as_text=True)
    fragment = coordinator.get("/coordinator/jobs?kind=repair", headers={"HX-Request": "true"})
    text = fragment.get_data(as_text=True)
    assert "HX-Request" in fragment.headers["Vary"] and "<html" not in text
    assert "1 job found" in text
    hostile = coordinator.get("/coordinator/jobs?kind=%3Cscript%3E&day=31-02&page=-3")
    assert hostile.status_code == 200 and "<script>" not in hostile.get_data(as_text=True)


@pytest.fixture
def smith_client(app, db, place):
    client = english_client(app)
    sign_in_staff(client, place[1])
    return client


def test_a_battery_job_is_completed_with_a_level(db, smith_client, place):
    unit, smith = place
    job = hand_job(db, "battery", lock_unit_id=unit.id, smith=smith, day=_today())
    url = f"/locksmith/jobs/{job.id}/complete"
    page = smith_client.get(url).get_data(as_text=True)
    assert 'name="level"' in page and 'name="serial"' not in page
    for level, message in (("", "whole number"), ("abc", "whole number"), ("101", "0 to 100")):
        body = smith_client.post(url, data={"level": level}).get_data(as_text=True)
        assert message in body, level
    assert smith_client.post(url, data={"level": "96", "note": "Nye AA"}).status_code == 303
    db.expire_all()
    done = db.get(Job, job.id)
    assert (done.status, done.battery_level, done.note) == ("done", 96, "Nye AA")
    assert "completed" in smith_client.get("/locksmith/").get_data(as_text=True)


def test_a_repair_is_done_with_a_note_or_failed_with_a_reason(db, smith_client, place):
    unit, smith = place
    done = hand_job(db, "repair", lock_unit_id=unit.id, smith=smith, day=_today())
    failed = hand_job(db, "removal", lock_unit_id=unit.id, smith=smith, day=_today())
    url = f"/locksmith/jobs/{done.id}/complete"
    too_long = smith_client.post(url, data={"note": "y" * 501}).get_data(as_text=True)
    assert "at most 500" in too_long
    assert smith_client.post(url, data={"note": "Skruet fast\x00"}).status_code == 303
    fail_url = f"/locksmith/jobs/{failed.id}/fail"
    page = smith_client.get(fail_url).get_data(as_text=True)
    assert "Why could the job not be done?" in page
    assert "Choose one of the options" in smith_client.post(
        fail_url, data={"reason": "x"}
    ).get_data(as_text=True)
    assert smith_client.post(fail_url, data={"reason": "not_home"}).status_code == 303
    db.expire_all()
    assert db.get(Job, done.id).note == "Skruet fast"
    assert db.get(Job, failed.id).status == "failed"


def test_another_locksmiths_job_is_not_found_and_stays_open(app, db, smith_client, place):
    unit, _smith = place
    other = make_user(db, "locksmith")
    theirs = hand_job(db, "repair", lock_unit_id=unit.id, smith=other, day=_today())
    unassigned = hand_job(db, "repair", lock_unit_id=unit.id)
    for job in (theirs, unassigned):
        assert smith_client.get(f"/locksmith/jobs/{job.id}/complete").status_code == 404
        response = smith_client.post(f"/locksmith/jobs/{job.id}/complete", data={"note": "x"})
        assert response.status_code == 404
    db.expire_all()
    assert {db.get(Job, j.id).status for j in (theirs, unassigned)} == {"planned", "open"}
