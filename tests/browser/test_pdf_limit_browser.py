"""A consent receipt that runs past PDF_RENDER_TIMEOUT, in a real browser: the owner who
pressed "Giv samtykke" gets an error page in words (axe at desktop and 390 px), nothing is
recorded, and the next try, with the renderer well again, records the consent."""

import re

import pytest

from portal.consent.models import ConsentDecision, Entrance
from portal.documents import pool
from tests.booking.browser_steps import sign_in_staff, visit
from tests.browser.test_owner_consent import _fill_grant, _organisation
from tests.documents import slow
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser


def test_a_receipt_past_the_limit_says_so_and_records_nothing(
    browser_page, live_server, live_app, live_db, monkeypatch
):
    page, base = browser_page, live_server
    _org, prop, _code, user = _organisation(live_db, with_user=True)
    entrance = prop.entrances[0]
    monkeypatch.setitem(live_app.config, "PDF_RENDER_TIMEOUT", 1)
    real = pool.render_bytes
    monkeypatch.setattr(pool, "render_bytes", slow.render_bytes)
    sign_in_staff(page, base, user, PASSWORD)
    page.goto(f"{base}/owner/entrances/{entrance.id}")
    _fill_grant(page, "da")
    with page.expect_navigation():
        page.get_by_role("button", name="Giv samtykke").click()
    main = " ".join(page.inner_text("main").split())
    assert "Det tog mere end 1 sekund at lave denne PDF, så den blev stoppet." in main
    assert "Intet blev gemt." in main
    # Chromium reports the 500 response as a console error: that is this page, expected.
    page.problems[:] = [p for p in page.problems if "status of 500" not in p]
    visit(page, "receipt past the limit")
    live_db.expire_all()
    assert live_db.query(ConsentDecision).count() == 0
    assert live_db.get(Entrance, entrance.id).consent_status == "requested"
    monkeypatch.setattr(pool, "render_bytes", real)
    monkeypatch.setitem(live_app.config, "PDF_RENDER_TIMEOUT", 120)  # a real receipt meets it
    page.goto(f"{base}/owner/entrances/{entrance.id}")
    _fill_grant(page, "da")
    page.get_by_role("button", name="Giv samtykke").click()
    page.wait_for_url(re.compile(r"/owner/decisions/\d+$"))
    live_db.expire_all()
    assert live_db.get(Entrance, entrance.id).consent_status == "granted"
