"""The estate's contact person on a death report names a person (portal.web.text.PersonName):
only spaces, or punctuation alone, is refused beside the field with the typed text kept, not
first on the check page."""

import pytest

from tests.changes.support import fitted_citizen, make_town
from tests.helpers import sign_in_citizen
from tests.web.support import isolated_client

RELATIVE = {"name": "Rita Relativ", "phone": "20 30 40 50", "relation": "child"}


@pytest.fixture
def town(db, clock):
    made = make_town(db)
    db.commit()
    return made


def _relative(app, citizen):
    client = isolated_client(app)
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    sign_in_citizen(client, citizen, relative=RELATIVE)
    return client


@pytest.mark.parametrize("contact", ["   ", "\u00a0 \u00a0", "...", "-- ''"])
def test_an_estate_contact_without_a_name_is_refused_beside_its_field(app, db, town, contact):
    citizen = fitted_citizen(db, town)
    db.commit()
    client = _relative(app, citizen)
    client.get("/citizen/changes/leave/reason?start=new")
    client.post("/citizen/changes/leave/reason", data={"reason": "deceased"})
    page = client.post("/citizen/changes/leave/detail", data={"estate_contact": contact})
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "estate_contact-error" in html
    assert "Enter a contact person for the estate" in html or "in letters" in html
    assert f'value="{contact}"' in html.replace("&#39;", "'").replace("&nbsp;", "\u00a0")
    # Nothing was kept as answered: the check page sends back to the question.
    assert client.get("/citizen/changes/leave/check").status_code == 303


def test_a_contact_with_a_name_goes_on_to_the_date(app, db, town):
    citizen = fitted_citizen(db, town)
    db.commit()
    client = _relative(app, citizen)
    client.get("/citizen/changes/leave/reason?start=new")
    client.post("/citizen/changes/leave/reason", data={"reason": "deceased"})
    page = client.post("/citizen/changes/leave/detail", data={"estate_contact": " Ole, 20 30 "})
    assert page.status_code == 303 and page.location.endswith("/citizen/changes/leave/date")
