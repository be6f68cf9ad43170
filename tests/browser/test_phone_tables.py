"""Staff lists on a 390 px phone, on the seeded demo municipality: the coordinator's register,
the locksmiths' jobs, the requests, the consent board, the properties, the owners' questions and
the letter batches, a property's citizens behind each entrance (with their Take off button), the
provider's staff and the partner's couriers are each one table whose rows become cards, so no
column is cut off and no table scrolls sideways. The register's live search
(htmx, JavaScript on) swaps in rows that are cards too, its paging links keep the search, and
its plain GET form works with JavaScript off (Swedish, 390 px). axe at 1280, 390 and 320 px."""

import re

import pytest

from portal.demo import seed_all
from portal.demo.names import DEMO_PASSWORD
from tests.browser.conftest import (
    DESKTOP,
    PHONE,
    assert_accessible,
    assert_accessible_everywhere,
    assert_no_horizontal_scroll,
    assert_rows_become_cards,
    look,
    settled,
    submit,
)
from tests.factories import NOW, make_citizen
from tests.letters.support import make_finished_batch

pytestmark = pytest.mark.browser

COORDINATOR = "koordinator@demo.example"


def _seed(live_db):
    seed_all(live_db, now=NOW)
    live_db.commit()


def _sign_in(page, base, email, lang="da"):
    page.goto(f"{base}/language/{lang}?next=/accessibility")
    page.goto(base + "/sign-in/staff")
    page.fill("#email", email)
    page.fill("#password", DEMO_PASSWORD)
    submit(page, "main button[type=submit]")


def _cards_everywhere(page, name, at_least=1):
    """Each row a card at 390 px and a table row at 1280 px; axe at every width; screenshots."""
    assert_rows_become_cards(page, at_least)
    assert_accessible_everywhere(page, name)
    for width, size in ((390, PHONE), (1280, DESKTOP)):
        page.set_viewport_size(size)
        look(page, f"phone_tables_{re.sub(r'[^a-z0-9]+', '_', name)}_{width}")


def test_the_register_is_cards_on_a_phone_and_its_live_search_keeps_them(
    browser_page, live_server, live_db
):
    page = browser_page
    _seed(live_db)
    _sign_in(page, live_server, COORDINATOR, "sv")
    page.goto(live_server + "/coordinator/citizens")
    _cards_everywhere(page, "register", at_least=25)
    assert page.locator("main nav.pagination a[href*='page=2']").count() >= 1
    # The live search (htmx) swaps in rows that are cards too.
    page.set_viewport_size(PHONE)
    page.fill("#q", "Frandsen")
    page.wait_for_url(re.compile(r"q=Frandsen"))
    settled(page)
    rows = page.locator("main table.table--cards [data-row]")
    assert rows.count() >= 2
    assert all("Frandsen" in text for text in rows.all_inner_texts())
    titles = rows.first.locator("td[data-title]").evaluate_all(
        "tds => tds.map(t => t.dataset.title)"
    )
    assert titles == ["Adress", "Område", "Utförare", "Status"]
    assert_rows_become_cards(page, at_least=2)
    assert_no_horizontal_scroll(page, "register searched on a phone")
    assert_accessible(page, "register after the live search")
    # A paging link keeps the search and the filters.
    page.goto(live_server + "/coordinator/citizens?status=registered")
    link = page.locator("main nav.pagination a[href*='page=2']").first
    assert "status=registered" in link.get_attribute("href")
    link.click()
    page.wait_for_url(re.compile(r"page=2"))
    settled(page)
    assert_rows_become_cards(page)


def test_the_register_without_javascript_on_a_phone(nojs_page, live_server, live_db):
    page = nojs_page
    _seed(live_db)
    page.set_viewport_size(PHONE)
    _sign_in(page, live_server, COORDINATOR, "sv")
    page.goto(live_server + "/coordinator/citizens")
    page.fill("#q", "Frandsen")
    submit(page, "main form[role=search] button[type=submit]")
    assert "q=Frandsen" in page.url
    rows = page.locator("main table.table--cards [data-row]")
    assert rows.count() >= 2
    for row in rows.all():
        assert "Frandsen" in row.inner_text()
        for label in ("Utförare", "Status"):  # the columns the reviewer found cut off
            box = row.locator(f"td[data-title='{label}'] > *").bounding_box()
            assert box and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], label
    assert_accessible(page, "register without JavaScript at 390 px")


@pytest.mark.parametrize(
    "url",
    [
        "/coordinator/jobs",
        "/coordinator/changes",
        "/coordinator/consent",
        "/coordinator/properties",
        "/coordinator/consent/questions",
        "/coordinator/letters",
    ],
)
def test_the_coordinators_lists_are_cards_on_a_phone(
    browser_page, live_server, live_db, tmp_path, url
):
    page = browser_page
    _seed(live_db)
    citizen = make_citizen(live_db, name="Brevmodtager Test")
    make_finished_batch(live_db, citizen, tmp_path / "batch")  # the demo has no letter batch
    live_db.commit()
    _sign_in(page, live_server, COORDINATOR, "sv")
    page.goto(live_server + url)
    _cards_everywhere(page, url)
    page.set_viewport_size(PHONE)
    last = page.locator("main [data-row] td[data-title]:last-child > *").first
    box = last.bounding_box()  # the right-hand column (a status, a count) is on the screen
    assert box and box["x"] + box["width"] <= PHONE["width"]


@pytest.mark.parametrize(
    ("email", "url"),
    [("leverandoer@demo.example", "/provider/staff"), ("partner@demo.example", "/partner/staff")],
)
def test_the_staff_and_couriers_are_cards_on_a_phone(
    browser_page, live_server, live_db, email, url
):
    page = browser_page
    _seed(live_db)
    _sign_in(page, live_server, email)
    page.goto(live_server + url)
    _cards_everywhere(page, url)
    page.set_viewport_size(PHONE)
    status = page.locator("main [data-row] td[data-title='Status'] > *").first
    box = status.bounding_box()
    assert box and box["x"] + box["width"] <= PHONE["width"]


def test_a_propertys_citizens_are_cards_and_take_off_is_on_the_screen(
    browser_page, live_server, live_db
):
    page = browser_page
    _seed(live_db)
    _sign_in(page, live_server, COORDINATOR, "sv")
    page.goto(live_server + "/coordinator/consent")
    page.locator("main [data-row] th a").first.click()
    page.wait_for_url(re.compile(r"/coordinator/properties/\d+$"))
    _cards_everywhere(page, "property", at_least=2)
    page.set_viewport_size(PHONE)
    card = page.locator("main [data-row]").first
    name = card.locator("th").inner_text()
    button = card.get_by_role("button", name=f"Ta bort {name}")
    box = button.bounding_box()
    assert box and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    before = page.locator("main [data-row]", has_text=name).count()  # behind each entrance
    submit(page, button)
    assert page.locator("main [data-row]", has_text=name).count() == before - 1
    assert_no_horizontal_scroll(page, "property after taking a citizen off")
