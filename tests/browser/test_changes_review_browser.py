"""A reviewer's findings on the change pages, in the browser with axe at 1280 and 390 px: an
approved switch explains when something else can be asked and whom to phone; the list of
requests fits a phone (each row a card, nothing cut at the right edge); attaching without a file asks for
one; the coordinator reads who withdrew a request."""

from datetime import date

import pytest
from sqlalchemy import select

from portal import clock
from portal.audit.services import Actor
from portal.changes import decisions, services
from portal.changes.models import ChangeRequest
from tests.booking.browser_steps import sign_in_citizen, sign_in_staff
from tests.browser.conftest import (
    PHONE,
    assert_accessible,
    assert_no_horizontal_scroll,
    assert_on_phone,
    assert_rows_become_cards,
    look,
    submit,
)
from tests.changes.support import COORDINATOR, fitted_citizen, make_town, on, policy
from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.browser

RELATIVE = {"name": "Rita Relativ", "phone": "20 30 40 50", "relation": "child"}


def _switch(live_app, db, *, approved: bool):
    """A citizen with a lock who asked to switch to Omsorg from 19 December (approved or not)."""
    town = make_town(db)
    citizen = fitted_citizen(db, town, name="Leif Winther")
    db.commit()
    actor = Actor("citizen", citizen.id, on_behalf_of=f"citizen:{citizen.id}")
    req = services.submit(
        db,
        citizen,
        "switch",
        on("2026-12-19", provider_id=town.omsorg.id),
        source="citizen",
        now=clock.now(),
        actor=actor,
        policy=policy(live_app),
    )
    if approved:
        decisions.approve(
            db,
            req,
            effective_on=date(2026, 12, 19),
            now=clock.now(),
            actor=COORDINATOR,
            policy=policy(live_app),
        )
    db.commit()
    return citizen, req.reference


def _fits_the_phone(page, selector: str):
    """Every element of `selector` ends inside the viewport (nothing cut at the right edge)."""
    outside = page.evaluate(
        "(s) => [...document.querySelectorAll(s + ' *')]"
        ".filter(e => e.getClientRects().length"
        " && e.getBoundingClientRect().right > document.documentElement.clientWidth)"
        ".map(e => e.tagName + ' ' + e.textContent.trim().slice(0, 30))",
        selector,
    )
    assert not outside, f"cut at the right edge at 390 px: {outside}"


@pytest.mark.parametrize(
    ("lang", "relative", "approved_words"),
    [
        ("da", True, "Anmodningen {ref} for Leif Winther er godkendt og træder i kraft den 19."),
        ("sv", False, "Ditt ärende {ref} har godkänts och gäller från den 19 december 2026."),
    ],
)
def test_an_approved_switch_explains_itself_and_the_list_fits_a_phone(
    browser_page, live_server, live_app, live_db, lang, relative, approved_words
):
    page = browser_page
    citizen, ref = _switch(live_app, live_db, approved=True)
    page.goto(f"{live_server}/language/{lang}?next=/accessibility")
    sign_in_citizen(page, live_server, citizen, relative=RELATIVE if relative else None)
    page.goto(live_server + "/citizen/changes/")
    main = page.inner_text("main")
    assert approved_words.format(ref=ref) in main
    assert page.locator("main .alert a[href='tel:+4570102030']").count() == 1
    assert "allerede en anmodning" not in main and "redan ett pågående" not in main
    # One table: a table row at 1280 px, a card at 390 px (the same row, restyled in CSS).
    assert_rows_become_cards(page)
    assert_accessible(page, "changes start at 1280 px")
    look(page, f"changes_approved_{lang}_1280")
    # At 390 px: one card per request, its date and status on the screen, no sideways scroll.
    page.set_viewport_size(PHONE)
    card = page.locator("main table.table--cards [data-row]")
    assert card.count() == 1 and card.first.is_visible()
    assert ref in card.first.inner_text() and "19" in card.first.inner_text()
    _fits_the_phone(page, "main")
    assert_no_horizontal_scroll(page, "changes start at 390 px")
    assert_accessible(page, "changes start at 390 px")
    look(page, f"changes_approved_{lang}_390")
    # The request's own page says whom to phone, since it cannot be withdrawn there.
    card.first.get_by_role("link", name=ref).click()
    page.wait_for_url(f"**/citizen/changes/r/{ref}")
    assert page.locator("main a[href='tel:+4570102030']").count() == 1
    _fits_the_phone(page, "main")
    assert_on_phone(page, "approved request")
    page.set_viewport_size({"width": 1280, "height": 900})
    assert_accessible(page, "approved request at 1280 px")


@pytest.mark.parametrize("lang", ["da", "sv"])
def test_attaching_without_a_file_asks_for_a_file(
    browser_page, live_server, live_app, live_db, lang
):
    words = {
        "da": ("Vedhæft dokumentet", "Vælg en fil, der skal vedhæftes.", "Filen skal være"),
        "sv": ("Bifoga dokumentet", "Välj en fil att bifoga.", "Filen måste vara"),
    }[lang]
    page = browser_page
    citizen, ref = _switch(live_app, live_db, approved=False)
    page.goto(f"{live_server}/language/{lang}?next=/accessibility")
    sign_in_citizen(page, live_server, citizen)
    page.goto(f"{live_server}/citizen/changes/r/{ref}")
    submit(page, page.get_by_role("button", name=words[0]))
    main = page.inner_text("main")
    assert words[1] in main and words[2] not in main
    assert page.locator(".error-summary a[href='#document']").count() == 1
    assert_accessible(page, "attach without a file at 1280 px")
    look(page, f"attach_nothing_{lang}")
    assert_on_phone(page, "attach without a file")


def test_the_coordinator_reads_who_withdrew_and_who_asked(
    browser_page, live_server, live_app, live_db
):
    page = browser_page
    citizen, ref = _switch(live_app, live_db, approved=False)
    req = live_db.scalar(select(ChangeRequest).where(ChangeRequest.reference == ref))
    relative = Actor("relative", 4, "Rita Relativ", on_behalf_of=f"citizen:{citizen.id}")
    decisions.withdraw(live_db, req, now=clock.now(), actor=relative)
    coordinator = make_user(live_db, "coordinator")
    live_db.commit()
    sign_in_staff(page, live_server, coordinator, PASSWORD)
    page.goto(f"{live_server}/coordinator/changes/{req.id}")
    main = page.inner_text("main")
    assert "Borger (Leif Winther)" in main and "Automatisk" not in main
    assert "Trukket tilbage af Rita Relativ på vegne af Leif Winther den 23. nov. 2026 kl. " in main
    assert "Afgjort af" not in main
    assert_accessible(page, "withdrawn request at 1280 px")
    look(page, "coordinator_withdrawn_da")
    assert_on_phone(page, "withdrawn request")
