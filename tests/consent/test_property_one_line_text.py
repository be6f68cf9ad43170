"""Owners', properties' and entrances' names and addresses stay on one line, as citizens' do
(`portal.web.text.has_control`): the owner's name and postal address are the consent letter's
address window and the e-mail's greeting, where a line break adds a line of the sender's choice
and a bidirectional override makes a name read otherwise than it is stored. Refused in the
property import (a row error, as the citizen import's) and in the coordinator's forms."""

import io

import pytest
from sqlalchemy import select

from portal.consent.models import Entrance, OwnerOrganisation, Property
from tests.consent.test_register_pages import (
    OWNER,
    coordinator,  # noqa: F401 (fixture)
)
from tests.factories import make_owner

HEAD = "property_number;address;postcode;city;owner;entrance\n"
HIDDEN = {
    "line break": '"Bolig\nAtt: Kasserer"',
    "bidirectional override": "Bolig \u202eSA/\u202c",
    "tab": "Bolig\tNord",
}


@pytest.mark.parametrize(
    "column", ["address", "owner", "entrance"], ids=["address", "owner", "entrance"]
)
@pytest.mark.parametrize("hidden", list(HIDDEN))
def test_the_import_refuses_a_value_over_two_lines_or_with_hidden_controls(
    coordinator,  # noqa: F811
    db,
    column,
    hidden,
):
    values = {"address": "Skolegade 2", "owner": "Bolig 2", "entrance": "A"}
    values[column] = HIDDEN[hidden]
    row = f"2;{values['address']};4100;Demoby;{values['owner']};{values['entrance']}\n"
    raw = (HEAD + "1;Skolegade 1;4100;Demoby;Bolig 1;A\n" + row).encode()
    response = coordinator.post(
        "/coordinator/properties/import", data={"file": (io.BytesIO(raw), "ejendomme.csv")}
    )
    assert response.status_code == 303
    preview = coordinator.get(response.location).text
    shown = {"address": "Address", "owner": "Owner", "entrance": "Name of the entrance (entrance)"}
    assert f"<strong>{shown[column]}</strong>: Contains a line break or another control" in preview
    coordinator.post(response.location)
    assert db.scalars(select(Property.property_number)).all() == ["1"]


@pytest.mark.parametrize("field", ["name", "contact_person", "postal_address", "city"])
def test_the_owner_form_refuses_hidden_controls(coordinator, db, field):  # noqa: F811
    response = coordinator.post(
        "/coordinator/owners/new", data=OWNER | {field: "Nord\u202eSA/\r\nAtt: x"}
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "Write it on one line" in page
    assert db.scalar(select(OwnerOrganisation)) is None


@pytest.mark.parametrize("field", ["name", "address", "city", "property_number", "label"])
def test_the_property_and_entrance_forms_refuse_hidden_controls(coordinator, db, field):  # noqa: F811
    owner = make_owner(db)
    db.commit()
    data = {
        "owner": str(owner.id),
        "name": "Blok 7",
        "address": "Skolegade 7",
        "postcode": "4100",
        "city": "Demoby",
        "property_number": "7a",
    }
    if field != "label":
        data[field] = "Blok\u202e7\nAtt: x"
    response = coordinator.post("/coordinator/properties/new", data=data)
    if field == "label":
        assert response.status_code == 303
        url = f"/coordinator/properties/{db.scalar(select(Property.id))}/entrances/new"
        response = coordinator.post(url, data={"label": "Opgang\u202eB", "kind": "gate"})
        assert db.scalar(select(Entrance.id)) is None
    else:
        assert db.scalar(select(Property.id)) is None
    assert response.status_code == 200
    assert "Write it on one line" in response.get_data(as_text=True)
