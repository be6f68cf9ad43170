"""Booking once care is ending, in the browser (axe at 1280 and 390 px on every page; Danish and
Swedish; JavaScript on and off): a relative reports a death for a citizen who has not booked,
and the home page and the booking start page no longer offer "Book a time" and say why, and the
booking questions lead back to the start page; for a citizen with a booked fitting the booking
can be cancelled but not moved (nor by the coordinator), the coordinator's page of the report warns that approving
cancels the fitting, and after the approval the booking is gone."""

from datetime import timedelta

import pytest

from portal.booking import services as booking
from portal.booking.models import Appointment
from portal.changes import services
from portal.changes.models import ChangeRequest
from tests.booking.browser_steps import sign_in_citizen, sign_in_staff, visit
from tests.booking.support import make_world
from tests.browser.conftest import DESKTOP, PHONE, submit
from tests.changes.support import CITIZEN, NOW, on, policy
from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.browser

RELATIVE = {"name": "Rita Relativ", "phone": "20 30 40 50", "relation": "child"}
WORDS = {
    "da": {
        "book": "Book en tid",
        "died": "{name} er død",
        "continue": "Fortsæt",
        "send": "Send anmodningen",
        "why": "Der er meldt et dødsfald for {name}. Der kan ikke bookes en tid til monteringen",
        "no_new": "Der kan ikke bookes en ny tid",
        "cancelled_later": "Den bookede montering bliver aflyst, når kommunen godkender",
        "cancel": "Aflys tiden",
        "move": ("Vælg en anden tid", "Flyt eller aflys", "eller flyt tiden"),
        "warning": "Den bliver aflyst, når du godkender denne anmodning",
        "approve": "Godkend",
        "approved": "Anmodningen er godkendt.",
        "board_move": "Der kan ikke bookes eller flyttes en tid for {name}: plejen slutter",
    },
    "sv": {
        "book": "Boka en tid",
        "died": "{name} har avlidit",
        "continue": "Fortsätt",
        "send": "Skicka ärendet",
        "why": "Ett dödsfall har anmälts för {name}. Ingen tid kan bokas för monteringen",
        "no_new": "Ingen ny tid kan bokas",
        "cancelled_later": "Den bokade monteringen avbokas när kommunen godkänner anmälan",
        "cancel": "Avboka tiden",
        "move": ("Välj en annan tid", "Flytta eller avboka", "eller flytta tiden"),
        "warning": "Den avbokas när du godkänner det här ärendet",
        "approve": "Godkänn",
        "approved": "Ärendet har godkänts.",
        "board_move": "Ingen tid kan bokas eller flyttas för {name}: omsorgen upphör",
    },
}


def check(page, what):
    """axe at 1280 px and at 390 px (no sideways scroll there); leaves the page at 1280 px."""
    checker = getattr(page, "axe_page", None)
    if checker is None:
        page.set_viewport_size(DESKTOP)
        visit(page, what)  # 1280 px, then 390 px
        return
    for size in (DESKTOP, PHONE):  # JavaScript off: axe checks a copy at the same width
        page.set_viewport_size(size)
        checker.set_viewport_size(size)
        visit(page, f"{what} at {size['width']} px")
    page.set_viewport_size(DESKTOP)


def speak(page, base, lang):
    """Choose the language as a visitor does (the switcher's link)."""
    page.goto(f"{base}/language/{lang}?next=/accessibility")


def _main(page) -> str:
    return " ".join(page.inner_text("main").split())


def _offers_no_booking(page, words):
    main = _main(page)
    assert words["book"] not in main, main
    assert page.locator("main").get_by_role("link", name=words["book"]).count() == 0


@pytest.mark.parametrize(("page_fixture", "lang"), [("browser_page", "da"), ("nojs_page", "sv")])
def test_a_relative_reports_a_death_before_a_time_is_booked(
    request, live_server, live_db, page_fixture, lang
):
    page = request.getfixturevalue(page_fixture)
    words = WORDS[lang]
    world = make_world(live_db, now=NOW)
    citizen = world.citizens[0]
    citizen.name = "Åge Sørensen"
    live_db.commit()
    speak(page, live_server, lang)
    sign_in_citizen(page, live_server, citizen, relative=RELATIVE)
    assert words["book"] in _main(page)  # booking is open before the report
    check(page, "home before the report")

    page.goto(f"{live_server}/citizen/changes/")
    check(page, "changes start")
    page.locator("main a[href*='/leave/reason']").first.click()  # not fitted: with opting out
    page.wait_for_url("**/citizen/changes/leave/reason*")
    page.get_by_label(words["died"].format(name=citizen.name)).check()
    submit(page, page.get_by_role("button", name=words["continue"]))
    page.wait_for_url("**/citizen/changes/leave/detail")
    check(page, "estate contact question")
    page.fill("#estate_contact", "Ole Sørensen, 20 30 40 50")
    submit(page, page.get_by_role("button", name=words["continue"]))
    page.wait_for_url("**/citizen/changes/leave/date")
    page.fill("#effective_on", NOW.date().isoformat())
    submit(page, page.get_by_role("button", name=words["continue"]))
    page.wait_for_url("**/citizen/changes/leave/check")
    check(page, "check page of the death report")
    submit(page, page.get_by_role("button", name=words["send"]))
    page.wait_for_url("**/citizen/changes/r/*")
    check(page, "receipt of the death report")
    live_db.expire_all()
    assert live_db.query(ChangeRequest).filter_by(kind="leave").one().status == "pending"

    why = words["why"].format(name=citizen.name)
    page.goto(f"{live_server}/citizen/")
    _offers_no_booking(page, words)
    assert why in _main(page)
    check(page, "home after the report")
    page.goto(f"{live_server}/citizen/booking/")
    _offers_no_booking(page, words)
    assert why in _main(page)
    check(page, "booking start after the report")
    page.goto(f"{live_server}/citizen/booking/day?start=new")  # a bookmark, or a tab left open
    page.wait_for_url("**/citizen/booking/")
    assert why in _main(page)
    check(page, "booking questions lead to the start page")
    assert live_db.query(Appointment).count() == 0


@pytest.mark.parametrize(("page_fixture", "lang"), [("browser_page", "sv"), ("nojs_page", "da")])
def test_a_booked_fitting_after_a_death_is_reported(
    request, live_server, live_app, live_db, page_fixture, lang
):
    page = request.getfixturevalue(page_fixture)
    words = WORDS[lang]
    world = make_world(live_db, now=NOW)
    citizen = world.citizens[0]
    slot = world.slots(live_db)[0]
    booked = booking.book_slot(live_db, citizen.id, slot.id, now=NOW, cutoff=timedelta(0))
    death = services.submit(
        live_db,
        citizen,
        "leave",
        on((NOW + timedelta(days=1)).date().isoformat(), reason="deceased", estate_contact="Ole"),
        source="relative",
        now=NOW,
        actor=CITIZEN,
        policy=policy(live_app),
    )
    coordinator = make_user(live_db, "coordinator")
    live_db.commit()
    speak(page, live_server, lang)
    sign_in_citizen(page, live_server, citizen, relative=RELATIVE)
    main = _main(page)
    assert words["why"].format(name=citizen.name) in main and words["move"][2] not in main
    check(page, "home with a booking after the report")

    page.goto(f"{live_server}/citizen/booking/")
    main = _main(page)
    assert words["no_new"] in main and words["cancelled_later"] in main
    assert all(move not in main for move in words["move"])  # no moving the booking
    check(page, "booking start with a booking after the report")
    page.goto(f"{live_server}/citizen/booking/change")  # moving it anyway: back to the start
    page.wait_for_url("**/citizen/booking/")
    page.locator("main").get_by_role("link", name=words["cancel"]).click()
    page.wait_for_url("**/citizen/booking/cancel")
    assert page.locator("main form button[type=submit]").count() == 1  # it can be cancelled
    check(page, "cancel page after the report")

    page.context.clear_cookies()
    speak(page, live_server, lang)
    sign_in_staff(page, live_server, coordinator, PASSWORD)
    page.goto(f"{live_server}/coordinator/appointments/{booked.id}/move")
    assert words["board_move"].format(name=citizen.name) in _main(page)
    assert death.reference in _main(page)
    assert page.locator("main input[type=radio]").count() == 0  # no free times offered
    check(page, "the coordinator's move page after the report")
    page.goto(f"{live_server}/coordinator/changes/{death.id}")
    assert words["warning"] in _main(page)
    check(page, "coordinator's page of the death with a booked fitting")
    submit(page, page.get_by_role("button", name=words["approve"], exact=True))
    page.wait_for_url(f"**/coordinator/changes/{death.id}")
    assert words["approved"] in _main(page)
    check(page, "the death approved")
    live_db.expire_all()
    assert live_db.get(Appointment, booked.id).status == "cancelled"
    page.goto(
        f"{live_server}/coordinator/schedule?campaign={world.campaign.id}"
        f"&day={slot.local_date.isoformat()}"
    )
    assert citizen.name not in _main(page)  # the booking is gone from the board
    check(page, "board after the approval")
