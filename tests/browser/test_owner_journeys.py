"""The owner's journeys a reviewer walked in a browser, with axe at desktop width and 390 px: a
signed-out owner opening a page from the consent email reaches the owner's sign-in and comes back
to that page."""

import pytest
from flask import current_app

from portal import clock
from portal.audit.services import SYSTEM
from portal.consent.decisions import Decider
from portal.consent.invitations import issue_request
from portal.consent.owner_questions import ask
from tests.booking.browser_steps import visit
from tests.browser.conftest import (
    assert_accessible_everywhere,
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
    submit(page, "main button[type=submit]")
    page.wait_for_url(f"**/owner/entrances/{entrance.id}")
    assert "Opgang 2, Egevej 4" in page.inner_text("h1")
