"""The coordinator's "ask owners" page on a phone (390 px, Swedish), with axe and no sideways
scroll: one card per property, nothing cut off at the side, and a property chosen on its card
goes on to the preview."""

import pytest

from tests.booking.browser_steps import sign_in_staff
from tests.browser.conftest import (
    PHONE,
    assert_accessible,
    assert_no_horizontal_scroll,
    submit,
)
from tests.factories import (
    PASSWORD,
    make_citizen,
    make_district,
    make_owner,
    make_property,
    make_user,
)

pytestmark = pytest.mark.browser

# Every visible piece of text or control in the list lies inside the viewport and is what a tap
# at its middle reaches (so no box scrolls it out of sight or clips it).
CLIPPED = """(sel) => [...document.querySelectorAll(sel)]
    .filter(e => e.offsetParent && !e.closest(".sr-only")).map(e => {
    const top = e.getBoundingClientRect().top + window.scrollY;
    window.scrollTo(0, top - window.innerHeight / 2);
    const r = e.getBoundingClientRect();
    const hit = document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2);
    return {text: e.textContent.trim().slice(0, 40), right: r.right,
            inside: r.left >= 0 && r.right <= document.documentElement.clientWidth,
            reached: !!hit && (e.contains(hit) || hit.contains(e) || hit === e)};
}).filter(x => !x.inside || !x.reached)"""


def test_the_ask_page_on_a_phone_shows_cards_that_fit(browser_page, live_server, live_db):
    page, base = browser_page, live_server
    district = make_district(live_db, name="Nordby")
    paper = make_owner(live_db, name="Boligföreningen Solsikken", email=None, language="sv")
    mail = make_owner(live_db, name="Seniorbo Demoby")
    props = [
        make_property(live_db, owner=paper, district=district, address="Ahornvej 28"),
        make_property(live_db, owner=mail, district=district, address="Rosenvænget 18"),
    ]
    for prop in props:
        make_citizen(live_db, district=district, property_id=prop.id)
    coordinator = make_user(live_db, "coordinator")
    live_db.commit()
    page.set_viewport_size(PHONE)
    sign_in_staff(page, base, coordinator, PASSWORD)
    page.goto(f"{base}/language/sv?next=/coordinator/consent/ask")
    page.wait_for_url("**/coordinator/consent/ask")
    sel = "main form a, main form .form-hint, main form td, main form dd"
    assert page.evaluate(CLIPPED, sel) == []
    assert not page.locator("main table").first.is_visible()  # the wide screens' table
    cards = page.locator("main .card-list [data-card]")
    assert cards.count() == 2
    assert "Ingen e-post: endast brev" in cards.first.inner_text()
    assert_no_horizontal_scroll(page, "ask, 390 px")
    assert_accessible(page, "ask, 390 px")
    page.get_by_role("checkbox", name="Fråga om Ahornvej 28").check()  # the visible one
    submit(page, page.get_by_role("button", name="Se vad som skickas"))
    page.wait_for_url("**/coordinator/consent/ask/preview")
    assert "1 ägare får ett brev" in page.inner_text("main")
    assert_no_horizontal_scroll(page, "preview, 390 px")
    assert_accessible(page, "preview, 390 px")


WIDE = {"width": 1280, "height": 900}


def test_a_box_ticked_before_the_window_narrows_is_ticked_on_its_card(
    browser_page, live_server, live_db
):
    """The table and the cards each hold a checkbox per property (one copy hidden): a box
    ticked on a wide screen, then the window made narrow, showed an empty card and still sent
    the property; unticking it on the card left the hidden one ticked."""
    page, base = browser_page, live_server
    district = make_district(live_db, name="Nordby")
    owner = make_owner(live_db, name="Seniorbo Demoby")
    for address in ("Ahornvej 28", "Rosenvænget 18"):
        prop = make_property(live_db, owner=owner, district=district, address=address)
        make_citizen(live_db, district=district, property_id=prop.id)
    coordinator = make_user(live_db, "coordinator")
    live_db.commit()
    page.set_viewport_size(WIDE)
    sign_in_staff(page, base, coordinator, PASSWORD)
    page.goto(f"{base}/coordinator/consent/ask")
    page.get_by_role("checkbox", name="Spørg om Ahornvej 28").check()  # the table's
    page.get_by_role("checkbox", name="Spørg om Rosenvænget 18").check()
    page.set_viewport_size(PHONE)
    card = page.locator("main .card-list input[type=checkbox]")
    assert [card.nth(i).is_checked() for i in range(2)] == [True, True]
    page.get_by_role("checkbox", name="Spørg om Rosenvænget 18").uncheck()  # now the card's
    page.set_viewport_size(WIDE)
    table = page.locator("main table input[type=checkbox]")
    assert [table.nth(i).is_checked() for i in range(2)] == [True, False]
    submit(page, page.get_by_role("button", name="Se hvad der bliver sendt"))
    page.wait_for_url("**/coordinator/consent/ask/preview")
    assert "1 ejendom\n" in page.inner_text("main")  # Ahornvej 28 alone
