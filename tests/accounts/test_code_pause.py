"""A coordinator lifts a pause on a citizen's letter code: each pause in a row doubles (up to
8 hours), so a relative who mistyped the date of birth would otherwise wait for hours. Only a
coordinator sees it and may lift it; lifting forgets the wrong dates too and is audited."""

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from portal.accounts import citizen_auth
from portal.audit.models import AuditRecord
from portal.audit.services import SYSTEM
from tests.factories import NOW, make_citizen, make_user
from tests.helpers import sign_in_citizen, sign_in_staff
from tests.web.support import english_client

WRONG = {"day": 1, "month": 1, "year": 1950}


@pytest.fixture
def paused(db, clock, client):
    """A citizen whose code is paused after ten wrong dates of birth (two pauses in a row)."""
    citizen = make_citizen(db, date_of_birth=date(1941, 3, 24))
    db.commit()
    for _ in range(5):
        client.post("/sign-in/citizen", data={"code": citizen.code, **WRONG})
    clock.advance(timedelta(minutes=16))
    for _ in range(5):
        client.post("/sign-in/citizen", data={"code": citizen.code, **WRONG})
    db.expire_all()
    assert citizen.code_locked_until == clock() + timedelta(minutes=30)  # doubled
    return citizen


def _lifts(db):
    return db.scalars(
        select(AuditRecord).where(AuditRecord.action == "citizen.code_pause_lifted")
    ).all()


def test_the_service_lifts_a_running_pause_only(db, clock, paused):
    assert citizen_auth.lift_code_pause(db, paused, now=clock(), actor=SYSTEM)
    db.commit()
    db.expire_all()
    assert paused.code_locked_until is None and paused.code_failures == 0
    assert [r.object_id for r in _lifts(db)] == [str(paused.id)]
    # Nothing running: nothing written, nothing audited.
    assert not citizen_auth.lift_code_pause(db, paused, now=clock(), actor=SYSTEM)
    other = make_citizen(db)
    other.code_locked_until = NOW - timedelta(minutes=1)  # a pause that has ended
    assert not citizen_auth.lift_code_pause(db, other, now=clock(), actor=SYSTEM)
    assert len(_lifts(db)) == 1


def test_a_coordinator_sees_the_pause_and_lifts_it(app, db, clock, paused):
    coordinator = make_user(db, "coordinator")
    db.commit()
    staff = english_client(app)
    sign_in_staff(staff, coordinator)
    page = staff.get(f"/coordinator/citizens/{paused.id}").get_data(as_text=True)
    assert "Sign-in with the letter code is paused until 23 November 2026, " in page  # long date
    assert "after 10 wrong dates of birth" in page
    lifted = staff.post(f"/coordinator/citizens/{paused.id}/code-pause")
    assert lifted.status_code == 303
    after = staff.get(lifted.location).get_data(as_text=True)
    assert f"{paused.name} can sign in with the letter code again." in after
    assert "is paused until" not in after
    # The citizen signs in at once, and a new wrong date starts the count again.
    sign_in_citizen(english_client(app, "192.0.2.44"), paused)  # another client: its own limit
    assert len(_lifts(db)) == 1


def test_nothing_is_shown_while_no_pause_runs(app, db, clock):
    citizen = make_citizen(db)
    coordinator = make_user(db, "coordinator")
    db.commit()
    staff = english_client(app)
    sign_in_staff(staff, coordinator)
    assert "code-pause" not in staff.get(f"/coordinator/citizens/{citizen.id}").text
    assert staff.post(f"/coordinator/citizens/{citizen.id}/code-pause").status_code == 303
    assert _lifts(db) == []


@pytest.mark.parametrize("role", ["locksmith", "provider_admin"])
def test_only_a_coordinator_may_lift_it(app, db, clock, paused, role):
    user = make_user(db, role)
    db.commit()
    staff = english_client(app)
    sign_in_staff(staff, user)
    page = staff.get(f"/coordinator/citizens/{paused.id}")
    assert "code-pause" not in page.text
    assert staff.post(f"/coordinator/citizens/{paused.id}/code-pause").status_code in (403, 404)
    db.expire_all()
    assert paused.code_locked_until is not None and _lifts(db) == []


def test_a_citizen_or_nobody_may_not_lift_it(app, db, clock, paused):
    anonymous = app.test_client()
    answer = anonymous.post(f"/coordinator/citizens/{paused.id}/code-pause")
    assert answer.status_code in (302, 303) and "/sign-in" in answer.location
    db.expire_all()
    assert paused.code_locked_until is not None and _lifts(db) == []


@pytest.mark.parametrize("bad", ["0", "99999999", "x", "-1"])
def test_unknown_citizens_are_not_found(app, db, clock, bad):
    coordinator = make_user(db, "coordinator")
    db.commit()
    staff = english_client(app)
    sign_in_staff(staff, coordinator)
    assert staff.post(f"/coordinator/citizens/{bad}/code-pause").status_code == 404


@pytest.mark.parametrize(
    ("lang", "heading", "sentence"),
    [
        ("da", "Login med brevkoden<", "Login med brevkoden er sat på pause indtil"),
        ("sv", "Inloggning med brevkoden<", "Inloggning med brevkoden är pausad till"),
    ],
)
def test_the_pause_reads_as_a_state_not_an_order(app, db, clock, paused, lang, heading, sentence):
    """Danish "Log ind med brevkoden" (sign in with the letter code) read as an instruction
    above a warning the coordinator reads about the citizen."""
    coordinator = make_user(db, "coordinator")
    db.commit()
    staff = english_client(app)
    staff.environ_base["HTTP_ACCEPT_LANGUAGE"] = lang
    sign_in_staff(staff, coordinator)
    page = staff.get(f"/coordinator/citizens/{paused.id}").get_data(as_text=True)
    assert heading in page and sentence in page
    assert "Log ind med brevkoden" not in page
