"""The citizen's home page: with a request in progress it shows that request (reference and
status, linking to it) and why nothing else can be asked for yet, as the change pages do,
instead of a link to a page that refuses; once the request is over the link is back."""

import pytest
from sqlalchemy import select

from portal.changes.models import ChangeRequest
from tests.changes.support import fitted_citizen, make_town
from tests.helpers import sign_in_citizen

RELATIVE = {"name": "Lena Sörensen", "phone": "20 30 40 50", "relation": "child"}
START = "Change provider, report a move or end the electronic lock</a>"
# A relative reads that a death is reported there too (review finding 5).
RELATIVE_START = (
    "Change provider, report a move, report that {name} has died, or end the electronic lock</a>"
)


@pytest.fixture
def town(db, clock):
    made = make_town(db)
    db.commit()
    return made


def _ask_switch(client, town):
    client.get("/citizen/changes/switch/provider?start=new")
    client.post("/citizen/changes/switch/provider", data={"provider": str(town.omsorg.id)})
    client.post("/citizen/changes/switch/date", data={"effective_on": "2026-12-01"})
    assert client.post("/citizen/changes/switch/check").status_code == 303


@pytest.mark.parametrize("relative", [RELATIVE, None], ids=["relative", "citizen"])
def test_an_open_request_replaces_the_link_to_ask_for_another(client, db, town, relative):
    citizen = fitted_citizen(db, town)
    db.commit()
    sign_in_citizen(client, citizen, relative=relative)
    start = RELATIVE_START.format(name=citizen.name) if relative else START
    assert start in client.get("/citizen/").get_data(as_text=True)
    _ask_switch(client, town)
    req = db.scalar(select(ChangeRequest))
    home = client.get("/citizen/").get_data(as_text=True)
    assert start not in home and "Change provider, report a move" not in home
    assert f'href="/citizen/changes/r/{req.reference}"' in home and "Received" in home
    assert f"There is already a request in progress (reference {req.reference})" in home
    receipt = f"/citizen/changes/r/{req.reference}/withdraw"
    assert client.post(receipt, data={"confirm": "yes"}).status_code == 303
    home = client.get("/citizen/").get_data(as_text=True)
    assert start in home and "Withdrawn" in home and "already a request" not in home


def test_an_approved_change_says_when_it_takes_effect_in_swedish(client, db, town):
    citizen = fitted_citizen(db, town)
    db.commit()
    sign_in_citizen(client, citizen, relative=RELATIVE)
    _ask_switch(client, town)
    req = db.scalar(select(ChangeRequest))
    req.status = "approved"
    db.commit()
    client.get("/language/sv")
    home = client.get("/citizen/").get_data(as_text=True)
    assert "Byt utförare" not in home
    assert req.reference in home and "1 december 2026" in home
