"""The owner's journeys a reviewer walked in a browser, with axe at desktop width and 390 px: a
signed-out owner opening a page from the consent email reaches the owner's sign-in and comes back
to that page; on a phone every entrance's row is a card and its link is on screen without
scrolling sideways; the counter counts what waits for the owner; a question names its entrance's
building; consent for all properties warns, before and after signing, about the building whose
request has expired, and its receipt names it as not granted."""

import io
from datetime import timedelta

import pytest
from flask import current_app

from portal import clock
from portal.audit.services import SYSTEM
from portal.consent import terms
from portal.consent.decisions import Decider
from portal.consent.invitations import issue_request
from portal.consent.owner_questions import ask
from tests.booking.browser_steps import visit
from tests.browser.conftest import (
    DESKTOP,
    PHONE,
    assert_accessible_everywhere,
    assert_no_horizontal_scroll,
    assert_rows_become_cards,
    look,
    submit,
)
from tests.factories import PASSWORD, make_owner, make_property, make_user

pytestmark = pytest.mark.browser

ENTRANCE_LINKS = "main a[href^='/owner/entrances/']"


def _organisation(db):
    """Three buildings, each with an "Opgang 1": two asked about (3 entrances), one not yet; a
    question about the third building's entrance."""
    org = make_owner(db, name="Boligselskabet Egen", email=None)
    asked = [
        make_property(db, owner=org, entrances=2, address="Egevej 4"),
        make_property(db, owner=org, entrances=1, address="Bøgevej 6"),
    ]
    not_asked = make_property(db, owner=org, entrances=1, address="Lindevej 8")
    for prop in asked:
        for e in prop.entrances:
            e.consent_status = "requested"
    issue_request(db, current_app.extensions["keyring"], org, asked, now=clock.now(), actor=SYSTEM)
    user = make_user(db, "owner", owner_organisation_id=org.id)
    db.flush()
    who = Decider(user.id, org.id, user.actor)
    ask(db, who, "Hvem betaler strømmen?", entrance_id=not_asked.entrances[0].id, now=clock.now())
    db.commit()
    return asked, not_asked, user


def _links_on_screen(page):
    """Every visible link to an entrance lies wholly inside the viewport without scrolling
    sideways, and is what a tap at its middle reaches (not clipped by a scrolling box)."""
    return page.evaluate(
        """(sel) => [...document.querySelectorAll(sel)].filter(a => a.offsetParent).map(a => {
            // Scroll the window only: scrollIntoView would also scroll a table's box sideways.
            const top = a.getBoundingClientRect().top + window.scrollY;
            window.scrollTo(0, top - window.innerHeight / 2);
            const r = a.getBoundingClientRect();
            const hit = document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2);
            return {href: a.getAttribute("href"), left: r.left, right: r.right,
                    inside: r.left >= 0 && r.right <= document.documentElement.clientWidth,
                    reached: !!hit && a.contains(hit)};
        })""",
        ENTRANCE_LINKS,
    )


def test_a_signed_out_owner_from_the_email_signs_in_as_owner_and_lands_on_the_entrance(
    browser_page, live_server, live_db
):
    page, base = browser_page, live_server
    asked, _not_asked, user = _organisation(live_db)
    entrance = asked[0].entrances[1]
    page.goto(f"{base}/owner/entrances/{entrance.id}")  # the link in the consent email
    page.wait_for_url(f"**/sign-in/owner?next=/owner/entrances/{entrance.id}")
    assert page.inner_text("h1") == "Log ind som ejendomsejer"
    visit(page, "owner sign-in from an owner page")
    assert_accessible_everywhere(page, "owner sign-in from an owner page")
    page.fill("#email", user.email)
    page.fill("#password", PASSWORD)
    submit(page, "main form:has(#password) button[type=submit]")
    page.wait_for_url(f"**/owner/entrances/{entrance.id}")
    assert "Opgang 2, Egevej 4" in page.inner_text("h1")


def _sign_in(page, base, user):
    page.goto(f"{base}/sign-in/owner")
    page.fill("#email", user.email)
    page.fill("#password", PASSWORD)
    submit(page, "main form:has(#password) button[type=submit]")
    page.wait_for_url("**/owner/")


def test_the_task_list_on_a_phone_shows_every_entrances_link(browser_page, live_server, live_db):
    page, base = browser_page, live_server
    asked, not_asked, user = _organisation(live_db)
    _sign_in(page, base, user)
    ids = {f"/owner/entrances/{e.id}" for p in [*asked, not_asked] for e in p.entrances}
    for size in ({"width": 1280, "height": 900}, {"width": 768, "height": 900}, PHONE):
        page.set_viewport_size(size)
        links = _links_on_screen(page)
        assert {link["href"] for link in links} == ids, size  # one visible link per entrance
        assert all(link["inside"] and link["reached"] for link in links), (size, links)
        assert_no_horizontal_scroll(page, f"task list at {size['width']} px")
    assert_rows_become_cards(page, at_least=4)  # one table per building, a card per entrance
    for width, size in ((390, PHONE), (1280, DESKTOP)):
        page.set_viewport_size(size)
        look(page, f"owner_entrances_{width}")
    page.set_viewport_size(PHONE)
    page.get_by_role("link", name="Beslut Opgang 1, Lindevej 8").click()
    page.wait_for_url(f"**/owner/entrances/{not_asked.entrances[0].id}")
    page.go_back()
    page.set_viewport_size({"width": 1280, "height": 900})
    assert_accessible_everywhere(page, "task list")


def test_the_task_list_counts_what_waits_and_names_the_building_of_a_question(
    browser_page, live_server, live_db
):
    page, base = browser_page, live_server
    _asked, _not_asked, user = _organisation(live_db)
    _sign_in(page, base, user)
    main = page.inner_text("main")
    assert "3 opgange venter på jeres svar" in main  # not 4: Lindevej 8 was not asked
    assert main.count("Venter på jeres svar") == 3 and main.count("Ikke spurgt endnu") == 1
    assert "(Opgang 1, Lindevej 8): Hvem betaler strømmen?" in main
    assert_accessible_everywhere(page, "task list with a question")


def _one_expired_one_open(db):
    """Egevej 4 asked 40 days ago (its 30-day request has expired, by the app's clock) and
    Bøgevej 6 asked now (its request runs)."""
    org = make_owner(db, name="Boligselskabet Egen", email=None)
    expired = make_property(db, owner=org, entrances=1, address="Egevej 4")
    running = make_property(db, owner=org, entrances=1, address="Bøgevej 6")
    keyring, now = current_app.extensions["keyring"], clock.now()
    for prop, asked in ((expired, now - timedelta(days=40)), (running, now)):
        prop.entrances[0].consent_status = "requested"
        issue_request(db, keyring, org, [prop], now=asked, actor=SYSTEM, days=30)
    user = make_user(db, "owner", owner_organisation_id=org.id)
    db.commit()
    return expired, running, user


def _warning(page, heading):
    warning = page.locator("main .alert-warning").filter(has_text=heading)
    assert warning.count() == 1 and warning.is_visible(), heading
    return warning.inner_text()


def test_consent_for_all_warns_about_the_expired_building_and_its_receipt_names_it(
    browser_page, live_server, live_db
):
    from pypdf import PdfReader

    page, base = browser_page, live_server
    _expired, running, user = _one_expired_one_open(live_db)
    _sign_in(page, base, user)
    page.goto(f"{base}/owner/all")
    for size in ({"width": 1280, "height": 900}, PHONE):
        page.set_viewport_size(size)
        before = _warning(page, "Ikke omfattet: anmodningen er udløbet")
        assert "Egevej 4, Opgang 1" in before and "Bøgevej 6" not in before, size
    page.set_viewport_size({"width": 1280, "height": 900})
    assert_accessible_everywhere(page, "consent for all, one request expired")
    page.fill("#grant-signer_name", "Hanne Hansen")
    page.fill("#grant-signer_role", "Formand")
    page.check("#grant-may_sign")
    page.fill("#grant-typed", terms.confirmation_phrase("da"))
    submit(page, page.get_by_role("button", name="Giv samtykke for alle ejendomme"))
    page.wait_for_url("**/owner/all")
    for size in ({"width": 1280, "height": 900}, PHONE):
        page.set_viewport_size(size)
        after = _warning(page, "Ikke givet: anmodningen var udløbet")
        assert "Egevej 4, Opgang 1" in after and "Bøgevej 6" not in after, size
    page.set_viewport_size({"width": 1280, "height": 900})
    assert_accessible_everywhere(page, "consent for all given, one request expired")
    with page.expect_download() as download:
        page.get_by_role("link", name="Samtykke for alle ejendomme").click()
    with open(download.value.path(), "rb") as fh:
        receipt = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(fh.read())).pages)
    granted, not_granted = receipt.split("Ikke givet: anmodningen var udløbet")
    assert "Bøgevej 6" in granted and "Egevej 4" not in granted
    assert "Egevej 4" in not_granted and "Bøgevej 6" not in not_granted
    live_db.expire_all()
    assert running.entrances[0].consent_status == "granted"
