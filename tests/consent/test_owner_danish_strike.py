"""The owner's pages call an electric strike by one Danish name: the facts table says
"El-slutblik", so the power line says "el-slutblikket" too, never another word
("eltudløser") that leaves the owner wondering whether it is a second device."""

import pytest

from tests.consent.owner_support import Org
from tests.helpers import sign_in_staff
from tests.web.support import english_client


@pytest.fixture
def owner_da(app, db, keyring, clock):
    org = Org(db, keyring)
    first, second = org.first.entrances
    first.power_source = "mains_12_24v"
    second.power_source = None  # not decided: battery unless the fitter finds a strike
    first.electric_strike = True
    db.commit()
    client = english_client(app)
    sign_in_staff(client, org.user)
    client.get("/language/da")
    return client, first, second


def test_the_danish_owner_pages_name_the_electric_strike_el_slutblik(owner_da):
    client, first, second = owner_da
    pages = ["/owner/", f"/owner/entrances/{first.id}", f"/owner/entrances/{second.id}"]
    for url in pages:
        html = client.get(url).get_data(as_text=True)
        assert "eltudløser" not in html.lower(), url
    home = client.get("/owner/").get_data(as_text=True)
    assert "Strøm fra el-slutblikket (12/24 V, højst 1 W)" in home
    undecided = client.get(f"/owner/entrances/{second.id}").get_data(as_text=True)
    assert "medmindre montøren finder et el-slutblik" in undecided, undecided
