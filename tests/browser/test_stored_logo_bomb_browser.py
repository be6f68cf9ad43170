"""A logo stored before the bomb check: the texts page says in words that it must be uploaded
again, the header shows no logo; axe at 1280 and 390 px."""

import pytest

from portal.audit.services import SYSTEM
from portal.directory import settings
from portal.directory.models import MunicipalitySetting
from tests.booking.browser_steps import sign_in_staff, visit
from tests.browser.conftest import PHONE, look
from tests.directory.test_setup_logo_and_truth import use_bomb
from tests.factories import NOW, PASSWORD, make_user

pytestmark = pytest.mark.browser


def test_the_texts_page_asks_for_the_stored_bomb_to_be_uploaded_again(
    browser_page, live_server, live_db
):
    page = browser_page
    user = make_user(live_db, "coordinator")
    settings.save_logo(live_db, use_bomb(), "image/svg+xml", "b" * 64, now=NOW, actor=SYSTEM)
    live_db.commit()
    try:
        sign_in_staff(page, live_server, user, PASSWORD)
        page.goto(f"{live_server}/coordinator/setup/texts")
        alert = page.locator(".alert-warning")
        alert.get_by_role("heading", name="Upload logoet igen").wait_for()
        assert "Det gemte logo kan ikke bruges" in alert.inner_text()
        assert page.locator("header img").count() == 0
        assert page.locator("img.portal-logo-preview").count() == 0
        visit(page, "texts page with an unusable stored logo")
        look(page, "stored-logo-bomb-1280")
        page.set_viewport_size(PHONE)
        look(page, "stored-logo-bomb-390")
    finally:
        live_db.query(MunicipalitySetting).filter_by(key=settings.LOGO).delete()
        live_db.commit()
