"""A relative rebooks; a locksmith completes the job; the coordinator's board shows it."""

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from portal import clock
from portal.audit.models import AuditRecord
from portal.booking import services
from portal.booking.models import Appointment
from tests.booking.browser_steps import (
    CONFIRMATION,
    answer_questions,
    sign_in_citizen,
    sign_in_staff,
    visit,
    world_with_job_today,
)
from tests.booking.support import make_world
from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.browser


def test_a_relative_rebooks(browser_page, live_server, live_db):
    page = browser_page
    world = make_world(live_db, locksmiths=1)
    citizen = world.citizens[0]
    first = services.book_slot(live_db, citizen.id, world.slots(live_db)[0].id, now=clock.now())
    old_slot, reference = first.slot_id, first.reference
    live_db.commit()  # services never commit: the test commits as a view would
    sign_in_citizen(
        page,
        live_server,
        citizen,
        relative={"name": "Ida Holm", "phone": "20 30 40 50", "relation": "child"},
    )
    visit(page, "home as relative")
    page.get_by_role("link", name="Montering", exact=True).click()  # a relative: not "Min"
    page.wait_for_url("**/citizen/booking/")
    visit(page, "start with booking")
    page.get_by_role("link", name="Vælg en anden tid").click()
    answer_questions(page, time_index=3, door_code="2468")
    page.get_by_role("button", name="Bekræft den nye tid").click()
    page.wait_for_url(CONFIRMATION)
    assert f"Tiden for {citizen.name} er flyttet" in page.inner_text("main")  # not "Din tid"
    visit(page, "changed")
    live_db.expire_all()
    moved = live_db.get(Appointment, first.id)
    assert moved.status == "booked" and moved.slot_id != old_slot
    assert moved.door_code == "2468" and moved.reference == reference
    audit = live_db.query(AuditRecord).filter_by(action="appointment_moved").one()
    assert audit.actor.startswith("relative:") and "Ida Holm" in audit.actor
    assert live_db.query(Appointment).count() == 1


def _pem() -> str:
    key = ec.generate_private_key(ec.SECP256R1()).public_key()
    return key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode()


def test_locksmith_completes_and_the_board_shows_it(
    browser_context, browser_page, live_server, live_db
):
    world, job = world_with_job_today(live_db)
    other = services.book_slot(
        live_db, world.citizens[1].id, world.slots(live_db)[3].id, now=clock.now()
    )
    coordinator = make_user(live_db, "coordinator")
    live_db.commit()
    page = browser_page
    sign_in_staff(page, live_server, world.locksmiths[0], PASSWORD)
    page.get_by_role("link", name="Min dag").first.click()
    page.wait_for_url("**/locksmith/")
    visit(page, "my day")
    assert job.door_password in page.inner_text("main")
    page.get_by_role("link", name="Afslut opgaven").first.click()
    page.wait_for_url("**/complete")
    visit(page, "complete form")
    page.fill("#serial", "KFL-000123")
    page.fill("#public_key", _pem())
    for name in ("turns_both_ways", "battery_read", "door_closes", "citizen_told"):
        page.check(f"#{name}")
    page.get_by_role("button", name="Afslut opgaven").click()
    page.wait_for_url("**/locksmith/")
    assert "Monteret" in page.inner_text("main")
    visit(page, "my day after")
    page.get_by_role("button", name="Log ud").click()

    sign_in_staff(page, live_server, coordinator, PASSWORD)
    day = job.slot.local_date.isoformat()
    page.goto(f"{live_server}/coordinator/schedule?campaign={world.campaign.id}&day={day}")
    entry = page.locator(f"#entry-{job.slot_id}")
    assert "Monteret" in entry.inner_text() and world.citizens[0].name in entry.inner_text()
    visit(page, "board")
    # Cancel another booking on its own board, inline with htmx.
    page.goto(
        f"{live_server}/coordinator/schedule?campaign={world.campaign.id}"
        f"&day={other.slot.local_date.isoformat()}"
    )
    card = page.locator(f"#entry-{other.slot_id}")
    card.get_by_role("link", name="Aflys").click()
    card.get_by_role("button", name="Ja, aflys tiden").wait_for()
    visit(page, "inline cancel")
    card.get_by_role("button", name="Ja, aflys tiden").click()
    page.locator(f"#entry-{other.slot_id} >> text=Ledig").wait_for()
    visit(page, "board after cancel")
    for path in (
        "/coordinator/campaigns",
        f"/coordinator/campaigns/{world.campaign.id}",
        "/coordinator/follow-up",
    ):
        page.goto(live_server + path)
        visit(page, path)
    live_db.expire_all()
    assert live_db.get(Appointment, other.id).status == "cancelled"
