"""The citizen's booking page in a real browser says that a relative booked and changed the
fitting; axe at desktop width and at 390 px, in Danish and Swedish."""

import pytest

from portal import clock
from portal.audit.services import Actor
from portal.booking import services
from portal.citizens.models import Relative
from tests.booking.browser_steps import sign_in_citizen, visit
from tests.booking.support import make_world

pytestmark = pytest.mark.browser
WORDS = {
    "da": ("Booket af Rita Relativ (pårørende) den", "Ændret af Rita Relativ (pårørende) den"),
    "sv": ("Bokad av Rita Relativ (anhörig) den", "Ändrad av Rita Relativ (anhörig) den"),
}


@pytest.mark.parametrize("lang", ["da", "sv"])
def test_the_citizen_sees_who_booked_and_changed(browser_page, live_server, live_db, lang):
    page = browser_page
    world = make_world(live_db, locksmiths=2)
    citizen = world.citizens[0]
    relative = Relative(citizen_id=citizen.id, name="Rita Relativ", phone="+4520304050")
    relative.relation = "child"
    live_db.add(relative)
    live_db.flush()
    actor = Actor("relative", relative.id, relative.name, on_behalf_of=f"citizen:{citizen.id}")
    first, second = world.slots(live_db)[:2]
    booked = services.book_slot(live_db, citizen.id, first.id, now=clock.now(), actor=actor)
    services.rebook(live_db, booked.id, second.id, now=clock.now(), actor=actor)
    live_db.commit()
    page.goto(f"{live_server}/language/{lang}?next=/sign-in/citizen")
    sign_in_citizen(page, live_server, citizen)
    page.goto(live_server + "/citizen/booking/")
    lines = page.locator("[data-testid=done-by-relative]").inner_text()
    assert WORDS[lang][0] in lines and WORDS[lang][1] in lines
    visit(page, f"booking page ({lang})")
