"""Access in a real browser: a provider admin enrols a phone and blocks it, blocks a staff
member and unblocks her; the citizen sees the visits of a demo shift; the coordinator's lock
pages. axe runs on every page visited."""

import re

import pytest
from sqlalchemy import select

from portal import clock
from portal.access import demoshift
from portal.access.models import Device
from portal.keys import Phone, public_key_to_pem
from tests.access.support import (
    citizen_in,
    enrol,
    make_lock,
    make_staff,
    make_visits,
    make_world,
    shift_body,
    start_shift,
)
from tests.browser.conftest import assert_accessible, assert_on_phone, submit
from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.browser


def _sign_in_staff(page, base, email):
    page.goto(base + "/sign-in/staff")
    assert_accessible(page, "staff sign-in")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    submit(page, "main button[type=submit]")


def test_provider_admin_enrols_a_phone_and_blocks_it(browser_page, live_server, live_app, live_db):
    page = browser_page
    w = make_world(live_db)
    member = make_staff(live_db, [w.team_north])
    admin = make_user(live_db, "provider_admin", provider_id=w.municipal.id)
    live_db.commit()
    _sign_in_staff(page, live_server, admin.email)
    page.goto(live_server + "/provider/staff")
    assert_accessible(page, "staff list")
    page.click(f"a[href='/provider/staff/{member.id}']")
    page.wait_for_url(f"**/provider/staff/{member.id}")
    assert_accessible(page, "staff detail")
    page.click("#enrolment button[type=submit]")  # htmx swaps the code into the page
    code = page.locator("[data-testid=enrolment-code]").inner_text(timeout=10000)
    assert re.fullmatch(r"[A-Z0-9]{5}-[A-Z0-9]{5}", code)
    assert_accessible(page, "enrolment code shown")
    phone = Phone.generate()
    enrolled = live_app.test_client().post(
        "/api/v1/enrolments",
        json={"enrolment_code": code, "public_key": public_key_to_pem(phone.public_key)},
    )
    assert enrolled.status_code == 201
    page.reload()
    block = page.locator("#device-1-actions a, [id^=device-][id$=-actions] a").first
    block.click()  # htmx fetches the confirm step into the row
    page.locator(".confirm-block button[type=submit]").wait_for()
    assert_accessible(page, "confirm block")
    page.click(".confirm-block button[type=submit]")
    page.locator(".alert-success").wait_for()
    live_db.expire_all()
    device = live_db.scalar(select(Device))
    assert device.status == "blocked" and device.blocked_at is not None
    shown = page.locator("[data-bulletin-seq]").get_attribute("data-bulletin-seq")
    assert shown == str(device.blocked_bulletin_seq)
    assert page.locator("[id^=device-][id$=-actions] a.button").count() == 0
    assert "Spærringen er endelig." in page.locator("[id^=device-][id$=-actions]").inner_text()
    assert_accessible(page, "after block")
    body = shift_body(phone, enrolled.get_json()["device_id"], member.staff_number)
    refused = live_app.test_client().post("/api/v1/shifts", json=body)
    assert refused.status_code == 403 and refused.get_json()["type"].endswith(":device-blocked")


def test_provider_admin_blocks_a_staff_member_and_unblocks_her(
    browser_page, live_server, live_app, live_db
):
    page = browser_page
    w = make_world(live_db)
    make_lock(live_db, citizen_in(live_db, w))
    member = make_staff(live_db, [w.team_north])
    admin = make_user(live_db, "provider_admin", provider_id=w.municipal.id)
    live_db.commit()
    api = live_app.test_client()
    phone, device_id = enrol(api, live_db, member)
    assert start_shift(api, phone, device_id, member.staff_number).status_code == 201
    _sign_in_staff(page, live_server, admin.email)
    page.goto(f"{live_server}/provider/staff/{member.id}")
    page.click("#block-staff a")  # htmx fetches the confirm step in place
    confirm = page.locator("#block-staff .confirm-block")
    confirm.locator("button[type=submit]").wait_for()
    assert "kan senere ophæve spærringen" in confirm.inner_text()
    assert_accessible(page, "confirm staff block")
    assert_on_phone(page, "confirm staff block")
    confirm.locator("button[type=submit]").click()
    page.locator(".alert-success").wait_for()
    assert "Ved dørene" in page.locator("main").inner_text()
    assert "0 af 1 dør" in page.locator("main").inner_text()
    assert_accessible(page, "blocked staff member")
    assert_on_phone(page, "blocked staff member")
    page.set_viewport_size({"width": 390, "height": 844})  # unblocked from a phone, no htmx
    page.goto(f"{live_server}/provider/staff/{member.id}/unblock")
    assert "Nøgler udstedt før spærringen forbliver tilbagekaldt" in page.inner_text("main")
    assert_on_phone(page, "confirm unblock page")
    submit(page, "main .confirm-block button[type=submit]")
    page.wait_for_url(f"**/provider/staff/{member.id}")
    assert "kan starte vagter igen" in page.locator(".alert-success").inner_text()
    assert page.locator("#enrolment").count() == 1
    assert_on_phone(page, "unblocked staff member")
    page.set_viewport_size({"width": 1280, "height": 900})
    assert_accessible(page, "unblocked staff member")
    assert start_shift(api, phone, device_id, member.staff_number).status_code == 201


def test_citizen_sees_the_visits_of_the_demo_shift(browser_page, live_server, live_app, live_db):
    page = browser_page
    w = make_world(live_db)
    citizen = citizen_in(live_db, w)
    make_staff(live_db, [w.team_north], pin=demoshift.DEMO_PIN, number=demoshift.DEMO_STAFF_NUMBER)
    live_db.commit()
    result = demoshift.run(live_app, live_db, now=clock.now())
    assert result.upload["accepted"] == 2 and len(result.visits) == 1
    first_name = result.visits[0].staff.first_name
    page.goto(live_server + "/sign-in/citizen")
    page.fill("#code", citizen.code)
    born = citizen.date_of_birth
    page.fill("#day", str(born.day))
    page.fill("#month", str(born.month))
    page.fill("#year", str(born.year))
    page.click("main button[type=submit]")
    page.wait_for_url("**/citizen/")
    table = page.locator("main table").last
    assert first_name in table.inner_text()
    assert_accessible(page, "citizen home with visit log")


def test_coordinator_lock_pages(browser_page, live_server, live_db):
    page = browser_page
    w = make_world(live_db)
    unit, key = make_lock(live_db, citizen_in(live_db, w))
    make_visits(live_db, unit, key, make_staff(live_db, [w.team_north]), count=2, battery=9)
    coordinator = make_user(live_db, "coordinator")
    live_db.commit()
    _sign_in_staff(page, live_server, coordinator.email)
    for url in (
        "/coordinator/locks",
        f"/coordinator/locks/{unit.id}",
        "/coordinator/jobs?kind=battery",
        "/provider/visits",
        f"/coordinator/citizens/{unit.citizen_id}",
        "/coordinator/locks/new",
    ):
        page.goto(live_server + url)
        assert_accessible(page, url)
    page.fill("#serial", "X 1")
    page.click("main form button[type=submit]")
    page.locator(".error-summary").wait_for()
    assert_accessible(page, "lock form with errors")
