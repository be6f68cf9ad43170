"""The citizen's home page says "Questions?" and the phone number once, also while booking has
not opened in the citizen's area (the lock section had its own "Questions? Call us ..." line
above the page's "Questions?" section)."""

import re

import pytest

from tests.factories import make_citizen
from tests.helpers import sign_in_citizen
from tests.web.support import english_client

RELATIVE = {"name": "Rita Relativ", "phone": "20 30 40 50", "relation": "child"}


@pytest.mark.parametrize("relative", [None, RELATIVE])
def test_questions_are_asked_once_before_booking_opens(app, db, clock, relative):
    citizen = make_citizen(db, name="Åge Bak")
    db.commit()
    client = english_client(app)
    sign_in_citizen(client, citizen, relative=relative)
    page = client.get("/citizen/").get_data(as_text=True)
    main = page.split("<main", 1)[1].split("</main>", 1)[0]
    text = " ".join(re.sub(r"<[^>]+>", " ", main).split())
    assert "Booking opens later" in text  # the case in question
    assert text.count("Questions?") == 1, text
    assert main.count('href="tel:') == 1
