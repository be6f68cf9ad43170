"""The visit report and the billing basis in a real browser: Danish and Swedish, desktop and
390 px, JavaScript on (htmx swaps the results) and off (the form reloads the page); axe on
every page visited."""

import pytest

from tests.booking.browser_steps import sign_in_staff, visit
from tests.browser.conftest import assert_accessible_everywhere, assert_on_phone, settled
from tests.browser.test_partners_browser import t
from tests.factories import PASSWORD, make_user
from tests.reports.support import make_visit_world

pytestmark = pytest.mark.browser
CASES = [("da", "desktop"), ("sv", "phone")]


def _world(db, role):
    world = make_visit_world(db)
    extra = {"provider_id": world.made["a"].id} if role == "provider_admin" else {}
    user = make_user(db, role, **extra)
    db.commit()
    return world, user


def _report(page, base, lang, world, *, js=True):
    page.goto(f"{base}/reports/visits")
    main = page.inner_text("main")
    assert t("reports", lang, "Visit report") in main and "Carl Citizen" in main
    visit(page, f"visit report ({lang})")
    page.select_option("#district", str(world.made["north"].id))
    if not js:
        page.get_by_role("button", name=t("reports", lang, "Show visits")).click()
    page.wait_for_url(f"**district={world.made['north'].id}**")
    page.wait_for_function("() => !document.querySelector('main').innerText.includes('Dora')")
    assert "Carl Citizen" in page.inner_text("#visit-results")
    visit(page, f"visit report filtered ({lang})")
    page.goto(f"{base}/reports/billing?year=2026")
    assert "Provider A" in page.inner_text("main")
    visit(page, f"billing ({lang})")


@pytest.mark.parametrize(("lang", "width"), CASES)
def test_a_coordinator_filters_the_report(browser_page, live_server, live_db, lang, width):
    world, user = _world(live_db, "coordinator")
    page = browser_page
    page.goto(f"{live_server}/language/{lang}?next=/sign-in/staff")
    sign_in_staff(page, live_server, user, PASSWORD)
    _report(page, live_server, lang, world)
    if width == "phone":
        page.goto(f"{live_server}/reports/visits")
        assert_on_phone(page, f"visit report at 390 px ({lang})")
        page.goto(f"{live_server}/reports/billing?year=2026")
        assert_on_phone(page, f"billing at 390 px ({lang})")


def test_a_provider_admin_without_javascript(nojs_page, live_server, live_db):
    world, user = _world(live_db, "provider_admin")
    sign_in_staff(nojs_page, live_server, user, PASSWORD)
    _report(nojs_page, live_server, "da", world, js=False)
    nojs_page.goto(f"{live_server}/reports/visits")
    assert "Dora" not in nojs_page.inner_text("main")


def _reversed_period(page, lang, world):
    """From 31 March to 29 March with htmx: the summary in the results, focused, the field
    marked, no visits and no files; a corrected period lists again and the messages go."""
    page.fill("#date_from", "2026-03-31")
    page.fill("#date_to", "2026-03-29")
    page.get_by_role("button", name=t("reports", lang, "Show visits")).click()
    page.wait_for_url("**date_to=2026-03-29**")
    summary = page.locator("#visit-results .error-summary")
    summary.wait_for()
    order = t("reports", lang, "The last day must not be before the first day")
    assert order in summary.inner_text()
    assert page.evaluate("() => document.activeElement.classList.contains('error-summary')")
    assert page.get_attribute("#date_to", "aria-invalid") == "true"
    assert order in page.inner_text("#visit-period")
    results = page.inner_text("#visit-results")
    assert "Dora" not in results and "Carl" not in results
    assert page.locator("#visit-results a[href*='visits.csv'], a[href*='visits.xlsx']").count() == 0
    assert page.locator("h1").count() == 1  # the fragment, not a page inside the page
    assert_accessible_everywhere(page, f"visit report, reversed period ({lang})")
    page.fill("#date_to", "2026-04-01")
    page.get_by_role("button", name=t("reports", lang, "Show visits")).click()
    page.wait_for_url("**date_to=2026-04-01**")
    page.locator("#visit-results a[href*='visits.csv']").wait_for()
    assert page.locator(".error-summary").count() == 0
    assert page.get_attribute("#date_to", "aria-invalid") is None
    assert "Dora" in page.inner_text("#visit-results")


@pytest.mark.parametrize(("lang", "width"), CASES)
def test_a_reversed_period_says_so_with_javascript(browser_page, live_server, live_db, lang, width):
    world, user = _world(live_db, "coordinator")
    page = browser_page
    page.goto(f"{live_server}/language/{lang}?next=/sign-in/staff")
    sign_in_staff(page, live_server, user, PASSWORD)
    page.goto(f"{live_server}/reports/visits")
    _reversed_period(page, lang, world)


@pytest.mark.parametrize(("lang", "width"), CASES)
def test_a_year_the_report_does_not_cover_is_named(browser_page, live_server, live_db, lang, width):
    world, user = _world(live_db, "coordinator")
    page = browser_page
    page.goto(f"{live_server}/language/{lang}?next=/sign-in/staff")
    sign_in_staff(page, live_server, user, PASSWORD)
    if width == "phone":
        page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server}/reports/billing?year=1999")
    summary = page.inner_text(".error-summary")
    assert "“1999”" in summary and "“1999”" in page.inner_text("#year-error")
    assert page.evaluate("() => document.activeElement.classList.contains('error-summary')")
    assert page.get_attribute("#year", "aria-invalid") == "true"
    assert_accessible_everywhere(page, f"billing, a year not covered ({lang})")
    # Choosing a year with htmx: the results and the field are swapped, the messages go, and
    # the select still sends after the swap and keeps the focus.
    page.focus("#year")
    page.select_option("#year", "2026")
    page.wait_for_url("**year=2026**")
    page.locator("#billing-results table").wait_for()
    settled(page)  # the swapped-in select listens only once htmx has settled
    assert page.locator(".error-summary").count() == 0 and page.locator("#year-error").count() == 0
    assert page.get_attribute("#year", "aria-invalid") is None
    assert page.evaluate("() => document.activeElement.id") == "year"
    page.select_option("#year", "2025")
    page.wait_for_url("**year=2025**")
    page.locator("#billing-results table").wait_for(state="detached")


def test_the_order_can_be_changed_again_after_the_results_came(browser_page, live_server, live_db):
    """The order select is swapped in with each result (so a period message appears beside
    its field): a second change of order, and a change of district after it, still fetch."""
    world, user = _world(live_db, "coordinator")
    page = browser_page
    page.goto(f"{live_server}/language/da?next=/sign-in/staff")
    sign_in_staff(page, live_server, user, PASSWORD)
    page.goto(f"{live_server}/reports/visits?date_from=2026-01-01&date_to=2026-12-31")
    for order in ("duration_desc", "duration_asc", "arrival_asc"):
        with page.expect_response(lambda r: "/reports/visits?" in r.url and order in r.url):
            page.select_option("#sort", order)
        page.wait_for_url(f"**sort={order}**")
        settled(page)  # the swapped-in select listens only once htmx has settled
    with page.expect_response(lambda r: "/reports/visits?" in r.url and "district=" in r.url):
        page.select_option("#district", str(world.made["north"].id))
    page.wait_for_function("() => !document.querySelector('main').innerText.includes('Dora')")
    assert "sort=arrival_asc" in page.url
    visit(page, "visit report ordered three times")
