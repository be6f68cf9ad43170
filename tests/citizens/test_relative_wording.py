"""The citizen's page speaks to whoever is signed in: the citizen as "you", a relative acting
on the citizen's behalf about the citizen by name (a reviewer found "You have not booked",
"Your letters" and "your door" shown to relatives)."""

import re

import pytest

from tests.factories import make_citizen
from tests.helpers import sign_in_citizen
from tests.web.support import english_client

RELATIVE = {"name": "Rita Relativ", "phone": "20 30 40 50", "relation": "child"}


def _main(client) -> str:
    page = client.get("/citizen/").get_data(as_text=True)
    text = re.sub(r"<[^>]+>", " ", page.split("<main", 1)[1].split("</main>", 1)[0])
    return " ".join(text.split())


@pytest.fixture
def citizen(db, clock):
    made = make_citizen(db, name="Åge Bak")
    db.commit()
    return made


def test_a_relative_reads_about_the_citizen_by_name(app, db, citizen):
    client = english_client(app)
    sign_in_citizen(client, citizen, relative=RELATIVE)
    text = _main(client)
    for wanted in (
        "Booking opens later where Åge Bak lives. We will write to Åge Bak when a time can be booked.",
        "Letters to Åge Bak",
        "Download the letter about the electronic lock (PDF)",
        "No visits are recorded at the door of Åge Bak yet.",
    ):
        assert wanted in text, wanted
    for unwanted in ("Your letters", "your electronic lock", "at your door", "in your area"):
        assert unwanted not in text, unwanted


def test_the_citizen_is_still_spoken_to_as_you(app, db, citizen):
    client = english_client(app)
    sign_in_citizen(client, citizen)
    text = _main(client)
    for wanted in (
        "Booking opens later in your area. We will write to you when you can book a time.",
        "Your letters",
        "Download the letter about your electronic lock (PDF)",
        "No visits are recorded at your door yet.",
    ):
        assert wanted in text, wanted


def test_after_a_failed_fitting_the_relative_reads_whom_we_call(app, db, clock):
    from portal.citizens.lifecycle import CitizenStatus

    citizen = make_citizen(db, name="Åge Bak", status=CitizenStatus.FOLLOW_UP)
    db.commit()
    relative, own = english_client(app), english_client(app)
    sign_in_citizen(relative, citizen, relative=RELATIVE)
    sign_in_citizen(own, citizen)
    assert "We will call Åge Bak to agree on what happens next." in _main(relative)
    assert "We will call you to agree on what happens next." in _main(own)
