"""Relocations, removals, the lock inventory and the key cabinet in a real browser.

A citizen moves (the register's signal is sent in the setup): the locksmith completes the
relocation with its checklist and a photo, the coordinator sees the unit moved and the photo.
Care ends: the provider admin hands a key out and puts it back, the locksmith completes the
removal and the keys are signed for, the cabinet shows them returned, the coordinator resets
the removed unit and puts it back in stock. axe on every page, at desktop width and 390 px,
in Danish and Swedish, with JavaScript on and off.
"""

import pytest

from portal.access.models import LockUnit
from portal.changes import keycabinet
from portal.changes.keycabinet_models import CabinetKey
from portal.locksmith.models import Job
from portal.locksmith.models_photos import JobPhoto
from tests.booking.browser_steps import sign_in_staff, visit
from tests.browser.conftest import submit
from tests.factories import PASSWORD, make_provider, make_user
from tests.locksmith.change_support import fitted, jpeg, leave, planned_today, relocate

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}
DONE = {"da": "Opgaven er afsluttet", "sv": "Uppdraget är avslutat"}


def _language(page, base, lang):
    page.goto(f"{base}/language/{lang}?next=/accessibility")
    page.wait_for_load_state()


def _complete(page, job, ticks, *, photo_path=None, extra=None):
    page.locator(f"#job-{job.id} a.button-primary").click()
    page.wait_for_url(f"**/locksmith/jobs/{job.id}/restore")
    visit(page, "complete the change job")
    page.check(f"input[name=checklist][value={ticks[0]}]")
    submit(page, "main form button[type=submit]")  # the rest not ticked: the form comes back
    assert page.locator(".form-error").count() >= 1
    assert page.locator(f"input[name=checklist][value={ticks[0]}]").is_checked()
    visit(page, "complete the change job, with an error")
    for tick in ticks[1:]:
        page.check(f"input[name=checklist][value={tick}]")
    for selector, value in (extra or {}).items():
        if selector.startswith("#parts"):
            page.check(selector)
        else:
            page.fill(selector, value)
    if photo_path:
        page.set_input_files("#photo", str(photo_path))
    page.click("main form button[type=submit]")
    page.wait_for_url("**/locksmith/")


@pytest.mark.parametrize(
    "width, lang, javascript",
    [("desktop", "da", True), ("phone", "sv", True), ("phone", "da", False)],
)
def test_citizen_moves_and_the_locksmith_completes_the_relocation(
    request, live_server, live_db, tmp_path, width, lang, javascript
):
    page = request.getfixturevalue("browser_page" if javascript else "nojs_page")
    citizen, unit = fitted(live_db, address="Gammelvej 1")
    job = relocate(live_db, citizen, "Nyvej 5")
    smith = planned_today(live_db, job)
    coordinator = make_user(live_db, "coordinator")
    live_db.commit()
    photo = tmp_path / "door.jpg"
    photo.write_bytes(jpeg())
    if width == "phone":
        page.set_viewport_size(PHONE)
        if not javascript:
            page.axe_page.set_viewport_size(PHONE)  # axe checks the same HTML at the same width
    _language(page, live_server, lang)
    sign_in_staff(page, live_server, smith, PASSWORD)
    page.goto(f"{live_server}/locksmith/")
    main = page.inner_text("main")
    assert "Gammelvej 1" in main and "Nyvej 5" in main
    visit(page, f"my day with a relocation ({width}, {lang})")
    ticks = ["door_restored", "parts_returned", "unit_fitted", "turns_both_ways"]
    _complete(page, job, ticks, photo_path=photo, extra={"#parts_stored-0": "home"})
    assert DONE[lang] in page.inner_text("main")
    visit(page, "my day after the relocation")
    live_db.expire_all()
    moved = live_db.get(LockUnit, unit.id)
    assert moved.state == "fitted" and moved.parts_stored == "home"
    assert live_db.get(Job, job.id).status == "done"
    assert live_db.query(JobPhoto).filter_by(job_id=job.id).count() == 1
    page.context.clear_cookies()
    _language(page, live_server, lang)
    sign_in_staff(page, live_server, coordinator, PASSWORD)
    page.goto(f"{live_server}/coordinator/jobs/{job.id}")
    assert page.locator("img.portal-job-photo").count() == 1
    visit(page, "the coordinator's job page with the photo")
    page.goto(f"{live_server}/coordinator/inventory/{unit.id}")
    assert "Nyvej 5" in page.inner_text("main")
    visit(page, "the unit's history")


def _removal_world(db):
    provider = make_provider(db)
    citizen, unit = fitted(db, provider=provider)
    admin = make_user(db, "provider_admin", provider_id=provider.id)
    from portal import clock
    from portal.audit.services import SYSTEM

    now = clock.now()
    cabinet = keycabinet.create_cabinet(
        db, provider.id, "Skab 1", "Kontoret", now=now, actor=SYSTEM
    )
    keycabinet.create_cabinet(db, provider.id, "Skab 2", "Kælderen", now=now, actor=SYSTEM)
    key = keycabinet.store_key(
        db,
        cabinet,
        external_id=citizen.external_id,
        kind="day",
        tag="D-7",
        now=now,
        actor=SYSTEM,
        tz="Europe/Copenhagen",
    )
    coordinator = make_user(db, "coordinator")
    db.commit()
    return citizen, unit, admin, key, coordinator


@pytest.mark.parametrize("mode", ["javascript-off-sv", "javascript-on-da-phone"])
def test_care_ends_the_removal_is_done_and_the_keys_are_returned(
    request, live_server, live_db, mode
):
    page = request.getfixturevalue("nojs_page" if "off" in mode else "browser_page")
    lang = mode.split("-")[2]
    if "phone" in mode:
        page.set_viewport_size(PHONE)
    citizen, unit, admin, key, coordinator = _removal_world(live_db)
    _language(page, live_server, lang)
    sign_in_staff(page, live_server, admin, PASSWORD)
    page.goto(f"{live_server}/key-cabinets")
    visit(page, "the provider's key cabinets")
    page.click(f"a[href='/key-cabinets/{key.cabinet_id}']:visible")
    page.wait_for_url(f"**/key-cabinets/{key.cabinet_id}")
    visit(page, "the cabinet")
    page.click(f"a[href='/key-cabinets/keys/{key.id}']")
    page.wait_for_url(f"**/key-cabinets/keys/{key.id}")
    assert page.locator("#move-cabinet").count() == 1  # the provider's other cabinet
    visit(page, "the key")
    submit(page, "main form button[type=submit]")  # no name: the form comes back
    assert page.locator("#person[aria-invalid=true]").count() == 1
    visit(page, "the key, with an error")
    page.fill("#person", "Nattevagt Nina")
    submit(page, "main form button[type=submit]")  # hand out
    page.wait_for_url(f"**/key-cabinets/keys/{key.id}")
    page.fill("#person", "Nattevagt Nina")
    submit(page, f"button[formaction='/key-cabinets/keys/{key.id}/put_back']")
    page.wait_for_url(f"**/key-cabinets/keys/{key.id}")
    assert page.locator("main table").last.locator("tbody tr").count() == 3  # in, out, back
    visit(page, "the key after a handout and a return")

    job = leave(live_db, citizen, "deceased", estate_contact="Kim Arving, 20 30 40 50")
    smith = planned_today(live_db, job)
    page.context.clear_cookies()
    _language(page, live_server, lang)
    sign_in_staff(page, live_server, smith, PASSWORD)
    page.goto(f"{live_server}/locksmith/")
    assert "Kim Arving, 20 30 40 50" in page.inner_text("main")
    visit(page, "my day with a removal")
    ticks = ["door_restored", "parts_returned", "keys_returned"]
    _complete(page, job, ticks, extra={"#signed_by": "Kim Arving"})
    assert DONE[lang] in page.inner_text("main")
    visit(page, "my day after the removal")
    live_db.expire_all()
    assert live_db.get(CabinetKey, key.id).status == "returned"
    gone = live_db.get(LockUnit, unit.id)
    assert gone.state == "removed" and not gone.active

    page.context.clear_cookies()
    _language(page, live_server, lang)
    sign_in_staff(page, live_server, coordinator, PASSWORD)
    page.goto(f"{live_server}/coordinator/inventory?state=removed")
    visit(page, "the inventory, removed units")
    page.click(f"a[href='/coordinator/inventory/{unit.id}']")
    page.wait_for_url(f"**/coordinator/inventory/{unit.id}")
    visit(page, "the removed unit")
    page.fill("#note", "Nulstillet")
    submit(page, f"button[formaction='/coordinator/inventory/{unit.id}/record_reset']")
    page.wait_for_url(f"**/coordinator/inventory/{unit.id}")
    submit(page, f"button[formaction='/coordinator/inventory/{unit.id}/back_to_stock']")
    page.wait_for_url(f"**/coordinator/inventory/{unit.id}")
    visit(page, "the unit back in stock")
    live_db.expire_all()
    assert live_db.get(LockUnit, unit.id).state == "in_stock"
    page.goto(f"{live_server}/key-cabinets/keys/{key.id}")
    assert "Kim Arving" in page.inner_text("main")
    visit(page, "the coordinator reads the key's log")
