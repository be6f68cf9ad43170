"""Locksmith jobs in a real browser: a battery alert, a booked fitting and a job the
coordinator makes by hand all reach the locksmith's "My day", and one is completed; axe on
every page, at desktop width and at 390 px, with JavaScript on and off."""

import pytest
from sqlalchemy import select

from portal import clock
from portal.access.signals import battery_low
from portal.locksmith.models import Job
from tests.access.support import make_lock
from tests.booking.browser_steps import sign_in_staff, visit, world_with_job_today
from tests.booking.support import TZ
from tests.browser.conftest import submit
from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}


def _arrange(db):
    """A fitting today, and a lock (at the second citizen's door) reporting a low battery."""
    world, appointment = world_with_job_today(db)
    unit, _key = make_lock(db, citizen=world.citizens[1])
    battery_low.send(db, unit=unit, now=clock.now())
    coordinator = make_user(db, "coordinator")
    db.commit()
    battery = db.scalar(select(Job).where(Job.kind == "battery"))
    return world, unit, battery, coordinator


def _today() -> str:
    return clock.now().astimezone(TZ).date().isoformat()


def _coordinator_plans(page, base, smith, unit, battery):
    """Assign the battery change, then make a repair by hand for the same locksmith."""
    page.goto(f"{base}/coordinator/jobs?kind=battery")
    visit(page, "job list, battery filter")
    page.click(f"a[href='/coordinator/jobs/{battery.id}']")
    page.wait_for_url(f"**/coordinator/jobs/{battery.id}")
    visit(page, "battery job")
    page.select_option("#locksmith", str(smith.id))
    page.fill("#day", _today())
    submit(page, page.get_by_role("button", name="Tildel"))
    page.wait_for_url(f"**/coordinator/jobs/{battery.id}")
    assert "Opgaven er tildelt" in page.inner_text("main")
    visit(page, "battery job assigned")
    page.goto(f"{base}/coordinator/jobs/new")
    visit(page, "new job")
    submit(page, page.get_by_role("button", name="Opret opgaven"))  # nothing filled in
    assert "Vælg hvad opgaven er" in page.inner_text("main")
    visit(page, "new job with errors")
    page.check("#kind-0")  # repair
    page.fill("#lock", str(unit.lock_id))
    page.fill("#instructions", "Enheden drejer trægt")
    page.select_option("#locksmith", str(smith.id))
    page.fill("#day", _today())
    page.get_by_role("button", name="Opret opgaven").click()
    page.wait_for_url("**/coordinator/jobs/*")
    assert "Opgaven er oprettet" in page.inner_text("main")
    visit(page, "repair created")
    submit(page, page.get_by_role("button", name="Log ud"))


def _my_day_has_every_kind(page, world):
    main = page.inner_text("main")
    for text in (world.citizens[0].name, "Montering", "Batteriskift", "Reparation"):
        assert text in main, text
    assert "3 opgaver i dag" in main


@pytest.mark.parametrize("width", ["desktop", "phone"])
def test_battery_fitting_and_coordinator_jobs_reach_my_day(
    browser_page, live_server, live_db, width
):
    page = browser_page
    world, unit, battery, coordinator = _arrange(live_db)
    smith = world.locksmiths[0]
    if width == "phone":
        page.set_viewport_size(PHONE)
    sign_in_staff(page, live_server, coordinator, PASSWORD)
    _coordinator_plans(page, live_server, smith, unit, battery)
    sign_in_staff(page, live_server, smith, PASSWORD)
    page.get_by_role("link", name="Min dag").first.click()
    page.wait_for_url("**/locksmith/")
    _my_day_has_every_kind(page, world)
    visit(page, f"my day ({width})")
    page.locator(f"#job-{battery.id} a.button-primary").click()
    page.wait_for_url(f"**/locksmith/jobs/{battery.id}/complete")
    visit(page, "battery form")
    page.fill("#level", "abc")
    submit(page, page.get_by_role("button", name="Afslut opgaven"))
    assert "Skriv batteriniveauet som et helt tal" in page.inner_text("main")
    visit(page, "battery form with an error")
    page.fill("#level", "97")
    page.get_by_role("button", name="Afslut opgaven").click()
    page.wait_for_url("**/locksmith/")
    assert "Opgaven er afsluttet" in page.inner_text("main")
    assert "Udført" in page.inner_text(f"#job-{battery.id}")
    visit(page, "my day after")
    live_db.expire_all()
    done = live_db.get(Job, battery.id)
    assert (done.status, done.battery_level) == ("done", 97)


def test_the_same_with_javascript_off(nojs_page, live_server, live_db):
    page = nojs_page
    world, unit, battery, coordinator = _arrange(live_db)
    smith = world.locksmiths[0]
    sign_in_staff(page, live_server, coordinator, PASSWORD)
    page.goto(f"{live_server}/coordinator/jobs")
    page.select_option("#kind", "battery")
    page.get_by_role("button", name="Vis opgaver").click()  # the plain GET form
    page.wait_for_url("**/coordinator/jobs?*kind=battery*")
    assert "1 opgave fundet" in page.inner_text("main")
    visit(page, "filtered list")
    _coordinator_plans(page, live_server, smith, unit, battery)
    sign_in_staff(page, live_server, smith, PASSWORD)
    page.goto(f"{live_server}/locksmith/")
    _my_day_has_every_kind(page, world)
    visit(page, "my day")
    repair = live_db.scalar(select(Job).where(Job.kind == "repair"))
    page.locator(f"#job-{repair.id} a.button-primary").click()
    page.wait_for_url(f"**/locksmith/jobs/{repair.id}/complete")
    visit(page, "repair form")
    page.fill("#note", "Beslaget justeret")
    page.get_by_role("button", name="Afslut opgaven").click()
    page.wait_for_url("**/locksmith/")
    assert "Udført" in page.inner_text(f"#job-{repair.id}")
    page.set_viewport_size(PHONE)
    page.axe_page.set_viewport_size(PHONE)  # axe checks the same HTML at the same width
    visit(page, "my day after, 390 px")
    live_db.expire_all()
    assert live_db.get(Job, repair.id).note == "Beslaget justeret"
