"""Shared steps for the booking browser tests in tests/browser (not a test module)."""

import re
from datetime import timedelta

from portal import clock
from portal.booking import services
from tests.booking.support import make_world
from tests.browser.conftest import assert_accessible, assert_on_phone, submit

CONFIRMATION = re.compile(r".*/citizen/booking/\d+(\?.*)?$")


def visit(page, what=""):
    """Every page visited is checked with axe, at desktop width and at 390 px with no sideways
    scroll.

    axe needs JavaScript: for a page with JavaScript off, the same HTML is checked in a
    JavaScript-enabled page of the same origin (set_content keeps that page's URL).
    """
    checker = getattr(page, "axe_page", None)
    if checker is None:
        assert_accessible(page, what)
        assert_on_phone(page, what)  # staff work on phones too (locksmiths always)
        return
    origin = page.url.split("/", 3)
    checker.goto("/".join(origin[:3]) + "/accessibility")
    checker.set_content(page.content())
    assert_accessible(checker, f"{what} (JavaScript off) {page.url}")


def sign_in_citizen(page, base, citizen, relative=None):
    """The letter code and date of birth (and a relative's declaration)."""
    page.goto(base + ("/sign-in/relative" if relative else "/sign-in/citizen"))
    page.fill("#code", citizen.code)
    born = citizen.date_of_birth
    page.fill("#day", str(born.day))
    page.fill("#month", str(born.month))
    page.fill("#year", str(born.year))
    if relative:
        page.fill("#name", relative["name"])
        page.fill("#phone", relative["phone"])
        page.select_option("#relation", relative["relation"])
    page.click("main button[type=submit]")
    page.wait_for_url("**/citizen/")


def sign_in_staff(page, base, user, password):
    """Email and password."""
    page.goto(base + "/sign-in/staff")
    page.fill("#email", user.email)
    page.fill("#password", password)
    submit(page, "main button[type=submit]")


def answer_questions(page, *, time_index=0, door_code="4711"):
    """Day -> time -> details, checking each page; ends on the check page."""
    page.wait_for_url("**/citizen/booking/day*")
    visit(page, "day")
    page.locator("input[name=day]").first.check()
    page.get_by_role("button", name="Fortsæt").click()
    page.wait_for_url("**/citizen/booking/time")
    visit(page, "time")
    page.locator("input[name=time]").nth(time_index).check()
    page.get_by_role("button", name="Fortsæt").click()
    page.wait_for_url(re.compile(r".*/citizen/booking/(details|check)$"))
    if page.url.endswith("/check"):  # changing a booking: the details are already there
        visit(page, "check before changing the details")
        page.get_by_role("link", name="Ret Kode til opgangsdøren").click()
        page.wait_for_url("**/citizen/booking/details")
    visit(page, "details")
    if not page.locator("#opener-0").is_checked():
        page.locator("#opener-0").check()
    page.locator("#interpreter-0").check()
    page.fill("#door_code", door_code)
    page.get_by_role("button", name="Fortsæt").click()
    page.wait_for_url("**/citizen/booking/check")
    visit(page, "check")


def world_with_job_today(db, citizens=2):
    """A world where the first citizen's fitting (booking and job) is happening right now."""
    from tests.locksmith.support import happening_now

    world = make_world(db, citizens=citizens, locksmiths=1)
    slot = world.slots(db)[0]
    job = services.book_slot(
        db, world.citizens[0].id, slot.id, now=clock.now(), cutoff=timedelta(0)
    )
    db.commit()
    happening_now(db, job, clock.now())
    return world, job
