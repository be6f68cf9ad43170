"""Change journeys in the browser, with axe on every page at desktop width and at 390 px:
a relative asks for a provider switch, the coordinator approves, the citizen sees it; a
citizen reports a move up to its approval. Danish and Swedish, JavaScript on and off."""

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest

from portal import clock
from portal.changes.models import ChangeRequest
from portal.citizens.lifecycle import CitizenStatus
from tests.booking.browser_steps import sign_in_citizen, sign_in_staff, visit
from tests.browser.conftest import submit
from tests.changes.support import fitted_citizen, make_town
from tests.factories import PASSWORD, make_citizen, make_user

pytestmark = pytest.mark.browser

RELATIVE = {"name": "Rita Relativ", "phone": "20 30 40 50", "relation": "child"}
WORDS = {
    "da": {
        "switch": "Jeg vil skifte hjemmeplejeleverandør",
        "switch_for": "Agnes Andersen vil skifte hjemmeplejeleverandør",
        "move_for": "Agnes Andersen flytter",
        "moving_for": "Flytter Agnes Andersen inden for kommunen?",
        "ending_for": "Hjemmeplejen hos Agnes Andersen ophører",
        "sent_for": "Anmodningen for Agnes Andersen er sendt",
        "move": "Jeg flytter",
        "continue": "Fortsæt",
        "send": "Send anmodningen",
        "approve": "Godkend",
        "approved": "Anmodningen er godkendt.",
        "status": "Godkendt",
        "yes_inside": "Ja, inden for kommunen",
        "cancel": "Annuller ændringen",
        "cancelled": "Ændringen er annulleret.",
        "outside": "Postnummeret ligger ikke i nogen af kommunens distrikter.",
        "midnight": "Fra kl. 00.00 den",
        "keeps_lock": "Du beholder din lås",
        "withdraw": "Træk anmodningen tilbage",
        "yes_withdraw": "Ja, træk anmodningen tilbage",
        "keep": "Nej, behold anmodningen",
        "withdrawn": "Anmodningen er trukket tilbage.",
        "withdrawn_tag": "Trukket tilbage",
        "cancelled_tag": "Annulleret",
    },
    "sv": {
        "switch": "Jag vill byta hemtjänstutförare",
        "switch_for": "Agnes Andersen vill byta hemtjänstutförare",
        "move_for": "Agnes Andersen flyttar",
        "moving_for": "Flyttar Agnes Andersen inom kommunen?",
        "ending_for": "Hemtjänsten för Agnes Andersen upphör",
        "sent_for": "Ärendet för Agnes Andersen har skickats",
        "move": "Jag flyttar",
        "continue": "Fortsätt",
        "send": "Skicka ärendet",
        "approve": "Godkänn",
        "approved": "Ärendet har godkänts.",
        "status": "Godkänt",
        "yes_inside": "Ja, inom kommunen",
        "cancel": "Avbryt ändringen",
        "cancelled": "Ändringen har avbrutits.",
        "outside": "Postnumret ligger inte i något av kommunens områden.",
        "midnight": "Från kl. 00:00 den",
        "keeps_lock": "Du behåller ditt lås",
        "withdraw": "Dra tillbaka ärendet",
        "yes_withdraw": "Ja, dra tillbaka ärendet",
        "keep": "Nej, behåll ärendet",
        "withdrawn": "Ärendet har dragits tillbaka.",
        "withdrawn_tag": "Indragen",
        "cancelled_tag": "Avbrutet",
    },
}


def check(page, what):
    """axe at desktop width, then at 390 px, then back."""
    visit(page, what)
    size = page.viewport_size
    page.set_viewport_size({"width": 390, "height": 844})
    checker = getattr(page, "axe_page", None)
    if checker is not None:
        checker.set_viewport_size({"width": 390, "height": 844})
    visit(page, f"{what} at 390 px")
    page.set_viewport_size(size)
    if checker is not None:
        checker.set_viewport_size(size)


def speak(page, base, lang):
    """Choose the language as a visitor does (the switcher's link)."""
    page.goto(f"{base}/language/{lang}?next=/accessibility")


def sign_out(page, base, lang):
    """Forget the session (a new person uses the browser, in the same language)."""
    page.context.clear_cookies()
    speak(page, base, lang)


def _world(db):
    town = make_town(db)
    make_citizen(db, district=town.south, provider=town.hjem, postcode="4200")
    citizen = fitted_citizen(db, town, name="Agnes Andersen")
    coordinator = make_user(db, "coordinator")
    db.commit()
    return town, citizen, coordinator


def _day(days_ahead: int) -> str:
    return (
        clock.now().astimezone(ZoneInfo("Europe/Copenhagen")).date() + timedelta(days=days_ahead)
    ).isoformat()


def _approve(page, base, coordinator, words):
    sign_in_staff(page, base, coordinator, PASSWORD)
    page.goto(base + "/coordinator/changes")
    check(page, "queue")
    page.locator("table a").first.click()
    page.wait_for_url("**/coordinator/changes/*")
    check(page, "request detail")
    submit(page, page.get_by_role("button", name=words["approve"], exact=True))
    page.wait_for_url("**/coordinator/changes/*")
    assert words["approved"] in page.inner_text("main")
    check(page, "approved")


@pytest.mark.parametrize(("page_fixture", "lang"), [("browser_page", "da"), ("nojs_page", "sv")])
def test_a_relative_asks_for_a_switch_the_coordinator_approves_the_citizen_sees_it(
    request, live_server, live_db, page_fixture, lang
):
    page = request.getfixturevalue(page_fixture)
    words = WORDS[lang]
    town, citizen, coordinator = _world(live_db)
    speak(page, live_server, lang)
    sign_in_citizen(page, live_server, citizen, relative=RELATIVE)
    check(page, "citizen home")
    page.goto(live_server + "/citizen/changes/")
    check(page, "changes start")
    # The relative is offered the requests about the citizen, by name, never "I am moving".
    assert words["move"] not in page.inner_text("main")
    page.get_by_role("link", name=words["move_for"]).click()
    page.wait_for_url("**/citizen/changes/move/inside*")
    check(page, "moving question")
    assert page.inner_text("h1") == words["moving_for"]
    page.goto(live_server + "/citizen/changes/leave/reason?start=new")
    check(page, "leaving reasons")
    assert words["ending_for"] in page.inner_text("main")
    page.goto(live_server + "/citizen/changes/")
    page.get_by_role("link", name=words["switch_for"]).click()
    page.wait_for_url("**/citizen/changes/switch/provider*")
    page.get_by_role("button", name=words["continue"]).click()  # nothing chosen
    page.locator(".error-summary").wait_for()
    check(page, "provider question with error")
    page.get_by_label("Omsorg A/S").check()
    page.get_by_role("button", name=words["continue"]).click()
    page.wait_for_url("**/citizen/changes/switch/date")
    check(page, "date question")
    page.fill("#effective_on", _day(14))
    page.get_by_role("button", name=words["continue"]).click()
    page.wait_for_url("**/citizen/changes/switch/check")
    check(page, "check answers")
    page.get_by_role("button", name=words["send"]).click()
    page.wait_for_url("**/citizen/changes/r/*")
    assert words["sent_for"] in page.inner_text("main")
    check(page, "receipt")
    live_db.expire_all()
    req = live_db.query(ChangeRequest).one()
    assert req.source == "relative" and req.reference in page.inner_text("main")

    sign_out(page, live_server, lang)
    _approve(page, live_server, coordinator, words)

    sign_out(page, live_server, lang)
    sign_in_citizen(page, live_server, citizen)
    assert req.reference in page.inner_text("main") and words["status"] in page.inner_text("main")
    check(page, "citizen home after approval")
    live_db.expire_all()
    assert live_db.get(type(citizen), citizen.id).status == CitizenStatus.SWITCHING_PROVIDER
    # The request's page: from midnight written as the language writes times; a lock is fitted.
    page.goto(f"{live_server}/citizen/changes/r/{req.reference}")
    main = page.inner_text("main")
    assert words["midnight"] in main and words["keeps_lock"] in main
    check(page, "approved request")


@pytest.mark.parametrize(("page_fixture", "lang"), [("nojs_page", "da"), ("browser_page", "sv")])
def test_a_citizen_reports_a_move_and_the_coordinator_approves_it(
    request, live_server, live_db, page_fixture, lang
):
    page = request.getfixturevalue(page_fixture)
    words = WORDS[lang]
    town, citizen, coordinator = _world(live_db)
    speak(page, live_server, lang)
    sign_in_citizen(page, live_server, citizen)
    page.goto(live_server + "/citizen/changes/")
    page.get_by_role("link", name=words["move"], exact=True).click()
    page.wait_for_url("**/citizen/changes/move/inside*")
    check(page, "inside question")
    page.get_by_label(words["yes_inside"]).check()
    page.get_by_role("button", name=words["continue"]).click()
    page.wait_for_url("**/citizen/changes/move/address")
    page.fill("#address", "Sydvej 7")
    page.fill("#postcode", "9999")  # nobody lives there: outside every district
    page.fill("#city", "Sydby")
    page.get_by_role("button", name=words["continue"]).click()
    # Told on the address question itself, with the answers kept, not later on the check page.
    page.locator(".error-summary").wait_for()
    assert page.url.endswith("/citizen/changes/move/address")
    assert words["outside"] in page.inner_text(".error-summary")
    assert words["outside"] in page.inner_text("#postcode-error")
    assert (page.input_value("#address"), page.input_value("#postcode")) == ("Sydvej 7", "9999")
    assert page.input_value("#city") == "Sydby"
    check(page, "address with an unknown postcode")
    page.fill("#postcode", "4200")
    page.get_by_role("button", name=words["continue"]).click()
    page.wait_for_url("**/citizen/changes/move/date")
    page.fill("#effective_on", _day(20))
    page.get_by_role("button", name=words["continue"]).click()
    page.wait_for_url("**/citizen/changes/move/check")
    check(page, "check answers")
    page.get_by_role("button", name=words["send"]).click()
    page.wait_for_url("**/citizen/changes/r/*")
    check(page, "receipt")

    sign_out(page, live_server, lang)
    _approve(page, live_server, coordinator, words)
    old_address = citizen.address
    live_db.expire_all()
    moved = live_db.get(type(citizen), citizen.id)
    # Approved: the move is planned; the address and district change on the moving day.
    assert moved.address == old_address and moved.district_id == town.north.id
    assert moved.status == CitizenStatus.MOVING
    req = live_db.query(ChangeRequest).filter_by(citizen_id=citizen.id).one()
    assert req.status == "approved" and req.new_address == "Sydvej 7"
    assert req.new_district_id == town.south.id
    # The move falls through: the coordinator cancels it, with a reason, after a confirmation.
    page.get_by_role("link", name=words["cancel"], exact=True).click()
    page.wait_for_url("**/cancel")
    check(page, "cancel confirmation")
    submit(page, page.get_by_role("button", name=words["cancel"], exact=True))
    page.wait_for_url("**/cancel")
    assert page.locator(".error-summary, [role=alert]").count() >= 1
    check(page, "cancel without a reason")
    page.fill("textarea", "Flytningen blev aflyst")
    page.get_by_role("button", name=words["cancel"], exact=True).click()
    page.wait_for_url("**/coordinator/changes/*")
    main = page.inner_text("main")
    assert words["cancelled"] in main and words["cancelled_tag"] in main
    assert words["withdrawn_tag"] not in main  # its own status, not the asker's withdrawal
    check(page, "cancelled")
    live_db.expire_all()
    assert live_db.get(ChangeRequest, req.id).status == "cancelled"


@pytest.mark.parametrize(("page_fixture", "lang"), [("browser_page", "da"), ("nojs_page", "sv")])
def test_withdrawing_a_request_asks_first(request, live_server, live_db, page_fixture, lang):
    page = request.getfixturevalue(page_fixture)
    words = WORDS[lang]
    town, citizen, _coordinator = _world(live_db)
    speak(page, live_server, lang)
    sign_in_citizen(page, live_server, citizen, relative=RELATIVE)
    page.goto(live_server + "/citizen/changes/switch/provider?start=new")
    page.get_by_label("Omsorg A/S").check()
    page.get_by_role("button", name=words["continue"]).click()
    page.wait_for_url("**/citizen/changes/switch/date")
    page.fill("#effective_on", _day(14))
    page.get_by_role("button", name=words["continue"]).click()
    page.wait_for_url("**/citizen/changes/switch/check")
    page.get_by_role("button", name=words["send"]).click()
    page.wait_for_url("**/citizen/changes/r/*")
    receipt = page.url.split("?")[0]
    live_db.expire_all()
    req = live_db.query(ChangeRequest).one()
    # One tap on the receipt's "Withdraw" only asks.
    page.get_by_role("link", name=words["withdraw"], exact=True).click()
    page.wait_for_url("**/withdraw")
    check(page, "withdraw confirmation")
    assert req.reference in page.inner_text("h1")
    live_db.expire_all()
    assert live_db.get(ChangeRequest, req.id).status == "pending"
    # "No, keep it" goes back with nothing changed.
    page.get_by_role("link", name=words["keep"]).click()
    page.wait_for_url(receipt)
    live_db.expire_all()
    assert live_db.get(ChangeRequest, req.id).status == "pending"
    page.get_by_role("link", name=words["withdraw"], exact=True).click()
    page.wait_for_url("**/withdraw")
    submit(page, page.get_by_role("button", name=words["yes_withdraw"]))
    page.wait_for_url(receipt)
    main = page.inner_text("main")
    assert words["withdrawn"] in main and words["withdrawn_tag"] in main
    check(page, "withdrawn request")
    live_db.expire_all()
    assert live_db.get(ChangeRequest, req.id).status == "withdrawn"
