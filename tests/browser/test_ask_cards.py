"""The coordinator's "ask owners" page on a phone (390 px, Swedish), with axe and no sideways
scroll: one card per property, nothing cut off at the side, and a property chosen on its card
goes on to the preview. The cards are the wide screens' table rows restyled in CSS, so each
property has one checkbox at any width, with JavaScript on or off."""

import pytest
from sqlalchemy import select

from portal.consent.models import ConsentRequest
from tests.booking.browser_steps import sign_in_staff
from tests.browser.conftest import (
    PHONE,
    assert_accessible,
    assert_no_horizontal_scroll,
    look,
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
    assert not page.locator("main table thead").is_visible()  # the wide screens' headings
    cards = page.locator("main table [data-card]")
    assert cards.count() == 2
    assert cards.first.evaluate("e => getComputedStyle(e).display") == "grid"  # a card
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


@pytest.mark.parametrize("js", [True, False], ids=["js", "nojs"])
def test_a_box_ticked_wide_and_unticked_narrow_is_not_sent(js, request, live_server, live_db):
    """Ticked at 1280 px, the window made 390 px: the card shows the same box ticked, and a box
    unticked there is unticked at 1280 px too and not sent. Before, the table and the cards each
    held a checkbox per property (one copy hidden); without JavaScript the hidden copy stayed
    ticked and its owner was asked all the same."""
    page = request.getfixturevalue("browser_page" if js else "nojs_page")
    base = live_server
    district = make_district(live_db, name="Nordby")
    asked = make_owner(live_db, name="Seniorbo Demoby")
    spared = make_owner(live_db, name="Boligselskabet Nord")
    for owner, address in ((asked, "Ahornvej 28"), (spared, "Rosenvænget 18")):
        prop = make_property(live_db, owner=owner, district=district, address=address)
        make_citizen(live_db, district=district, property_id=prop.id)
    coordinator = make_user(live_db, "coordinator")
    live_db.commit()
    page.set_viewport_size(WIDE)
    sign_in_staff(page, base, coordinator, PASSWORD)
    page.goto(f"{base}/coordinator/consent/ask")
    boxes = page.locator("main form input[type=checkbox]")
    assert boxes.count() == 2  # one per property, whatever the width
    page.get_by_role("checkbox", name="Spørg om Ahornvej 28").check()
    page.get_by_role("checkbox", name="Spørg om Rosenvænget 18").check()
    look(page, f"ask-ticked-1280-{'js' if js else 'nojs'}")
    page.set_viewport_size(PHONE)
    for address in ("Ahornvej 28", "Rosenvænget 18"):
        box = page.get_by_role("checkbox", name=f"Spørg om {address}")
        assert box.is_checked()
        assert page.get_by_text(f"Spørg om {address}").is_visible()  # the card's own label
    page.get_by_role("checkbox", name="Spørg om Rosenvænget 18").uncheck()
    _axe(page, "ask, 390 px")
    look(page, f"ask-unticked-390-{'js' if js else 'nojs'}")
    page.set_viewport_size(WIDE)
    assert [boxes.nth(i).is_checked() for i in range(2)] == [True, False]
    _axe(page, "ask, 1280 px")
    submit(page, page.get_by_role("button", name="Se hvad der bliver sendt"))
    page.wait_for_url("**/coordinator/consent/ask/preview")
    assert "1 ejer får et brev" in page.inner_text("main")
    submit(page, page.get_by_role("button", name="Send 1 anmodning"))
    page.wait_for_url("**/coordinator/consent/sent*")
    made = live_db.scalars(select(ConsentRequest)).all()
    assert [(r.owner_id, [p.address for p in r.properties]) for r in made] == [
        (asked.id, ["Ahornvej 28"])
    ]


def _axe(page, what):
    """axe on the page as it is; with JavaScript off, on its HTML in a page that may run axe, at
    the same width."""
    checker = getattr(page, "axe_page", None)
    if checker is None:
        assert_accessible(page, what)
        return
    checker.set_viewport_size(page.viewport_size)
    checker.goto(page.url.split("/coordinator", 1)[0] + "/accessibility")
    checker.set_content(page.content())
    assert_accessible(checker, f"{what} (JavaScript off)")
