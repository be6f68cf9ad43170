"""A relative reports a death while a move report waits undecided beside an approved switch
(axe at 1280 and 390 px): the change page offers the report, the check page names both
requests cancelled at once, the receipt says both were, and the coordinator's refusal form of
the death says they do not come back; the cancelled requests are tagged Annulleret. A move
away waiting the same way is replaced too, and the death stops the care on its earlier date."""

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


def _submit(db, citizen, kind, details, p):
    return services.submit(
        db, citizen, kind, details, source="citizen", now=clock.now(), actor=COORDINATOR, policy=p
    )


def test_a_death_beside_a_move_report_and_a_waiting_switch(
    browser_page, live_server, live_app, live_db
):
    page = browser_page
    town = make_town(live_db)
    citizen = fitted_citizen(live_db, town, name="Åge Christensen")
    p = policy(live_app)
    switch = _submit(live_db, citizen, "switch", on("2026-12-19", provider_id=town.omsorg.id), p)
    decisions.approve(
        live_db,
        switch,
        effective_on=switch.effective_on,
        now=clock.now(),
        actor=COORDINATOR,
        policy=p,
    )
    move = _submit(
        live_db,
        citizen,
        "move",
        on("2026-12-10", inside=True, address="Nyvej 2", postcode="4100", city="Demoby"),
        p,
    )
    coordinator = make_user(live_db, "coordinator")
    live_db.commit()

    sign_in_citizen(page, live_server, citizen, relative=RELATIVE)
    assert "Meld at Åge Christensen er død" in page.inner_text("main")
    # The refusal on the home card leaves the death out (review finding 4).
    assert "medmindre du melder et dødsfald" in page.inner_text("main")
    page.goto(f"{live_server}/citizen/changes/")
    main = page.inner_text("main")
    assert "Er Åge Christensen død?" in main and move.reference in main
    assert f"Den godkendte ændring {switch.reference} annulleres også" in main
    _both(page, "changes start with an undecided move report")
    look(page, "undecided_start_da_1280")
    page.get_by_role("link", name="Meld at Åge Christensen er død").click()
    page.wait_for_url("**/citizen/changes/leave/reason*")
    page.get_by_label("Åge Christensen er død").check()
    page.get_by_role("button", name="Fortsæt").click()
    page.wait_for_url("**/citizen/changes/leave/detail")
    page.fill("#estate_contact", "   ")  # only spaces: refused here, the text kept
    page.get_by_role("button", name="Fortsæt").click()
    page.locator(".error-summary").wait_for()
    assert page.input_value("#estate_contact") == "   "
    _both(page, "estate question refusing only spaces")
    page.fill("#estate_contact", "Ole Christensen, 20 30 40 50")
    page.get_by_role("button", name="Fortsæt").click()
    page.wait_for_url("**/citizen/changes/leave/date")
    page.fill("#effective_on", "2026-11-24")
    page.get_by_role("button", name="Fortsæt").click()
    page.wait_for_url("**/citizen/changes/leave/check")
    main = page.inner_text("main")
    assert f"annulleres anmodning {move.reference}" in main and "som ikke er afgjort endnu" in main
    assert f"den godkendte ændring {switch.reference}" in main
    _both(page, "check page of a death beside a move report")
    page.set_viewport_size({"width": 390, "height": 844})
    look(page, "undecided_check_da_390")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.get_by_role("button", name="Send anmodningen").click()
    page.wait_for_url("**/citizen/changes/r/*")
    main = page.inner_text("main")
    assert "En anmodning er annulleret" in main and "Den godkendte ændring er annulleret" in main
    _both(page, "receipt of a death that cancelled two requests")
    look(page, "undecided_receipt_da_1280")
    page.goto(f"{live_server}/citizen/changes/")
    assert page.get_by_text("Annulleret").count() >= 2
    live_db.expire_all()
    assert live_db.get(ChangeRequest, move.id).status == "cancelled"
    assert live_db.get(ChangeRequest, switch.id).status == "cancelled"
    death = live_db.query(ChangeRequest).filter_by(kind="leave").one()

    page.goto(f"{live_server}/sign-out")
    page.context.clear_cookies()
    sign_in_staff(page, live_server, coordinator, PASSWORD)
    page.goto(f"{live_server}/coordinator/changes/{death.id}")
    heading = page.locator("h2", has_text="Afslå")
    refusal = " ".join(  # the two notes between the heading and the refusal form
        heading.locator(f"xpath=following-sibling::*[{n}]").inner_text() for n in (1, 2)
    )
    for gone in (move, switch):
        assert f"Anmodning {gone.reference} blev annulleret" in refusal
    _both(page, "coordinator's page of the death with its refusal form")
    look(page, "undecided_coordinator_da_1280")
    page.set_viewport_size({"width": 390, "height": 844})
    look(page, "undecided_coordinator_da_390")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_server}/coordinator/changes?status=all")
    assert page.locator("tr", has_text=switch.reference).get_by_text("Annulleret").count() == 1
    _both(page, "queue with cancelled requests")
    look(page, "undecided_queue_da_1280")


def test_a_death_beside_a_move_away_and_a_waiting_switch_stops_on_the_earlier_date(
    browser_page, live_server, live_app, live_db
):
    page = browser_page
    town = make_town(live_db)
    citizen = fitted_citizen(live_db, town, name="Åse Kjærgaard")
    p = policy(live_app)
    switch = _submit(live_db, citizen, "switch", on("2026-12-19", provider_id=town.omsorg.id), p)
    decisions.approve(
        live_db,
        switch,
        effective_on=switch.effective_on,
        now=clock.now(),
        actor=COORDINATOR,
        policy=p,
    )
    away = _submit(
        live_db,
        citizen,
        "move",
        on("2026-11-28", inside=False, address="Fjernvej 1", postcode="9999", city="Fjern"),
        p,
    )
    assert away.supersedes_id == switch.id
    coordinator = make_user(live_db, "coordinator")
    live_db.commit()

    sign_in_citizen(page, live_server, citizen, relative=RELATIVE)
    page.goto(f"{live_server}/citizen/changes/")
    main = page.inner_text("main")
    assert "Er Åse Kjærgaard død?" in main
    assert f"Anmodning {away.reference} afslutter plejen fra 28. november 2026" in main
    _both(page, "changes start with an undecided move away")
    page.get_by_role("link", name="Meld at Åse Kjærgaard er død").click()
    page.wait_for_url("**/citizen/changes/leave/reason*")
    page.get_by_label("Åse Kjærgaard er død").check()
    page.get_by_role("button", name="Fortsæt").click()
    page.wait_for_url("**/citizen/changes/leave/detail")
    page.fill("#estate_contact", "Ole Kjærgaard, 20 30 40 50")
    page.get_by_role("button", name="Fortsæt").click()
    page.wait_for_url("**/citizen/changes/leave/date")
    page.fill("#effective_on", "2026-12-15")  # later than the move away
    page.get_by_role("button", name="Fortsæt").click()
    page.wait_for_url("**/citizen/changes/leave/check")
    stop = page.locator("[data-stop-date]").inner_text()
    assert f"Anmodning {away.reference} siger allerede" in stop
    assert "hjemmeplejen og nøglerne stopper fra 28. november 2026" in stop
    assert f"den godkendte ændring {switch.reference}" in page.inner_text("main")
    _both(page, "check page of a death after an earlier move away")
    look(page, "undecided_away_check_da_1280")
    page.get_by_role("button", name="Send anmodningen").click()
    page.wait_for_url("**/citizen/changes/r/*")
    main = page.inner_text("main")
    assert "En anmodning er annulleret" in main and "Den godkendte ændring er annulleret" in main
    assert "stopper hjemmeplejen og nøglerne fra 28. november 2026" in main
    # The rows name the citizen and say what the date question asked (review finding 9).
    assert "Åse Kjærgaard er død" in main and "Hjemmeplejen og nøglerne stopper fra" in main
    _both(page, "receipt of a death that replaced a move away")
    live_db.expire_all()
    assert live_db.get(ChangeRequest, away.id).status == "cancelled"
    assert live_db.get(ChangeRequest, switch.id).status == "cancelled"
    death = live_db.query(ChangeRequest).filter_by(kind="leave").one()

    page.goto(f"{live_server}/sign-out")
    page.context.clear_cookies()
    sign_in_staff(page, live_server, coordinator, PASSWORD)
    page.goto(f"{live_server}/coordinator/changes/{death.id}")
    assert "28. november 2026" in page.locator("[data-stop-date]").inner_text()
    _both(page, "coordinator's page of a death that replaced a move away")
    # The decide form says the date may not be later, and refuses a later one (finding 2).
    field = page.locator("#effective_on")
    assert field.input_value() == "2026-11-28"
    hint = page.locator("#effective_on-hint").inner_text()
    assert "vælg 28. november 2026 eller en tidligere dato" in hint
    field.fill("2026-12-15")
    page.get_by_role("button", name="Godkend").click()
    page.locator(".error-summary").wait_for()
    assert "Vælg 28. november 2026 eller en tidligere dato" in page.inner_text(".error-summary")
    _both(page, "decide form refusing a later date for a death")
    look(page, "undecided_away_decide_later_da_1280")
    live_db.expire_all()
    assert live_db.get(ChangeRequest, death.id).status == "pending"
