"""An owner reads who passed their entrances: the partner's courier by name, never home care
(not even unnamed: at a gate with one citizen behind it, those times are a care schedule).
Danish and Swedish, desktop and 390 px, axe on the page."""

from datetime import timedelta

import pytest

from portal import clock
from tests.access.support import make_lock, make_visits
from tests.booking.browser_steps import sign_in_staff, visit
from tests.browser.test_partners_browser import CASES, _language, t
from tests.factories import PASSWORD, make_user
from tests.partners.support import make_building

pytestmark = pytest.mark.browser


def _ids():
    from babel.messages.pofile import read_po

    from tests.browser.test_partners_browser import PORTAL

    with open(PORTAL / "access" / "translations" / "messages.pot", "rb") as fh:
        return [m.id for m in read_po(fh) if isinstance(m.id, str)]


@pytest.mark.parametrize(("lang", "width"), CASES)
def test_owner_reads_the_couriers_passages_and_no_home_care(
    browser_page, live_server, live_db, lang, width
):
    page = browser_page
    now = clock.now()
    b = make_building(live_db)
    b.prop.owner_since = now - timedelta(days=30)
    make_visits(live_db, b.gate[0], b.gate[1], b.courier, start=now - timedelta(hours=3))
    unit, key = make_lock(live_db, entrance=b.entrance)
    make_visits(live_db, unit, key, b.home_care, start=now - timedelta(hours=2))
    owner = make_user(live_db, "owner", owner_organisation_id=b.prop.owner_id)
    live_db.commit()
    _language(page, live_server, lang, width)
    sign_in_staff(page, live_server, owner, PASSWORD)
    page.goto(live_server + "/owner/partners/passages")
    rows = page.locator("main tbody tr")
    assert rows.count() == 1
    assert "Postbud A/S: Per Post" in rows.first.inner_text()
    assert {"da": "Hjemmepleje", "sv": "Hemtjänst"}[lang] not in page.inner_text("main tbody")
    intro = "Every opening of an entrance unit by a partner's courier since your organisation"
    msgid = next(m for m in _ids() if m.startswith(intro))
    assert t("access", lang, msgid) in page.inner_text("main")
    visit(page, f"passages ({lang})")
