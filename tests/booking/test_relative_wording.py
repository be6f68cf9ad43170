"""The booking pages speak to whoever is signed in: the citizen as "you", a relative booking on
the citizen's behalf about the citizen by name, in Danish, Swedish and English (a reviewer found
"Which day suits you?", "your front door" and "Your fitting is booked" shown to relatives)."""

import html
import re

import pytest

from portal.citizens.lifecycle import CitizenStatus
from tests.booking.support import make_world, walk_to_check
from tests.conftest import isolated_client
from tests.factories import make_citizen
from tests.helpers import sign_in_citizen

RELATIVE = {"name": "Rita Relativ", "phone": "20 30 40 50", "relation": "child"}
NAME = "Karen Jensen"

# What a relative reads on each page, and the citizen's own wording that must not show.
RELATIVE_WORDS = {
    "en": {
        "start": "fit the unit on the inside of the front door of Karen Jensen.",
        "day": "Which day may the locksmith come to the home of Karen Jensen?",
        "time": "What time may the locksmith come to the home of Karen Jensen?",
        "check": "When you confirm, the time is booked for Karen Jensen.",
        "confirmation": "The fitting for Karen Jensen is booked",
        "keys": "and Karen Jensen keeps using the same keys as before.",
        "change": "You are choosing a new time for Karen Jensen.",
        "no_times": "There are no free times where Karen Jensen lives right now.",
        "follow_up": "We will call Karen Jensen to agree on what happens next.",
    },
    "da": {
        "start": "på indersiden af hoveddøren hos Karen Jensen.",
        "day": "Hvilken dag må låsesmeden komme hjem til Karen Jensen?",
        "time": "Hvornår på dagen må låsesmeden komme hjem til Karen Jensen?",
        "check": "Når du bekræfter, er tiden booket til Karen Jensen.",
        "confirmation": "Monteringen hos Karen Jensen er booket",
        "keys": "og Karen Jensen bruger de samme nøgler som før.",
        "change": "Du vælger en ny tid til Karen Jensen.",
        "no_times": "Der er ingen ledige tider i området, hvor Karen Jensen bor, lige nu.",
        "follow_up": "Vi ringer til Karen Jensen og aftaler, hvad der skal ske.",
    },
    "sv": {
        "start": "på insidan av ytterdörren hos Karen Jensen.",
        "day": "Vilken dag får låssmeden komma hem till Karen Jensen?",
        "time": "Vilken tid får låssmeden komma hem till Karen Jensen?",
        "check": "När du bekräftar är tiden bokad för Karen Jensen.",
        "confirmation": "Monteringen hos Karen Jensen är bokad",
        "keys": "och Karen Jensen använder samma nycklar som förut.",
        "change": "Du väljer en ny tid för Karen Jensen.",
        "no_times": "Det finns inga lediga tider i området där Karen Jensen bor just nu.",
        "follow_up": "Vi ringer Karen Jensen och kommer överens om vad som händer nu.",
    },
}
CITIZEN_WORDS = {
    "en": {
        "start": "fit the unit on the inside of your front door.",
        "day": "Which day suits you?",
        "time": "Which time suits you?",
        "check": "When you confirm, the time is yours.",
        "confirmation": "Your fitting is booked",
        "keys": "and you keep using your own keys.",
        "change": "Your current booking stays until you confirm the new one.",
        "no_times": "There are no free times in your area right now.",
        "follow_up": "We will call you to agree on what happens next.",
    },
    "da": {
        "start": "på indersiden af din hoveddør.",
        "day": "Hvilken dag passer dig?",
        "time": "Hvilket tidspunkt passer dig?",
        "check": "Når du bekræfter, er tiden din.",
        "confirmation": "Din montering er booket",
        "keys": "og du bruger dine egne nøgler som før.",
        "change": "Din nuværende tid gælder, indtil du har bekræftet den nye.",
        "no_times": "Der er ingen ledige tider i dit område lige nu.",
        "follow_up": "Vi ringer til dig og aftaler, hvad der skal ske.",
    },
    "sv": {
        "start": "på insidan av din ytterdörr.",
        "day": "Vilken dag passar dig?",
        "time": "Vilken tid passar dig?",
        "check": "När du bekräftar är tiden din.",
        "confirmation": "Din montering är bokad",
        "keys": "och du använder dina egna nycklar som vanligt.",
        "change": "Din nuvarande tid gäller tills du har bekräftat den nya.",
        "no_times": "Det finns inga lediga tider i ditt område just nu.",
        "follow_up": "Vi ringer dig och kommer överens om vad som händer nu.",
    },
}


def main_text(response) -> str:
    """The words of the page's <main> (and its flashes), tags stripped, spaces collapsed."""
    page = response.get_data(as_text=True)
    text = re.sub(r"<[^>]+>", " ", page.split("<main", 1)[1].split("</main>", 1)[0])
    return " ".join(html.unescape(text).split())


def _client(app, citizen, lang, as_relative):
    client = isolated_client(app)
    client.environ_base.update(HTTP_ACCEPT_LANGUAGE=lang)
    sign_in_citizen(client, citizen, relative=RELATIVE if as_relative else None)
    return client


def _pages(client) -> dict[str, str]:
    """Every page of a booking and of changing it, by name, as the signed-in person reads it."""
    pages = {"start": main_text(client.get("/citizen/booking/"))}
    walk_to_check(
        client, details={"opener": "self", "call_phone": "20 12 34 56", "interpreter": "no"}
    )
    pages["day"] = main_text(client.get("/citizen/booking/day"))
    pages["time"] = main_text(client.get("/citizen/booking/time"))
    pages["check"] = main_text(client.get("/citizen/booking/check"))
    done = client.post("/citizen/booking/check")
    assert done.status_code == 303, done.get_data(as_text=True)[:500]
    pages["confirmation"] = pages["keys"] = main_text(client.get(done.headers["Location"]))
    assert client.get("/citizen/booking/change").status_code == 303
    pages["change"] = main_text(client.get("/citizen/booking/day"))
    return pages


@pytest.mark.parametrize("lang", ["da", "sv", "en"])
@pytest.mark.parametrize("as_relative", [True, False], ids=["relative", "citizen"])
def test_the_booking_pages_name_the_citizen_to_a_relative_only(app, db, clock, lang, as_relative):
    world = make_world(db)
    world.citizens[0].name = NAME
    db.commit()
    pages = _pages(_client(app, world.citizens[0], lang, as_relative))
    wanted, unwanted = (
        (RELATIVE_WORDS, CITIZEN_WORDS) if as_relative else (CITIZEN_WORDS, RELATIVE_WORDS)
    )
    for page, text in pages.items():
        assert wanted[lang][page] in text, (page, text)
        assert unwanted[lang][page] not in text, (page, text)


@pytest.mark.parametrize("lang", ["da", "sv", "en"])
@pytest.mark.parametrize("as_relative", [True, False], ids=["relative", "citizen"])
def test_no_free_times_and_a_failed_fitting_name_the_citizen_to_a_relative(
    app, db, clock, lang, as_relative
):
    nobody_free = make_citizen(db, name=NAME)
    to_call = make_citizen(db, name=NAME, status=CitizenStatus.FOLLOW_UP)
    db.commit()
    wanted, unwanted = (
        (RELATIVE_WORDS, CITIZEN_WORDS) if as_relative else (CITIZEN_WORDS, RELATIVE_WORDS)
    )
    client = _client(app, nobody_free, lang, as_relative)
    for url in ("/citizen/booking/", "/citizen/booking/day?start=new"):
        text = main_text(client.get(url))
        assert wanted[lang]["no_times"] in text and unwanted[lang]["no_times"] not in text, url
    text = main_text(_client(app, to_call, lang, as_relative).get("/citizen/booking/"))
    assert wanted[lang]["follow_up"] in text and unwanted[lang]["follow_up"] not in text


def test_a_relative_who_was_overtaken_reads_whose_booking_changed(app, db, clock):
    world = make_world(db, locksmiths=2)  # the other tab's time is still free with the other
    citizen = world.citizens[0]
    citizen.name = NAME
    db.commit()
    client = _client(app, citizen, "en", as_relative=True)
    walk_to_check(client)
    cookie = client.get_cookie("portal_session").value
    assert client.post("/citizen/booking/check").status_code == 303
    client.set_cookie("portal_session", cookie)  # another tab still holds the answers
    assert client.post("/citizen/booking/check").status_code == 303
    text = main_text(client.get("/citizen/booking/"))
    assert "The booking for Karen Jensen has changed in the meantime." in text
    assert "Your booking" not in text
