"""The visit report and the billing basis in a real browser: Danish and Swedish, desktop and
390 px, JavaScript on (htmx swaps the results) and off (the form reloads the page); axe on
every page visited."""

import pytest

from tests.booking.browser_steps import sign_in_staff, visit
from tests.browser.conftest import assert_on_phone
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
