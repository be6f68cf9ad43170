"""The citizen on a phone and the visit lists on narrow screens: stacked cards instead of a
five-column table, axe at 390 px, reflow at 320 px and 200 % text (WCAG 1.4.10, 1.4.4)."""

import pytest

from tests.access.support import citizen_in, enrol, make_lock, make_staff, make_visits, make_world
from tests.booking.browser_steps import sign_in_citizen, sign_in_staff
from tests.browser.conftest import (
    PHONE,
    assert_accessible,
    assert_accessible_everywhere,
    assert_rows_become_cards,
    assert_text_zoom,
    look,
)
from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.browser


def _door_with_visits(db):
    w = make_world(db)
    citizen = citizen_in(db, w)
    unit, key = make_lock(db, citizen)
    member = make_staff(db, [w.team_north])
    make_visits(db, unit, key, member, count=2)
    db.commit()
    return w, citizen, member


def test_citizen_visit_log_on_a_phone(browser_page, live_server, live_db):
    page = browser_page
    _w, citizen, member = _door_with_visits(live_db)
    sign_in_citizen(page, live_server, citizen)
    assert_rows_become_cards(page, at_least=2)
    page.set_viewport_size(PHONE)
    card = page.locator("main [data-row]").first.inner_text()
    assert member.first_name in card
    assert_accessible_everywhere(page, "citizen home with visits")
    assert_text_zoom(page, "citizen home with visits")


def test_staff_pages_with_visits_on_a_phone(browser_page, live_server, live_app, live_db):
    page = browser_page
    w, citizen, member = _door_with_visits(live_db)
    enrol(live_app.test_client(), live_db, member)
    coordinator = make_user(live_db, "coordinator")
    admin = make_user(live_db, "provider_admin", provider_id=w.municipal.id)
    live_db.commit()
    sign_in_staff(page, live_server, coordinator, PASSWORD)
    page.goto(f"{live_server}/coordinator/citizens/{citizen.id}")
    assert_accessible(page)
    assert_rows_become_cards(page, at_least=2)
    assert_accessible_everywhere(page, "coordinator citizen page")
    page.context.clear_cookies()
    sign_in_staff(page, live_server, admin, PASSWORD)
    for name, url in (("visits", "/provider/visits"), ("staff", f"/provider/staff/{member.id}")):
        page.goto(live_server + url)
        assert_rows_become_cards(page)
        assert_accessible_everywhere(page, url)
        for width, size in ((390, PHONE), (1280, {"width": 1280, "height": 900})):
            page.set_viewport_size(size)
            look(page, f"provider-{name}-{width}")


def _contrast(page, selector):
    """WCAG contrast of the first match's text colour against white."""
    return page.evaluate(
        """(sel) => {
          const c = getComputedStyle(document.querySelector(sel)).color.match(/\\d+/g).map(Number);
          const l = c.slice(0, 3).map(v => { v /= 255;
            return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); });
          const lum = 0.2126 * l[0] + 0.7152 * l[1] + 0.0722 * l[2];
          return 1.05 / (lum + 0.05);
        }""",
        selector,
    )


def _body_px(page):
    return page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")


def test_citizen_pages_have_larger_text_and_aaa_hints(browser_page, live_server, live_db):
    page = browser_page
    page.goto(live_server + "/sign-in/citizen")
    assert _body_px(page) >= 18
    assert _contrast(page, ".form-hint") >= 7
    assert_accessible_everywhere(page, "citizen sign-in")
    assert_text_zoom(page, "citizen sign-in")
    page.goto(live_server + "/sign-in/staff")
    assert _body_px(page) == 16  # staff pages keep the design system's size


def test_a_wide_staff_table_scrolls_in_its_box_not_the_page(browser_page, live_server, live_db):
    from tests.booking.support import make_world as booking_world
    from tests.browser.conftest import assert_on_phone

    page = browser_page
    world = booking_world(live_db)
    coordinator = make_user(live_db, "coordinator")
    live_db.commit()
    sign_in_staff(page, live_server, coordinator, PASSWORD)
    page.goto(f"{live_server}/coordinator/campaigns/{world.campaign.id}")
    assert page.locator(".table--responsive-scroll .sr-only").count()
    assert_on_phone(page, "campaign page")


def test_the_campaigns_locksmith_hours_are_cards_with_their_actions_in_view(
    browser_page, live_server, live_db
):
    """At 390 px the availability table's Change and Remove links sat beyond the right edge,
    reachable only by scrolling the table sideways; its rows are cards there now."""
    from tests.booking.support import make_world as booking_world
    from tests.browser.conftest import assert_on_phone

    page = browser_page
    world = booking_world(live_db)
    coordinator = make_user(live_db, "coordinator")
    live_db.commit()
    sign_in_staff(page, live_server, coordinator, PASSWORD)
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server}/coordinator/campaigns/{world.campaign.id}")
    links = page.locator("table.table--cards a[href*='/coordinator/availability/']")
    assert links.count() >= 2
    for i in range(links.count()):
        box = links.nth(i).bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], box
    assert page.locator("table.table--cards td[data-title]").first.is_visible()
    assert_on_phone(page, "campaign page, availability as cards")
