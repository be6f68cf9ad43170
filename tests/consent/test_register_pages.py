"""The coordinator's register pages: owners, properties, entrances, who lives behind; bad input."""

import pytest
from sqlalchemy import select

from portal.consent.models import Entrance, EntranceCitizen, OwnerOrganisation, Property
from tests.factories import make_citizen, make_district, make_owner, make_property, make_user
from tests.helpers import sign_in_staff
from tests.web.support import english_client

HOSTILE = '<script>alert(1)</script>=HYPERLINK("x")'


@pytest.fixture
def coordinator(app, db):
    user = make_user(db, "coordinator")
    db.commit()
    client = english_client(app)
    sign_in_staff(client, user)
    return client


OWNER = {
    "name": "Boligselskabet Nord",
    "org_number": "1234 5678",
    "contact_person": "Ida Holm",
    "email": "ida@nord.example",
    "phone": "+45 70 10 20 30",
    "postal_address": "Nordvej 1",
    "postcode": "4100",
    "city": "Demoby",
    "language": "sv",
}


def test_a_coordinator_adds_and_changes_an_owner(coordinator, db):
    response = coordinator.post("/coordinator/owners/new", data=OWNER)
    assert response.status_code == 303
    owner = db.scalar(select(OwnerOrganisation))
    assert (owner.org_number, owner.language, owner.email) == ("12345678", "sv", "ida@nord.example")
    again = coordinator.post("/coordinator/owners/new", data=OWNER | {"name": "Kopi"})
    page = again.get_data(as_text=True)
    assert again.status_code == 200 and "Another owner already has this organisation number" in page
    assert 'value="Kopi"' in page  # the form comes back filled in
    changed = coordinator.post(
        f"/coordinator/owners/{owner.id}/edit", data=OWNER | {"email": "", "name": HOSTILE}
    )
    assert changed.status_code == 303
    db.expire_all()
    assert owner.email is None and owner.name == HOSTILE
    listing = coordinator.get("/coordinator/owners").get_data(as_text=True)
    assert "<script>alert" not in listing and "&lt;script&gt;" in listing
    assert "No email: letters only" in listing


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("name", "", "Fill in this field"),
        ("name", "x" * 201, "Field cannot be longer than 200 characters"),
        ("email", "not-an-address", "Not a valid email address"),
        ("org_number", "ABC", "Write digits only"),
        ("phone", "=1+2", "Enter a phone number, for example 34 41 23 45,"),
        ("language", "xx", "Not a valid choice"),
    ],
)
def test_bad_owner_input_comes_back_with_a_message(coordinator, db, field, value, message):
    response = coordinator.post("/coordinator/owners/new", data=OWNER | {field: value})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and message in page
    assert "Error:" in page
    assert db.scalar(select(OwnerOrganisation)) is None


def test_a_property_is_added_with_an_entrance_and_sold(coordinator, db):
    district = make_district(db)
    seller, buyer = make_owner(db), make_owner(db)
    db.commit()
    data = {
        "owner": str(seller.id),
        "name": "Blok 7",
        "address": "Skolegade 7",
        "postcode": "4100",
        "city": "Demoby",
        "property_number": "7a",
        "district": str(district.id),
    }
    assert coordinator.post("/coordinator/properties/new", data=data).status_code == 303
    prop = db.scalar(select(Property))
    entrance = {
        "label": "Opgang B",
        "kind": "gate",
        "door_phone": "video",
        "electric_strike": "y",
        "power_source": "mains_12_24v",
    }
    url = f"/coordinator/properties/{prop.id}/entrances/new"
    assert coordinator.post(url, data=entrance).status_code == 303
    bad = coordinator.post(url, data=entrance | {"kind": "hatch", "label": ""})
    assert bad.status_code == 200 and "Not a valid choice" in bad.get_data(as_text=True)
    assert (
        coordinator.post(
            f"/coordinator/properties/{prop.id}/edit", data=data | {"owner": str(buyer.id)}
        ).status_code
        == 303
    )
    page = coordinator.get(f"/coordinator/properties/{prop.id}").get_data(as_text=True)
    assert "Opgang B" in page and "New owner" in page and "Video door phone" in page
    db.expire_all()
    assert prop.owner_id == buyer.id
    taken = coordinator.post("/coordinator/properties/new", data=data | {"address": "Andet 1"})
    assert "Another property already has this number" in taken.get_data(as_text=True)


def test_an_entrance_of_another_property_is_not_found(coordinator, db):
    one, two = make_property(db), make_property(db)
    db.commit()
    url = f"/coordinator/properties/{one.id}/entrances/{two.entrances[0].id}/edit"
    assert coordinator.get(url).status_code == 404
    assert coordinator.post(url, data={"label": "x"}).status_code == 404


def test_who_lives_behind_an_entrance_is_corrected_and_reset(coordinator, db):
    district = make_district(db)
    prop = make_property(db, district=district)
    inside = make_citizen(db, district=district, property_id=prop.id)
    outside = make_citizen(db, district=district)
    db.commit()
    entrance = prop.entrances[0]
    url = f"/coordinator/entrances/{entrance.id}/citizens"
    coordinator.post(url, data={"citizen": outside.external_id, "action": "add"})
    coordinator.post(url, data={"citizen": inside.id, "action": "remove"})
    page = coordinator.get(f"/coordinator/properties/{prop.id}").get_data(as_text=True)
    assert outside.name in page and "Added by a coordinator" in page
    assert "taken off this entrance" in page
    rows = db.scalars(select(EntranceCitizen).order_by(EntranceCitizen.id)).all()
    assert [(r.citizen_id, r.needed) for r in rows] == [(outside.id, True), (inside.id, False)]
    coordinator.post(url, data={"citizen": inside.id, "action": "reset"})
    db.expire_all()
    assert [r.citizen_id for r in db.scalars(select(EntranceCitizen))] == [outside.id]
    for bad in ({"citizen": "999999", "action": "add"}, {"citizen": "x"}, {"action": "drop"}):
        response = coordinator.post(url, data=bad, follow_redirects=True)
        assert response.status_code == 200
    assert db.get(Entrance, entrance.id).consent_status == "not_requested"


def test_the_property_list_filters_and_survives_hostile_queries(coordinator, db):
    a = make_property(db, owner=make_owner(db, name="Alfa Bolig"), address="Alfavej 1")
    make_property(db, owner=make_owner(db, name="Beta Bolig"), address="Betavej 2")
    db.commit()
    page = coordinator.get("/coordinator/properties?q=alfa").get_data(as_text=True)
    assert "Alfavej 1" in page and "Betavej 2" not in page
    page = coordinator.get(f"/coordinator/properties?owner={a.owner_id}").get_data(as_text=True)
    assert "Alfavej 1" in page and "Betavej 2" not in page
    for query in ("q=%25_%5C", "q=" + "x" * 500, "owner=99999999999999", "page=-1", "q=%00"):
        assert coordinator.get(f"/coordinator/properties?{query}").status_code == 200
    fragment = coordinator.get("/coordinator/properties?q=beta", headers={"HX-Request": "true"})
    assert "<html" not in fragment.get_data(as_text=True) and fragment.headers["Vary"]


def test_an_entrance_changed_meanwhile_is_not_overwritten(coordinator, db, monkeypatch):
    from sqlalchemy.orm.exc import StaleDataError

    from portal.consent import register

    prop = make_property(db)
    db.commit()

    def changed_meanwhile(*args, **kwargs):
        raise StaleDataError("entrance version moved on")

    monkeypatch.setattr(register, "save_entrance", changed_meanwhile)
    url = f"/coordinator/properties/{prop.id}/entrances/{prop.entrances[0].id}/edit"
    data = {"label": "Ny", "kind": "gate", "door_phone": "none"}
    response = coordinator.post(url, data=data, follow_redirects=True)
    assert response.status_code == 200
    assert "The entrance was changed meanwhile" in response.get_data(as_text=True)
    db.expire_all()
    assert db.get(Entrance, prop.entrances[0].id).label == "Opgang 1"
