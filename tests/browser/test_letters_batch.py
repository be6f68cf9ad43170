"""A coordinator previews a letter, starts a small batch, watches it finish, downloads the file."""

import threading
import time
from pathlib import Path

import pytest
from pypdf import PdfReader

from portal.extensions import db as _db
from tests.booking.browser_steps import sign_in_staff, visit
from tests.browser.conftest import PHONE, assert_accessible
from tests.factories import PASSWORD, make_citizen, make_district, make_user

pytestmark = pytest.mark.browser


@pytest.fixture
def background_jobs(live_app, monkeypatch):
    """Run queued batches in a thread after a pause, as a job consumer would."""
    from portal.letters import jobs
    from portal.letters.batch import run_batch

    threads = []

    def consume(batch_id: int) -> None:
        time.sleep(2.5)  # long enough for the page to show the batch waiting
        with live_app.app_context():
            run_batch(
                _db.session,
                batch_id,
                config=live_app.config,
                keyring=live_app.extensions["keyring"],
                processes=0,
            )
            _db.session.remove()

    def enqueue(batch_id: int) -> None:
        thread = threading.Thread(target=consume, args=(batch_id,), daemon=True)
        threads.append(thread)
        thread.start()

    monkeypatch.setattr(jobs, "enqueue_batch", enqueue)
    yield
    for thread in threads:
        thread.join(timeout=60)


def test_coordinator_runs_a_letter_batch(browser_page, live_server, live_db, background_jobs):
    page = browser_page
    district = make_district(live_db, name="Nordby")
    # Addresses in order, so the Danish citizen's letter is the first (letters go out in
    # postcode, address order) whatever the factory's running counter has reached.
    for i, lang in enumerate(("da", "sv", "en")):
        make_citizen(live_db, district=district, language=lang, address=f"Brevvej {i}")
    user = make_user(live_db, "coordinator")
    live_db.commit()

    page.goto(live_server + "/sign-in/staff")
    page.fill("#email", user.email)
    page.fill("#password", PASSWORD)
    page.locator("main button[type=submit]").click()
    page.get_by_role("link", name="Breve", exact=True).click()
    page.wait_for_url("**/coordinator/letters")
    assert_accessible(page, "letters, nothing chosen")

    page.select_option("#scope", label="Nordby")  # htmx fetches the count on change
    choice = page.locator("#letter-choice")
    choice.get_by_text("3 breve", exact=True).wait_for()
    assert_accessible(page, "letters, district chosen")

    choice.get_by_role("link", name="som webside").click()
    page.get_by_role("heading", level=1).wait_for()
    assert page.locator("html").get_attribute("lang") == "da"
    assert page.get_by_text("Din personlige kode:").is_visible()
    assert_accessible(page, "letter preview")
    page.go_back()

    page.locator("#letter-choice").get_by_role("button", name="Lav 3 breve").click()
    page.get_by_role("heading", name="Brevudsendelse", exact=False).wait_for()
    progress = page.locator("#batch-progress")
    assert progress.get_attribute("hx-trigger") == "every 2s"
    assert_accessible(page, "batch running")
    page.evaluate("window.stillTheSamePage = true")
    progress.get_by_text("Klar til print").wait_for(timeout=45000)
    assert page.evaluate("window.stillTheSamePage === true")  # swapped by htmx, not reloaded
    assert progress.get_by_text("3 af 3 breve er lavet.").is_visible()
    assert_accessible(page, "batch done")

    with page.expect_download() as download:
        progress.get_by_role("link", name="Printfil", exact=False).click()
    merged = Path(download.value.path())
    assert merged.read_bytes().startswith(b"%PDF")
    assert len(PdfReader(merged).pages) == 6


def test_the_letter_preview_is_a4_on_a_desktop_and_fits_a_phone(browser_page, live_server, live_db):
    page = browser_page
    citizen = make_citizen(live_db, district=make_district(live_db, name="Nordby"))
    user = make_user(live_db, "coordinator")
    live_db.commit()
    sign_in_staff(page, live_server, user, PASSWORD)
    page.goto(f"{live_server}/coordinator/letters/preview/{citizen.id}")
    sheet = "() => document.body.getBoundingClientRect().width"
    assert abs(page.evaluate(sheet) - 210 / 25.4 * 96) < 1  # A4's width, at full size
    visit(page, "letter preview")  # axe at 1280 and at 390 px, with no sideways scroll
    page.set_viewport_size(PHONE)
    assert page.evaluate(sheet) <= PHONE["width"]
    link = page.get_by_role("link", name="Tilbage til breve")
    assert link.bounding_box()["height"] >= 16  # the links above the sheet keep their size
    assert_accessible(page, "letter preview, 390 px")


def test_a_finished_batch_lists_the_letters_not_sent(browser_page, live_server, live_db, live_app):
    from portal.audit.services import SYSTEM
    from portal.citizens import lifecycle
    from portal.letters import scope, services
    from portal.letters.batch import run_batch
    from tests.factories import NOW

    page = browser_page
    district = make_district(live_db, name="Nordby")
    people = [make_citizen(live_db, district=district, language=lang) for lang in ("da", "sv")]
    user = make_user(live_db, "coordinator")
    live_db.commit()
    with live_app.app_context():
        batch = services.create_batch(
            _db.session,
            scope.Scope(district.id, None, district.name),
            only_new=False,
            actor=SYSTEM,
            now=NOW,
        )
        _db.session.commit()
        batch_id = batch.id
        lifecycle.care_ended(_db.session.get(type(people[1]), people[1].id))
        _db.session.commit()
        config, keyring = live_app.config, live_app.extensions["keyring"]
        run_batch(_db.session, batch_id, config=config, keyring=keyring, processes=0)
        _db.session.remove()
    sign_in_staff(page, live_server, user, PASSWORD)
    page.goto(f"{live_server}/coordinator/letters/batches/{batch_id}")
    progress = page.locator("#batch-progress")
    progress.get_by_text("Klar til print").wait_for()
    assert progress.get_by_text("1 brev ikke sendt", exact=False).is_visible()
    row = progress.get_by_role("row", name=people[1].name)
    assert "Får ikke længere hjemmepleje" in row.inner_text()
    visit(page, "batch with a letter not sent")  # axe at 1280 and 390 px, no sideways scroll
