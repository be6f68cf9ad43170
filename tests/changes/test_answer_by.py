"""The coordinator's request page says who answered the question (the citizen, or a relative by
name on the citizen's behalf) and when, to the minute in the municipality's time, and gives the
phone each relative declared at sign-in as a tap-to-call link."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from portal.changes.models import ChangeRequest
from tests.changes.support import fitted_citizen, make_town
from tests.factories import make_user
from tests.helpers import sign_in_citizen, sign_in_staff

RELATIVE = {"name": "Rita Relativ", "phone": "20 30 40 50", "relation": "child"}


@pytest.fixture
def asked(client, db, clock):
    """A switch asked for (by the relative, or the citizen), and a coordinator's question."""

    def make(relative):
        town = make_town(db)
        citizen = fitted_citizen(db, town, name="Åge Christensen")
        coordinator = make_user(db, "coordinator")
        db.commit()
        sign_in_citizen(client, citizen, relative=relative)
        client.get("/citizen/changes/switch/provider?start=new")
        client.post("/citizen/changes/switch/provider", data={"provider": str(town.omsorg.id)})
        client.post("/citizen/changes/switch/date", data={"effective_on": "2026-12-01"})
        assert client.post("/citizen/changes/switch/check").status_code == 303
        client.post("/sign-out")
        req = db.scalar(select(ChangeRequest))
        sign_in_staff(client, coordinator)
        url = f"/coordinator/changes/{req.id}"
        assert client.post(url + "/ask", data={"question": "Which floor?"}).status_code == 303
        client.post("/sign-out")
        # The answer comes at 10:41 UTC: 11:41 in Copenhagen.
        clock.advance(timedelta(hours=1, minutes=41, seconds=30))
        sign_in_citizen(client, citizen, relative=relative)
        answer = f"/citizen/changes/r/{req.reference}/answer"
        assert client.post(answer, data={"answer": "Ground floor"}).status_code == 303
        client.post("/sign-out")
        sign_in_staff(client, coordinator)
        return client.get(url).get_data(as_text=True)

    return make


def test_a_relatives_answer_is_named_timed_and_their_phone_given(asked):
    page = asked(RELATIVE)
    assert "Ground floor" in page
    assert (
        "Answered by Rita Relativ, relative, on behalf of Åge Christensen on"
        " 23 Nov 2026 at 11:41" in page
    )
    assert '<a href="tel:+4520304050" class="text-nowrap">20 30 40 50</a>' in page
    assert "Phone of Rita Relativ, relative" in page


def test_the_citizens_own_answer_says_so_and_no_relative_phone_shows(asked):
    page = asked(None)
    assert "Answered by the citizen on 23 Nov 2026 at 11:41" in page
    assert "tel:+4520304050" not in page and ", relative" not in page
