"""Relatives in the browser, with axe at 1280 and 390 px: the coordinator's request page names
who answered the question and when and gives the relative's phone as a link; the audit log
names the relative "(Pårørende)" on behalf of the citizen by name; a relative's home page shows
the open request instead of a link to a page that refuses."""

from datetime import timedelta

import pytest

from portal import clock
from portal.audit.services import Actor
from portal.changes import decisions, services
from portal.citizens.models import Relative
from tests.booking.browser_steps import sign_in_citizen, sign_in_staff
from tests.browser.conftest import assert_accessible, assert_on_phone, look
from tests.changes.support import COORDINATOR, fitted_citizen, make_town, on, policy
from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.browser

RELATIVE = {"name": "Lena Sörensen", "phone": "20 30 40 50", "relation": "child"}


def _asked_and_answered(live_app, db):
    """A move asked for by Mette, a relative; the coordinator's question; Mette's answer."""
    town = make_town(db)
    citizen = fitted_citizen(db, town, name="Åge Christensen")
    mette = Relative(citizen_id=citizen.id, name="Mette Christensen", phone="+4520304050")
    mette.relation = "child"
    db.add(mette)
    db.flush()
    actor = Actor("relative", mette.id, mette.name, on_behalf_of=f"citizen:{citizen.id}")
    req = services.submit(
        db,
        citizen,
        "switch",
        on("2026-12-19", provider_id=town.omsorg.id),
        source="relative",
        now=clock.now(),
        actor=actor,
        policy=policy(live_app),
    )
    decisions.ask(db, req, "Hvilken etage bor Åge på?", now=clock.now(), actor=COORDINATOR)
    answered = clock.now() + timedelta(minutes=3)
    decisions.answer(db, req, "Stuen, ingen trapper.", now=answered, actor=actor)
    db.commit()
    return citizen, req


def test_the_coordinator_reads_who_answered_and_can_call_the_relative(
    browser_page, live_server, live_app, live_db
):
    page = browser_page
    citizen, req = _asked_and_answered(live_app, live_db)
    coordinator = make_user(live_db, "coordinator")
    live_db.commit()
    sign_in_staff(page, live_server, coordinator, PASSWORD)
    page.goto(f"{live_server}/coordinator/changes/{req.id}")
    main = page.inner_text("main")
    assert "Stuen, ingen trapper." in main
    assert "Besvaret af Mette Christensen, pårørende, på vegne af Åge Christensen den " in main
    link = page.locator("main a[href='tel:+4520304050']")
    assert link.count() == 1 and link.inner_text() == "20 30 40 50"
    assert_accessible(page, "answered request at 1280 px")
    look(page, "coordinator_answered_da")
    assert_on_phone(page, "answered request")
    # The audit log names Mette as a relative, on behalf of Åge by name.
    page.goto(f"{live_server}/coordinator/audit?object_type=change_request")
    who = page.locator("td[data-actor^='relative:']").first.inner_text()
    assert "Mette Christensen (Pårørende)" in who and "på vegne af Åge Christensen" in who
    assert "Borger nr." not in page.inner_text("main")
    assert_accessible(page, "audit log at 1280 px")
    assert_on_phone(page, "audit log")


def test_a_relatives_home_shows_the_open_request_on_a_phone(
    browser_page, live_server, live_app, live_db
):
    page = browser_page
    citizen, req = _asked_and_answered(live_app, live_db)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server}/language/sv?next=/accessibility")
    sign_in_citizen(page, live_server, citizen, relative=RELATIVE)
    page.goto(f"{live_server}/citizen/")
    main = page.inner_text("main")
    assert "Byt utförare" not in main and req.reference in main
    assert page.locator(f"main a[href='/citizen/changes/r/{req.reference}']").count() == 1
    assert_on_phone(page, "relative's home with an open request")
    look(page, "relative_home_open_request_sv_390")
    page.set_viewport_size({"width": 1280, "height": 900})
    assert_accessible(page, "relative's home at 1280 px")
