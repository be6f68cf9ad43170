"""The owner's phone is checked as every other phone in the portal (portal/phones.py: a number
of the municipality's country, or one with its country code), stored in E.164 and shown as
people write it there."""

import io

import pytest
from sqlalchemy import select

from portal.consent.models import OwnerOrganisation
from tests.consent.test_register_pages import OWNER, coordinator  # noqa: F401 (fixture)
from tests.factories import make_owner, make_property

MESSAGE = "Enter a phone number, for example 34 41 23 45,"
BAD = {
    "too short": "123456",
    "Swedish number without +46 in Denmark": "08-123 456 78",
    "letters": "20 12 34 ab",
    "markup": "<b>20123456</b>",
    "tab": "20\t12 34 56",
    "right-to-left override": "20 12\u202e 34 56",
    "too long": "2" * 33,
}


@pytest.mark.parametrize("phone", BAD.values(), ids=BAD.keys())
def test_a_bad_owner_phone_is_refused_and_the_form_comes_back_filled_in(coordinator, db, phone):  # noqa: F811
    response = coordinator.post("/coordinator/owners/new", data=OWNER | {"phone": phone})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and page.count(MESSAGE) == 2  # summary and field
    assert 'href="#phone"' in page and 'value="Boligselskabet Nord"' in page
    assert db.scalar(select(OwnerOrganisation)) is None


@pytest.mark.parametrize(
    ("typed", "stored", "shown"),
    [
        ("20 12 34 56", "+4520123456", "20 12 34 56"),
        ("+45 20-12-34-56", "+4520123456", "20 12 34 56"),
        ("0045 70102030", "+4570102030", "70 10 20 30"),
        ("+46 8 530 610 00", "+46853061000", "+46 8 530 610 00"),
    ],
)
def test_a_good_owner_phone_is_stored_in_e164_and_shown_nationally(
    coordinator,  # noqa: F811
    db,
    typed,
    stored,
    shown,
):
    assert (
        coordinator.post("/coordinator/owners/new", data=OWNER | {"phone": typed}).status_code
        == 303
    )
    owner = db.scalar(select(OwnerOrganisation))
    assert owner.phone == stored
    assert f'<td class="text-nowrap">{shown}</td>' in coordinator.get(
        "/coordinator/owners"
    ).get_data(as_text=True)
    edit = coordinator.get(f"/coordinator/owners/{owner.id}/edit").get_data(as_text=True)
    assert f'value="{shown}"' in edit
    # Saved again unchanged, the number stays the same.
    assert (
        coordinator.post(
            f"/coordinator/owners/{owner.id}/edit", data=OWNER | {"phone": shown}
        ).status_code
        == 303
    )
    db.expire_all()
    assert owner.phone == stored


def test_an_old_owner_phone_is_shown_as_it_was_stored(coordinator, db):  # noqa: F811
    owner = make_owner(db)
    owner.phone = "ring til Ida"
    make_property(db, owner=owner)
    db.commit()
    assert "ring til Ida" in coordinator.get("/coordinator/owners").get_data(as_text=True)


def _import(coordinator, rows):  # noqa: F811
    head = "property_number;address;postcode;city;owner;owner_phone;entrance\n"
    text = head + "".join(
        f"{n};Skolegade {n};4100;Demoby;{owner};{phone};A\n" for n, owner, phone in rows
    )
    upload = coordinator.post(
        "/coordinator/properties/import", data={"file": (io.BytesIO(text.encode()), "e.csv")}
    )
    assert upload.status_code == 303
    return upload.location, coordinator.get(upload.location).get_data(as_text=True)


def test_the_property_import_checks_the_owners_phone_row_by_row(coordinator, db):  # noqa: F811
    location, preview = _import(
        coordinator,
        [
            (1, "Bolig God", "+45 20-12-34-56"),
            (2, "Bolig Svensk", "08-123 456 78"),
            (3, "Bolig Kort", "123456"),
            (4, "Bolig Tegn", "20 12 \u202e34 56"),
            (5, "Bolig Uden", ""),
        ],
    )
    assert preview.count("Not a valid phone number") == 2
    # A hidden control is named as such, as in the citizen import (and refused all the same).
    assert (
        "<strong>Owner&#39;s phone (owner_phone)</strong>: Contains a line break or another control"
        in preview
    )
    assert coordinator.post(location).status_code == 303
    owners = dict(db.execute(select(OwnerOrganisation.name, OwnerOrganisation.phone)).all())
    assert owners == {"Bolig God": "+4520123456", "Bolig Uden": None}
