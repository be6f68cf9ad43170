"""Insights in a real browser: a coordinator reads the charts (Danish), changes the period,
opens a route's battery changes and reads operational health; a provider admin reads their own
visits (Swedish); and the same without JavaScript. axe on every page, at desktop width and at
390 px. The live app's clock stands at the world's NOW (tests/insights/support.py)."""

import pytest
from sqlalchemy import select

from portal import clock as app_clock
from portal.locksmith.models import Job
from tests.booking.browser_steps import sign_in_staff, visit
from tests.browser.conftest import assert_on_phone, look
from tests.factories import NOW, PASSWORD
from tests.insights.support import make_insight_world, utc

pytestmark = pytest.mark.browser


@pytest.fixture
def world(live_app, live_db):
    app_clock.install(live_app, app_clock.SetClock(NOW, tick=True))
    w = make_insight_world(live_db)
    w.north_unit.battery, w.north_unit.battery_at = 12, utc(2026, 11, 22)
    live_db.commit()
    yield w
    app_clock.install(live_app, None)


def _everywhere(page, what):
    visit(page, what)
    assert_on_phone(page, what)


def _battery_jobs(live_db) -> list[Job]:
    live_db.expire_all()
    return list(live_db.scalars(select(Job).where(Job.kind == "battery")))


def test_a_coordinator_reads_the_charts_and_plans_a_route(
    browser_page, live_server, live_db, world
):
    page = browser_page
    sign_in_staff(page, live_server, world.users["coordinator"], PASSWORD)
    page.get_by_role("link", name="Overblik").first.click()
    page.wait_for_url("**/insights/")
    assert page.get_by_role("img", name="Besøg pr. dag").is_visible()
    assert page.get_by_role("img", name="Udrulning i North").is_visible()
    table = page.get_by_role("table", name="Besøg pr. dag: tallene")
    assert table.locator("tbody tr").count() == 30
    assert "Portalen kender ingen planlagte besøgstider" in page.inner_text("main")
    _everywhere(page, "charts")
    look(page, "insights")
    page.fill("#days", "7")
    page.get_by_role("button", name="Vis").click()
    page.wait_for_url("**/insights/?days=7")
    assert table.locator("tbody tr").count() == 7
    page.get_by_role("link", name="Batterier i låsene").click()
    page.wait_for_url("**/insights/battery")
    assert world.north_unit.serial in page.inner_text("main")
    _everywhere(page, "battery fleet")
    page.get_by_role("button", name="Opret 1 batteriskift på denne rute").click()
    page.wait_for_url("**/insights/battery?threshold=30")
    assert "1 batteriskift oprettet." in page.inner_text("main")
    assert [j.lock_unit_id for j in _battery_jobs(live_db)] == [world.north_unit.id]
    _everywhere(page, "route planned")
    page.get_by_role("link", name="Driftstilstand").click()
    page.wait_for_url("**/insights/health")
    assert page.get_by_role("img", name="Vagtnøgler udstedt pr. dag").is_visible()
    _everywhere(page, "operational health")


def test_a_provider_admin_reads_their_own_visits_in_swedish(browser_page, live_server, world):
    page = browser_page
    page.goto(f"{live_server}/language/sv?next=/accessibility")
    sign_in_staff(page, live_server, world.users["admin_b"], PASSWORD)
    page.get_by_role("link", name="Översikt").first.click()
    page.wait_for_url("**/insights/")
    main = page.inner_text("main")
    assert "Bara era egna medarbetares besök." in main
    assert "Batterinivå" not in main and "Utrullning" not in main
    rows = page.get_by_role("table", name="Besök per dag: siffrorna").locator("tbody tr")
    counted = [r for r in rows.all_inner_texts() if not r.rstrip().endswith("\t0")]
    assert len(counted) == 2  # 17 and 18 November, by provider B's staff
    _everywhere(page, "charts, provider admin, Swedish")


def test_the_pages_work_without_javascript(nojs_page, live_server, live_db, world):
    page = nojs_page
    sign_in_staff(page, live_server, world.users["coordinator"], PASSWORD)
    page.goto(f"{live_server}/insights/?days=14")
    assert "Besøg pr. dag" in page.inner_text("main")
    visit(page, "charts without JavaScript")
    page.goto(f"{live_server}/insights/battery")
    page.get_by_role("button", name="Opret 1 batteriskift på denne rute").click()
    page.wait_for_url("**/insights/battery?threshold=30")
    assert "1 batteriskift oprettet." in page.inner_text("main")
    assert len(_battery_jobs(live_db)) == 1
    visit(page, "battery fleet without JavaScript")
    page.goto(f"{live_server}/insights/health?days=abc")
    assert "Driftstilstand" in page.inner_text("main")
    visit(page, "operational health without JavaScript")


def test_a_period_out_of_range_is_named(browser_page, live_server, live_db, world):
    page = browser_page
    sign_in_staff(page, live_server, world.users["coordinator"], PASSWORD)
    page.goto(f"{live_server}/insights/?days=400")
    said = "Skriv et antal dage fra 1 til 366. De seneste 30 dage vises i stedet."
    assert said in page.inner_text(".error-summary") and said in page.inner_text("#days-error")
    assert page.evaluate("() => document.activeElement.classList.contains('error-summary')")
    assert page.input_value("#days") == "400" and page.title().startswith("Fejl:")
    table = page.get_by_role("table", name="Besøg pr. dag: tallene")
    assert table.locator("tbody tr").count() == 30
    _everywhere(page, "charts with a period out of range")
    look(page, "insights-error")
    page.fill("#days", "7")
    page.get_by_role("button", name="Vis").click()
    page.wait_for_url("**/insights/?days=7")
    assert page.locator(".error-summary").count() == 0 and table.locator("tbody tr").count() == 7


def test_a_refused_threshold_and_days_are_named(browser_page, live_server, live_db, world):
    page = browser_page
    sign_in_staff(page, live_server, world.users["coordinator"], PASSWORD)
    page.goto(f"{live_server}/insights/battery?threshold=150&days=400")
    percent = "Skriv en procent fra 1 til 100. Enheder under 30 % vises i stedet."
    days = "Skriv et antal dage fra 1 til 366. Enheder, der har været tavse i 14 dage eller mere"
    summary = page.inner_text(".error-summary")
    assert percent in summary and days in summary
    assert percent in page.inner_text("#threshold-error") and days in page.inner_text("#days-error")
    assert page.evaluate("() => document.activeElement.classList.contains('error-summary')")
    assert page.input_value("#threshold") == "150" and page.input_value("#days") == "400"
    assert page.title().startswith("Fejl:") and world.north_unit.serial in page.inner_text("main")
    _everywhere(page, "battery fleet with a refused threshold and days")
    page.fill("#threshold", "20")
    page.fill("#days", "7")
    page.get_by_role("button", name="Vis").click()
    page.wait_for_url("**/insights/battery?threshold=20&days=7")
    assert page.locator(".error-summary").count() == 0
    assert page.get_attribute("#threshold", "aria-invalid") is None
