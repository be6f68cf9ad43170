"""Recording a letter batch as posted asks first: in place with htmx, on its own page without
JavaScript; answering "No" changes nothing. axe at 1280 and 390 px on every step."""

import pytest

from portal.letters.models import LetterBatch
from tests.booking.browser_steps import sign_in_staff, visit
from tests.browser.conftest import submit
from tests.factories import PASSWORD, make_citizen, make_district, make_user
from tests.letters.support import make_finished_batch

pytestmark = pytest.mark.browser


def _arrange(live_db, tmp_path):
    district = make_district(live_db, name="Nordby")
    citizen = make_citizen(live_db, district=district)
    batch, _letter = make_finished_batch(live_db, citizen, tmp_path / "batch")
    user = make_user(live_db, "coordinator")
    live_db.commit()
    return batch.id, user


def _status(live_db, batch_id):
    live_db.expire_all()
    return live_db.get(LetterBatch, batch_id).status


def test_posting_asks_in_place_with_javascript(browser_page, live_server, live_db, tmp_path):
    page = browser_page
    batch_id, user = _arrange(live_db, tmp_path)
    sign_in_staff(page, live_server, user, PASSWORD)
    page.goto(f"{live_server}/coordinator/letters/batches/{batch_id}")
    visit(page, "batch ready to print")
    page.get_by_role("link", name="Registrér brevene som sendt i dag").click()
    question = page.locator("#mark-posted [data-focus-on-load]")
    question.get_by_text("Registrér 1 brev som sendt den", exact=False).wait_for()
    assert page.url.endswith(f"/batches/{batch_id}")  # asked in place, not a new page
    assert page.evaluate("document.activeElement.hasAttribute('data-focus-on-load')")
    visit(page, "posting question, in place")
    assert _status(live_db, batch_id) == "done"

    submit(page, question.get_by_role("button", name="Ja, brevene er sendt"))
    page.get_by_text("Brevene er registreret som sendt.", exact=False).wait_for()
    assert _status(live_db, batch_id) == "posted"


def test_posting_asks_on_its_own_page_without_javascript(nojs_page, live_server, live_db, tmp_path):
    page = nojs_page
    batch_id, user = _arrange(live_db, tmp_path)
    sign_in_staff(page, live_server, user, PASSWORD)
    page.goto(f"{live_server}/coordinator/letters/batches/{batch_id}")
    submit(page, page.get_by_role("link", name="Registrér brevene som sendt i dag"))
    assert page.url.endswith(f"/batches/{batch_id}/posted")
    heading = page.get_by_role("heading", level=1)
    assert heading.inner_text() == f"Registrér brevudsendelse {batch_id} som sendt?"
    visit(page, "posting question, own page")
    submit(page, page.get_by_role("link", name="Nej, gå tilbage"))
    assert page.url.endswith(f"/batches/{batch_id}") and _status(live_db, batch_id) == "done"

    submit(page, page.get_by_role("link", name="Registrér brevene som sendt i dag"))
    submit(page, page.get_by_role("button", name="Ja, brevene er sendt"))
    assert page.url.endswith(f"/batches/{batch_id}") and _status(live_db, batch_id) == "posted"
