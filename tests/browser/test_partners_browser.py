"""Entrance units and partner access in a real browser, in Danish and Swedish, at desktop width
and at 390 px, with JavaScript on and off; axe on every page visited.

- A locksmith fits the entrance unit of a job made by consent's `entrance_granted` signal.
- A partner admin enrols a courier's phone and blocks it.
- A partner admin blocks a courier and unblocks them again.
"""

from datetime import time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from babel.messages.pofile import read_po
from sqlalchemy import select

from portal import clock
from portal.access.models import Device, LockUnit, Staff
from portal.audit.services import SYSTEM
from portal.consent import partners
from portal.consent.signals import entrance_granted
from portal.keys import Phone, public_key_to_pem
from portal.locksmith import services
from portal.locksmith.models import Job
from tests.access.support import shift_body
from tests.booking.browser_steps import sign_in_staff, visit
from tests.browser.conftest import submit
from tests.factories import PASSWORD, make_property, make_user
from tests.locksmith.support import pem

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}
PORTAL = Path(__file__).resolve().parents[2] / "portal"
TZ = ZoneInfo("Europe/Copenhagen")
CASES = [("da", "desktop"), ("sv", "phone")]


def t(feature: str, lang: str, msgid: str) -> str:
    """The catalog's translation (so the test reads what the page shows)."""
    path = PORTAL / feature / "translations" / lang / "LC_MESSAGES" / "messages.po"
    with open(path, "rb") as fh:
        text = read_po(fh)[msgid].string
    assert text, f"no {lang} translation for {msgid!r}"
    return text


def _language(page, base, lang, width):
    if width == "phone":
        page.set_viewport_size(PHONE)
    page.goto(f"{base}/language/{lang}?next=/sign-in/staff")
    assert page.locator("html").get_attribute("lang") == lang


def _granted_entrance_job(db):
    """An entrance granted through the signal, its job planned for a locksmith today."""
    now = clock.now()
    today = now.astimezone(TZ).date()
    entrance = make_property(db).entrances[0]
    entrance.consent_status = "granted"
    windows = [(today.weekday(), time(7), time(15)), ((today.weekday() + 2) % 7, time(9), time(11))]
    entrance_granted.send(db, entrance=entrance, windows=windows, now=now, actor=SYSTEM)
    job = db.scalar(select(Job).where(Job.entrance_id == entrance.id))
    smith = make_user(db, "locksmith")
    services.assign(db, job, smith.id, today, now=now, actor=SYSTEM)
    db.commit()
    return entrance, job, smith


def _fit(page, base, lang, job, entrance):
    page.goto(base + "/locksmith/")
    main = page.inner_text("main")
    assert t("locksmith", lang, "When the owner lets the fitter come") in main
    assert "07:00–15:00" in main and entrance.label in main
    visit(page, f"my day ({lang})")
    page.goto(f"{base}/locksmith/jobs/{job.id}/complete")
    visit(page, "complete form")
    page.fill("#serial", "ENT-77")
    page.fill("#public_key", "not a key")
    submit(page, page.get_by_role("button", name=t("locksmith", lang, "Complete the job")))
    assert page.locator(".error-summary").count() == 1
    visit(page, "complete form with errors")
    assert page.input_value("#serial") == "ENT-77"  # nothing lost
    page.fill("#public_key", pem())
    for box in ("turns_both_ways", "battery_read", "door_closes", "citizen_told"):
        page.check(f"#{box}")
    page.get_by_role("button", name=t("locksmith", lang, "Complete the job")).click()
    page.wait_for_url("**/locksmith/")
    assert t(
        "locksmith", lang, "The job is completed and the unit is registered."
    ) in page.inner_text("main")
    visit(page, "my day after fitting")


@pytest.mark.parametrize(("lang", "width"), CASES)
def test_locksmith_fits_the_entrance(browser_page, live_server, live_db, lang, width):
    page = browser_page
    entrance, job, smith = _granted_entrance_job(live_db)
    _language(page, live_server, lang, width)
    sign_in_staff(page, live_server, smith, PASSWORD)
    _fit(page, live_server, lang, job, entrance)
    live_db.expire_all()
    unit = live_db.scalar(select(LockUnit).where(LockUnit.serial == "ENT-77"))
    assert unit.entrance_id == entrance.id and unit.citizen_id is None


def test_locksmith_fits_the_entrance_with_javascript_off(nojs_page, live_server, live_db):
    entrance, job, smith = _granted_entrance_job(live_db)
    sign_in_staff(nojs_page, live_server, smith, PASSWORD)
    _fit(nojs_page, live_server, "da", job, entrance)
    live_db.expire_all()
    assert live_db.scalar(select(LockUnit).where(LockUnit.serial == "ENT-77")) is not None


def _courier_with_admin(db):
    from portal.access.partner_staff import create_partner_staff

    now = clock.now()
    company = partners.create_company(
        db, name="Postbud A/S", categories=["post"], now=now, actor=SYSTEM
    )
    courier, _ = create_partner_staff(
        db,
        company_id=company.id,
        staff_number="PB-1",
        first_name="Per",
        last_name="Post",
        pin="482910",
        now=now,
        actor=SYSTEM,
    )
    admin = make_user(db, "partner_admin", partner_company_id=company.id)
    db.commit()
    return courier, admin


def _enrol(app, code):
    phone = Phone.generate()
    response = app.test_client().post(
        "/api/v1/enrolments",
        json={"enrolment_code": code, "public_key": public_key_to_pem(phone.public_key)},
    )
    assert response.status_code == 201
    return phone, response.get_json()["device_id"]


def _blocked(db, app, phone, device_id, courier):
    db.expire_all()
    device = db.scalar(select(Device).where(Device.public_id == device_id))
    assert device.status == "blocked" and device.blocked_bulletin_seq
    refused = app.test_client().post(
        "/api/v1/shifts", json=shift_body(phone, device_id, courier.staff_number)
    )
    assert refused.status_code == 403 and refused.get_json()["type"].endswith(":device-blocked")


BLOCKED_PHONE = (
    "The phone has been blocked since %(time)s. Revocation bulletin no. %(seq)s goes out to the"
    " locks with the phones that visit them. The block is final."
)


@pytest.mark.parametrize(("lang", "width"), CASES)
def test_partner_admin_blocks_a_phone(browser_page, live_server, live_app, live_db, lang, width):
    page = browser_page
    courier, admin = _courier_with_admin(live_db)
    _language(page, live_server, lang, width)
    sign_in_staff(page, live_server, admin, PASSWORD)
    page.wait_for_url("**/partner/staff")
    assert "Per Post" in page.inner_text("main")
    visit(page, f"couriers ({lang}, {width})")
    page.click(f"a[href='/partner/staff/{courier.id}']")
    page.wait_for_url(f"**/partner/staff/{courier.id}")
    visit(page, "courier")
    page.click("#enrolment button[type=submit]")  # htmx swaps the code in
    code = page.locator("[data-testid=enrolment-code]").inner_text()
    visit(page, "enrolment code")
    phone, device_id = _enrol(live_app, code)
    page.reload()
    page.locator("[id^=device-][id$=-actions] a").first.click()  # htmx: the confirm step
    page.locator(".confirm-block button[type=submit]").wait_for()
    visit(page, "confirm block")
    page.click(".confirm-block button[type=submit]")
    # htmx follows HX-Redirect to the courier's page, the URL it is already on, and that page
    # may already show a success alert: the new page is there once the phone's row says it is
    # blocked (neither the old page nor the confirmation swapped into it has that tag).
    row = page.locator("[id^=device-]:not([id$=-actions])")
    row.get_by_text(t("access", lang, "Blocked"), exact=True).wait_for()
    page.wait_for_load_state("networkidle")
    said = t("access", lang, BLOCKED_PHONE).split("%(time)s")[0]
    assert said in page.locator(".alert-success").inner_text()
    assert page.get_by_role("link", name=t("access", lang, "Block phone")).count() == 0
    visit(page, "phone blocked")
    _blocked(live_db, live_app, phone, device_id, courier)


def test_partner_admin_blocks_a_phone_with_javascript_off(
    nojs_page, live_server, live_app, live_db
):
    page = nojs_page
    courier, admin = _courier_with_admin(live_db)
    sign_in_staff(page, live_server, admin, PASSWORD)
    page.goto(f"{live_server}/partner/staff/{courier.id}")
    page.click("#enrolment button[type=submit]")  # a plain POST: the code on its own page
    code = page.locator("[data-testid=enrolment-code]").inner_text()
    visit(page, "enrolment code page")
    phone, device_id = _enrol(live_app, code)
    page.goto(f"{live_server}/partner/staff/{courier.id}")
    visit(page, "courier with a phone")
    page.locator("[id^=device-][id$=-actions] a").first.click()  # the confirm page
    page.wait_for_url("**/partner/devices/*/block")
    visit(page, "confirm page")
    page.click(".confirm-block button[type=submit]")
    page.wait_for_url(f"**/partner/staff/{courier.id}")
    assert t("access", "da", "Block phone") not in page.inner_text("main table")
    visit(page, "after block")
    _blocked(live_db, live_app, phone, device_id, courier)


def _block_then_unblock(page, base, courier, lang):
    """The courier's page -> block (confirm) -> blocked -> unblock (confirm) -> active again."""
    page.goto(f"{base}/partner/staff/{courier.id}")
    visit(page, "courier")
    page.get_by_role(
        "link", name=t("access", lang, "Block %(name)s") % {"name": "Per Post"}
    ).click()
    page.locator(".confirm-block button[type=submit]").wait_for()
    visit(page, "confirm block")
    page.click(".confirm-block button[type=submit]")
    page.wait_for_url(f"**/partner/staff/{courier.id}")
    unblock = t("access", lang, "Unblock %(name)s") % {"name": "Per Post"}
    page.get_by_role("link", name=unblock).wait_for()
    assert t("access", lang, "Unblock the courier") in page.inner_text("main")
    visit(page, "courier blocked")
    page.get_by_role("link", name=unblock).click()
    button = page.get_by_role("button", name=t("access", lang, "Yes, unblock"))
    button.wait_for()
    main = page.inner_text("main")
    assert t("access", lang, "Unblock %(name)s?") % {"name": "Per Post"} in main
    assert (
        t(
            "access",
            lang,
            "Keys issued before the block stay revoked until they expire."
            " Phones blocked on their own stay blocked.",
        )
        in main
    )
    visit(page, "confirm unblock")
    button.click()
    # The confirmation was swapped into the courier's page (same URL, the block's flash still
    # shown): the new page is there once it offers to block again.
    block = t("access", lang, "Block %(name)s") % {"name": "Per Post"}
    page.get_by_role("link", name=block).wait_for()
    page.wait_for_load_state("networkidle")
    main = page.inner_text("main")
    assert t("access", lang, "Block the courier") in main
    assert "Per Post" in page.locator(".alert-success").inner_text()
    visit(page, "courier unblocked")


@pytest.mark.parametrize(("lang", "width"), CASES)
def test_partner_admin_blocks_and_unblocks_a_courier(
    browser_page, live_server, live_db, lang, width
):
    page = browser_page
    courier, admin = _courier_with_admin(live_db)
    _language(page, live_server, lang, width)
    sign_in_staff(page, live_server, admin, PASSWORD)
    page.wait_for_url("**/partner/staff")
    _block_then_unblock(page, live_server, courier, lang)
    live_db.expire_all()
    assert live_db.get(Staff, courier.id).status == "active"


def test_partner_admin_blocks_and_unblocks_a_courier_with_javascript_off(
    nojs_page, live_server, live_db
):
    courier, admin = _courier_with_admin(live_db)
    sign_in_staff(nojs_page, live_server, admin, PASSWORD)
    _block_then_unblock(nojs_page, live_server, courier, "da")
    live_db.expire_all()
    assert live_db.get(Staff, courier.id).status == "active"


@pytest.mark.parametrize(("lang", "width"), CASES)
def test_coordinator_and_owner_partner_pages(browser_page, live_server, live_db, lang, width):
    page = browser_page
    prop = make_property(live_db)
    company = partners.create_company(
        live_db, name="Avis ApS", categories=["newspapers"], now=clock.now(), actor=SYSTEM
    )
    coordinator = make_user(live_db, "coordinator")
    owner = make_user(live_db, "owner", owner_organisation_id=prop.owner_id)
    live_db.commit()
    _language(page, live_server, lang, width)
    sign_in_staff(page, live_server, coordinator, PASSWORD)
    for url in (
        "/coordinator/partners",
        "/coordinator/partners/new",
        f"/coordinator/partners/{company.id}",
    ):
        page.goto(live_server + url)
        visit(page, url)
    page.goto(live_server + "/coordinator/partners/new")
    page.get_by_role("button", name=t("consent", lang, "Approve the company")).click()
    page.locator(".error-summary").wait_for()
    visit(page, "new company with errors")
    page.context.clear_cookies()
    page.goto(f"{live_server}/language/{lang}?next=/sign-in/staff")
    sign_in_staff(page, live_server, owner, PASSWORD)
    entrance = prop.entrances[0]
    for url in (
        "/owner/partners",
        "/owner/partners/passages",
        f"/owner/partners/entrances/{entrance.id}",
    ):
        page.goto(live_server + url)
        visit(page, url)
    page.check("#newspapers_days-0")
    page.fill("#newspapers_from", "9")
    page.fill("#newspapers_to", "6:00")
    page.get_by_role("button", name=t("consent", lang, "Save the windows")).click()
    page.locator(".error-summary").wait_for()
    visit(page, "windows with errors")
    page.fill("#newspapers_from", "05:00")
    page.get_by_role("button", name=t("consent", lang, "Save the windows")).click()
    page.wait_for_url("**/owner/partners")
    assert "05:00–06:00" in page.inner_text("main")
    visit(page, "windows saved")
