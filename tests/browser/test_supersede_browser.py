"""A relative reports a death while a provider switch waits for its date (axe at 1280 and
390 px): the change page offers the report instead of sending the relative to the phone, the
check page says the switch is cancelled at once, the receipt says it has been, and the
coordinator's page of the report says so too. An approved end of care waiting is
replaced the same way: the relative is offered the death, and the coordinator reads that the
care goes on until the death is approved."""

import pytest

from portal import clock
from portal.changes import decisions, services
from portal.changes.models import ChangeRequest
from tests.booking.browser_steps import sign_in_citizen, sign_in_staff
from tests.browser.conftest import assert_accessible, assert_on_phone, look
from tests.changes.support import COORDINATOR, fitted_citizen, make_town, on, policy
from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.browser

RELATIVE = {"name": "Lena Sörensen", "phone": "20 30 40 50", "relation": "child"}


def _both(page, context):
    assert_accessible(page, f"{context} at 1280 px")
    assert_on_phone(page, context)


def test_a_relative_reports_a_death_while_a_switch_waits(
    browser_page, live_server, live_app, live_db
):
    page = browser_page
    town = make_town(live_db)
    citizen = fitted_citizen(live_db, town, name="Åge Christensen")
    p = policy(live_app)
    switch = services.submit(
        live_db,
        citizen,
        "switch",
        on("2026-12-19", provider_id=town.omsorg.id),
        source="citizen",
        now=clock.now(),
        actor=COORDINATOR,
        policy=p,
    )
    decisions.approve(
        live_db,
        switch,
        effective_on=switch.effective_on,
        now=clock.now(),
        actor=COORDINATOR,
        policy=p,
    )
    coordinator = make_user(live_db, "coordinator")
    live_db.commit()

    sign_in_citizen(page, live_server, citizen, relative=RELATIVE)
    assert "Meld, at Åge Christensen flytter, er død" in page.inner_text("main")
    _both(page, "relative's home with a switch waiting")
    look(page, "supersede_home_da_1280")
    page.goto(f"{live_server}/citizen/changes/")
    main = page.inner_text("main")
    assert "Er der sket noget, som ikke kan vente?" in main
    assert "at Åge Christensen er død: med det samme, når du sender det" in main
    _both(page, "changes start with a switch waiting")
    look(page, "supersede_start_da_1280")
    page.get_by_role("link", name="Åge Christensen er død, eller hjemmeplejen ophører").click()
    page.wait_for_url("**/citizen/changes/leave/reason*")
    assert "ønsker ikke længere" not in page.inner_text("main")  # no opt-out while it waits
    page.get_by_label("Åge Christensen er død").check()
    page.get_by_role("button", name="Fortsæt").click()
    page.wait_for_url("**/citizen/changes/leave/detail")
    page.get_by_role("button", name="Fortsæt").click()  # no contact person: refused
    page.locator(".error-summary").wait_for()
    _both(page, "estate question with its error")
    page.fill("#estate_contact", "Ole Christensen, 20 30 40 50")
    page.get_by_role("button", name="Fortsæt").click()
    page.wait_for_url("**/citizen/changes/leave/date")
    page.fill("#effective_on", "2026-11-24")
    page.get_by_role("button", name="Fortsæt").click()
    page.wait_for_url("**/citizen/changes/leave/check")
    main = page.inner_text("main")
    assert f"den godkendte ændring {switch.reference}" in main
    assert "annulleres den godkendte ændring" in main and "med det samme" in main
    _both(page, "check page of a death report")
    page.set_viewport_size({"width": 390, "height": 844})
    look(page, "supersede_check_da_390")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.get_by_role("button", name="Send anmodningen").click()
    page.wait_for_url("**/citizen/changes/r/*")
    main = page.inner_text("main")
    assert "Den godkendte ændring er annulleret" in main and switch.reference in main
    _both(page, "receipt of a death report")
    look(page, "supersede_receipt_da_1280")
    live_db.expire_all()
    assert live_db.get(ChangeRequest, switch.id).status == "cancelled"
    death = live_db.query(ChangeRequest).filter_by(kind="leave").one()

    page.goto(f"{live_server}/sign-out")
    page.context.clear_cookies()
    sign_in_staff(page, live_server, coordinator, PASSWORD)
    page.goto(f"{live_server}/coordinator/changes/{death.id}")
    assert "Den godkendte ændring er annulleret" in page.inner_text("main")
    _both(page, "coordinator's page of the death report")
    page.goto(f"{live_server}/coordinator/changes/{switch.id}")
    assert "Erstattet af en senere anmodning" in page.inner_text("main")
    _both(page, "coordinator's page of the superseded switch")
    look(page, "supersede_replaced_da_1280")


def test_the_coordinator_reads_what_approving_a_move_does_to_the_waiting_switch(
    browser_page, live_server, live_app, live_db
):
    page = browser_page
    town = make_town(live_db)
    citizen = fitted_citizen(live_db, town, name="Åge Christensen")
    p = policy(live_app)
    switch = services.submit(
        live_db,
        citizen,
        "switch",
        on("2026-12-19", provider_id=town.omsorg.id),
        source="citizen",
        now=clock.now(),
        actor=COORDINATOR,
        policy=p,
    )
    decisions.approve(
        live_db,
        switch,
        effective_on=switch.effective_on,
        now=clock.now(),
        actor=COORDINATOR,
        policy=p,
    )
    move = services.submit(
        live_db,
        citizen,
        "move",
        on("2026-12-10", inside=True, address="Nyvej 2", postcode="4100", city="Demoby"),
        source="citizen",
        now=clock.now(),
        actor=COORDINATOR,
        policy=p,
    )
    coordinator = make_user(live_db, "coordinator")
    live_db.commit()
    sign_in_staff(page, live_server, coordinator, PASSWORD)
    page.goto(f"{live_server}/coordinator/changes/{move.id}")
    main = page.inner_text("main")
    assert "En godkendt ændring venter" in main and "Hvis du godkender denne anmodning" in main
    _both(page, "coordinator's page of a move beside a waiting switch")
    look(page, "supersede_move_coordinator_da_1280")
    page.get_by_role("button", name="Godkend").click()
    page.wait_for_url(f"**/coordinator/changes/{move.id}")
    assert f"Anmodning {switch.reference} er annulleret" in page.inner_text("main")
    _both(page, "approved move that replaced the switch")
    live_db.expire_all()
    assert live_db.get(ChangeRequest, switch.id).status == "cancelled"


def test_a_relative_reports_a_death_while_an_approved_end_of_care_waits(
    browser_page, live_server, live_app, live_db
):
    page = browser_page
    town = make_town(live_db)
    citizen = fitted_citizen(live_db, town, name="Åge Christensen")
    p = policy(live_app)
    ending = services.submit(
        live_db,
        citizen,
        "leave",
        on("2026-12-05", reason="care_ended"),
        source="citizen",
        now=clock.now(),
        actor=COORDINATOR,
        policy=p,
    )
    decisions.approve(
        live_db,
        ending,
        effective_on=ending.effective_on,
        now=clock.now(),
        actor=COORDINATOR,
        policy=p,
    )
    coordinator = make_user(live_db, "coordinator")
    live_db.commit()

    # The relative is offered the death, not only the municipality's phone.
    sign_in_citizen(page, live_server, citizen, relative=RELATIVE)
    main = page.inner_text("main")
    assert "Hvis Åge Christensen er død, kan du melde det her" in main
    _both(page, "relative's home with an approved end of care waiting")
    page.get_by_role("link", name="Meld at Åge Christensen er død").click()
    page.wait_for_url("**/citizen/changes/")
    main = page.inner_text("main")
    assert "Er Åge Christensen død?" in main
    assert f"annulleres den godkendte ændring {ending.reference} med det samme" in main
    assert "hjemmeplejen ophører: når kommunen godkender det" not in main
    _both(page, "changes start with an approved end of care waiting")
    look(page, "approved_ending_start_da_1280")
    page.get_by_role("link", name="Meld at Åge Christensen er død").click()
    page.wait_for_url("**/citizen/changes/leave/reason*")
    page.get_by_label("Åge Christensen er død").check()
    page.get_by_role("button", name="Fortsæt").click()
    page.wait_for_url("**/citizen/changes/leave/detail")
    page.fill("#estate_contact", "Ole Christensen, 20 30 40 50")
    page.get_by_role("button", name="Fortsæt").click()
    page.wait_for_url("**/citizen/changes/leave/date")
    page.fill("#effective_on", "2026-12-15")  # later than the approved end of care
    page.get_by_role("button", name="Fortsæt").click()
    page.wait_for_url("**/citizen/changes/leave/check")
    assert f"annulleres den godkendte ændring {ending.reference}" in page.inner_text("main")
    stop = page.locator("[data-stop-date]").inner_text()
    assert "hjemmeplejen og nøglerne stopper fra 5. december 2026" in stop
    _both(page, "check page of a death after an approved end of care")
    page.set_viewport_size({"width": 390, "height": 844})
    look(page, "approved_ending_check_da_390")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.get_by_role("button", name="Send anmodningen").click()
    page.wait_for_url("**/citizen/changes/r/*")
    main = page.inner_text("main")
    assert "Den godkendte ændring er annulleret" in main and ending.reference in main
    assert "stopper hjemmeplejen og nøglerne fra 5. december 2026" in main
    _both(page, "receipt of a death that replaced an approved end of care")
    live_db.expire_all()
    assert live_db.get(ChangeRequest, ending.id).status == "cancelled"
    death = live_db.query(ChangeRequest).filter_by(reason="deceased").one()

    # The coordinator reads that nothing stops the care until the death is approved.
    page.goto(f"{live_server}/sign-out")
    page.context.clear_cookies()
    sign_in_staff(page, live_server, coordinator, PASSWORD)
    page.goto(f"{live_server}/coordinator/changes/{death.id}")
    main = page.inner_text("main")
    assert "Hjemmeplejen og nøglerne fortsætter, indtil du godkender" in main
    assert "ikke er senere end 5. december 2026" in main
    assert page.locator("#effective_on").input_value() == "2026-12-05"
    _both(page, "coordinator's page of a death that replaced an approved end of care")
    look(page, "approved_ending_coordinator_da_1280")
    page.get_by_role("button", name="Godkend").click()
    page.wait_for_url(f"**/coordinator/changes/{death.id}")
    assert "fortsætter, indtil du godkender" not in page.inner_text("main")
    _both(page, "approved death that replaced an approved end of care")
    live_db.expire_all()
    assert live_db.get(ChangeRequest, death.id).status == "approved"
